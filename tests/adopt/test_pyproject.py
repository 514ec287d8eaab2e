"""pyproject.toml adoption: pure text in, text out, for each supported build backend."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import tomlkit
from packaging.version import Version

from tagship.adopt import pyproject
from tagship.checks import scm
from tagship.errors import ConfigError


@pytest.mark.parametrize(
    ("tag_format", "tag", "version"),
    [
        ("v$version", "v1.2.3rc1", "1.2.3rc1"),
        ("$version", "1.2.3", "1.2.3"),
        ("pkg-v$version", "pkg-v0.2.0", "0.2.0"),
        ("release-${version}", "release-2.0.0.post1", "2.0.0.post1"),
        ("v$version-final", "v1.0.0-final", "1.0.0"),
    ],
)
def test_tag_regex_reads_the_tags_commitizen_writes(
    tag_format: str, tag: str, version: str
) -> None:
    found = re.match(pyproject.tag_regex(tag_format), tag)
    assert found is not None
    assert found["version"] == version


@pytest.mark.parametrize(
    ("tag_format", "pattern"),
    [("v$version", "v*"), ("$version", "[0-9]*"), ("pkg-v$version", "pkg-v*")],
)
def test_describe_matches_only_release_tags(tag_format: str, pattern: str) -> None:
    assert pyproject.describe_command(tag_format)[-2:] == ["--match", pattern]


UV_PACKAGE = """\
[project]
name = "uvp"
version = "0.1.0"
description = "Add your description here"
requires-python = ">=3.11"
dependencies = []

[project.scripts]
uvp = "uvp:main"

[build-system]
requires = ["uv_build>=0.13.9,<0.14.0"]
build-backend = "uv_build"
"""

UV_PACKAGE_ADOPTED = """\
[project]
name = "uvp"
dynamic = ["version"]
description = "Add your description here"
requires-python = ">=3.11"
dependencies = []

[project.scripts]
uvp = "uvp:main"

