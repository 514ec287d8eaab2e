"""commitizen's config, edited round-trip where the project keeps it (or a new `.cz.toml`).

commitizen owns the tag spelling (`tag_format`); tagship sets the settings without which
its release process breaks (see DESIGN.md: the scm provider needs
`update_changelog_on_bump`, graduation needs `changelog_merge_prerelease`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from packaging.version import Version
from tomlkit.items import Array, Table

from tagship.config import CZ_CONFIG_FILES
from tagship.errors import FatalError
from tagship.versions import TagFormat, release_tags

DEFAULT_TAG_FORMAT = "v$version"
PRE_BUMP_HOOKS = ("tagship gate", "tagship check --pre-bump")


@dataclass(frozen=True)
class Conflict:
    """A setting of the user's that tagship cannot work with, and the ways out."""

    what: str
    """What conflicts, in one line."""
    choices: str
    """What the user can do, including what `--force` does."""


@dataclass(frozen=True)
class CzChange:
    path: Path
    text: str
    tag_format: str
    conflicts: tuple[Conflict, ...]
    changelog_file: str


def locate(root: Path, pyproject_text: str | None) -> Path:
    """The file that holds (or will hold) commitizen's config, in commitizen's order."""
    for name in CZ_CONFIG_FILES:
        path = root / name
        if name == "pyproject.toml":
            if pyproject_text and "commitizen" in tomlkit.parse(pyproject_text).get("tool", {}):
                return path
            continue
        if path.is_file():
            if not name.endswith(".toml"):
                raise FatalError(
                    f"{name}: tagship init edits TOML only; move the settings to .cz.toml "
                    "and run init again"
                )
            return path
    return root / ".cz.toml"


def spelled(tags: list[str], template: str) -> list[str]:
    """The release tags written with `template` (a `v` read as part of `$version` excluded)."""
    tag_format = TagFormat(template)
    found = release_tags(tags, (tag_format,))
    return [tag for tag in found if (tag_format.version_text(tag) or "v")[0].isdigit()]


def choose_tag_format(current: str | None, tags: list[str]) -> tuple[str, Conflict | None]:
    """Keep the user's format unless the existing release tags are spelled otherwise."""
    if current is None:
        bare = spelled(tags, "$version") and not spelled(tags, DEFAULT_TAG_FORMAT)
        return ("$version" if bare else DEFAULT_TAG_FORMAT), None
    if spelled(tags, current) or not spelled(tags, DEFAULT_TAG_FORMAT):
        return current, None
    conflict = Conflict(
        f'tag_format = "{current}" but the existing release tags are spelled {DEFAULT_TAG_FORMAT}',
        f'set tag_format = "{DEFAULT_TAG_FORMAT}" (what --force does), or add '
        f'legacy_tag_formats = ["{DEFAULT_TAG_FORMAT}"] to keep reading the old tags',
    )
    return DEFAULT_TAG_FORMAT, conflict


def _wanted(tag_format: str, major_zero: bool) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "name": "cz_conventional_commits",
        "version_provider": "scm",
        "version_scheme": "pep440",
        "tag_format": tag_format,
        "update_changelog_on_bump": True,
        "changelog_merge_prerelease": True,
    }
    if major_zero:
        settings["major_version_zero"] = True
    return {**settings, "annotated_tag": True}


def _hooks(table: Table) -> None:
    hooks = table.get("pre_bump_hooks")
    if not isinstance(hooks, Array):
        table["pre_bump_hooks"] = list(PRE_BUMP_HOOKS)
        return
    for hook in PRE_BUMP_HOOKS:
        if hook not in hooks:
            hooks.append(hook)


def _scheme_conflict(table: Mapping[str, Any]) -> Conflict | None:
    scheme = table.get("version_scheme", "pep440")
    if scheme == "pep440":
        return None
    return Conflict(
        f'version_scheme = "{scheme}": PyPI stores PEP 440 versions, and hatch-vcs builds them',
        'set version_scheme = "pep440" (what --force does)',
    )


def adopt(path: Path, text: str | None, *, tags: list[str], static_version: str | None) -> CzChange:
    """The commitizen config with tagship's settings, and the conflicts found."""
    doc = tomlkit.parse(text or "")
    in_pyproject = path.name == "pyproject.toml"
    if not in_pyproject and "tool" not in doc:
        doc["tool"] = tomlkit.table(is_super_table=True)
    tool = doc["tool"]
    created = "commitizen" not in tool
    if created:
        tool["commitizen"] = tomlkit.table()
    table = tool["commitizen"]
    tag_format, tag_conflict = choose_tag_format(table.get("tag_format"), tags)
    conflicts = [c for c in (tag_conflict, _scheme_conflict(table)) if c is not None]
    # Only a new config gets major_version_zero: on a later run the static version is gone.
    major_zero = created and (static_version is None or Version(static_version).major == 0)
    for key, value in _wanted(tag_format, major_zero and not release_is_one(tags)).items():
        if key == "name" and "name" in table:
            continue
        if key == "major_version_zero" and key in table:
            continue
        if table.get(key) != value:
            table[key] = value
    _hooks(table)
    changelog = str(table.get("changelog_file", "CHANGELOG.md"))
    return CzChange(path, tomlkit.dumps(doc), tag_format, tuple(conflicts), changelog)


def release_is_one(tags: list[str]) -> bool:
    """Whether some existing release is 1.0 or later (major_version_zero would be wrong)."""
    found = release_tags(tags, (TagFormat(DEFAULT_TAG_FORMAT), TagFormat("$version")))
    return any(version.major >= 1 for version in found.values())
