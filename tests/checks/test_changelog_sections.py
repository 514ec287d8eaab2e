from __future__ import annotations

import pytest

from tagship.checks.changelog_sections import find_section

COMMITIZEN = """\
## v0.2.0 (2026-01-15)

### Feat

- graduation

## v0.2.0rc1 (2026-01-10)

- rc

## v0.1.0 (2026-01-01)
"""

KEEP_A_CHANGELOG = """\
# Changelog

## [Unreleased]

## [1.0.0] - 2026-02-01

### Added
- everything

## [0.9.0] - 2026-01-01
"""


@pytest.mark.parametrize(
    ("text", "version", "expected"),
    [
        (COMMITIZEN, "0.2.0", "### Feat\n\n- graduation\n"),
        (COMMITIZEN, "0.2.0-rc.1", "- rc\n"),
        (COMMITIZEN, "0.1.0", ""),
        (COMMITIZEN, "0.3.0", None),
        (KEEP_A_CHANGELOG, "1.0", "### Added\n- everything\n"),
        (KEEP_A_CHANGELOG, "0.9.1", None),
        ("", "1.0.0", None),
    ],
)
def test_find_section(text: str, version: str, expected: str | None) -> None:
    assert find_section(text, version) == expected
