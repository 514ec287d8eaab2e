"""Read commitizen's config and `[tool.tagship]` into frozen dataclasses.

Tag spelling has one source of truth, commitizen's config; everything else tagship needs
lives in `[tool.tagship]` of pyproject.toml, and defaults serve a project with no table.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tagship.errors import ConfigError
from tagship.versions import KINDS, Kind, TagFormat

# commitizen's own search order (commitizen.defaults.CONFIG_FILES).
CZ_CONFIG_FILES = (
    "pyproject.toml",
    ".cz.toml",
    ".cz.json",
    "cz.json",
    ".cz.yaml",
    "cz.yaml",
    "cz.toml",
)
_ROOT_MARKERS = (".git", *CZ_CONFIG_FILES)


@dataclass(frozen=True)
class Index:
    """A package index: where to upload, and its simple repository API."""

    name: str
    """The name channels refer to (`pypi`, `testpypi`, or one of the user's)."""
    url: str
    """The simple repository API (PEP 503/691) URL, ending in `/`."""
    upload_url: str
    """The legacy upload API URL that `uv publish` and the publish action use."""


DEFAULT_INDEXES = {
    "pypi": Index("pypi", "https://pypi.org/simple/", "https://upload.pypi.org/legacy/"),
    "testpypi": Index("testpypi", "https://test.pypi.org/simple/", "https://test.pypi.org/legacy/"),
}
DEFAULT_CHANNELS: dict[Kind, str] = {
    "alpha": "testpypi",
    "beta": "testpypi",
    "rc": "testpypi",
    "dev": "testpypi",
    "final": "pypi",
    "post": "pypi",
}
DEFAULT_ENVIRONMENTS = {"testpypi": "release-test", "pypi": "release"}


@dataclass(frozen=True)
class CzConfig:
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
    raw: Mapping[str, Any] = field(default_factory=dict)
    """The whole table, for the settings read by one command only."""

    @property
    def tag_formats(self) -> tuple[TagFormat, ...]:
        """The current format first, then the legacy ones."""
        return tuple(TagFormat(t) for t in (self.tag_format, *self.legacy_tag_formats))


@dataclass(frozen=True)
class TagshipConfig:
    """`[tool.tagship]` of pyproject.toml, with defaults filled in."""

    release_branch: str = "main"
    channels: Mapping[Kind, str] = field(default_factory=lambda: dict(DEFAULT_CHANNELS))
    """Which index each kind of release goes to."""
    indexes: Mapping[str, Index] = field(default_factory=lambda: dict(DEFAULT_INDEXES))
    environments: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ENVIRONMENTS))
    """The GitHub environment of each channel's publish job."""
    smoke: Mapping[str, str] = field(default_factory=dict)
    """Extra commands `verify` runs in the installed environment, by name (a command given
    in a list is its own name)."""
    generate_workflows: bool = True
    """`generate-workflows`: init writes release.yml and ci.yml, doctor wants them exactly
    as generated; false: the project keeps its own, doctor checks their invariants."""
    raw: Mapping[str, Any] = field(default_factory=dict)
    """The whole table (gates are parsed by the gate runner)."""

    def index_for(self, kind: Kind) -> Index:
        return self.indexes[self.channels[kind]]

    def index_url(self, name_or_url: str) -> str:
        """`--index` given as a configured index name or an http(s) URL: its simple API URL."""
        if name_or_url in self.indexes:
            return self.indexes[name_or_url].url
        if name_or_url.startswith(("https://", "http://")):
            return name_or_url.rstrip("/") + "/"
        known = ", ".join(sorted(self.indexes))
        raise ConfigError(
            f"--index {name_or_url!r} is neither a configured index ({known}) nor an http(s) URL"
        )


