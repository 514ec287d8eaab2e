"""A stand-in for `tagship.changelog.find_section` until that module lands (same API).

It finds a level-2 heading naming the version, as commitizen (`## v0.2.0 (2025-01-15)`)
and Keep a Changelog (`## [0.2.0] - 2025-01-15`) write it, comparing normalized versions.
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

_HEADING = re.compile(r"^##\s+\[?v?(?P<version>[^\]\s(]+)\]?")


def _heading_version(line: str) -> Version | None:
    match = _HEADING.match(line)
    if match is None:
        return None
    try:
        return Version(match["version"])
    except InvalidVersion:
        return None


def find_section(text: str, version: str) -> str | None:
    """The section of `version` (heading included), or None when the changelog has none."""
    wanted = Version(version)
    lines = text.splitlines(keepends=True)
    for start, line in enumerate(lines):
        if _heading_version(line) != wanted:
            continue
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith(("## ", "# "))),
            len(lines),
        )
        return "".join(lines[start:end]).strip() + "\n"
    return None
