"""`tagship rehearse` end to end: real commitizen tags, real gates, builds, pypiserver."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from filelock import FileLock

from tests.dists import shared_dir
from tests.helpers import BIN, Ran, commit, cz, git, run, sample_project, tagship

pytestmark = pytest.mark.slow

SLOW_GATE = """
[tool.tagship.gates]
slow = "python -c 'import time; time.sleep(60)' {marker}"
"""


def fingerprint(repo: Path) -> dict[str, object]:
    """Everything rehearse must never modify in the user's repository."""
    dot_git = repo / ".git"
    return {
        "refs": git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": git(repo, "rev-parse", "HEAD"),
        "status": git(repo, "status", "--porcelain", "--untracked-files=all"),
        "index": (dot_git / "index").read_bytes(),
        "hooks": sorted(p.name for p in (dot_git / "hooks").iterdir()),
        "config": (dot_git / "config").read_bytes(),
        "worktrees": git(repo, "worktree", "list", "--porcelain"),
        "tagship": (dot_git / "tagship").exists(),
    }


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample project tagged v0.1.0rc0 by real commitizen, with its changelog (made once
    per run, for all workers; tests work on copies)."""
    root = shared_dir(tmp_path_factory, "rehearse-project")
    project = root / "proj"
    with FileLock(str(root / "proj.lock")):
        if not (project / "CHANGELOG.md").exists():
            shutil.rmtree(project, ignore_errors=True)
            sample_project(project, name="rh-sample")
            commit(project, "feat: greet the world", {"src/rh_sample/greet.py": "HELLO = 1\n"})
            cz(project, "bump", "--prerelease", "rc", "--yes")
    return project


@pytest.fixture
def project(tmp_path: Path, released: Path) -> Path:
    """A private copy, so that one test's kept index never meets another's."""
    copy = tmp_path / "proj"
    shutil.copytree(released, copy, symlinks=True)
    return copy


def rehearse(project: Path, *args: str, tmpdir: Path) -> Ran:
    tmpdir.mkdir(exist_ok=True)
    return tagship(project, "rehearse", *args, env={"TMPDIR": str(tmpdir)})


def processes_mentioning(text: str) -> list[str]:
    """The command lines of live processes that mention `text` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in args:
            found.append(args)
    return found


def test_a_failed_rehearsal_tagged_only_the_clone_and_leaves_nothing(
    tmp_path: Path, project: Path
) -> None:
    failing_gate = '\n[tool.tagship.gates]\nlint = "echo lint found 3 problems; exit 1"\n'
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text() + failing_gate, encoding="utf-8"
    )
    commit(project, "test: a failing gate")
    before = fingerprint(project)
    ran = rehearse(project, "v0.1.0rc1", tmpdir=tmp_path / "tmp")
    assert ran.returncode == 1
    assert "clone: clone of HEAD" in ran.stderr
    assert "tagged v0.1.0rc1 there only" in ran.stderr
    assert "lint found 3 problems" in ran.stderr  # the failed step's output is shown
    assert ran.stderr.splitlines()[-1].startswith("error: rehearse failed at step 'gate': ")
    assert fingerprint(project) == before
    assert list((tmp_path / "tmp").iterdir()) == []
    assert processes_mentioning(str(tmp_path / "tmp")) == []