@dataclass(frozen=True)
class Config:
    """Everything tagship reads from a project."""

    root: Path
    project_name: str | None
    """`project.name` of pyproject.toml, if any."""
    cz: CzConfig
    tagship: TagshipConfig


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` holding a repository or a config file."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if any((directory / marker).exists() for marker in _ROOT_MARKERS):
            return directory
    return start


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc}); fix the file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None


def _read_cz_table(root: Path) -> tuple[Path, dict[str, Any]] | None:
    for name in CZ_CONFIG_FILES:
        path = root / name
        if not path.is_file():
            continue
        if name.endswith(".json"):
            data = _read_json(path)
        elif name.endswith(".yaml"):
            data = _read_yaml(path)
        else:
            data = read_toml(path).get("tool", {})
            data = data if isinstance(data, dict) else {}
        table = data.get("commitizen")
        if isinstance(table, dict):
            return path, table
        if name != "pyproject.toml" and table is not None:
            raise ConfigError(f"{path}: 'commitizen' must be a table")
    return None


def _read_json(path: Path) -> dict[str, Any]:
    import json  # noqa: PLC0415 (a rare format; start-up time)

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, OSError) as exc:
        raise ConfigError(f"{path}: invalid JSON ({exc}); fix the file") from None
    return data if isinstance(data, dict) else {}


def _read_yaml(path: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML  # noqa: PLC0415 (rare format; keep start-up fast)
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8-sig"))
    except (YAMLError, OSError) as exc:
        # ruamel's messages span several lines (with a caret); errors are one line.
        detail = " ".join(str(exc).split())
        raise ConfigError(f"{path}: invalid YAML ({detail}); fix the file") from None
    return data if isinstance(data, dict) else {}


def _typed(path: Path, table: Mapping[str, Any], key: str, kind: type, default: Any) -> Any:
    value = table.get(key, default)
    if not isinstance(value, kind):
        raise ConfigError(f"{path}: '{key}' must be a {kind.__name__}, not {value!r}")
    return value


def _strings(path: Path, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = _typed(path, table, key, list, [])
    if not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: '{key}' must be a list of strings")
    return tuple(value)


def load_cz(root: Path) -> CzConfig:
    found = _read_cz_table(root)
    if found is None:
        return CzConfig(path=None)
    path, table = found
    tag_format = _typed(path, table, "tag_format", str, "$version")
    if "$" not in tag_format:
        raise ConfigError(f"{path}: tag_format {tag_format!r} has no $version; write v$version")
    return CzConfig(
        path=path,
        tag_format=tag_format,
        legacy_tag_formats=_strings(path, table, "legacy_tag_formats"),
        version_scheme=_typed(path, table, "version_scheme", str, "pep440"),
        version_provider=_typed(path, table, "version_provider", str, "commitizen"),
        changelog_file=_typed(path, table, "changelog_file", str, "CHANGELOG.md"),
        update_changelog_on_bump=_typed(path, table, "update_changelog_on_bump", bool, False),
        changelog_merge_prerelease=_typed(path, table, "changelog_merge_prerelease", bool, False),
        major_version_zero=_typed(path, table, "major_version_zero", bool, False),
        annotated_tag=_typed(path, table, "annotated_tag", bool, False),
        pre_bump_hooks=_strings(path, table, "pre_bump_hooks"),
        raw=table,
    )


def _indexes(path: Path, table: Mapping[str, Any]) -> dict[str, Index]:
    indexes = dict(DEFAULT_INDEXES)
    for name, spec in _typed(path, table, "indexes", dict, {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("url"), str):
            raise ConfigError(
                f'{path}: [tool.tagship.indexes.{name}] needs url = "<simple API URL>"'
            )
        url = spec["url"].rstrip("/") + "/"
        upload = spec.get("upload-url", url)
        if not isinstance(upload, str):
            raise ConfigError(f"{path}: [tool.tagship.indexes.{name}] upload-url must be a string")
        indexes[name] = Index(name, url, upload)
    return indexes


def _channels(
    path: Path, table: Mapping[str, Any], indexes: Mapping[str, Index]
) -> dict[Kind, str]:
    channels = dict(DEFAULT_CHANNELS)
    for kind, channel in _typed(path, table, "channels", dict, {}).items():
        if kind not in KINDS:
            raise ConfigError(
                f"{path}: [tool.tagship.channels] has unknown kind {kind!r}; "
                f"kinds are {', '.join(KINDS)}"
            )
        if channel not in indexes:
            raise ConfigError(
                f"{path}: [tool.tagship.channels] {kind} = {channel!r} names no index; "
                f"known: {', '.join(sorted(indexes))}"
            )
        channels[kind] = channel
    return channels


def _smoke(path: Path, table: Mapping[str, Any]) -> dict[str, str]:
    """`smoke = ["cmd", ...]` or a `[tool.tagship.smoke]` table of name = "cmd"."""
    value = table.get("smoke", [])
    if isinstance(value, dict):
        if not all(isinstance(command, str) for command in value.values()):
            raise ConfigError(f"{path}: [tool.tagship.smoke] must map names to commands")
        commands = dict(value)
    else:
        commands = {command: command for command in _strings(path, table, "smoke")}
    if any(not command.strip() for command in commands.values()):
        raise ConfigError(f"{path}: 'smoke' has an empty command; remove it or write one")
    return commands


def load_tagship(path: Path, table: Mapping[str, Any]) -> TagshipConfig:
    indexes = _indexes(path, table)
    environments = dict(DEFAULT_ENVIRONMENTS)
    environments.update(_typed(path, table, "environments", dict, {}))
    return TagshipConfig(
        release_branch=_typed(path, table, "release-branch", str, "main"),
        channels=_channels(path, table, indexes),
        indexes=indexes,
        environments=environments,
        smoke=_smoke(path, table),
        generate_workflows=_typed(path, table, "generate-workflows", bool, True),
        raw=table,
    )


def load(start: Path | None = None) -> Config:
    """Read the project at or above `start` (default: the current directory)."""
    root = find_root(start or Path.cwd())
    pyproject_path = root / "pyproject.toml"
    pyproject = read_toml(pyproject_path) if pyproject_path.is_file() else {}
    tool = pyproject.get("tool", {})
    table = tool.get("tagship", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject_path}: [tool.tagship] must be a table")
    project = pyproject.get("project", {})
    name = project.get("name") if isinstance(project, dict) else None
    return Config(
        root=root,
        project_name=name if isinstance(name, str) else None,
        cz=load_cz(root),
        tagship=load_tagship(pyproject_path, table),
    )
