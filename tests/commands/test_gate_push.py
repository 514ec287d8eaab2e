"""`tagship gate` as a real pre-push hook: real pre-commit, a bare remote, real `git push`."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from tests.helpers import (
    Ran,
    commit,
    git,
    link_project_env,
    run,
    sample_project,
    tagship,
    write,
)

pytestmark = pytest.mark.slow

HOOKS = """\
repos:
  - repo: local
    hooks:
      - id: tagship-gate
        name: tagship gate
        entry: tagship gate
        language: system
        pass_filenames: false
        always_run: true
        verbose: true
        stages: [pre-push]
"""

BROKEN = "import os\n"  # F401: ruff fails on an unused import
GOOD = "VALUE = 1\n"


def gates_table(log: Path) -> str:
    """Two cheap gates that log each real run: `lint` reads every file, `docs` only docs/."""
    logged = shlex.quote(str(log))
    return (
        "\n[tool.tagship.gates]\n"
        f'lint = "ruff check . && echo lint >> {logged}"\n'
        f'docs = {{ run = "test -s docs/index.md && echo docs >> {logged}", inputs = ["docs/"] }}\n'
    )


def runs(log: Path) -> list[str]:
    """The gates that really ran since the last call, in order."""
    text = log.read_text() if log.exists() else ""
    log.write_text("")
    return sorted(text.split())


def push(repo: Path, *args: str) -> Ran:
    """A real push; pre-commit prints to stdout and git to stderr: `.stderr` holds both."""
    done = run(["git", "push", "--quiet", "origin", *args], repo, check=False)
    return Ran(done.returncode, "", done.stdout + done.stderr)


@pytest.fixture
def hooked(tmp_path: Path) -> tuple[Path, Path]:
    """A project with the hook installed, pushed once (without the hook) to a bare remote."""
    log = tmp_path / "runs.log"
    repo = link_project_env(sample_project(tmp_path / "repo", extra_pyproject=gates_table(log)))
    commit(
        repo,
        "chore: hooks",
        {".pre-commit-config.yaml": HOOKS, "docs/index.md": "# docs\n", "CHANGELOG.md": ""},
    )
    git(tmp_path, "init", "--quiet", "--bare", "remote.git")
    git(repo, "remote", "add", "origin", str(tmp_path / "remote.git"))
    git(repo, "push", "--quiet", "--no-verify", "origin", "main")
    run(["pre-commit", "install", "--hook-type", "pre-push"], repo)
    return repo, log


def remote_head(repo: Path, branch: str = "main") -> str:
    return git(repo, "ls-remote", "origin", f"refs/heads/{branch}").split()[0]


def worktrees(repo: Path) -> int:
    return len(git(repo, "worktree", "list", "--porcelain").split("\n\n"))


def test_same_content_and_changelog_only_commits_are_cache_hits(
    hooked: tuple[Path, Path],
) -> None:
    repo, log = hooked
    commit(repo, "feat: more", {"src/sample_pkg/more.py": GOOD})
    first = push(repo, "main")
    assert first.returncode == 0, first.stderr
    assert runs(log) == ["docs", "lint"]
    assert "passed  lint" in first.stderr

    # The same content again: a reworded commit (pre-commit names it in PRE_COMMIT_TO_REF)...
    git(repo, "commit", "--quiet", "--amend", "--message", "feat: more, reworded")
    again = push(repo, "--force", "main")
    assert again.returncode == 0, again.stderr
    assert runs(log) == []
    assert "cached  lint (passed on" in again.stderr

    # ...and the whole history to an empty remote (pre-commit sets PRE_COMMIT_LOCAL_BRANCH).
    git(repo.parent, "init", "--quiet", "--bare", "second.git")
    whole = run(["git", "push", str(repo.parent / "second.git"), "main"], repo)
    assert "cached  lint" in whole.stdout
    assert runs(log) == []

    bump = commit(repo, "bump: version 0.1.0", {"CHANGELOG.md": "## v0.1.0\n"})
    third = push(repo, "main")
    assert third.returncode == 0, third.stderr
    assert runs(log) == []
    assert remote_head(repo) == bump


def test_touching_an_input_reruns_only_the_gates_that_name_it(hooked: tuple[Path, Path]) -> None:
    repo, log = hooked
    assert tagship(repo, "gate").returncode == 0
    assert runs(log) == ["docs", "lint"]
    commit(repo, "docs: more", {"docs/index.md": "# more docs\n"})
    assert push(repo, "main").returncode == 0
    assert runs(log) == ["docs", "lint"]  # lint reads every file, docs only docs/
    commit(repo, "feat: code", {"src/sample_pkg/more.py": GOOD})
    assert push(repo, "main").returncode == 0
    assert runs(log) == ["lint"]


def test_staged_breaking_edit_does_not_fail_a_good_push(hooked: tuple[Path, Path]) -> None:
    repo, log = hooked
    good = commit(repo, "feat: good", {"src/sample_pkg/more.py": GOOD})
    write(repo, {"src/sample_pkg/more.py": BROKEN, "src/sample_pkg/scratch.py": BROKEN})
    git(repo, "add", "src/sample_pkg/more.py")  # staged; scratch.py stays untracked
    ran = push(repo, "main")
    assert ran.returncode == 0, ran.stderr
    assert "temporary worktree" in ran.stderr
    assert runs(log) == ["docs", "lint"]
    assert remote_head(repo) == good
    assert worktrees(repo) == 1
    assert (repo / "src/sample_pkg/more.py").read_text() == BROKEN  # the user's edit is kept


def test_pushing_a_good_branch_while_a_broken_head_is_checked_out(
    hooked: tuple[Path, Path],
) -> None:
    repo, log = hooked
    git(repo, "switch", "--quiet", "--create", "good")
    good = commit(repo, "feat: good", {"src/sample_pkg/more.py": GOOD})
    git(repo, "switch", "--quiet", "--create", "broken")
    commit(repo, "feat: broken", {"src/sample_pkg/more.py": BROKEN})
    ran = push(repo, "good")
    assert ran.returncode == 0, ran.stderr
    assert remote_head(repo, "good") == good
    assert runs(log) == ["docs", "lint"]
    assert worktrees(repo) == 1


def test_committed_failure_is_not_hidden_by_a_fix_in_the_index(hooked: tuple[Path, Path]) -> None:
    repo, log = hooked
    before = remote_head(repo)
    commit(repo, "feat: broken", {"src/sample_pkg/more.py": BROKEN})
    write(repo, {"src/sample_pkg/more.py": GOOD})
    git(repo, "add", "--all")
    ran = push(repo, "main")
    assert ran.returncode != 0
    assert "gate lint failed: exit 1" in ran.stderr
    assert "F401" in ran.stderr
    assert remote_head(repo) == before
    assert runs(log) == ["docs"]
    assert worktrees(repo) == 1
    # Nothing about the failure was recorded: the next try runs lint again.
    summary = json.loads(tagship(repo, "gate", "--json", "--rev", "HEAD").stdout)
    assert [(g["name"], g["status"]) for g in summary["gates"]] == [
        ("lint", "failed"),
        ("docs", "cached"),
    ]
