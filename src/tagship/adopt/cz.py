"""commitizen's config, edited round-trip where the project keeps it (or a new `.cz.toml`).

commitizen owns the tag spelling (`tag_format`); tagship sets the settings without which
its release process breaks (see DESIGN.md: the scm provider needs
`update_changelog_on_bump`, graduation needs `changelog_merge_prerelease`). A project's
own commitizen config is kept in its file and format (TOML, JSON or YAML) and migrated
where it must change: another `version_provider` becomes `scm`, a stored `version` goes,
`version_files` entries naming files whose version now comes from tags go, and the
user's own `pre_bump_hooks` stay beside tagship's one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from packaging.version import InvalidVersion, Version

from tagship.adopt import tomldoc
from tagship.config import CZ_CONFIG_FILES
from tagship.versions import TagFormat, release_tags

DEFAULT_TAG_FORMAT = "v$version"
PRE_BUMP_HOOK = "uv run --frozen tagship check --pre-bump"
PRE_BUMP_HOOKS = (PRE_BUMP_HOOK,)
# What earlier tagship versions wrote; replaced by PRE_BUMP_HOOK.
_OLD_HOOKS = ("tagship gate", "tagship check --pre-bump")


@dataclass(frozen=True)
class Conflict:
    """A setting of the user's that tagship cannot work with, and the ways out."""

    what: str
    """What conflicts, in one line."""
    choices: str
    """What the user can do, including what `--force` does."""


@dataclass(frozen=True)
class Wanted:
    """Everything init decided about commitizen's settings before editing the file."""

    tag_format: str
    legacy: tuple[str, ...] = ()
    changelog_file: str = "CHANGELOG.md"
    changelog_format: str | None = None
    start_rev: str | None = None
    """`changelog_start_rev`, set where the changelog names no release yet."""
    static_version: str | None = None
    unversioned: tuple[str, ...] = ()
    """Files whose version now comes from tags: their `version_files` entries go."""
    major_zero: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CzChange:
    path: Path
    text: str
    tag_format: str
    conflicts: tuple[Conflict, ...]
    changelog_file: str
    stored_version: str | None = None
    """The version commitizen's own provider kept in the config, before init removed it."""


def locate(root: Path, pyproject_text: str | None) -> Path:
    """The file that holds (or will hold) commitizen's config, in commitizen's order."""
    for name in CZ_CONFIG_FILES:
        path = root / name
        if name == "pyproject.toml":
            doc = tomldoc.parse(pyproject_text or "")[0]
            if tomldoc.is_table(tomldoc.get(doc, "tool", "commitizen")):
                return path
            continue
        if path.is_file():
            return path
    return root / ".cz.toml"


def read_table(path: Path, text: str | None) -> dict[str, Any]:
    """The commitizen settings in `text` as plain values (empty when there are none)."""
    found = tomldoc.plain(_document(path, text).table)
    return dict(found) if isinstance(found, Mapping) else {}


def spelled(tags: list[str], template: str) -> list[str]:
    """The release tags written with `template` (a `v` read as part of `$version` excluded)."""
    tag_format = TagFormat(template)
    found = release_tags(tags, (tag_format,))
    return [tag for tag in found if (tag_format.version_text(tag) or "v")[0].isdigit()]


def release_is_one(tags: list[str] | tuple[str, ...], formats: tuple[str, ...]) -> bool:
    """Whether some existing release is 1.0 or later (major_version_zero would be wrong)."""
    found = release_tags(list(tags), tuple(TagFormat(f) for f in formats))
    return any(version.major >= 1 for version in found.values())


def _scheme_conflict(table: Mapping[str, Any]) -> Conflict | None:
    scheme = table.get("version_scheme", "pep440")
    if scheme == "pep440":
        return None
    return Conflict(
        f'version_scheme = "{scheme}": PyPI stores PEP 440 versions, and hatch-vcs builds them',
        'set version_scheme = "pep440" (what --force does)',
    )


def _hooks(table: MutableMapping[str, Any]) -> None:
    hooks = table.get("pre_bump_hooks")
    current = [str(hook) for hook in hooks] if isinstance(hooks, list) else []
    kept = [hook for hook in current if hook not in _OLD_HOOKS]
    wanted = [*kept, PRE_BUMP_HOOK] if PRE_BUMP_HOOK not in kept else kept
    if wanted != current:
        table["pre_bump_hooks"] = wanted


