"""`tagship check` where it runs for real: cz bump's pre_bump_hooks and a pre-push hook."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship.index import LocalIndex
from tests.commands.checking import OFFLINE, released
from tests.commands.test_check_index import local_channel, publish
from tests.helpers import commit, cz, git, run, sample_project, tagship, write

pytestmark = pytest.mark.slow

PRE_BUMP = 'pre_bump_hooks = ["tagship check --pre-bump"]\n'

PRE_PUSH_CONFIG = """\
repos:
  - repo: local
    hooks:
      - id: tagship-check
        name: tagship check
        entry: tagship check
        language: system
        pass_filenames: false
        always_run: true
        verbose: true
        stages: [pre-push]
"""


def with_pre_bump_hook(repo: Path, gates: str = "") -> Path:
    """The hook init writes; `gates` the body of the project's gates table (none here: the
    sample has no environment for the default ones)."""
    cz_toml = repo / ".cz.toml"
    cz_toml.write_text(cz_toml.read_text(encoding="utf-8") + PRE_BUMP, encoding="utf-8")
    pyproject = repo / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(f"{text}\n[tool.tagship.gates]\n{gates}", encoding="utf-8")
    commit(repo, "build: check before every bump")
    return repo


def _lines(stderr: str, *prefixes: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(prefixes)]


def state(repo: Path) -> tuple[str, str]:
    return git(repo, "rev-parse", "HEAD"), git(repo, "tag", "--list")


def test_pre_bump_passes_and_cz_tags(tmp_path: Path) -> None:
    repo = with_pre_bump_hook(sample_project(tmp_path / "repo"))
    ran = cz(repo, "bump", "--yes", env=OFFLINE)
    assert "ok   TS107 moves-forward: 0.1.0 is the first release" in ran.stderr
    assert "ok   TS109 changelog: CHANGELOG.md has a section for 0.1.0" in ran.stderr
    assert "ok   TS105 clean-tree" in ran.stderr  # the changelog cz just wrote is allowed
    # fast rules first, then the gates, then one build and the rules of --dist
    ids = [line.split()[1] for line in _lines(ran.stderr, "ok ", "skip", "FAIL", "warn")]
    assert ids[-3:] == ["TS113", "TS114", "TS102"], ids
    assert "ok   TS102 dists-match: 2 dist(s) of sample-pkg 0.1.0, metadata valid" in ran.stderr
    assert git(repo, "tag", "--list") == "v0.1.0"


def test_pre_bump_warns_of_an_empty_readme_and_tags(tmp_path: Path) -> None:
    repo = sample_project(tmp_path / "repo")
    commit(repo, "docs: no readme yet", {"README.md": ""})
    with_pre_bump_hook(repo)
    ran = cz(repo, "bump", "--yes", env=OFFLINE)
    assert "warn TS102 dists-match:" in ran.stderr
    assert "no long description" in ran.stderr
    assert git(repo, "tag", "--list") == "v0.1.0"


def test_pre_bump_runs_gates_only_after_the_fast_rules(tmp_path: Path) -> None:
    repo = with_pre_bump_hook(sample_project(tmp_path / "repo"), gates='broken = "exit 3"\n')
    write(repo, {"notes.txt": "draft\n"})
    ran = cz(repo, "bump", "--yes", env=OFFLINE, check=False)
    assert ran.returncode != 0
    assert "FAIL TS105 clean-tree" in ran.stderr
    assert "check: the gates and the build did not run; fix the failures above first" in (
        ran.stderr
    )
    assert "TS113" not in ran.stderr
    (repo / "notes.txt").unlink()
    ran = cz(repo, "bump", "--yes", env=OFFLINE, check=False)
    assert ran.returncode != 0
    assert "FAIL TS113 gates: a gate failed (see above)" in ran.stderr
    assert "TS114" not in ran.stderr  # no build after a failed gate
    assert git(repo, "tag", "--list") == ""


@pytest.mark.parametrize("problem", ["side-branch", "untracked-file"])
def test_failing_pre_bump_leaves_no_commit_and_no_tag(tmp_path: Path, problem: str) -> None:
    repo = with_pre_bump_hook(sample_project(tmp_path / "repo"))
    if problem == "side-branch":
        git(repo, "switch", "--quiet", "-c", "experiment")
    else:
        write(repo, {"notes.txt": "draft\n"})
    before = state(repo)
    ran = cz(repo, "bump", "--yes", env=OFFLINE, check=False)
    assert ran.returncode != 0
    expected = {
        "side-branch": "FAIL TS104 release-branch: bumping on experiment, "
        "but releases are cut from main",
        "untracked-file": "FAIL TS105 clean-tree: 1 changed or untracked file(s): notes.txt",
    }[problem]
    assert expected in ran.stderr
    assert state(repo) == before
    # the changelog commitizen wrote before its hooks ran is gone again: no trap is left
    assert "tagship removed the 0.1.0 section it had written to CHANGELOG.md" in ran.stderr
    assert "CHANGELOG.md" not in git(repo, "status", "--porcelain")
    if problem == "side-branch":
        git(repo, "switch", "--quiet", "main")
    else:
        (repo / "notes.txt").unlink()
    cz(repo, "bump", "--yes", env=OFFLINE)
    assert git(repo, "tag", "--list") == "v0.1.0"


def test_pre_bump_refuses_a_burned_version(local_index: LocalIndex, tmp_path: Path) -> None:
    repo = released(
        tmp_path / "repo", name="rebumped-pkg", extra_pyproject=local_channel(local_index)
    )
    publish(repo, local_index, tmp_path / "dist")
    # the release is undone locally (tag deleted, bump commit dropped): cz computes 0.1.0 again
    git(repo, "tag", "-d", "v0.1.0")
    git(repo, "reset", "--quiet", "--hard", "HEAD~1")
    with_pre_bump_hook(repo)
    before = state(repo)
    ran = cz(repo, "bump", "--yes", check=False)
    assert ran.returncode != 0
    assert f"FAIL TS108 not-burned: rebumped-pkg 0.1.0 is already on {local_index.url}" in (
        ran.stderr
    )
    assert state(repo) == before


def test_pre_bump_outside_cz_is_a_usage_error(tmp_path: Path) -> None:
    repo = sample_project(tmp_path / "repo")
    ran = tagship(repo, "check", "--pre-bump")
    assert ran.returncode == 2
    assert "--pre-bump reads CZ_PRE_NEW_TAG_VERSION" in ran.stderr


@pytest.fixture
def pushed_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A project with the tagship-check pre-push hook installed, and a bare remote."""
    remote = tmp_path / "remote.git"
    run(["git", "init", "--quiet", "--bare", remote], tmp_path)
    repo = sample_project(tmp_path / "repo")
    commit(repo, "ci: pre-push hook", {".pre-commit-config.yaml": PRE_PUSH_CONFIG})
    run(["pre-commit", "install", "--hook-type", "pre-push"], repo)
    git(repo, "remote", "add", "origin", str(remote))
    return repo, remote


