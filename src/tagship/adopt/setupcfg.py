"""setup.cfg beside a pyproject.toml [project]: its `version` goes, the tags set it now.

setuptools reads `[metadata] version` (a literal, `attr: pkg.__version__` or `file:
VERSION`) before setuptools-scm is asked, so the line must go for the tag to win. The
edit is line-based: every other byte of the file stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]+)\]\s*$")
_VERSION = re.compile(r"^version\s*[=:]\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class SetupCfgChange:
    text: str
    static_version: str | None
    """The literal version the file held (None for `attr:` / `file:` or no version)."""


def without_version(text: str) -> SetupCfgChange:
    """`text` without the `version` option of its `[metadata]` section (pure)."""
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    section = None
    static = None
    skipping = False
    for line in lines:
        header = _SECTION.match(line)
        if header:
            section = header["name"].strip()
            skipping = False
        elif skipping and line[:1] in (" ", "\t") and line.strip():
            continue  # a continuation line of the removed value
        else:
            skipping = False
        found = _VERSION.match(line) if section == "metadata" and not header else None
        if found:
            value = found["value"]
            static = value if value and not value.startswith(("attr:", "file:")) else None
            skipping = True
            continue
        kept.append(line)
    return SetupCfgChange("".join(kept), static)