def test_rehearse_runs_the_chain_keeps_the_index_then_refuses_a_burned_version(
    tmp_path: Path, project: Path
) -> None:
    before = fingerprint(project)
    try:
        kept = rehearse(project, "--keep", "--json", tmpdir=tmp_path / "tmp")
        assert kept.returncode == 0, kept.stderr
        summary = json.loads(kept.stdout)
        assert [(s["name"], s["status"]) for s in summary["steps"]] == [
            (name, "passed")
            for name in (
                "clone",
                "index",
                "route",
                "gate",
                "build",
                "check",
                "upload",
                "verify",
                "notes",
            )
        ]
        assert (summary["tag"], summary["version"], summary["channel"]) == (
            "v0.1.0rc0",
            "0.1.0rc0",
            "testpypi",
        )
        assert summary["steps"][4]["detail"] == (
            "rh_sample-0.1.0rc0-py3-none-any.whl, rh_sample-0.1.0rc0.tar.gz"
        )
        assert "greet the world" in summary["notes"]
        assert summary["ci"]["verify"]["ci"] == "tagship verify 0.1.0rc0 --index testpypi"
        assert "https://test.pypi.org/legacy/" in summary["ci"]["upload"]["ci"]
        # the repository is only read; --keep adds tagship's own state in .git/tagship
        assert fingerprint(project) == {**before, "tagship": True}
        assert list((tmp_path / "tmp").iterdir()) == []
        index = summary["index"]
        assert index["kept"] is True
        assert f"kept index: {index['url']}" in kept.stderr
        # the printed install command works, as printed
        run([BIN / "uv", "venv", "--quiet", tmp_path / "env"], tmp_path)
        argv = index["install"].replace("'", "").split()
        run([BIN / argv[0], *argv[1:3], "--python", tmp_path / "env", *argv[3:]], tmp_path)
        shown = run([tmp_path / "env" / "bin" / "rh-sample", "--version"], tmp_path)
        assert shown.stdout == "0.1.0rc0\n"

        again = rehearse(project, "--json", tmpdir=tmp_path / "tmp")
        assert again.returncode == 1
        statuses = [(s["name"], s["status"]) for s in json.loads(again.stdout)["steps"]]
        assert statuses[:6] == [
            ("clone", "passed"),
            ("index", "passed"),
            ("route", "passed"),
            ("gate", "passed"),
            ("build", "passed"),
            ("check", "failed"),
        ]
        assert "the kept index at" in json.loads(again.stdout)["steps"][1]["detail"]
        assert "rehearse failed at step 'check'" in again.stderr
        assert "0.1.0rc0 is already on" in again.stderr
        assert list((tmp_path / "tmp").iterdir()) == []
    finally:
        stopped = tagship(project, "rehearse", "--stop")
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped the kept index" in stopped.stderr
    assert not (project / ".git" / "tagship" / "rehearse").exists()
    assert processes_mentioning(str(project / ".git" / "tagship")) == []


@pytest.mark.parametrize("interrupt", ["ctrl-c", "sigterm"])
def test_an_interrupted_rehearsal_leaves_nothing_behind(
    tmp_path: Path, project: Path, interrupt: str
) -> None:
    marker = f"slow-{interrupt}-{tmp_path.name}"  # this test's gate, not another run's
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text() + SLOW_GATE.format(marker=marker),
        encoding="utf-8",
    )
    commit(project, "test: a slow gate")
    before = fingerprint(project)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    process = subprocess.Popen(
        [BIN / "tagship", "rehearse", "v0.1.0rc1"],
        cwd=project,
        env={**os.environ, "TMPDIR": str(tmpdir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a job in a terminal
    )
    try:
        deadline = time.monotonic() + 60
        while not processes_mentioning(marker):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the slow gate never started"
            time.sleep(0.05)
        assert processes_mentioning(str(tmpdir))  # the server, serving from the sandbox
        if interrupt == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        else:
            process.send_signal(signal.SIGTERM)  # `kill PID`: tagship alone is told
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert list(tmpdir.iterdir()) == []
    assert processes_mentioning(str(tmpdir)) == []  # the index is stopped
    deadline = time.monotonic() + 10  # the gate's own clean-up, a moment later at most
    while processes_mentioning(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(marker) == []  # and so is the gate the step was running
    assert fingerprint(project) == before


def test_an_untagged_head_without_a_tag_is_a_usage_error(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "proj")
    ran = rehearse(project, tmpdir=tmp_path / "tmp")
    assert ran.returncode == 2
    assert ran.stderr == (
        "error: HEAD has no release tag; pass the tag to rehearse, "
        "e.g. tagship rehearse v1.2.3rc1\n"
    )


def test_a_tag_on_another_commit_is_refused(tmp_path: Path, project: Path) -> None:
    commit(project, "fix: later")
    ran = rehearse(project, "v0.1.0rc0", tmpdir=tmp_path / "tmp")
    assert ran.returncode == 1
    assert "tag 'v0.1.0rc0' already points at" in ran.stderr
    assert list((tmp_path / "tmp").iterdir()) == []


def test_stop_without_a_kept_index(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "proj")
    ran = tagship(project, "rehearse", "--stop")
    assert (ran.returncode, ran.stderr) == (0, "no kept index\n")
