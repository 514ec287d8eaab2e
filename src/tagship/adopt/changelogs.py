"""The project's existing changelog, and the commitizen settings that make `cz bump` extend it.

commitizen writes the file named by `changelog_file` in the format `changelog_format`
names or its extension implies (markdown, restructuredtext, asciidoc, textile); a file
without an extension (`HISTORY`, `CHANGES`) needs the format spelled out. Underlined
(setext / RST) titles are what commitizen's restructuredtext format reads and writes.
When the file names no version commitizen can find, `cz bump` would render every tag of
the history into it (empty headings for old tags): `changelog_start_rev` at the newest
release stops that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

STEMS = ("changelog", "changes", "history", "news", "release-notes", "releases")
SUFFIXES = (".md", ".rst", ".txt", ".markdown", "")
DIRECTORIES = ("", "docs", "doc", "docs/source")
_FORMATS = {".md": "markdown", ".markdown": "markdown", ".rst": "restructuredtext"}
_ATX_VERSION = re.compile(r"^#{1,6}\s+\[?v?\d", re.M)
_UNDERLINED_VERSION = re.compile(r"^\[?v?\d[^\n]*\n([=\-~^\"'`#*+])\1{2,}\s*$", re.M)
_UNRELEASED = re.compile(r"^#{1,6}\s+\[?unreleased\]?\s*$", re.M | re.I)


@dataclass(frozen=True)
class ChangelogSettings:
    """Where the changelog is and how commitizen must write it."""

    path: str
    """Relative to the project root, POSIX separators."""
    exists: bool
    format: str | None
    """`changelog_format` to set; None where the extension already says it."""
    keep_a_changelog: bool
    """It has a hand-written `## [Unreleased]` section (kept through a bump by tagship)."""


def find(root: Path, configured: str | None) -> Path | None:
    """The changelog the project already keeps: the configured one, else the first found."""
    if configured is not None:
        return root / configured
    for directory in DIRECTORIES:
        folder = root / directory
        if not folder.is_dir():
            continue
        names = {entry.name.lower(): entry for entry in folder.iterdir() if entry.is_file()}
        for stem in STEMS:
            for suffix in SUFFIXES:
                if f"{stem}{suffix}" in names:
                    return names[f"{stem}{suffix}"]
    return None


def format_of(name: str, text: str) -> str:
    """commitizen's format for a file: what its headings are, else what its name says."""
    if _UNDERLINED_VERSION.search(text) and not _ATX_VERSION.search(text):
        return "restructuredtext"
    if _ATX_VERSION.search(text):
        return "markdown"
    return _FORMATS.get(Path(name).suffix.lower(), "markdown")


def settings(root: Path, configured: str | None, text: str | None) -> ChangelogSettings:
    """The settings for the changelog at `configured` or found under `root`."""
    found = find(root, configured)
    if found is None:
        return ChangelogSettings("CHANGELOG.md", exists=False, format=None, keep_a_changelog=False)
    name = found.relative_to(root).as_posix()
    body = text or ""
    chosen = format_of(name, body)
    implied = _FORMATS.get(Path(name).suffix.lower())
    return ChangelogSettings(
        name,
        exists=found.is_file(),
        format=None if chosen == implied else chosen,
        keep_a_changelog=bool(_UNRELEASED.search(body)),
    )


def names_a_release(text: str, versions: list[str]) -> bool:
    """Whether some heading of `text` names one of `versions` (commitizen then finds it)."""
    for version in versions:
        pattern = re.compile(rf"^(#{{1,6}}\s+)?\[?v?{re.escape(version)}\b", re.M)
        if pattern.search(text):
            return True
    return False


def heading_formats(text: str, tag_format: str, versions: list[str]) -> tuple[str, ...]:
    """The extra `legacy_tag_formats` commitizen needs to find the releases `text` names.

    commitizen finds the newest release of a changelog by searching its titles with the
    tag formats: titles spelled `[1.1.0]` or `0.9.0 (date)` beside `v` tags are invisible
    to `v$version`, and `cz bump` would then write at the end of the file, back-fill every
    old tag and drop the title below a Keep a Changelog Unreleased section.
    """
    prefix = tag_format.replace("${version}", "$version").split("$version", 1)[0]
    if not prefix or not names_a_release(text, versions):
        return ()
    titles = "\n".join(_titles(text))
    prefixed = [f"{prefix}{version}" for version in versions]
    if any(re.search(rf"(?<![\w.]){re.escape(tag)}\b", titles) for tag in prefixed):
        return ()
    return ("$version",)


def _titles(text: str) -> list[str]:
    """The title lines: ATX headings, and lines underlined (setext / RST)."""
    lines = text.splitlines()
    underline = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")
    return [
        line
        for index, line in enumerate(lines)
        if line.lstrip().startswith("#")
        or (index + 1 < len(lines) and line.strip() and underline.match(lines[index + 1]))
    ]
