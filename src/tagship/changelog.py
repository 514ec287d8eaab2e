"""Find and cut version sections of a changelog (commitizen's or Keep a Changelog's).

The parsing is pure: `find_section(text, version)` and `versions_in(text)` take the file's
text. A heading names a version when its first word does: `## v0.2.0 (2025-01-15)`,
`## 0.2.0rc1 (2025-01-15)`, `## [0.2.0] - 2025-01-15`, `## [0.2.0](https://...)`, or a
tag under the configured formats (`## pkg-v0.2.0`). Versions are compared normalized, so
`0.2.0-rc1` finds `0.2.0rc1`. Only headings count: a version in body text never matches.
`read_section` is the I/O around them, reading the configured `changelog_file`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from tagship.config import Config
from tagship.errors import FatalError
from tagship.versions import TagFormat, parse_version

# CommonMark ATX headings and code fences; a `## x` line inside a fence is not a heading.
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# Keep a Changelog's compare links at the end of the file (`[0.2.0]: https://...`) belong
# to no section: they are dropped when they trail the one being cut.
_LINK_DEFINITION = re.compile(r" {0,3}\[([^\]]+)\]:\s*\S.*")


class MissingChangelog(FatalError):
    """The changelog file does not exist or cannot be read."""


class MissingSection(FatalError):
    """The changelog has no section for the version asked for."""


@dataclass(frozen=True)
class Heading:
    """A Markdown heading that names a version."""

    line: int
    """Its index among the file's lines."""
    level: int
    """1 for `#`, 2 for `##`, ..."""
    version: Version
    """The version it names, normalized."""


def _lines(text: str) -> list[str]:
    # Only \r\n and \r are line breaks here: str.splitlines would also split on \x0c or
    # U+2028 inside body text and change the notes.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _first_word(title: str) -> str:
    """`[0.2.0] - date` -> `0.2.0`; `[0.2.0](url)` -> `0.2.0`; `v0.2.0 (date)` -> `v0.2.0`."""
    if title.startswith("["):
        label, bracket, _ = title[1:].partition("]")
        return label.strip() if bracket else ""
    words = title.split(maxsplit=1)
    return words[0] if words else ""


def heading_version(title: str, formats: tuple[TagFormat, ...] = ()) -> Version | None:
    """The version a heading's title names, or None (`Unreleased`, `Fixes`, ...)."""
    word = _first_word(title)
    if not word:
        return None
    version = parse_version(word)
    if version is not None:
        return version
    for tag_format in formats:
        text = tag_format.version_text(word)
        found = parse_version(text) if text is not None else None
        if found is not None:
            return found
    return None


def _headings(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """(line index, level, title) of every ATX heading outside code fences."""
    fence = ""
    for number, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1).startswith(fence) and not line.strip(" `~"):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        match = _HEADING.fullmatch(line)
        if match:
            yield number, len(match.group(1)), (match.group(2) or "").strip()


def version_headings(text: str, formats: tuple[TagFormat, ...] = ()) -> list[Heading]:
    """Every heading that names a version, in file order."""
    found: list[Heading] = []
    for number, level, title in _headings(_lines(text)):
        version = heading_version(title, formats)
        if version is not None:
            found.append(Heading(number, level, version))
    return found


def versions_in(text: str, formats: tuple[TagFormat, ...] = ()) -> list[str]:
    """The normalized versions the changelog has sections for, in file order, once each."""
    unique = dict.fromkeys(heading.version for heading in version_headings(text, formats))
    return [str(version) for version in unique]


def _section_end(lines: list[str], start: int, level: int) -> int:
    for number, found_level, _ in _headings(lines[start + 1 :]):
        if found_level <= level:
            return start + 1 + number
    return len(lines)


def _is_version_link(line: str) -> bool:
    match = _LINK_DEFINITION.fullmatch(line)
    if match is None:
        return False
    label = match.group(1).strip()
    return label.lower() == "unreleased" or parse_version(label) is not None


def _trim(body: list[str]) -> str:
    while body and (not body[-1].strip() or _is_version_link(body[-1])):
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    return "\n".join(body) + "\n" if body else ""


def find_section(
    text: str, version: Version | str, formats: tuple[TagFormat, ...] = ()
) -> str | None:
    """The body of `version`'s section (without its heading, sub-headings kept), or None.

    The section runs to the next heading of the same or a higher level. Line breaks come
    back as `\\n`; an empty section is "".
    """
    wanted = version if isinstance(version, Version) else parse_version(version)
    if wanted is None:
        return None
    lines = _lines(text)
    for heading in version_headings(text, formats):
        if heading.version == wanted:
            end = _section_end(lines, heading.line, heading.level)
            return _trim(lines[heading.line + 1 : end])
    return None


def changelog_path(config: Config) -> Path:
    return config.root / config.cz.changelog_file


def read_changelog(config: Config) -> str:
    """The text of the configured `changelog_file`; MissingChangelog if it is absent."""
    path = changelog_path(config)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MissingChangelog(
            f"{path} does not exist; commitizen writes it on `cz bump` when "
            "update_changelog_on_bump = true (or set changelog_file)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MissingChangelog(f"{path}: cannot read it as UTF-8 ({exc})") from None


def read_section(config: Config, version: Version) -> str:
    """The section of `version` in the project's changelog; MissingSection names the others."""
    text = read_changelog(config)
    formats = config.cz.tag_formats
    section = find_section(text, version, formats)
    if section is not None:
        return section
    name = config.cz.changelog_file
    have = versions_in(text, formats)
    listed = f"it has {', '.join(have)}" if have else "it has no version sections"
    raise MissingSection(f"{name} has no section for {version}; {listed}")
