"""Signals during `tagship rehearse`: nothing may outlive it, nothing may stay behind.

The rehearsal is stopped while its gate step runs a slow gate command in the clone; after
Ctrl-C (SIGINT to the terminal's process group) or `kill` (SIGTERM to tagship alone) the
gate's commands, the index and the clone are all gone, and the user's repository is as
it was.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.commands.rehearsing import (
    SLOW_GATE,
    fingerprint,
    leftovers,
    processes_mentioning,
    project,
    released,
    shell,
)
from tests.helpers import commit
from tests.userland import PlainShell

__all__ = ["project", "released", "shell"]  # fixtures

pytestmark = pytest.mark.slow


def _wait_for(marker: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while not processes_mentioning(marker):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the slow gate never started"
        time.sleep(0.05)


@pytest.mark.parametrize("interrupt", ["ctrl-c", "sigterm"])
def test_an_interrupted_rehearsal_leaves_nothing_behind(
    tmp_path: Path, project: Path, shell: PlainShell, interrupt: str
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
        [project / ".venv" / "bin" / "tagship", "rehearse", "v0.1.0rc1"],
        cwd=project,
        env={**shell.env, "TMPDIR": str(tmpdir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a job in a terminal
    )
    try:
        _wait_for(marker, process)
        assert processes_mentioning(str(tmpdir))  # the server, serving from the sandbox
        if interrupt == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
            os.killpg(process.pid, signal.SIGINT)  # twice, impatiently
        else:
            process.send_signal(signal.SIGTERM)  # `kill PID`: tagship alone is told
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    # every process is gone by the time tagship exits: no grace period for leftovers
    assert processes_mentioning(marker) == []
    assert processes_mentioning(str(tmpdir)) == []
    assert leftovers(tmpdir) == []
    assert fingerprint(project) == before
