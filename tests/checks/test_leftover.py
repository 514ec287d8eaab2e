"""A stopped bump's changelog section: cut out exactly, recognised on the next run."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from tagship.checks.leftover import without_section
from tagship.versions import TagFormat
from tests.commands.checking import OFFLINE, released
from tests.helpers import commit, cz, git, run, tagship

FORMATS = (TagFormat("v$version"),)
BEFORE = "# Changelog\n\n## v0.1.0 (2026-01-01)\n\n### Feat\n\n- first\n"
NEW = "## v0.2.0 (2026-02-01)\n\n### Fix\n\n- second\n\n"


@pytest.mark.parametrize(
    ("text", "version", "expected"),
    [
        (BEFORE.replace("## v0.1.0", NEW + "## v0.1.0"), "0.2.0", BEFORE),
        (NEW, "0.2.0", ""),
        (BEFORE, "0.2.0", None),
        (BEFORE + "\n" + NEW, "0.2.0", BEFORE),
    ],
)
def test_without_section(text: str, version: str, expected: str | None) -> None:
    assert without_section(text, Version(version), FORMATS) == expected


@pytest.mark.slow
@pytest.mark.parametrize("committed", [False, True])
def test_an_untagged_section_is_named_with_its_exact_recovery(
    tmp_path: Path, committed: bool
) -> None:
    repo = released(tmp_path / "repo")
    commit(repo, "fix: second")
    changelog = repo / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("## v0.1.0", NEW + "## v0.1.0"))
    if committed:
        git(repo, "commit", "--quiet", "-am", "docs: the changelog, by mistake")
    assert cz(repo, "bump", "--yes", check=False).returncode == 16  # the trap is real
    ran = tagship(repo, "check", env=OFFLINE)
    assert ran.returncode == 1
    line = ran.stderr.strip()
    assert line.startswith("error: CHANGELOG.md has a section for 0.2.0, which has no release tag")
    recovery = line.split("; ", 1)[1]
    if committed:
        assert recovery.startswith("git checkout v0.1.0 -- CHANGELOG.md && git commit -m ")
        command = recovery.split(" (then add back", 1)[0]
    else:
        assert recovery == "undo it: git restore -- CHANGELOG.md"
        command = recovery.removeprefix("undo it: ")
    run(["sh", "-c", command], repo)
    cz(repo, "bump", "--yes")
    assert git(repo, "tag", "--list").split() == ["v0.1.0", "v0.1.1"]