def _version_files(table: MutableMapping[str, Any], unversioned: tuple[str, ...]) -> None:
    files = table.get("version_files")
    if not isinstance(files, list):
        return
    kept = [str(f) for f in files if str(f).split(":", 1)[0] not in unversioned]
    if not kept:
        del table["version_files"]
    elif len(kept) != len(files):
        table["version_files"] = kept


def _put(table: MutableMapping[str, Any], key: str, value: Any) -> None:
    if tomldoc.plain(table.get(key)) != value:
        table[key] = value


def _settings(table: MutableMapping[str, Any], wanted: Wanted, *, created: bool) -> str | None:
    """Edit `table` in place; the version commitizen's own provider stored, if any."""
    stored = (
        table.get("version")
        if table.get("version_provider", "commitizen") == "commitizen"
        else None
    )
    if "name" not in table:
        table["name"] = "cz_conventional_commits"
    _put(table, "version_provider", "scm")
    if "version" in table:
        del table["version"]
    _put(table, "version_scheme", "pep440")  # any other one is a conflict (see adopt)
    _put(table, "tag_format", wanted.tag_format)
    if wanted.legacy:
        _put(table, "legacy_tag_formats", list(wanted.legacy))
    _put(table, "update_changelog_on_bump", True)
    _put(table, "changelog_merge_prerelease", True)
    if wanted.changelog_file != "CHANGELOG.md" or "changelog_file" in table:
        _put(table, "changelog_file", wanted.changelog_file)
    if wanted.changelog_format is not None and "changelog_format" not in table:
        table["changelog_format"] = wanted.changelog_format
    if wanted.start_rev is not None and "changelog_start_rev" not in table:
        table["changelog_start_rev"] = wanted.start_rev
    major_zero = wanted.major_zero and not release_is_one(
        wanted.tags, (wanted.tag_format, *wanted.legacy)
    )
    if created and major_zero:
        table["major_version_zero"] = True
    _put(table, "annotated_tag", True)
    _version_files(table, wanted.unversioned)
    _hooks(table)
    return str(stored) if stored is not None else None


@dataclass
class _Document:
    """A commitizen config file, parsed so that it can be written back in its format."""

    path: Path
    root: Any
    table: Any
    dump: Any


def _document(path: Path, text: str | None) -> _Document:
    if path.suffix == ".json":
        data = json.loads(text) if text and text.strip() else {}
        table = data.setdefault("commitizen", {})
        indent = _json_indent(text or "")
        return _Document(path, data, table, lambda: json.dumps(data, indent=indent) + "\n")
    if path.suffix == ".yaml":
        return _yaml_document(path, text)
    doc, layout = tomldoc.parse(text or "", path.name)
    tool = tomldoc.table(
        doc, "tool", super_table=path.name != "pyproject.toml" or "tool" not in doc
    )
    if "commitizen" not in tool:
        tool["commitizen"] = tomlkit.table()
    return _Document(path, doc, tool["commitizen"], lambda: tomldoc.dump(doc, layout, path.name))


def _json_indent(text: str) -> int:
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped:
            return len(line) - len(stripped) or 2
    return 2


def _yaml_document(path: Path, text: str | None) -> _Document:
    import io  # noqa: PLC0415 (YAML configs are rare)

    from ruamel.yaml import YAML  # noqa: PLC0415

    yaml = YAML()
    yaml.preserve_quotes = True
    data = yaml.load(text or "") or {}
    table = data.setdefault("commitizen", {})

    def dump() -> str:
        stream = io.StringIO()
        yaml.dump(data, stream)
        return stream.getvalue()

    return _Document(path, data, table, dump)


def adopt(path: Path, text: str | None, wanted: Wanted) -> CzChange:
    """The commitizen config with tagship's settings, and the conflicts found."""
    document = _document(path, text)
    table = document.table
    created = not table
    conflicts = [c for c in (_scheme_conflict(table),) if c is not None]
    stored = _settings(table, wanted, created=created)
    return CzChange(
        path, document.dump(), wanted.tag_format, tuple(conflicts), wanted.changelog_file, stored
    )


def major_zero(static_version: str | None) -> bool:
    """A new config gets major_version_zero while the project is below 1.0."""
    if static_version is None:
        return True
    try:
        return Version(static_version).major == 0
    except InvalidVersion:
        return True
