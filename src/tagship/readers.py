"""Reading a project's files: its root, pyproject.toml and commitizen's settings, validated.

Paths are strings here (os.path), and no record but `ReleaseSettings` is built: `route`,
which runs in every release job and hook, classifies a tag with `load_release()` without
importing pathlib or building the config records of tagship.config (each record class
costs start-up time). tagship.config builds the whole `Config` from the same readers.
"""

from __future__ import annotations

# os.path, not pathlib: see the docstring (route's start-up)
# ruff: noqa: PTH109, PTH110, PTH113, PTH118, PTH120, PTH123
import os
import tomllib
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from tagship import grammar
from tagship.errors import ConfigError
from tagship.settings import TagshipConfig, load_tagship
from tagship.versions import TagFormat

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


def root_of(start: str) -> str:
    """The nearest directory at or above `start` holding a repository or a config file."""
    start = os.path.realpath(start)
    directory = start
    while True:
        if any(os.path.exists(os.path.join(directory, m)) for m in _ROOT_MARKERS):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return start
        directory = parent


def _regular(path: str | os.PathLike[str]) -> None:
    """A FIFO or a device would hang the read (a directory fails it with no word of why)."""
    try:
        mode = os.stat(path).st_mode  # noqa: PTH116 (pathlib is start-up time on this path)
    except OSError:
        return  # the open that follows says what is wrong
    if (mode & 0o170000) != 0o100000:  # stat.S_ISREG, without importing stat
        raise ConfigError(f"{os.fspath(path)} is not a regular file; make it one (or remove it)")


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    _regular(path)
    try:
        with open(path, "rb") as handle:
            # utf-8 and the BOM by hand: the utf-8-sig codec is one more import on start-up
            return tomllib.loads(handle.read().decode().removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc}); fix the file") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML (nested too deeply); fix the file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None


def _read_cz_table(root: str) -> tuple[str, dict[str, Any]] | None:
    for name in CZ_CONFIG_FILES:
        path = os.path.join(root, name)
        if not os.path.isfile(path):
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


def _read_text(path: str) -> str:
    _regular(path)
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()


def _read_json(path: str) -> dict[str, Any]:
    import json  # noqa: PLC0415 (a rare format; start-up time)

    try:
        data = json.loads(_read_text(path))
    except (ValueError, OSError, RecursionError) as exc:
        detail = str(exc) or "nested too deeply"
        raise ConfigError(f"{path}: invalid JSON ({detail}); fix the file") from None
    return data if isinstance(data, dict) else {}


def _read_yaml(path: str) -> dict[str, Any]:
    from ruamel.yaml import YAML  # noqa: PLC0415 (rare format; keep start-up fast)
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        data = YAML(typ="safe").load(_read_text(path))
    except (YAMLError, OSError, RecursionError) as exc:
        # ruamel's messages span several lines (with a caret); errors are one line.
        detail = " ".join(str(exc).split())
        raise ConfigError(f"{path}: invalid YAML ({detail}); fix the file") from None
    return data if isinstance(data, dict) else {}


def _typed(path: str, table: Mapping[str, Any], key: str, kind: type, default: Any) -> Any:
    value = table.get(key, default)
    if not isinstance(value, kind):
        raise ConfigError(f"{path}: '{key}' must be a {kind.__name__}, not {value!r}")
    return value


def _strings(path: str, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = _typed(path, table, key, list, [])
    if not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: '{key}' must be a list of strings")
    return tuple(value)


def _legacy_format(template: str) -> str | None:
    if any(char in template for char in "\r\n\0"):
        return "it contains a line break"
    return grammar.tag_format_placeholders(template)


def _check_format(path: str, key: str, template: str, rule: Callable[[str], str | None]) -> None:
    problem = rule(template)
    if problem is not None:
        raise ConfigError(f"{path}: {key} {template!r} is refused: {problem}")


def tag_formats(path: str, table: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """`tag_format` and `legacy_tag_formats` of commitizen's `table`, validated."""
    tag_format = _typed(path, table, "tag_format", str, "$version")
    _check_format(path, "tag_format", tag_format, grammar.tag_format)
    legacy = _strings(path, table, "legacy_tag_formats")
    for template in legacy:
        # Legacy formats only match old tags (they never reach a workflow): any text
        # git allows around the version, but one version, and no line break.
        _check_format(path, "legacy_tag_formats", template, _legacy_format)
    return tag_format, legacy


def cz_fields(root: str) -> tuple[str | None, dict[str, Any]]:
    """The file commitizen's settings come from (None: none) and CzConfig's other fields."""
    found = _read_cz_table(root)
    if found is None:
        return None, {}
    path, table = found
    tag_format, legacy = tag_formats(path, table)
    return path, {
        "tag_format": tag_format,
        "legacy_tag_formats": legacy,
        "version_scheme": _typed(path, table, "version_scheme", str, "pep440"),
        "version_provider": _typed(path, table, "version_provider", str, "commitizen"),
        "changelog_file": _typed(path, table, "changelog_file", str, "CHANGELOG.md"),
        "update_changelog_on_bump": _typed(path, table, "update_changelog_on_bump", bool, False),
        "changelog_merge_prerelease": _typed(
            path, table, "changelog_merge_prerelease", bool, False
        ),
        "major_version_zero": _typed(path, table, "major_version_zero", bool, False),
        "annotated_tag": _typed(path, table, "annotated_tag", bool, False),
        "pre_bump_hooks": _strings(path, table, "pre_bump_hooks"),
        "raw": table,
    }


class ReleaseSettings(NamedTuple):
    """What classifies a tag: commitizen's tag formats and `[tool.tagship]`."""

    tag_formats: tuple[TagFormat, ...]
    """The current format first, then the legacy ones."""
    tagship: TagshipConfig


def read_pyproject(root: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """pyproject.toml's path, its content ({} without the file) and `[tool.tagship]`."""
    path = os.path.join(root, "pyproject.toml")
    pyproject = read_toml(path) if os.path.isfile(path) else {}
    tool = pyproject.get("tool", {})
    table = tool.get("tagship", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.tagship] must be a table")
    return path, pyproject, table


def load_release(start: str | None = None) -> ReleaseSettings:
    """The settings that classify a tag, for the project at or above `start` (default:
    the current directory), validated as `load()` validates them."""
    root = root_of(start or os.getcwd())
    path, _, table = read_pyproject(root)
    _, fields = cz_fields(root)
    formats = (fields.get("tag_format", "$version"), *fields.get("legacy_tag_formats", ()))
    return ReleaseSettings(tuple(TagFormat(t) for t in formats), load_tagship(path, table))


def project_value(pyproject: Mapping[str, Any], key: str, kind: type) -> Any:
    """`[project] key`, else poetry's `[tool.poetry] key` (a poetry 1 project has no
    [project] table), if it has the type `kind`."""
    tool = pyproject.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    for table in (pyproject.get("project"), poetry):
        value = table.get(key) if isinstance(table, dict) else None
        if isinstance(value, kind):
            return value
    return None
