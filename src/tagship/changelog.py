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
import stat
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from tagship.config import Config
from tagship.errors import FatalError
from tagship.headings import headings, looks_like_rst
from tagship.versions import TagFormat, parse_version

# `[label]: destination`: a link reference definition (CommonMark). The notes carry the
# ones their links use, wherever in the file they are, and no other.
_LINK_DEFINITION = re.compile(r" {0,3}\[([^\]]+)\]:\s*\S.*")
# `[text][label]`, `[label][]` and `[label]`, not `[text](url)`.
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_REFERENCE = re.compile(r"\[([^\[\]]+)\](?:\[([^\[\]]*)\])?(?![(:])")


class MissingChangelog(FatalError):
    """The changelog file does not exist or cannot be read."""


class MissingSection(FatalError):
    """The changelog has no section for the version asked for."""


class EmptySection(FatalError):
    """The changelog's section for the version has no text: no release notes."""


@dataclass(frozen=True)
class Heading:
    """A heading that names a version."""

    line: int
    """The index of its first line among the file's lines."""
    level: int
    """1 for `#` (or a `===` underline), 2 for `##` (or `---`), ...; RST: by first use."""
    version: Version
    """The version it names, normalized."""
    end: int
    """The index of the first line after it."""


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


def version_headings(
    text: str, formats: tuple[TagFormat, ...] = (), *, rst: bool | None = None
) -> list[Heading]:
    """Every heading that names a version, in file order (`rst` None: guess the syntax)."""
    lines = _lines(text)
    found: list[Heading] = []
    seen: list[tuple[int, Version | None]] = []  # every heading's level and version
    for heading in headings(lines, rst=looks_like_rst(lines) if rst is None else rst):
        version = heading_version(heading.title, formats)
        # Under a release's heading, a deeper one names an older (patch) release, never a
        # newer one: `### 3.12 support` under `## 1.0.0` is no section of version 3.12.
        parent = next((v for level, v in reversed(seen) if level < heading.level), None)
        if version is not None and parent is not None and version >= parent:
            version = None
        seen.append((heading.level, version))
        if version is not None:
            found.append(Heading(heading.start, heading.level, version, heading.end))
    return found


def versions_in(text: str, formats: tuple[TagFormat, ...] = ()) -> list[str]:
    """The normalized versions the changelog has sections for, in file order, once each."""
    unique = dict.fromkeys(heading.version for heading in version_headings(text, formats))
    return [str(version) for version in unique]


def _section_end(
    lines: list[str], wanted: Heading, top: int, rst: bool, formats: tuple[TagFormat, ...]
) -> int:
    """Where `wanted`'s section ends: at the next heading of a higher level, or of the
    same level when it names a version or `wanted` is at the top version level (`top`),
    or at a deeper heading that names an older version. In the conventional-changelog
    layout a patch release is a `### [1.0.1]` under the minor's `##`, and its own
    sub-headings are `###` too; a deeper `### 3.12 support` under `## 2.0.0` is no
    release (releases are listed newest first)."""
    for heading in headings(lines, rst=rst):
        if heading.start < wanted.end:
            continue
        if heading.level < wanted.level or heading.level == wanted.level == top:
            return heading.start
        version = heading_version(heading.title, formats)
        if version is not None and (heading.level == wanted.level or version < wanted.version):
            return heading.start
    return len(lines)


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _definitions(lines: list[str]) -> dict[str, str]:
    """Each label's first definition in the file (later ones are ignored, as CommonMark does)."""
    found: dict[str, str] = {}
    for line in lines:
        match = _LINK_DEFINITION.fullmatch(line)
        if match:
            found.setdefault(_label(match.group(1)), line.strip())
    return found


def _used_labels(body: list[str]) -> list[str]:
    used: dict[str, None] = {}
    for line in body:
        for match in _REFERENCE.finditer(line):
            used[_label(match.group(2) or match.group(1))] = None
    return list(used)


def _with_links(body: list[str], lines: list[str]) -> list[str]:
    """The body without any definition line, then the definitions its links use."""
    definitions = _definitions(lines)
    text = [line for line in body if not _LINK_DEFINITION.fullmatch(line)]
    needed = [definitions[label] for label in _used_labels(text) if label in definitions]
    return _trimmed(text) + (["", *needed] if needed else [])


def _trimmed(body: list[str]) -> list[str]:
    start = next((n for n, line in enumerate(body) if line.strip()), len(body))
    end = len(body)
    while end > start and not body[end - 1].strip():
        end -= 1
    return body[start:end]


def find_section(
    text: str, version: Version | str, formats: tuple[TagFormat, ...] = ()
) -> str | None:
    """The body of `version`'s section (without its heading, sub-headings kept), or None.

    The section runs to the next version heading of any level, or the next heading of the
    same or a higher level. Markdown and reStructuredText (guessed from the text) are
    read. The link reference definitions the section's links use follow it; no other
    does. Line breaks come back as `\\n`; an empty section is "".
    """
    wanted = version if isinstance(version, Version) else parse_version(version)
    if wanted is None:
        return None
    lines = _lines(text)
    rst = looks_like_rst(lines)
    found = version_headings(text, formats, rst=rst)
    top = min((heading.level for heading in found), default=0)
    for heading in found:
        if heading.version == wanted:
            end = _section_end(lines, heading, top, rst, formats)
            body = _with_links(lines[heading.end : end], lines)
            text = "\n".join(body)
            # a section that holds only HTML comments renders as nothing: it is empty
            return text + "\n" if _HTML_COMMENT.sub("", text).strip() else ""
    return None


def changelog_path(config: Config) -> Path:
    return config.root / config.cz.changelog_file


def read_changelog(config: Config) -> str:
    """The text of the configured `changelog_file`; MissingChangelog if it is absent."""
    path = changelog_path(config)
    try:
        # Opening a FIFO would block until a writer comes; a device is no changelog.
        if not stat.S_ISREG(path.stat().st_mode):
            raise MissingChangelog(f"{path} is not a regular file; point changelog_file at one")
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
    name = config.cz.changelog_file
    if section == "":
        raise EmptySection(
            f"the section of {version} in {name} is empty; write its release notes there"
        )
    if section is not None:
        return section
    have = versions_in(text, formats)
    listed = f"it has {', '.join(have)}" if have else "it has no version sections"
    raise MissingSection(f"{name} has no section for {version}; {listed}")
