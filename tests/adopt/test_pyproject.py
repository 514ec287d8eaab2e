"""pyproject.toml adoption: pure text in, text out, for each supported build backend."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tagship.adopt import pyproject
from tagship.errors import FatalError


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
                '[build-system]\nrequires = ["poetry-core"]\n'
                'build-backend = "poetry.core.masonry.api"\n'
                '[project]\nname = "x"\nversion = "1.0"\n'
            ),
            "'poetry.core.masonry.api'",
        ),
        ("[tool.ruff]\nline-length = 100\n", "no [project] name"),
    ],
)
def test_unsupported_projects_stop_with_the_manual_change(text: str, message: str) -> None:
    with pytest.raises(FatalError, match=re.escape(message)):
        pyproject.adopt(text, root=Path(), tag_format="v$version")
