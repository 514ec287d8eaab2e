"""TS110-TS112 on real repositories released by real commitizen."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.commands.checking import OFFLINE, check_json, copy_repo
from tests.helpers import commit, cz, git, sample_project, tagship

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rc_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v0.1.0rc0 tagged by `cz bump --prerelease rc`."""
    repo = sample_project(tmp_path_factory.mktemp("rc") / "repo")
    cz(repo, "bump", "--yes", "--prerelease", "rc")
    return repo


def test_a_graduated_rc_ships_what_it_proved(rc_repo: Path, tmp_path: Path) -> None:
    repo = copy_repo(rc_repo, tmp_path / "repo")
    cz(repo, "bump", "--yes")
    ran, results = check_json(repo, "v0.1.0")
    assert ran.returncode == 0, ran.stderr
    assert results["final-matches-rc"]["message"] == "v0.1.0 ships what v0.1.0rc0 proved"
    assert results["not-stale"]["status"] == "passed"


def test_a_final_after_new_commits_fails_unless_allowed(rc_repo: Path, tmp_path: Path) -> None:
    repo = copy_repo(rc_repo, tmp_path / "repo")
    commit(repo, "fix: untested", {"src/sample_pkg/extra.py": "X = 1\n"})
    cz(repo, "bump", "--yes")
    ran, results = check_json(repo, "v0.1.0")
    finding = results["final-matches-rc"]
    assert (ran.returncode, finding["status"]) == (1, "failed")
    assert finding["message"] == (
        "v0.1.0 differs from v0.1.0rc0 in 1 file(s): src/sample_pkg/extra.py: "
        "code the rc never proved on the test index"
    )
    assert "allow-final-without-rc = true" in finding["fix"]
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + "\n[tool.tagship]\nallow-final-without-rc = true\n"
    )
    ran, results = check_json(repo, "v0.1.0")
    assert results["final-matches-rc"]["status"] == "passed"
    assert "(allowed: allow-final-without-rc = true)" in results["final-matches-rc"]["message"]


def test_a_higher_tag_on_an_older_commit_is_stale(tmp_path: Path) -> None:
    repo = sample_project(tmp_path / "repo")
    commit(repo, "fix: later", {"CHANGELOG.md": "## v0.2.0 (2026-01-01)\n"})
    git(repo, "tag", "-a", "-m", "v0.1.0", "v0.1.0")
    git(repo, "tag", "-a", "-m", "v0.2.0", "v0.2.0", "HEAD~1")
    ran, results = check_json(repo, "v0.2.0")
    assert ran.returncode == 1
    assert results["not-stale"]["message"].startswith(
        "v0.2.0 (0.2.0) is on an older commit than v0.1.0 (0.1.0)"
    )
    assert results["not-stale"]["status"] == "failed"


def test_pre_bump_refuses_a_tag_format_that_drops_the_dev_release(tmp_path: Path) -> None:
    repo = sample_project(tmp_path / "repo", tag_format="v$major.$minor.$patch")
    hooks = 'pre_bump_hooks = ["tagship check --pre-bump"]\n'
    (repo / ".cz.toml").write_text((repo / ".cz.toml").read_text() + hooks)
    commit(repo, "build: check before every bump")
    ran = cz(repo, "bump", "--yes", "--devrelease", "3", env=OFFLINE, check=False)
    assert ran.returncode != 0
    assert "FAIL TS112 bump-version: cz bump would write version 0.1.0.dev3 but tag v0.1.0" in (
        ran.stderr
    )
    assert git(repo, "tag", "--list") == ""


def _git_calls(repo: Path, tmp_path: Path, *args: str) -> list[str]:
    """The git processes one `tagship check` starts (a logging git first on PATH)."""
    log = tmp_path / "git.log"
    folder = tmp_path / "bin"
    folder.mkdir()
    real = shutil.which("git")
    # tagship runs `git -C DIR SUBCOMMAND ...`: the subcommand is logged.
    name = '[ "$1" = -C ] && echo "$3" || echo "$1"'
    (folder / "git").write_text(f'#!/bin/sh\n{{ {name}; }} >> "{log}"\nexec "{real}" "$@"\n')
    (folder / "git").chmod(0o755)
    ran = tagship(repo, "check", *args, env={**OFFLINE, "PATH": f"{folder}:{os.environ['PATH']}"})
    assert ran.returncode == 0, ran.stderr
    return log.read_text().split()


def test_check_of_a_graduated_final_starts_at_most_six_git_processes(
    rc_repo: Path, tmp_path: Path
) -> None:
    repo = copy_repo(rc_repo, tmp_path / "repo")
    cz(repo, "bump", "--yes")
    calls = _git_calls(repo, tmp_path, "v0.1.0")
    assert len(calls) <= 6, calls
    assert "diff-tree" in calls  # TS110 compared the final with its rc
