"""Keep a Changelog's hand-written `## [Unreleased]` entries survive `cz bump`.

commitizen's incremental changelog replaces the Unreleased section with the sections it
renders from the commits, and at graduation (`changelog_merge_prerelease`) it replaces
the rc sections too: what a person wrote there is gone, and commitizen has no option to
keep it (its templates see only the commits). The pre-bump hook runs after commitizen
wrote the file and before it commits it, so `carry_unreleased` puts the lost entries back:
the Unreleased body (with its `### Added` headings) and any bullet of a merged section
that the new text lacks go first into the new release's section, and an empty
`## [Unreleased]` heading stays above it for the next entries. `carry` is the pure part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tagship import git
from tagship.files import write_atomic

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+\S")


@dataclass(frozen=True)
class _Section:
    start: int
    """The heading's line index."""
    end: int
    """One past the section's last line."""
    level: int
    title: str

    @property
    def unreleased(self) -> bool:
        return "unreleased" in self.title.lower()


def _sections(lines: list[str]) -> list[_Section]:
    found = [
        (index, len(match[1]), match[2])
        for index, line in enumerate(lines)
        if (match := _HEADING.match(line))
    ]
    sections: list[_Section] = []
    for position, (index, level, title) in enumerate(found):
        end = next((i for i, lvl, _ in found[position + 1 :] if lvl <= level), len(lines))
        sections.append(_Section(index, end, level, title))
    return sections


def _body(lines: list[str], section: _Section) -> list[str]:
    body = lines[section.start + 1 : section.end]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    return body


def carry(before: str, after: str) -> str:
    """`after` (what commitizen wrote) with the hand-written entries of `before` kept."""
    old, new = before.splitlines(), after.splitlines()
    old_sections, new_sections = _sections(old), _sections(new)
    unreleased = next((s for s in old_sections if s.unreleased and s.level == 2), None)
    if unreleased is None:
        return after
    old_titles = {s.title for s in old_sections}
    new_titles = {s.title for s in new_sections}
    release = next((s for s in new_sections if s.level == 2 and s.title not in old_titles), None)
    if release is None:
        return after
    present = {line.strip() for line in new if line.strip()}
    body = _body(old, unreleased)
    # the whole body with its `### Added` headings, unless every entry is already there
    lost = any(
        not _HEADING.match(line) and line.strip() not in present for line in body if line.strip()
    )
    carried = body if lost else []
    for merged in (s for s in old_sections if s.level == 2 and s.title not in new_titles):
        if merged.unreleased:
            continue
        carried += [
            line
            for line in old[merged.start + 1 : merged.end]
            if _BULLET.match(line) and line.strip() not in present and line not in carried
        ]
    heading = [] if any(s.unreleased for s in new_sections) else [old[unreleased.start], ""]
    if not carried and not heading:
        return after
    block = [*carried, ""] if carried else []
    lines = [
        *new[: release.start],
        *heading,
        new[release.start],
        "",
        *block,
        *_drop_leading_blank(new[release.start + 1 :]),
    ]
    ending = "\r\n" if "\r\n" in after else "\n"
    return ending.join(lines) + (ending if after.endswith(("\n", "\r")) else "")


def _drop_leading_blank(lines: list[str]) -> list[str]:
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    return lines[index:]


def carry_unreleased(root: Path, changelog_file: str) -> bool:
    """Put back what `cz bump` removed from the changelog at `root`; whether it wrote."""
    path = root / changelog_file
    before = git.file_at(root, "HEAD", changelog_file)
    if before is None or not path.is_file():
        return False
    with path.open(encoding="utf-8", newline="") as stream:
        after = stream.read()
    kept = carry(before, after)
    if kept == after:
        return False
    write_atomic(path, kept)
    return True
