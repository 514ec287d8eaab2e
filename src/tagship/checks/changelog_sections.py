"""A stand-in for `tagship.changelog.find_section` until that module lands (same signature).

When `tagship/changelog.py` is on main, import `find_section` from there and delete this.

It finds a level-2 heading naming the version, as commitizen (`## v0.2.0 (2025-01-15)`)
and Keep a Changelog (`## [0.2.0] - 2025-01-15`) write it, comparing normalized versions.
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

from tagship.versions import TagFormat

_HEADING = re.compile(r"^##\s+\[?v?(?P<version>[^\]\s(]+)\]?")


def _heading_version(line: str) -> Version | None:
    match = _HEADING.match(line)
    if match is None:
        return None
    try:
        return Version(match["version"])
    except InvalidVersion:
        return None


def find_section(
    text: str, version: Version | str, formats: tuple[TagFormat, ...] = ()
) -> str | None:
    """The body of `version`'s section (without its heading), or None when there is none.

    `formats` is accepted for the real module's signature; headings here are `v`-prefixed
    or bare versions only.
    """
    del formats
    wanted = version if isinstance(version, Version) else Version(version)
    lines = text.splitlines(keepends=True)
    for start, line in enumerate(lines):
        if _heading_version(line) != wanted:
            continue
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith(("## ", "# "))),
            len(lines),
        )
        body = "".join(lines[start + 1 : end]).strip()
        return body + "\n" if body else ""
    return None