[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[tool.hatch.version]
source = "vcs"

[tool.hatch.version.raw-options]
# hatch-vcs reads exactly the tags commitizen writes (tag_format).
tag_regex = "^v(?P<version>.+)$"
git_describe_command = ["git", "describe", "--dirty", "--tags", "--long", "--match", "v*"]

[tool.hatch.build.targets.wheel]
packages = ["src/uvp"]
"""


def test_uv_build_becomes_hatch_vcs(tmp_path: Path) -> None:
    (tmp_path / "src/uvp").mkdir(parents=True)
    change = pyproject.adopt(UV_PACKAGE, root=tmp_path, tag_format="v$version")
    assert change.text == UV_PACKAGE_ADOPTED
    assert (change.backend, change.static_version) == ("uv_build", "0.1.0")
    again = pyproject.adopt(change.text, root=tmp_path, tag_format="v$version")
    assert again.text == change.text


SETUPTOOLS = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "legacy-pkg"  # the distribution
version = "1.4.0"

[tool.setuptools.dynamic]
readme = {file = "README.md"}
"""


def test_setuptools_keeps_setuptools_and_gets_setuptools_scm(tmp_path: Path) -> None:
    change = pyproject.adopt(SETUPTOOLS, root=tmp_path, tag_format="v$version")
    assert change.backend == "setuptools"
    assert change.static_version == "1.4.0"
    assert 'requires = ["setuptools>=68", "setuptools-scm>=8"]' in change.text
    assert 'name = "legacy-pkg"  # the distribution\ndynamic = ["version"]\n' in change.text
    assert "[tool.setuptools_scm]\ntag_regex = " in change.text
    assert 'readme = {file = "README.md"}' in change.text


def test_hatch_version_file_is_found_and_its_literal_removed(tmp_path: Path) -> None:
    about = tmp_path / "src/pkg/__about__.py"
    about.parent.mkdir(parents=True)
    about.write_text('# SPDX\n__version__ = "0.0.1"\n', encoding="utf-8")
    text = (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "pkg"\ndynamic = ["version"]\n\n'
        '[tool.hatch.version]\npath = "src/pkg/__about__.py"\n'
    )
    change = pyproject.adopt(text, root=tmp_path, tag_format="v$version")
    assert change.static_version == "0.0.1"
    assert change.version_file == about
    assert '[tool.hatch.version]\nsource = "vcs"\n' in change.text
    assert 'requires = ["hatchling", "hatch-vcs"]' in change.text
    stripped = pyproject.strip_static_version(about.read_text(encoding="utf-8"), "pkg")
    assert stripped == (
        "# SPDX\nfrom importlib.metadata import version as _version\n\n"
        '__version__ = _version("pkg")\n'
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            (
                '[build-system]\nrequires = ["maturin"]\nbuild-backend = "maturin"\n'
                '[project]\nname = "x"\nversion = "1.0"\n'
            ),
            "build-backend 'maturin' is not one tagship adopts",
        ),
        ("[tool.ruff]\nline-length = 100\n", "no [project] table"),
        ('[tool.poetry]\nversion = "1.0"\n', "nor poetry's [tool.poetry] has a name"),
        ('[project]\nversion = "1.0"\n', "[project] has no name"),
        ('tool = 3\n[project]\nname = "x"\n', "tool must be a table"),
    ],
)
def test_unsupported_projects_stop_with_the_change_to_make(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        pyproject.adopt(text, root=Path(), tag_format="v$version")


HATCH_HEAD = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
LAYOUTS = {
    "split-project": (
        '[project]\nname = "pkg"\nversion = "0.3.0"\n\n[tool.ruff]\nline-length = 100\n\n'
        '[project.scripts]\npkg = "pkg:main"\n\n' + HATCH_HEAD
    ),
    "inline-raw-options": (
        HATCH_HEAD + '[project]\nname = "pkg"\ndynamic = ["version"]\n\n[tool.hatch.version]\n'
        'source = "vcs"\nraw-options = { local_scheme = "no-local-version" }\n'
    ),
    "dotted-keys": (
        HATCH_HEAD
        + '[project]\nname = "pkg"\nversion = "0.3.0"\nurls.Homepage = "https://x.invalid"\n'
        "\n[tool]\nruff.line-length = 100\n"
    ),
    "tagship-table-appended": (
        HATCH_HEAD + '[project]\nname = "pkg"\ndynamic = ["version"]\n\n[tool.hatch.version]\n'
        'source = "vcs"\n\n[dependency-groups]\ndev = ["commitizen"]\n\n'
        '[tool.tagship]\nrelease-branch = "master"\n'
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_every_layout_adopts_keeps_its_bytes_and_settles(
    tmp_path: Path, layout: str, ending: str, bom: str
) -> None:
    text = bom + LAYOUTS[layout].replace("\n", ending)
    change = pyproject.adopt(text, root=tmp_path, tag_format="v$version")
    assert change.text.startswith(bom + "[")
    assert ("\r\n" in change.text) == (ending == "\r\n")
    assert "\n" not in change.text.replace("\r\n", "") or ending == "\n"
    data = tomllib.loads(change.text.removeprefix("\ufeff"))
    assert data["project"]["dynamic"] == ["version"]
    assert data["tool"]["hatch"]["version"]["source"] == "vcs"
    assert data["tool"]["hatch"]["version"]["raw-options"]["tag_regex"] == "^v(?P<version>.+)$"
    lines = iter(change.text.splitlines())
    for line in text.splitlines():
        if not line.lstrip(bom).startswith(("version =", "raw-options =", "requires =", "dev =")):
            assert any(candidate == line for candidate in lines), line
    again = pyproject.adopt(change.text, root=tmp_path, tag_format="v$version")
    assert again.text == change.text


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, body in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body, encoding="utf-8")


def test_pdm_backend_keeps_pdm_and_reads_tags_with_its_scm_source(tmp_path: Path) -> None:
    _tree(tmp_path, {"src/pkg/__init__.py": '__version__ = "0.4.0"\n'})
    text = (
        '[project]\nname = "pkg"\ndynamic = ["version"]\n\n[build-system]\n'
        'requires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n\n'
        '[tool.pdm.version]\nsource = "file"\npath = "src/pkg/__init__.py"\n'
    )
    change = pyproject.adopt(text, root=tmp_path, tag_format="v$version")
    data = tomllib.loads(change.text)
    assert data["build-system"]["build-backend"] == "pdm.backend"
    assert data["tool"]["pdm"]["version"] == {
        "source": "scm",
        "tag_regex": "^v(?P<version>.+)$",
        "tag_filter": "v*",
    }
    assert (change.static_version, change.version_file) == (
        "0.4.0",
        tmp_path / "src/pkg/__init__.py",
    )


def test_poetry_core_switches_to_hatchling_with_poetrys_packages(tmp_path: Path) -> None:
    text = (
        '[project]\nname = "pkg"\nversion = "1.2.0"\n\n[tool.poetry]\n'
        'packages = [{ include = "pkg", from = "lib" }]\n\n[build-system]\n'
        'requires = ["poetry-core>=2"]\nbuild-backend = "poetry.core.masonry.api"\n'
    )
    change = pyproject.adopt(text, root=tmp_path, tag_format="$version")
    data = tomllib.loads(change.text)
    assert data["build-system"] == {
        "requires": ["hatchling", "hatch-vcs"],
        "build-backend": "hatchling.build",
    }
    assert data["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["lib/pkg"]
    assert (change.backend, change.static_version) == ("poetry", "1.2.0")


PDV = """\
[project]
name = "pdv"
dynamic = ["version"]

[tool.poetry]
packages = [{ include = "pdv", from = "src" }]

[tool.poetry-dynamic-versioning]
enable = true
style = "semver"
format = "{base}"

[build-system]
requires = ["poetry-core>=2", "poetry-dynamic-versioning>=1.0.0,<2.0.0"]
build-backend = "poetry_dynamic_versioning.backend"
"""


def test_poetry_dynamic_versioning_is_kept_and_reads_exactly_the_tags(tmp_path: Path) -> None:
    _tree(tmp_path, {"src/pdv/__init__.py": '__version__ = "0.0.0"\n'})
    change = pyproject.adopt(PDV, root=tmp_path, tag_format="v$version")
    assert change.text == PDV.replace(
        '[tool.poetry]\npackages = [{ include = "pdv", from = "src" }]\n',
        '[tool.poetry]\npackages = [{ include = "pdv", from = "src" }]\nversion = "0.0.0"\n',
    ).replace('style = "semver"\nformat = "{base}"\n', 'style = "pep440"\n')
    # the `v` tags are dunamai's default pattern; its `0.0.0` placeholder is no version
    assert (change.backend, change.static_version) == ("poetry-dynamic-versioning", None)
    bare = tomllib.loads(pyproject.adopt(PDV, root=tmp_path, tag_format="$version").text)
    pattern = bare["tool"]["poetry-dynamic-versioning"]["pattern"]
    assert scm.tag_to_version("1.2.0rc1", pattern) == Version("1.2.0rc1")
    assert scm.tag_to_version("v1.2.0", pattern) is None


@pytest.mark.parametrize(
    ("options", "tag_format", "kept"),
    [
        ('pattern-prefix = "pkg-"\n', "pkg-v$version", True),
        ('pattern-prefix = "pkg-"\n', "v$version", False),
        ('pattern = "default-unprefixed"\n', "$version", True),
        ("pattern = '^rel/(?P<base>\\d+(\\.\\d+)*)$'\n", "rel/$version", False),
    ],
)
def test_a_dunamai_pattern_is_kept_only_when_it_reads_the_tags(
    tmp_path: Path, options: str, tag_format: str, kept: bool
) -> None:
    text = PDV.replace('format = "{base}"\n', options)
    data = tomllib.loads(pyproject.adopt(text, root=tmp_path, tag_format=tag_format).text)
    written = data["tool"]["poetry-dynamic-versioning"]
    given = tomllib.loads(text)["tool"]["poetry-dynamic-versioning"]
    patterns = {key: given[key] for key in ("pattern", "pattern-prefix") if key in given}
    assert (patterns.items() <= written.items()) is kept
    tag = tag_format.replace("$version", "2.0.0b1")
    assert scm.tag_to_version(tag, scm.dunamai_pattern(written)) == Version("2.0.0b1")


def test_flit_switches_to_hatchling_and_writes_the_docstring_description(tmp_path: Path) -> None:
    _tree(tmp_path, {"tool_x.py": '"""Does X, quickly.\n\nMore text."""\n__version__ = "0.9"\n'})
    text = (
        '[build-system]\nrequires = ["flit_core>=3.2,<4"]\nbuild-backend = "flit_core.buildapi"\n'
        '\n[project]\nname = "tool-x"\ndynamic = ["version", "description"]\n'
    )
    change = pyproject.adopt(text, root=tmp_path, tag_format="v$version")
    data = tomllib.loads(change.text)
    assert data["project"]["description"] == "Does X, quickly."
    assert data["project"]["dynamic"] == ["version"]
    assert data["tool"]["hatch"]["build"]["targets"]["wheel"]["only-include"] == ["tool_x.py"]
    assert (change.static_version, change.version_file) == ("0.9", tmp_path / "tool_x.py")


def test_a_custom_describe_match_and_regex_are_kept(tmp_path: Path) -> None:
    text = (
        HATCH_HEAD + '[project]\nname = "hatch"\ndynamic = ["version"]\n\n[tool.hatch.version]\n'
        'source = "vcs"\nraw-options = { tag_regex = "^hatch-v(?P<version>.*)$", '
        'git_describe_command = ["git", "describe", "--tags", "--long", '
        '"--match", "hatch-v[0-9]*"] }\n'
    )
    assert pyproject.describe_match(tomlkit.parse(text)) == "hatch-v[0-9]*"
    change = pyproject.adopt(text, root=tmp_path, tag_format="hatch-v$version")
    assert "raw-options = { tag_regex" in change.text
    assert change.text.replace('"hatch-vcs"', "").count("hatch-v[0-9]*") == 1
    assert 'requires = ["hatchling", "hatch-vcs"]' in change.text


def test_a_static_dunder_version_in_the_package_is_found(tmp_path: Path) -> None:
    _tree(tmp_path, {"src/pkg/__init__.py": '"""Pkg."""\n\n__version__ = "0.2.0"\n'})
    text = HATCH_HEAD + '[project]\nname = "pkg"\nversion = "0.2.0"\n'
    change = pyproject.adopt(text, root=tmp_path, tag_format="v$version")
    assert change.version_file == tmp_path / "src/pkg/__init__.py"
