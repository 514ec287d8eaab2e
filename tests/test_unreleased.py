"""Keep a Changelog's hand-written [Unreleased] entries through a real `cz bump`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship.unreleased import carry
from tests.commands.checking import OFFLINE
from tests.commands.test_check_hooks import with_pre_bump_hook
from tests.helpers import commit, cz, git, sample_project

KACL = """\
# Changelog

## [Unreleased]

### Added

- A hand-written entry.

## [1.1.0] - 2024-05-01

### Fixed

- Old fix.

[1.1.0]: https://example.invalid/compare/v1.0.0...v1.1.0
"""
# What commitizen 4 writes for it: the Unreleased section replaced by the new release.
BUMPED = KACL.replace(
    "## [Unreleased]\n\n### Added\n\n- A hand-written entry.\n\n",
    "## v1.2.0rc0 (2025-01-01)\n\n### Feat\n\n- a feature\n\n",
)


def test_the_hand_written_entries_go_into_the_new_section_under_an_empty_unreleased() -> None:
    kept = carry(KACL, BUMPED)
    assert kept == KACL.replace(
        "## [Unreleased]\n\n### Added\n\n- A hand-written entry.\n\n",
        "## [Unreleased]\n\n## v1.2.0rc0 (2025-01-01)\n\n### Added\n\n- A hand-written entry.\n\n"
        "### Feat\n\n- a feature\n\n",
    )
    assert carry(KACL, kept) == kept


def test_graduation_keeps_the_entries_of_the_merged_rc_sections() -> None:
    after_rc = carry(KACL, BUMPED)
    graduated = after_rc.replace(
        "## v1.2.0rc0 (2025-01-01)\n\n### Added\n\n- A hand-written entry.\n\n",
        "## v1.2.0 (2025-01-02)\n\n",
    ).replace("## [Unreleased]\n\n", "")
    kept = carry(after_rc, graduated)
    assert "## [Unreleased]\n\n## v1.2.0 (2025-01-02)\n\n- A hand-written entry.\n" in kept
    assert kept.count("- a feature") == 1


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("# Changelog\n\n## v1.0.0 (2024)\n\n- x\n", "# Changelog\n\n## v1.1.0 (2025)\n\n- y\n"),
        (KACL, KACL),
    ],
)
def test_without_an_unreleased_section_or_a_new_release_nothing_changes(
    before: str, after: str
) -> None:
    assert carry(before, after) == after


def test_crlf_stays_crlf() -> None:
    kept = carry(KACL.replace("\n", "\r\n"), BUMPED.replace("\n", "\r\n"))
    assert "- A hand-written entry.\r\n" in kept
    assert "\n" not in kept.replace("\r\n", "")


@pytest.mark.slow
def test_a_real_bump_keeps_the_unreleased_entries(tmp_path: Path) -> None:
    """commitizen drops them; the pre-bump hook init writes puts them back before cz commits."""
    repo = sample_project(tmp_path / "repo")
    commit(repo, "docs: a hand-kept changelog", {"CHANGELOG.md": KACL})
    git(repo, "tag", "--annotate", "--message=v1.1.0", "v1.1.0")
    commit(with_pre_bump_hook(repo), "feat: a feature", {"FEATURE.md": "x\n"})
    ran = cz(repo, "bump", "--prerelease", "rc", "--yes", env=OFFLINE)
    assert "kept the hand-written [Unreleased] entries of CHANGELOG.md" in ran.stderr
    text = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]\n\n## v1.2.0rc0 (" in text
    assert "### Added\n\n- A hand-written entry.\n" in text
    assert "- a feature" in text
    assert git(repo, "status", "--porcelain") == ""
    assert "A hand-written entry" in git(repo, "show", "v1.2.0rc0:CHANGELOG.md")
