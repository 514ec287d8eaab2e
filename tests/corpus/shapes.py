"""Project shapes seen in real projects, as minimal reproductions: files, tags, branch.

Each shape is one backend x layout x tag history x changelog style x CI x branch that
`tagship init` must adopt with no hand edit, or refuse with one line whose fix (`fix`,
the files the user changes as the message says) then adopts. Every shape with an `rc`
bumps it with the real pre-bump hook and builds it at the tag in `make bench`
(benchmarks/corpus.py); in the tests only the `full` ones do: the representative subset
that keeps `make check` inside its time budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

HATCHLING = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
SETUPTOOLS = (
    '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
)
UV_BUILD = '[build-system]\nrequires = ["uv_build>=0.8,<1"]\nbuild-backend = "uv_build"\n'
PDM = '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n'
POETRY = (
    '[build-system]\nrequires = ["poetry-core>=2"]\nbuild-backend = "poetry.core.masonry.api"\n'
)
FLIT = '[build-system]\nrequires = ["flit_core>=3.4,<4"]\nbuild-backend = "flit_core.buildapi"\n'
PYTHON = 'requires-python = ">=3.11"\n'


def project(name: str, *, version: str | None = "0.3.0", extra: str = "") -> str:
    head = f'[project]\nname = "{name}"\n'
    head += f'version = "{version}"\n' if version else 'dynamic = ["version"]\n'
    return head + 'description = "A shape."\nreadme = "README.md"\n' + PYTHON + extra


def package(module: str, *, version: str | None = None, src: bool = True) -> dict[str, str]:
    """A package directory whose module is clean for the default gates."""
    body = f'"""The {module} package."""\n'
    if version:
        body += f'\n__version__ = "{version}"\n'
    path = f"src/{module}" if src else module
    return {
        f"{path}/__init__.py": body,
        "README.md": f"# {module}\n",
        ".gitignore": "__pycache__/\n*.egg-info/\n",
    }


@dataclass(frozen=True)
class Shape:
    name: str
    files: Mapping[str, str]
    tags: tuple[str, ...] = ()
    """Release tags, oldest first, each on its own commit."""
    branch: str = "main"
    rc: str | None = None
    """The tag `cz bump --prerelease rc` must create after one `feat:` commit."""
    refused: str | None = None
    """A fragment of the one-line refusal of the first init."""
    fix: Mapping[str, str | None] = field(default_factory=dict)
    """What the user changes as the refusal says (None deletes a file)."""
    full: bool = False
    """Bump, build and notes run for this shape (the representative subset)."""
    tagship_table: bool = False
    """After adoption the user appends a `[tool.tagship]` table, as the README shows."""


_TAG_HISTORY = tuple(f"v0.{minor}.0" for minor in range(5)) + tuple(
    f"2.{minor}.{patch}" for minor in range(6) for patch in range(5)
)
_KEEP_A_CHANGELOG = (
    "# Changelog\n\nAll notable changes to this project are documented here.\n\n"
    "## [Unreleased]\n\n### Added\n\n- A hand-written entry.\n\n"
    "## [1.1.0] - 2024-05-01\n\n### Fixed\n\n- Old fix.\n\n"
    "[1.1.0]: https://example.invalid/compare/v1.0.0...v1.1.0\n"
)
_RST = "Changes\n=======\n\n0.9.0 (2024-03-01)\n------------------\n\n- First public release.\n"

_SHAPES: tuple[Shape, ...] = (
    Shape(
        "uv-package-master",
        {"pyproject.toml": project("uvapp", version="0.1.0") + "\n" + UV_BUILD, **package("uvapp")},
        branch="master",
        rc="v0.1.0rc0",  # 0.1.0 was never released: its first candidate
    ),
    Shape(
        "uv-lib-tagged",
        {
            "pyproject.toml": project("uvlib", version="0.2.0") + "\n" + UV_BUILD,
            **package("uvlib"),
            "src/uvlib/py.typed": "",
        },
        tags=("v0.1.0", "v0.2.0"),
        rc="v0.3.0rc0",
        tagship_table=True,
    ),
    Shape(
        "hatch-new-about",
        {
            "pyproject.toml": HATCHLING
            + "\n"
            + project("hatchnew", version=None)
            + '\n[tool.hatch.version]\npath = "src/hatchnew/__about__.py"\n',
            **package("hatchnew"),
            "src/hatchnew/__about__.py": '# SPDX-License-Identifier: MIT\n__version__ = "0.0.1"\n',
        },
        branch="master",
        rc="v0.1.0rc0",
    ),
    Shape(
        "hatch-static-dunder",
        {
            "pyproject.toml": HATCHLING + "\n" + project("hstatic", version="1.1.0"),
            **package("hstatic", version="1.1.0"),
        },
        tags=("v1.0.0", "v1.1.0"),
        rc="v1.2.0rc0",
    ),
    Shape(
        "hatch-vcs-inline-crlf",
        {
            "pyproject.toml": (
                HATCHLING.replace('["hatchling"]', '["hatchling", "hatch-vcs"]')
                + "\n"
                + project("inline", version=None)
                + '\n[tool.hatch.version]\nsource = "vcs"\n'
                'raw-options = { local_scheme = "no-local-version" }\n'
            ).replace("\n", "\r\n"),
            **package("inline"),
        },
        tags=("v0.4.0",),
        rc="v0.5.0rc0",
    ),
    Shape(
        "split-tables-bom",
        {
            "pyproject.toml": "\ufeff"
            + project("split")
            + '\n[tool.ruff]\nline-length = 100\n\n[project.scripts]\nsplit = "split:main"\n\n'
            + HATCHLING,
            **package("split"),
            "src/split/__init__.py": '"""Split."""\n\n\ndef main() -> None:\n    """Run."""\n',
        },
        tagship_table=True,
    ),
    Shape(
        "setuptools-bare-tags",
        {
            "pyproject.toml": SETUPTOOLS + "\n" + project("stools", version="1.3.0"),
            **package("stools"),
        },
        tags=("1.2.0", "1.3.0"),
        rc="1.4.0rc0",  # bumped and built by `make bench`; in the tests, setuptools' bump
        # and build at the tag are tests/commands/test_init_release.py's
    ),
    Shape(
        "setuptools-scm-already",
        {
            "pyproject.toml": SETUPTOOLS.replace('">=68"]', '">=68", "setuptools-scm>=8"]')
            + "\n"
            + project("sscm", version=None)
            + '\n[tool.setuptools_scm]\nversion_file = "src/sscm/_version.py"\n',
            **package("sscm"),
            ".gitignore": "*.egg-info/\nsrc/sscm/_version.py\n",
        },
        tags=("v2.0.0",),
        rc="v2.1.0rc0",
    ),
    Shape(
        "setuptools-attr-flat",
        {
            "pyproject.toml": SETUPTOOLS
            + "\n"
            + project("flatpkg", version=None)
            + '\n[tool.setuptools.dynamic]\nversion = { attr = "flatpkg.__version__" }\n',
            **package("flatpkg", version="0.7.0", src=False),
        },
        tags=("v0.7.0",),
        rc="v0.8.0rc0",
    ),
    Shape(
        "setuptools-setup-cfg-attr",
        {
            "pyproject.toml": SETUPTOOLS + "\n" + project("cfgattr", version=None),
            "setup.cfg": "[metadata]\nversion = attr: cfgattr.__version__\n\n[options]\n"
            "package_dir =\n    = src\n",
            **package("cfgattr", version="0.8.0"),
        },
        tags=("v0.8.0",),
        rc="v0.9.0rc0",
    ),
    Shape(
        "setup-cfg-only",
        {
            "pyproject.toml": SETUPTOOLS,
            "setup.cfg": (
                "[metadata]\nname = cfgpkg\nversion = 0.5.0\n\n[options]\npackages = find:\n"
            ),
            **package("cfgpkg", src=False),
        },
        refused="no [project] table",
        fix={
            "pyproject.toml": SETUPTOOLS + "\n" + project("cfgpkg", version="0.5.0"),
            "setup.cfg": None,
        },
    ),
    Shape(
        "pdm-static",
        {"pyproject.toml": project("pdmpkg", version="0.2.0") + "\n" + PDM, **package("pdmpkg")},
        tags=("v0.2.0",),
        rc="v0.3.0rc0",
    ),
    Shape(
        "pdm-scm",
        {
            "pyproject.toml": project("pdmscm", version=None)
            + "\n"
            + PDM
            + '\n[tool.pdm.version]\nsource = "scm"\n',
            **package("pdmscm"),
        },
        tags=("v0.5.0",),
        rc="v0.6.0rc0",
    ),
    Shape(
        "poetry-pep621",
        {
            "pyproject.toml": project("poetpkg", version="0.8.0")
            + '\n[tool.poetry]\npackages = [{ include = "poetpkg", from = "src" }]\n\n'
            + POETRY,
            **package("poetpkg"),
        },
        tags=("v0.8.0",),
        branch="master",
        rc="v0.9.0rc0",
    ),
    Shape(
        "poetry-legacy",
        {
            "pyproject.toml": '[tool.poetry]\nname = "legacy"\nversion = "0.1.0"\n'
            'description = "Old."\nauthors = ["A Person <a@example.invalid>"]\n'
            'license = "MIT"\nreadme = "README.md"\n'
            'packages = [{ include = "legacy", from = "src" }]\n\n'
            '[tool.poetry.dependencies]\npython = "^3.9"\npackaging = ">=24"\n\n'
            '[tool.poetry.group.dev.dependencies]\npytest = "*"\n\n' + POETRY,
            **package("legacy"),
        },
        tags=("v0.1.0",),
        branch="master",
        rc="v0.2.0rc0",
        full=True,
    ),
    Shape(
        "poetry-dynamic-versioning",
        {
            "pyproject.toml": project("pdvpkg", version=None)
            + '\n[tool.poetry]\nversion = "0.0.0"\n'
            + 'packages = [{ include = "pdvpkg", from = "src" }]\n\n'
            + "[tool.poetry-dynamic-versioning]\nenable = true\n\n"
            + POETRY.replace(
                '["poetry-core>=2"]', '["poetry-core>=2", "poetry-dynamic-versioning>=1,<2"]'
            ).replace("poetry.core.masonry.api", "poetry_dynamic_versioning.backend"),
            **package("pdvpkg", version="0.0.0"),
        },
        tags=("v0.4.0",),
        rc="v0.5.0rc0",
        full=True,
    ),
    Shape(
        "flit-module",
        {
            "pyproject.toml": FLIT
            + '\n[project]\nname = "flitmod"\ndynamic = ["version", "description"]\n'
            + 'readme = "README.md"\n'
            + PYTHON,
            "flitmod.py": '"""Does one thing well."""\n\n__version__ = "0.6.0"\n',
            "README.md": "# flitmod\n",
        },
        tags=("v0.6.0",),
        rc="v0.7.0rc0",
    ),
    Shape(
        "tags-ancient-v-recent-bare",
        {
            "pyproject.toml": HATCHLING + "\n" + project("history", version="2.5.4"),
            **package("history"),
        },
        tags=_TAG_HISTORY,
        rc="2.6.0rc0",
        full=True,
    ),
    Shape(
        "monorepo-own-prefix",
        {"pyproject.toml": HATCHLING + "\n" + project("core", version=None), **package("core")},
        tags=("core-v0.1.0", "cli-v1.0.0", "core-v0.2.0"),
        rc="core-v0.3.0rc0",
    ),
    Shape(
        "monorepo-foreign-prefixes",
        {"pyproject.toml": HATCHLING + "\n" + project("web", version=None), **package("web")},
        tags=("api-v1.0.0", "cli-v2.0.0"),
        refused="tags of several packages",
        fix={".cz.toml": '[tool.commitizen]\ntag_format = "web-v$version"\n'},
    ),
    Shape(
        "uv-workspace-root",
        {
            "pyproject.toml": HATCHLING
            + "\n"
            + project("wsroot", version="0.1.0")
            + '\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
            **package("wsroot"),
            "packages/wslib/pyproject.toml": HATCHLING + "\n" + project("wslib", version="0.9.0"),
            "packages/wslib/src/wslib/__init__.py": '"""wslib."""\n',
            "packages/wslib/README.md": "# wslib\n",
        },
        tags=("v0.1.0", "wslib-v0.9.0"),
        rc="v0.2.0rc0",
    ),
    Shape(
        "hatch-custom-match",
        {
            "pyproject.toml": HATCHLING.replace('["hatchling"]', '["hatchling", "hatch-vcs"]')
            + "\n"
            + project("hatch", version=None)
            + '\n[tool.hatch.version]\nsource = "vcs"\n\n[tool.hatch.version.raw-options]\n'
            'tag_regex = "^hatch-v(?P<version>.+)$"\n'
            'git_describe_command = ["git", "describe", "--dirty", "--tags", "--long", '
            '"--match", "hatch-v*"]\n',
            **package("hatch"),
        },
        tags=("hatchling-v1.0.0", "hatch-v1.0.0"),
        rc="hatch-v1.1.0rc0",
    ),
    Shape(
        "changes-rst",
        {
            "pyproject.toml": HATCHLING + "\n" + project("rstlog", version="0.9.0"),
            **package("rstlog"),
            "CHANGES.rst": _RST,
        },
        tags=("v0.9.0",),
        rc="v0.10.0rc0",
        full=True,
    ),
    Shape(
        "keep-a-changelog",
        {
            "pyproject.toml": HATCHLING + "\n" + project("kacl", version="1.1.0"),
            **package("kacl"),
            "CHANGELOG.md": _KEEP_A_CHANGELOG,
        },
        tags=("v1.0.0", "v1.1.0"),
        rc="v1.2.0rc0",
    ),
    Shape(
        "history-no-extension",
        {
            "pyproject.toml": HATCHLING + "\n" + project("histpkg", version="0.4.0"),
            **package("histpkg"),
            "HISTORY": "# History\n\n## 0.4.0\n\n- Something.\n",
        },
        tags=("0.4.0",),
        rc="0.5.0rc0",
    ),
    Shape(
        "docs-changelog-tagged-without-sections",
        {
            "pyproject.toml": HATCHLING + "\n" + project("docslog", version="0.3.0"),
            **package("docslog"),
            "docs/changelog.md": "# Changelog\n\nSee the releases page for older versions.\n",
        },
        tags=("v0.1.0", "v0.2.0", "v0.3.0"),
        rc="v0.4.0rc0",
    ),
    Shape(
        "cz-json-version-files",
        {
            "pyproject.toml": HATCHLING + "\n" + project("czjson", version="0.4.0"),
            **package("czjson", version="0.4.0"),
            ".cz.json": '{\n  "commitizen": {\n    "name": "cz_conventional_commits",\n'
            '    "version_provider": "pep621",\n    "tag_format": "v$version",\n'
            '    "version_files": ["src/czjson/__init__.py:__version__"],\n'
            '    "pre_bump_hooks": ["echo before"]\n  }\n}\n',
        },
        tags=("v0.4.0",),
        rc="v0.5.0rc0",
    ),
    Shape(
        "cz-yaml-commitizen-provider",
        {
            "pyproject.toml": HATCHLING + "\n" + project("czyaml", version=None),
            **package("czyaml"),
            "cz.yaml": "# release settings\ncommitizen:\n  name: cz_conventional_commits\n"
            "  version: 0.2.0\n  tag_format: v$version\n",
        },
        tags=("v0.2.0",),
        rc="v0.3.0rc0",
    ),
    Shape(
        "cz-in-pyproject-own-hooks",
        {
            "pyproject.toml": HATCHLING
            + "\n"
            + project("czpy", version="0.3.0")
            + '\n[tool.commitizen]\nname = "cz_conventional_commits"\nversion = "0.3.0"\n'
            'tag_format = "v$version"\npre_bump_hooks = ["echo before"]\n',
            **package("czpy"),
        },
        tags=("v0.3.0",),
        rc="v0.4.0rc0",
    ),
    Shape(
        "own-ci-workflow-py39",
        {
            "pyproject.toml": HATCHLING
            + "\n"
            + project("oldpy", version="0.2.0").replace(PYTHON, 'requires-python = ">=3.9"\n'),
            **package("oldpy"),
            ".github/workflows/tests.yaml": (
                "name: tests\non: [push, pull_request]\njobs:\n  test:\n"
                "    runs-on: ubuntu-latest\n    steps:\n      - run: echo test\n"
            ),
        },
        tags=("v0.1.0",),
        branch="master",
        rc="v0.2.0rc0",
    ),
)


def gated(shape: Shape) -> Shape:
    """A shape whose gates have their tools and a test, as a project that releases has."""
    module = next(
        name.split("/")[-2] if name.endswith("__init__.py") else name.removesuffix(".py")
        for name in shape.files
        if name.endswith("__init__.py") or ("/" not in name and name.endswith(".py"))
    )
    files = dict(shape.files)
    files["pyproject.toml"] += '\n[dependency-groups]\ndev = ["mypy", "pytest", "ruff"]\n'
    files["tests/test_import.py"] = (
        f'"""The package imports."""\n\nimport {module}\n\n\n'
        f'def test_import() -> None:\n    assert {module}.__name__ == "{module}"\n'
    )
    return replace(shape, files=files)


SHAPES: tuple[Shape, ...] = tuple(gated(shape) if shape.full else shape for shape in _SHAPES)
