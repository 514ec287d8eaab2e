"""`tagship rehearse` on the demo's kind of project, against the same steps run by hand.

The project is a real hatch-vcs package released by real commitizen (`cz bump
--prerelease rc`), so HEAD carries v0.1.0rc0 and its changelog section. After one warm-up
rehearsal (the uv cache is then warm), each round times `tagship rehearse --json` from the
outside and, in the same round, the very commands it runs, one after another, by hand:
the CI-style clone, pypiserver, route, gate, build, check, upload, verify, notes.
tagship's own overhead is the difference between the two totals.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.helpers import commit, cz, git, sample_project

from benchmarks.common import BIN, WORK, table, verdict
from tagship.index import free_port

ROUNDS = 6  # even: each side goes first equally often
GOAL_SECONDS = 15.0
GOAL_OVERHEAD = 0.10
STEPS = ("clone", "index", "route", "gate", "build", "check", "upload", "verify", "notes")
ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "NO_COLOR": "1",
}


def _run(argv: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=True,
    )


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def make_project(root: Path) -> Path:
    os.environ.update(ENV)  # the helpers' git and cz calls see the same private identity
    project = sample_project(root / "demo", name="bench-demo")
    commit(project, "feat: greet the world", {"src/bench_demo/greet.py": "HELLO = 1\n"})
    cz(project, "bump", "--prerelease", "rc", "--yes")
    return project


def rehearse(project: Path) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    done = _run([BIN / "tagship", "rehearse", "--json"], project)
    total = time.perf_counter() - start
    summary = json.loads(done.stdout)
    assert summary["ok"], done.stderr
    return total, {step["name"]: step["seconds"] for step in summary["steps"]}


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 (loopback)
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} never answered")


def by_hand(project: Path) -> tuple[float, dict[str, float]]:
    """The same commands, typed one after another (as a script would)."""
    root = Path(tempfile.mkdtemp(prefix="bench-by-hand-"))
    clone, dist, packages = root / "clone", root / "dist", root / "packages"
    packages.mkdir()
    head = git(project, "rev-parse", "HEAD")
    port = free_port()
    url, upload = f"http://127.0.0.1:{port}/simple/", f"http://127.0.0.1:{port}/"
    tag, version = "v0.1.0rc0", "0.1.0rc0"
    server: subprocess.Popen[bytes] | None = None
    times: dict[str, float] = {}

    def do_clone() -> None:
        clone.mkdir()
        _run(["git", "init", "--quiet"], clone)
        _run(["git", "remote", "add", "origin", project], clone)
        refspecs = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*", "HEAD"]
        _run(["git", "fetch", "--quiet", "--no-recurse-submodules", "origin", *refspecs], clone)
        _run(["git", "checkout", "--quiet", "--detach", head], clone)

    def do_index() -> None:
        nonlocal server
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "pypiserver", "run", "--host", "127.0.0.1"),
                *("--port", str(port), "--authenticate", ".", "--passwords", "."),
                *("--disable-fallback", "--health-endpoint", "/health", str(packages)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_ready(f"http://127.0.0.1:{port}/health")

    def do_upload() -> None:
        files = sorted(p for p in dist.iterdir() if p.name.endswith((".whl", ".tar.gz")))
        argv: list[str | Path] = [BIN / "uv", "publish", "--no-config"]
        argv += ["--trusted-publishing", "never", "--publish-url", upload, "--check-url", url]
        _run([*argv, "--username", "x", "--password", "x", *files], clone)

    plan: dict[str, Callable[[], object]] = {
        "clone": do_clone,
        "index": do_index,
        "route": lambda: _run([BIN / "tagship", "route", tag, "--json"], clone),
        "gate": lambda: _run([BIN / "tagship", "gate", "--no-cache"], clone),
        "build": lambda: _run([BIN / "uv", "build", "--no-config", "--out-dir", dist], clone),
        "check": lambda: _run(
            [BIN / "tagship", "check", tag, "--dist", dist, "--index", url], clone
        ),
        "upload": do_upload,
        "verify": lambda: _run(
            [BIN / "tagship", "verify", version, "--index", url, "--timeout", "60"], clone
        ),
        "notes": lambda: _run(
            [BIN / "tagship", "notes", tag, "--output", root / "notes.md"], clone
        ),
    }
    start = time.perf_counter()
    try:
        for name in STEPS:
            times[name] = _timed(plan[name])
    finally:
        # stopping the index and removing the files is part of the job, as in rehearse
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(root, ignore_errors=True)
    return time.perf_counter() - start, times


Round = tuple[tuple[float, dict[str, float]], tuple[float, dict[str, float]]]


def _measure(project: Path) -> list[Round]:
    rehearse(project)  # warm-up: the uv cache holds the build and install deps after it
    rounds: list[Round] = []
    for number in range(ROUNDS):
        # alternate which goes first, so that neither always meets a warmer machine
        if number % 2:
            hand = by_hand(project)
            rounds.append((rehearse(project), hand))
        else:
            rounds.append((rehearse(project), by_hand(project)))
    return rounds


def _report(rounds: list[Round]) -> str:
    tagship_total = statistics.median(r[0][0] for r in rounds)
    hand_total = statistics.median(r[1][0] for r in rounds)
    rows = [
        (
            name,
            f"{statistics.median(r[0][1][name] for r in rounds):.2f}",
            f"{statistics.median(r[1][1][name] for r in rounds):.2f}",
        )
        for name in STEPS
    ]
    rows.append(("**total (wall)**", f"**{tagship_total:.2f}**", f"**{hand_total:.2f}**"))
    # Paired within each round, so that a slow moment of the machine hits both sides.
    paired = statistics.median((r[0][0] - r[1][0]) / r[0][0] for r in rounds)
    # What tagship spends outside the commands it runs, measured inside the same rehearsal.
    own = statistics.median((r[0][0] - sum(r[0][1].values())) / r[0][0] for r in rounds)
    return (
        "## rehearse\n\n"
        f"`tagship rehearse` of v0.1.0rc0 on a sample project (hatch-vcs, commitizen), warm uv "
        f"cache, {os.cpu_count()} CPUs; median of {ROUNDS} rounds, seconds. The by-hand column "
        "runs the same commands one after another in the same round (the two alternate in going "
        "first).\n\n"
        + table(("step", "tagship rehearse", "by hand"), rows)
        + f"\ntagship's overhead against the same steps by hand, paired per round: {paired:+.1%} "
        f"(totals ranged over {_spread([r[0][0] for r in rounds])} s rehearsing and "
        f"{_spread([r[1][0] for r in rounds])} s by hand: smaller differences are noise). "
        f"Time a rehearsal spends outside the commands it runs (start-up, clone set-up, "
        f"clean-up, report): {own:.1%}.\n\n"
        + verdict(
            f"rehearsal under {GOAL_SECONDS:g} s ({tagship_total:.2f} s)",
            tagship_total < GOAL_SECONDS,
        )
        + verdict(
            f"tagship's own overhead under {GOAL_OVERHEAD:.0%}: outside its commands {own:.1%}",
            own < GOAL_OVERHEAD,
        )
        + verdict(
            f"against the same steps by hand, under {GOAL_OVERHEAD:.0%}: {paired:+.1%} paired "
            "(on a busy machine this one moves with the noise above)",
            paired < GOAL_OVERHEAD,
        )
    )


def _spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def run() -> str:
    WORK.mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="rehearse-", dir=WORK))
    saved = dict(os.environ)  # make_project sets a private git identity: give it back
    try:
        return _report(_measure(make_project(root)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
        os.environ.clear()
        os.environ.update(saved)


if __name__ == "__main__":
    print(run())
