"""Faults injected into real `tagship gate` runs: signals at each phase, corrupted caches.

Each test ends as fast as the fault allows: no sleeps but polls for a file a gate writes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import BIN, git, link_project_env, sample_project, tagship, write


def _alive(pid: int) -> bool:
    """Running, not gone and not a zombie left for a container's init to reap."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _wait_for(path: Path, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.02)
    raise AssertionError(f"{path} never written")


def _gated(tmp_path: Path, gates: str) -> Path:
    table = "\n[tool.tagship.gates]\n" + gates
    return link_project_env(sample_project(tmp_path / "repo", extra_pyproject=table))


def _start(repo: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN / "tagship"), "gate"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _registered(repo: Path) -> list[str]:
    lines = git(repo, "worktree", "list", "--porcelain").splitlines()
    return [line.removeprefix("worktree ") for line in lines if line.startswith("worktree ")][1:]


# A gate whose whole group ignores TERM: only KILL stops it, after the grace period, which
# is exactly when a second Ctrl-C used to cut the cleanup short.
STUBBORN = "trap '' TERM; sleep 60 & echo $! > {pid}; wait"


@pytest.mark.parametrize("dirty", [False, True], ids=["in-place", "worktree"])
def test_two_ctrl_c_leave_no_gate_and_no_worktree(tmp_path: Path, dirty: bool) -> None:
    pid = tmp_path / "gate.pid"
    repo = _gated(tmp_path, f'stubborn = "{STUBBORN.format(pid=pid)}"\n')
    if dirty:
        write(repo, {"README.md": "# edited\n"})
    run = _start(repo)
    gate_pid = int(_wait_for(pid))
    run.send_signal(signal.SIGINT)
    time.sleep(0.2)  # inside the cleanup's grace period
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not _alive(gate_pid)
    assert _registered(repo) == []


def test_a_killed_run_leaves_a_worktree_that_the_next_run_removes(tmp_path: Path) -> None:
    pid = tmp_path / "gate.pid"
    repo = _gated(tmp_path, f'slow = "echo $$ > {pid}; test -e {tmp_path}/go || sleep 60"\n')
    write(repo, {"README.md": "# edited\n"})  # a dirty checkout: gates run in a worktree
    run = _start(repo)
    gate_pid = int(_wait_for(pid))
    run.kill()
    run.communicate(timeout=30)
    os.killpg(gate_pid, signal.SIGKILL)  # its own group: SIGKILL to tagship spared it
    (left,) = _registered(repo)
    assert Path(left).is_dir()
    (tmp_path / "go").touch()
    again = tagship(repo, "gate")
    assert again.returncode == 0, again.stderr
    assert _registered(repo) == []
    assert not Path(left).parent.exists()


@pytest.mark.parametrize(
    "record",
    [
        {"gate": 1, "commit": [], "seconds": "x", "at": None},
        {"gate": "ok", "commit": "c", "seconds": 1, "at": "yesterday"},
        "not a record",
    ],
)
def test_a_corrupt_cache_record_is_replaced_with_a_warning(tmp_path: Path, record: object) -> None:
    repo = _gated(tmp_path, 'ok = "true"\n')
    assert tagship(repo, "gate").returncode == 0
    store = repo / ".git" / "tagship" / "gates" / "passes.json"
    data = json.loads(store.read_text())
    data["passes"] = dict.fromkeys(data["passes"], record)
    store.write_text(json.dumps(data))
    ran = tagship(repo, "gate")
    assert ran.returncode == 0, ran.stderr
    assert "Traceback" not in ran.stderr
    assert f"warning: {store}: ignored 1 malformed record(s)" in ran.stderr
    assert "passed  ok" in ran.stderr  # it ran again, the record was not trusted
    rewritten = json.loads(store.read_text())["passes"]
    assert [r["gate"] for r in rewritten.values()] == ["ok"]
    assert "cached  ok" in tagship(repo, "gate").stderr


@pytest.mark.parametrize(
    "text", ['{"passes": [1, 2, 3]}', "[" * 100_000 + "]" * 100_000], ids=["list", "deep"]
)
def test_a_store_that_is_not_an_object_is_ignored(tmp_path: Path, text: str) -> None:
    repo = _gated(tmp_path, 'ok = "true"\n')
    store = repo / ".git" / "tagship" / "gates" / "passes.json"
    store.parent.mkdir(parents=True)
    store.write_text(text)
    ran = tagship(repo, "gate")
    assert ran.returncode == 0, ran.stderr
    assert "Traceback" not in ran.stderr


@pytest.mark.parametrize(
    "memo", ['{"version": 1, "heads": 5, "memo": {}}', '{"heads": [[1, 2]], "memo": []}']
)
def test_a_memo_of_the_wrong_shape_is_rewritten(tmp_path: Path, memo: str) -> None:
    repo = _gated(tmp_path, 'ok = "true"\n')
    assert tagship(repo, "gate").returncode == 0
    path = repo / ".git" / "tagship" / "gates" / "memo.json"
    path.write_text(memo)
    for _ in range(2):  # the second run reads what the first wrote
        ran = tagship(repo, "gate")
        assert ran.returncode == 0, ran.stderr
        assert "Traceback" not in ran.stderr
    assert isinstance(json.loads(path.read_text())["heads"], list)
