"""Read commitizen's config and `[tool.tagship]` into immutable records.

Tag spelling has one source of truth, commitizen's config; everything else tagship needs
lives in `[tool.tagship]` of pyproject.toml, and defaults serve a project with no table.
The files are read and validated by tagship.readers; pathlib is imported only by `load()`,
`load_cz()` and `find_root()`, so that `route` (every release job and hook) classifies a
tag with `load_release()` without it (pathlib and urllib.parse under it cost a tenth of
route's start-up), nor the records defined here.
"""

from __future__ import annotations

# os.getcwd, not pathlib: see the docstring (route's start-up)
# ruff: noqa: PTH109
import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from tagship.readers import (
    CZ_CONFIG_FILES,
    ReleaseSettings,
    cz_fields,
    load_release,
    project_value,
    read_pyproject,
    read_toml,
    root_of,
)
from tagship.settings import (
    DEFAULT_CHANNELS,
    DEFAULT_ENVIRONMENTS,
    DEFAULT_INDEXES,
    MAIN_INDEX,
    Index,
    Smoke,
    TagshipConfig,
    default_environment,
    load_tagship,
)
from tagship.versions import TagFormat

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "CZ_CONFIG_FILES",
    "DEFAULT_CHANNELS",
    "DEFAULT_ENVIRONMENTS",
    "DEFAULT_INDEXES",
    "MAIN_INDEX",
    "Config",
    "CzConfig",
    "Index",
    "ReleaseSettings",
    "Smoke",
    "TagshipConfig",
    "default_environment",
    "find_root",
    "load",
    "load_cz",
    "load_release",
    "load_tagship",
    "read_toml",
]


class CzConfig(NamedTuple):
    """The commitizen settings tagship depends on."""

    path: Path | None
    """The file they were read from; None when the project has no commitizen config."""
    tag_format: str = "$version"
    legacy_tag_formats: tuple[str, ...] = ()
    version_scheme: str = "pep440"
    version_provider: str = "commitizen"
    changelog_file: str = "CHANGELOG.md"
    update_changelog_on_bump: bool = False
    changelog_merge_prerelease: bool = False
    major_version_zero: bool = False
    annotated_tag: bool = False
    pre_bump_hooks: tuple[str, ...] = ()
    raw: Mapping[str, Any] = MappingProxyType({})
    """The whole table, for the settings read by one command only."""

    @property
    def tag_formats(self) -> tuple[TagFormat, ...]:
        """The current format first, then the legacy ones."""
        return tuple(TagFormat(t) for t in (self.tag_format, *self.legacy_tag_formats))


class Config(NamedTuple):
    """Everything tagship reads from a project."""

    root: Path
    project_name: str | None
    """`project.name` of pyproject.toml, else `tool.poetry.name`, if any."""
    cz: CzConfig
    tagship: TagshipConfig
    scripts: tuple[str, ...] = ()
    """The console scripts pyproject.toml declares (`[project.scripts]`, else poetry's),
    spelled as written."""

    @property
    def tag_formats(self) -> tuple[TagFormat, ...]:
        return self.cz.tag_formats


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` holding a repository or a config file."""
    from pathlib import Path  # noqa: PLC0415 (see the module's docstring)

    return Path(root_of(os.fspath(start)))


def load_cz(root: str | os.PathLike[str]) -> CzConfig:
    from pathlib import Path  # noqa: PLC0415 (see the module's docstring)

    path, fields = cz_fields(os.fspath(root))
    return CzConfig(path=None if path is None else Path(path), **fields)


def load(start: Path | None = None) -> Config:
    """Read the project at or above `start` (default: the current directory)."""
    from pathlib import Path  # noqa: PLC0415 (see the module's docstring)

    root = root_of(os.fspath(start) if start is not None else os.getcwd())
    path, pyproject, table = read_pyproject(root)
    return Config(
        root=Path(root),
        project_name=project_value(pyproject, "name", str),
        cz=load_cz(root),
        tagship=load_tagship(path, table),
        scripts=tuple(project_value(pyproject, "scripts", dict) or ()),
    )
