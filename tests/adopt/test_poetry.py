"""poetry's legacy [tool.poetry] metadata moved to PEP 621 [project]: pure, byte-compared."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tagship.adopt import plan, poetry, tomldoc
from tagship.errors import ConfigError
from tests.helpers import commit, git, init_repo


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^1.2", ">=1.2,<2.0"),
        ("^1", ">=1,<2"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0.0", ">=0.0,<0.1"),
        ("^0", ">=0,<1"),
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.2", "~=1.2"),
        ("*", ""),
        ("", ""),
        ("1.2.3", "==1.2.3"),
        ("=1.2.3", "==1.2.3"),
        ("1.2.*", "==1.2.*"),
        ("!=1.5", "!=1.5"),
        (">=1.2,<2.0", ">=1.2,<2.0"),
        (">= 1.2, < 2.0", ">=1.2,<2.0"),
        (">=1.2 <2.0", ">=1.2,<2.0"),
        ("^1.0.0b1", ">=1.0.0b1,<2.0.0"),
    ],
)
def test_constraints_become_pep_440_specifiers(constraint: str, expected: str) -> None:
    assert poetry.specifier(constraint) == expected


@pytest.mark.parametrize("constraint", ["^1 || ^2", "1.0|2.0", "^banana", "~"])
def test_constraints_pep_440_cannot_say_are_refused(constraint: str) -> None:
    with pytest.raises(poetry.Refused):
        poetry.specifier(constraint)


@pytest.mark.parametrize(
    ("name", "spec", "expected"),
    [
        ("requests", "^2.28", ["requests>=2.28,<3.0"]),
        ("click", {"version": "~8.1", "extras": ["a", "b"]}, ["click[a,b]>=8.1,<8.2"]),
        ("tomli", {"version": ">=1.1", "python": "<3.11"}, ['tomli>=1.1; python_version < "3.11"']),
        (
            "pywin32",
            {"version": "*", "platform": "win32", "python": "^3.9.1"},
            [
                (
                    'pywin32; python_full_version >= "3.9.1" and python_full_version < "4.0.0"'
                    ' and sys_platform == "win32"'
                ),
            ],
        ),
        (
            "x",
            {"version": "1", "markers": 'os_name == "nt" or os_name == "java"'},
            ['x==1; (os_name == "nt" or os_name == "java")'],
        ),
        (
            "numpy",
            [{"version": "^1.24", "python": "<3.12"}, {"version": "^2", "python": ">=3.12"}],
            [
                'numpy>=1.24,<2.0; python_version < "3.12"',
                'numpy>=2,<3; python_version >= "3.12"',
            ],
        ),
    ],
)
def test_dependencies_become_pep_508(name: str, spec: object, expected: list[str]) -> None:
    assert poetry.requirement(name, spec) == expected


@pytest.mark.parametrize("key", ["git", "path", "url", "develop", "source"])
def test_a_dependency_pypi_cannot_carry_is_refused(key: str) -> None:
    with pytest.raises(poetry.Refused, match=f"'dep' is a {key} dependency"):
        poetry.requirement("dep", {key: "x"})


LEGACY = """\
# the project's own comment stays
[tool.poetry]
name = "legacy"
version = "0.4.0"
description = "Old."
authors = ["A Person <a@example.invalid>", "Team"]
license = "mit"
readme = ["README.md"]
homepage = "https://example.invalid"
keywords = ["x"]
packages = [{ include = "legacy", from = "src" }]
include = ["data/*.json"]

[tool.poetry.dependencies]
python = "^3.11"
requests = "^2.28"
rich = { version = "^13", optional = true }

[tool.poetry.extras]
fancy = ["rich"]

[tool.poetry.urls]
"Bug Tracker" = "https://example.invalid/issues"

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"

[tool.poetry.group.docs]
optional = true

[tool.poetry.group.docs.dependencies]
sphinx = "*"

[tool.poetry.scripts]
legacy = "legacy:main"
old = { reference = "bin/old.sh", type = "file" }

[tool.poetry.plugins."legacy.plugins"]
one = "legacy.one:Plugin"

[tool.ruff]
line-length = 100

[dependency-groups]
dev = ["mypy", "pytest"]

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""

MIGRATED = """\
# the project's own comment stays
[project]
name = "legacy"
version = "0.4.0"
description = "Old."
keywords = ["x"]
readme = "README.md"
license = "MIT"
authors = [{name = "A Person", email = "a@example.invalid"}, {name = "Team"}]
requires-python = ">=3.11,<4.0"
dependencies = ["requests>=2.28,<3.0"]

[project.optional-dependencies]
fancy = ["rich>=13,<14"]

[project.urls]
Homepage = "https://example.invalid"
"Bug Tracker" = "https://example.invalid/issues"

[project.scripts]
legacy = "legacy:main"

[project.entry-points."legacy.plugins"]
one = "legacy.one:Plugin"

[tool.poetry]
packages = [{ include = "legacy", from = "src" }]
include = ["data/*.json"]

[tool.poetry.scripts]
old = { reference = "bin/old.sh", type = "file" }

[tool.ruff]
line-length = 100

[dependency-groups]
dev = ["mypy", "pytest"]
docs = ["sphinx"]

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""


def _migrated(text: str) -> str:
    doc, layout = tomldoc.parse(text)
    assert poetry.is_legacy(doc)
    poetry.migrate(doc)
    return tomldoc.dump(doc, layout)


def test_the_legacy_table_moves_to_project_and_what_has_no_pep_621_form_stays() -> None:
    assert _migrated(LEGACY) == MIGRATED
    assert not poetry.is_legacy(tomldoc.parse(MIGRATED)[0])


def test_crlf_stays_crlf() -> None:
    crlf = LEGACY.replace("\n", "\r\n")
    assert _migrated(crlf) == MIGRATED.replace("\n", "\r\n")


def test_a_refusal_is_one_line_naming_the_key() -> None:
    text = LEGACY.replace('requests = "^2.28"', 'requests = { git = "https://x.invalid/r" }')
    doc, _ = tomldoc.parse(text)
    with pytest.raises(ConfigError) as raised:
        poetry.migrate(doc)
    message = str(raised.value)
    assert "\n" not in message
    assert "'requests' is a git dependency" in message
    assert "[tool.poetry]" in message


def test_init_plans_the_move_and_a_hatchling_build(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "legacy")
    commit(
        root,
        "feat: a poetry project",
        {"pyproject.toml": LEGACY, "src/legacy/__init__.py": '"""Legacy."""\n'},
    )
    planned = plan.build(root)
    new = next(c.new for c in planned.changes if c.path.name == "pyproject.toml")
    data = tomllib.loads(new)
    assert data["build-system"]["build-backend"] == "hatchling.build"
    assert data["project"]["dynamic"] == ["version"]
    assert "version" not in data["project"]
    assert data["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/legacy"]
    assert planned.static_version == "0.4.0"
    assert "[project]\n" in plan.diff(planned)


def test_poetry_without_a_name_says_where_to_put_it(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "nameless")
    text = '[tool.poetry]\nversion = "1.0"\n\n[build-system]\nrequires = ["poetry-core"]\n'
    commit(root, "feat: nameless", {"pyproject.toml": text})
    with pytest.raises(ConfigError, match=r"add name = .* to \[tool.poetry\]"):
        plan.build(root)
    assert git(root, "status", "--porcelain") == ""
