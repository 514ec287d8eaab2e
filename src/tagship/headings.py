"""The headings of a changelog: Markdown (ATX `## x`, setext `x\\n---`) or reStructuredText.

Pure: `headings(lines, rst=...)` takes the file's lines. A heading spans one line (ATX),
two (an underlined title) or three (an RST title between an overline and an underline);
body text starts at `end`. Markdown levels are the number of `#`, 1 for `===` and 2 for
`---`; RST has no fixed levels, so a style's level is the order in which it first
appears (docutils' rule).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# CommonMark ATX headings and code fences; a `## x` line inside a fence is not a heading.
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# A CommonMark HTML comment block: from a line starting `<!--` to the line holding `-->`.
_COMMENT = re.compile(r" {0,3}<!--")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*")
# Lines that cannot be a setext title: list items, quotes, indented code, link definitions.
_NOT_A_TITLE = re.compile(r" {4}|\t| {0,3}(?:[-*+>]|\d{1,9}[.)])(?:[ \t]|$)| {0,3}\[[^\]]+\]:")
_RST_ADORNMENT = re.compile(r"([!-/:-@\[-`{-~])\1{2,}[ \t]*")


class Heading(NamedTuple):
    """A heading of the file. (A tuple: it is made for every heading of every changelog.)"""

    start: int
    """The index of its first line (the overline or the title)."""
    end: int
    """The index of the first line after it (where the body starts)."""
    level: int
    title: str


def _markdown(lines: list[str]) -> Iterator[Heading]:
    fence, comment = "", False
    for number, line in enumerate(lines):
        if comment or (not fence and _COMMENT.match(line)):
            # a heading inside a comment is hidden text, not a section
            comment = "-->" not in (line.split("<!--", 1)[1] if not comment else line)
            continue
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1).startswith(fence) and not line.strip(" `~"):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        match = _ATX.fullmatch(line)
        if match:
            yield Heading(number, number + 1, len(match.group(1)), (match.group(2) or "").strip())
        elif _is_setext_title(lines, number):
            level = 1 if lines[number + 1].lstrip().startswith("=") else 2
            yield Heading(number, number + 2, level, line.strip())


def _is_setext_title(lines: list[str], number: int) -> bool:
    """A one-line paragraph (after a blank line or the file's start) that is underlined."""
    line = lines[number]
    if number + 1 >= len(lines) or not line.strip() or _NOT_A_TITLE.match(line):
        return False
    if number > 0 and lines[number - 1].strip() and not _ATX.fullmatch(lines[number - 1]):
        return False
    return _SETEXT.fullmatch(lines[number + 1]) is not None


def _rst(lines: list[str]) -> Iterator[Heading]:
    styles: list[tuple[str, bool]] = []
    number = 0
    while number + 1 < len(lines):
        found = _rst_title(lines, number)
        if found is None:
            number += 1
            continue
        style, end, title = found
        if style not in styles:
            styles.append(style)
        yield Heading(number, end, styles.index(style) + 1, title)
        number = end


def _rst_title(lines: list[str], number: int) -> tuple[tuple[str, bool], int, str] | None:
    """((adornment character, has an overline), end, title) of a title starting here."""
    line = lines[number]
    over = _RST_ADORNMENT.fullmatch(line)
    if over and number + 2 < len(lines):
        title = lines[number + 1].strip()
        under = lines[number + 2].rstrip()
        if title and under == line.rstrip() and len(under) >= len(title):
            return (over.group(1), True), number + 3, title
    title = line.strip()
    if not title or line[0] in " \t" or over:
        return None
    under_match = _RST_ADORNMENT.fullmatch(lines[number + 1])
    if under_match and len(lines[number + 1].rstrip()) >= len(title):
        return (under_match.group(1), False), number + 2, title
    return None


def headings(lines: list[str], *, rst: bool) -> Iterator[Heading]:
    """Every heading, in file order."""
    return _rst(lines) if rst else _markdown(lines)


def looks_like_rst(lines: list[str]) -> bool:
    """No Markdown heading at all, and at least one RST title: an .rst changelog."""
    if any(heading.end - heading.start == 1 for heading in _markdown(lines)):
        return False
    return next(_rst(lines), None) is not None
