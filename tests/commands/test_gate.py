"""`tagship gate` run directly: real tools, real processes, real signals."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import (
    BIN,
    commit,
    git,
    link_project_env,
    run,
    sample_project,
    tagship,
    write,
)

TYPED = """\
def double(value: int) -> int:
    return value * 2
"""
TEST = """\
from sample_pkg.core import double


def test_double() -> None:
    assert double(2) == 4
"""
TOOLS = """
[tool.ruff]
line-length = 100

[tool.mypy]
strict = true

[tool.pytest.ini_options]
pythonpath = ["src"]
addopts = ["-p", "no:cacheprovider"]
"""


def gated(tmp_path: Path, gates: str) -> Path:
    table = "\n[tool.tagship.gates]\n" + gates
    return link_project_env(sample_project(tmp_path / "repo", extra_pyproject=table))


def summary(repo: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    ran = tagship(repo, "gate", "--json", *args, env=env)
    assert ran.returncode in (0, 1), ran.stderr
    data: dict[str, object] = json.loads(ran.stdout)
    return data


def statuses(data: dict[str, object]) -> dict[str, str]:
    gates = data["gates"]
    assert isinstance(gates, list)
    return {gate["name"]: gate["status"] for gate in gates}


def alive(pid: int) -> bool:
    """Running, not gone and not a zombie left for a container's init to reap."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def passes(repo: Path) -> dict[str, dict[str, object]]:
    path = Path(git(repo, "rev-parse", "--path-format=absolute", "--git-common-dir"))
    store = path / "tagship" / "gates" / "passes.json"
    found: dict[str, dict[str, object]] = json.loads(store.read_text())["passes"]
    return found


@pytest.mark.slow
def test_real_ruff_mypy_pytest_defaults(tmp_path: Path) -> None:
    repo = link_project_env(sample_project(tmp_path / "repo", extra_pyproject=TOOLS))
    commit(repo, "feat: core", {"src/sample_pkg/core.py": TYPED, "tests/test_core.py": TEST})
    first = summary(repo)
    assert statuses(first) == {
        "ruff-check": "passed",
        "ruff-format": "passed",
        "mypy": "passed",
        "pytest": "passed",
    }
    assert first["passed"] is True
    assert first["worktree"] is False
    assert first["commit"] == git(repo, "rev-parse", "HEAD")

    commit(repo, "feat: wrong", {"src/sample_pkg/core.py": TYPED.replace("value * 2", '"2"')})
    second = summary(repo, "--explain")
    assert statuses(second) == {
        "ruff-check": "passed",
        "ruff-format": "passed",
        "mypy": "failed",
        "pytest": "failed",
    }
    gates = {gate["name"]: gate for gate in second["gates"]}  # type: ignore[attr-defined]
    assert "Incompatible return value type" in gates["mypy"]["output"]
    assert gates["mypy"]["detail"] == "exit 1"
    assert gates["mypy"]["reason"] == "ran: modified src/sample_pkg/core.py"
    # Failures are never recorded: only the first run's passes and the ruff reruns are.
    assert sorted(str(r["gate"]) for r in passes(repo).values()) == [
        "mypy",
        "pytest",
        "ruff-check",
        "ruff-check",
        "ruff-format",
        "ruff-format",
    ]


