"""`proc.query`: the posix_spawn runner of git's queries, on real processes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tagship import proc


def test_query_keeps_both_streams_and_the_exit_code() -> None:
    big = 200_000  # more than a pipe holds: both pipes must be read as they fill
    script = f"printf '%0{big}d' 0; echo oops >&2; exit 3"
    result = proc.query(["sh", "-c", script], check=False)
    assert (result.returncode, len(result.stdout), result.stderr) == (3, big, "oops\n")


def test_query_raises_with_the_last_line_of_stderr() -> None:
    with pytest.raises(proc.ProcessError, match=r"^sh -c exited 2: second$") as caught:
        proc.query(["sh", "-c", "echo first >&2; echo second >&2; exit 2"])
    assert caught.value.returncode == 2


def test_query_of_a_missing_command_says_so() -> None:
    with pytest.raises(proc.ProcessError, match="no-such-tool: command not found") as caught:
        proc.query(["no-such-tool", "--version"])
    assert caught.value.returncode == 127


def test_query_kills_what_outlives_its_timeout(tmp_path: Path) -> None:
    marker = tmp_path / "finished"
    start = time.monotonic()
    with pytest.raises(proc.ProcessError, match=r"^sh: timed out after 0.3 s$"):
        proc.query(["sh", "-c", f"sleep 5 && touch {marker}"], timeout=0.3)
    assert time.monotonic() - start < 3
    assert not marker.exists()


def test_query_drops_the_git_variables_a_hook_leaks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_DIR", "/elsewhere")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "kept")
    out = proc.query(["sh", "-c", 'echo "${GIT_DIR-unset} $GIT_AUTHOR_NAME $LC_ALL"']).stdout
    assert out == "unset kept C.UTF-8\n"