def push(repo: Path, *refs: str) -> tuple[int, str]:
    ran = run(["git", "push", "origin", *refs], repo, env=OFFLINE, check=False)
    return ran.returncode, ran.stdout + ran.stderr


def remote_tags(remote: Path) -> str:
    return git(remote, "tag", "--list")


def test_pre_push_refuses_a_bad_tag_and_accepts_a_good_one(pushed_repo: tuple[Path, Path]) -> None:
    repo, remote = pushed_repo
    code, out = push(repo, "main")
    assert code == 0, out
    assert "no release tag in this push" in out

    commit(repo, "docs: notes")
    git(repo, "tag", "experiment-1")  # no tag_format could mean it: not a release tag
    code, out = push(repo, "experiment-1")
    assert code == 0, out
    assert "no release tag in this push" in out

    git(repo, "switch", "--quiet", "-c", "experiment")
    commit(repo, "feat: try", {"CHANGELOG.md": "## v0.2.0 (2026-01-01)\n"})
    git(repo, "tag", "-a", "-m", "v0.2.0", "v0.2.0")
    code, out = push(repo, "v0.2.0")
    assert code != 0
    assert "FAIL TS104 release-branch: v0.2.0 is not on origin/main, main" in out
    assert remote_tags(remote) == "experiment-1"

    git(repo, "switch", "--quiet", "main")
    git(repo, "tag", "-d", "v0.2.0")
    cz(repo, "bump", "--yes")
    code, out = push(repo, "--follow-tags", "main")
    assert code == 0, out
    assert "ok   TS104 release-branch: v0.1.0 is on main" in out
    assert remote_tags(remote).split() == ["experiment-1", "v0.1.0"]