def test_gate_killed_mid_run_records_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    quick = f"touch {marks}/quick"
    slow = f"sleep 60 & echo $! > {marks}/slow.pid; wait"
    repo = gated(tmp_path, f'quick = "{quick}"\nslow = "{slow}"\n')
    write(repo, {"untracked.txt": "x"})  # so that the gates run in a temporary worktree
    process = subprocess.Popen(
        [BIN / "tagship", "gate"], cwd=repo, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 30
    while not (marks / "slow.pid").exists() or not (marks / "quick").exists():
        assert time.monotonic() < deadline, "the gates never started"
        time.sleep(0.05)
    time.sleep(0.3)  # let the quick gate's pass be recorded
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert not alive(int((marks / "slow.pid").read_text()))
    assert [record["gate"] for record in passes(repo).values()] == ["quick"]
    assert len(git(repo, "worktree", "list").splitlines()) == 1
    assert "Traceback" not in err


def test_two_runs_at_once_end_with_one_consistent_record(tmp_path: Path) -> None:
    repo = gated(tmp_path, 'a = "sleep 0.5"\nb = "sleep 0.5"\n')
    both = [
        subprocess.Popen([BIN / "tagship", "gate", "--json"], cwd=repo, stdout=subprocess.PIPE)
        for _ in range(2)
    ]
    for process in both:
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0
        assert statuses(json.loads(out)) == {"a": "passed", "b": "passed"}
    assert sorted(str(record["gate"]) for record in passes(repo).values()) == ["a", "b"]
    assert statuses(summary(repo)) == {"a": "cached", "b": "cached"}


def test_missing_tool_is_named_with_the_fix(tmp_path: Path) -> None:
    repo = sample_project(tmp_path / "repo", extra_pyproject="\n[tool.mypy]\nstrict = true\n")
    # The test suite's own venv is active and on PATH: the gates must not take tools from it.
    ran = tagship(repo, "gate", "--only", "mypy")
    assert ran.returncode == 1
    assert (
        f"error: gate mypy failed: no project environment at {repo}/.venv; create it: uv sync"
        in ran.stderr
    )
    venv = repo / ".venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], repo)
    ran = tagship(repo, "gate", "--only", "mypy")
    assert ran.returncode == 1
    assert (
        f"error: gate mypy failed: mypy is not in the project's environment ({venv}); "
        "add it to the dev group: uv add --dev mypy"
    ) in ran.stderr


def test_command_not_found_and_timeout_fail_clearly(tmp_path: Path) -> None:
    pid = tmp_path / "hang.pid"
    repo = gated(
        tmp_path,
        'typo = "no-such-tool-xyz --check"\n'
        f'hang = {{ run = "sleep 60 & echo $! > {pid}; wait", timeout = 0.5 }}\n'
        'ok = "true"\n',
    )
    started = time.monotonic()
    data = summary(repo)
    assert time.monotonic() - started < 20
    assert statuses(data) == {"typo": "failed", "hang": "failed", "ok": "passed"}
    gates = {gate["name"]: gate for gate in data["gates"]}  # type: ignore[attr-defined]
    assert gates["typo"]["detail"].startswith("command not found (")
    assert "no-such-tool-xyz" in gates["typo"]["detail"]
    assert gates["hang"]["detail"] == "timed out after 0.5 s; killed (raise its timeout)"
    assert not alive(int(pid.read_text()))


def test_config_comes_from_the_gated_commit(tmp_path: Path) -> None:
    seen = tmp_path / "seen"
    repo = gated(tmp_path, f'check = "test -f README.md && echo $PWD:$PYTHONPATH > {seen}"\n')
    pyproject = (repo / "pyproject.toml").read_text()
    write(repo, {"pyproject.toml": pyproject.replace("test -f README.md", "false")})
    data = summary(repo)
    assert statuses(data) == {"check": "passed"}
    assert data["worktree"] is True
    # In the worktree, its own sources come first (not an editable install of the checkout).
    cwd, first, *_ = seen.read_text().strip().split(":")
    assert first == f"{cwd}/src"
    assert not Path(cwd).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "nope"], "--only nope: no such gate; gates are check"),
        (["--rev", "no-such-branch"], "--rev 'no-such-branch' names no commit"),
        (["--jobs", "0"], "--jobs 0: give at least 1"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    repo = gated(tmp_path, 'check = "true"\n')
    ran = tagship(repo, "gate", *args)
    assert ran.returncode == 2
    assert message in ran.stderr


def test_broken_gates_table_exits_2(tmp_path: Path) -> None:
    repo = gated(tmp_path, 'check = { command = "true" }\n')
    ran = tagship(repo, "gate")
    assert ran.returncode == 2
    expected = (
        f"error: {repo}/pyproject.toml: [tool.tagship.gates] check: unknown key 'command'; "
        "keys are env, inputs,"
    )
    assert ran.stderr.strip().splitlines() == [f"{expected} run, timeout"]


def test_live_display_on_a_terminal(tmp_path: Path) -> None:
    repo = gated(tmp_path, 'fine = "true"\nbroken = "echo some detail; exit 3"\n')
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [BIN / "tagship", "gate"], cwd=repo, stderr=follower, stdout=follower, env=env
    )
    os.close(follower)
    screen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        try:
            chunk = os.read(leader, 65536) if ready else b""
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        screen += chunk
    assert process.wait(timeout=30) == 1
    text = screen.decode("utf-8", "replace")
    assert "\x1b[" in text  # drawn with rich, in colour
    for expected in ("passed", "fine", "failed", "broken", "exit 3", "some detail"):
        assert expected in text


@pytest.mark.slow
def test_failing_gate_stops_cz_bump_before_a_version_is_made(tmp_path: Path) -> None:
    repo = gated(tmp_path, 'lint = "ruff check ."\n')
    cz_toml = (repo / ".cz.toml").read_text() + 'pre_bump_hooks = ["tagship gate"]\n'
    commit(repo, "feat: broken", {".cz.toml": cz_toml, "src/sample_pkg/bad.py": "import os\n"})
    bump = run([BIN / "cz", "bump", "--yes"], repo, check=False)
    assert bump.returncode != 0
    assert "gate lint failed" in bump.stdout + bump.stderr
    # commitizen writes the changelog before its hooks; the gate still ran in place.
    assert "temporary worktree" not in bump.stdout + bump.stderr
    assert git(repo, "tag", "--list") == ""
    # commitizen leaves its new changelog behind after a failed hook; the gate says so
    assert "commitizen already wrote CHANGELOG.md: undo it with `rm -- CHANGELOG.md`" in (
        bump.stdout + bump.stderr
    )
    (repo / "CHANGELOG.md").unlink()
    commit(repo, "fix: good", {"src/sample_pkg/bad.py": "VALUE = 1\n"})
    bump = run([BIN / "cz", "bump", "--yes"], repo, check=False)
    assert bump.returncode == 0, bump.stdout + bump.stderr
    assert git(repo, "tag", "--list") == "v0.1.0"


def _meets(mine: str, other: str, marks: Path) -> str:
    """A gate that passes only if the other gate starts while it runs."""
    return (
        f"touch {marks}/{mine}; for i in $(seq 40); do "
        f"[ -e {marks}/{other} ] && exit 0; sleep 0.05; done; exit 1"
    )


@pytest.mark.parametrize(("jobs", "expected"), [("2", "passed"), ("1", "failed")])
def test_gates_run_at_the_same_time_up_to_jobs(tmp_path: Path, jobs: str, expected: str) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    repo = gated(tmp_path, f'a = "{_meets("a", "b", marks)}"\nb = "{_meets("b", "a", marks)}"\n')
    assert statuses(summary(repo, "--jobs", jobs, "--no-cache")) == {"a": expected, "b": "passed"}


def test_with_fewer_jobs_than_gates_the_longest_by_its_last_pass_starts_first(
    tmp_path: Path,
) -> None:
    started = tmp_path / "started"
    repo = gated(
        tmp_path,
        f'quick = "echo quick >> {started}"\nlong = "echo long >> {started}; sleep 0.5"\n',
    )
    assert statuses(summary(repo, "--jobs", "1")) == {"quick": "passed", "long": "passed"}
    assert started.read_text().split() == ["quick", "long"]  # no history: as configured
    commit(repo, "fix: new content for both gates", {"src/sample/extra.py": "X = 1\n"})
    started.unlink()
    ran = summary(repo, "--jobs", "1")
    assert statuses(ran) == {"quick": "passed", "long": "passed"}  # reported as configured
    assert started.read_text().split() == ["long", "quick"]


def test_default_gates_the_project_shows_no_tool_for_are_not_run_until_installed(
    tmp_path: Path,
) -> None:
    """A project that declares ruff only: ruff's gates are required, mypy's and pytest's
    wait for their tool, and run as soon as it is in the project's environment."""
    ruff_only = "\n[tool.ruff]\nline-length = 100\n"
    repo = sample_project(tmp_path / "repo", extra_pyproject=ruff_only)
    run([sys.executable, "-m", "venv", "--without-pip", repo / ".venv"], repo)
    data = summary(repo)
    assert statuses(data) == {"ruff-check": "failed", "ruff-format": "failed"}
    assert data["not_run"] == [
        {
            "name": name,
            "detail": f"{name} not run: {name} is not in the project's environment "
            f"({repo}/.venv); add it to the dev group to gate with it: uv add --dev {name}",
        }
        for name in ("mypy", "pytest")
    ]
    shutil.rmtree(repo / ".venv")
    link_project_env(repo)  # now every tool is there
    data = summary(repo)
    assert set(statuses(data)) == {"ruff-check", "ruff-format", "mypy", "pytest"}
    assert data["not_run"] == []
    (pytest_gate,) = (g for g in data["gates"] if g["name"] == "pytest")  # type: ignore[attr-defined]
    assert pytest_gate["status"] == "passed"
    assert pytest_gate["detail"].startswith("no tests collected yet (exit 5): passes")