def test_pre_push_limit_tag_only_push_runs_no_hook(pushed_repo: tuple[Path, Path]) -> None:
    """Documented limit: pre-commit runs no pre-push hook for commits the remote has."""
    repo, remote = pushed_repo
    commit(repo, "fix: one", {"CHANGELOG.md": "## v0.1.0 (2026-01-01)\n"})
    assert push(repo, "main")[0] == 0
    git(repo, "tag", "-a", "-m", "v0.0.1", "v0.0.1", "HEAD~1")  # behind nothing, wrong commit
    code, out = push(repo, "v0.0.1")
    assert code == 0, out
    assert "tagship check" not in out  # the hook did not run: CI must repeat the check
    assert remote_tags(remote) == "v0.0.1"


def test_failing_pre_bump_of_a_later_release_restores_the_changelog(tmp_path: Path) -> None:
    repo = with_pre_bump_hook(released(tmp_path / "repo"))
    commit(repo, "feat: more")
    before = (repo / "CHANGELOG.md").read_bytes()
    write(repo, {"notes.txt": "draft\n"})
    ran = cz(repo, "bump", "--yes", env=OFFLINE, check=False)
    assert "tagship removed the 0.2.0 section it had written to CHANGELOG.md" in ran.stderr
    assert (repo / "CHANGELOG.md").read_bytes() == before
    (repo / "notes.txt").unlink()
    assert git(repo, "status", "--porcelain") == ""
    cz(repo, "bump", "--yes", env=OFFLINE)
    assert git(repo, "tag", "--list").split() == ["v0.1.0", "v0.2.0"]


def test_a_hand_edited_changelog_is_not_touched_but_named(tmp_path: Path) -> None:
    repo = with_pre_bump_hook(released(tmp_path / "repo"))
    commit(repo, "feat: more")
    changelog = repo / "CHANGELOG.md"
    changelog.write_text(changelog.read_text() + "\nA line of my own.\n")
    write(repo, {"notes.txt": "draft\n"})
    ran = cz(repo, "bump", "--yes", env=OFFLINE, check=False)
    assert ran.returncode != 0
    assert "FAIL TS105 clean-tree: 1 changed or untracked file(s): notes.txt" in ran.stderr
    assert "undo it with `git restore -- CHANGELOG.md`" in ran.stderr
    text = changelog.read_text()
    assert "A line of my own." in text
    assert "## v0.2.0" in text  # not certain what is whose: left for the user, named


def test_pre_bump_allows_the_version_files_cz_rewrote(tmp_path: Path) -> None:
    repo = sample_project(tmp_path / "repo")
    cz_toml = repo / ".cz.toml"
    cz_toml.write_text(cz_toml.read_text() + 'version_files = ["src/sample_pkg/VERSION"]\n')
    commit(repo, "build: a version file", {"src/sample_pkg/VERSION": "0.0.0\n"})
    with_pre_bump_hook(repo)
    write(repo, {"notes.txt": "draft\n"})
    ran = cz(repo, "bump", "--yes", env=OFFLINE, check=False)
    assert "FAIL TS105 clean-tree: 1 changed or untracked file(s): notes.txt" in ran.stderr
    restore = "`git restore -- src/sample_pkg/VERSION`"
    assert f"restore what else it rewrote: {restore}" in ran.stderr
    run(["sh", "-c", restore.strip("`") + " && rm notes.txt"], repo)
    assert git(repo, "status", "--porcelain") == ""
    ran = cz(repo, "bump", "--yes", env=OFFLINE)
    assert "ok   TS105 clean-tree: no changed or untracked files" in ran.stderr
    assert (repo / "src/sample_pkg/VERSION").read_text() == "0.1.0\n"
    assert git(repo, "tag", "--list") == "v0.1.0"
