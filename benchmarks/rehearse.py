"""`tagship rehearse` end to end, and tagship's own share of it, on two projects.

Both are rehearsed as a user does, from a plain shell (only uv, git and a Python on PATH;
tagship from this checkout's wheel through UV_FIND_LINKS): `uv run tagship rehearse
--json`, after one warm-up rehearsal (the uv cache is then warm).

- the demo project: `uv init --package`, adopted by `tagship init`, its gate tools
  locked, one feature, `uv run cz bump --prerelease rc` (demo/demo.py's set-up);
- tagship itself: a clone of this checkout (its HEAD commit) with the changelog section
  of an rc written by `cz changelog`, rehearsed with that tag (the rehearsal tags its
  throwaway clone only). Its gate is tagship's own full test suite, so one round, without
  a warm-up (the demo's rounds and the developer's own environment warmed the uv cache).

End-to-end is the wall time of the command. tagship's own overhead is what is left after
the work it hands to others: installing environments (`environment`: uv sync; `verify`:
uv venv and uv pip install), the index (`index`: pypiserver; `upload`: uv publish),
building (`build`: uv build) and the project's own gate commands (`gate`).
"""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

from benchmarks.common import table, verdict

ROOT = Path(__file__).resolve().parents[1]
DELEGATED = ("environment", "index", "gate", "build", "upload", "verify")
GOAL_OVERHEAD = 0.10
Run = tuple[float, dict[str, float], str]
"""Wall seconds, seconds per step, and the failure ("" when the rehearsal passed)."""


def _demo_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tagship_demo", ROOT / "demo" / "demo.py")
    assert spec is not None and spec.loader is not None  # noqa: PT018 (a fixed file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def demo_project(root: Path) -> tuple[Path, dict[str, str], tuple[str, ...]]:
    demo = _demo_module().Demo(root, out=io.StringIO())
    demo.adopt()
    demo.commit("feat: greet the world", "Hello, world!")
    demo.sh("uv", "run", "cz", "bump", "--prerelease", "rc", "--yes")
    return demo.project, dict(demo.env), ()


def tagship_project(root: Path, env: Mapping[str, str]) -> tuple[Path, tuple[str, ...]]:
    project = root / "tagship"
    _run(["git", "clone", "--quiet", ROOT, project], root, env)
    _run(
        ["uv", "run", "--quiet", "cz", "changelog", "--unreleased-version", "v0.1.0rc0"],
        project,
        env,
    )
    _run(
        ["git", "commit", "--quiet", "--no-verify", "-am", "docs: changelog of v0.1.0rc0"],
        project,
        env,
    )
    return project, ("v0.1.0rc0",)


def _run(
    argv: Sequence[str | Path], cwd: Path, env: Mapping[str, str], *, check: bool = True
) -> str:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=dict(env), capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"{argv} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def rehearse(project: Path, env: Mapping[str, str], args: tuple[str, ...]) -> Run:
    start = time.perf_counter()
    argv = ["uv", "run", "--quiet", "tagship", "rehearse", *args, "--json"]
    out = _run(argv, project, env, check=False)
    wall = time.perf_counter() - start
    summary = json.loads(out)
    failed = [f"{s['name']}: {s['detail']}" for s in summary["steps"] if s["status"] == "failed"]
    return wall, {step["name"]: step["seconds"] for step in summary["steps"]}, "; ".join(failed)


def measure(
    project: Path, env: Mapping[str, str], args: tuple[str, ...], rounds: int, *, warm_up: bool
) -> list[Run]:
    if warm_up:
        rehearse(project, env, args)  # the uv cache holds every environment after it
    return [rehearse(project, env, args) for _ in range(rounds)]


def own_overhead(run: Run) -> float:
    """Seconds of a rehearsal not spent in the work tagship delegates."""
    wall, steps, _ = run
    return wall - sum(seconds for name, seconds in steps.items() if name in DELEGATED)


def section(title: str, runs: list[Run]) -> str:
    names = list(runs[0][1])
    rows = [(name, f"{statistics.median(r[1][name] for r in runs):.2f}") for name in names]
    wall = statistics.median(r[0] for r in runs)
    own = statistics.median(own_overhead(r) for r in runs)
    share = statistics.median(own_overhead(r) / r[0] for r in runs)
    rows += [
        ("**end to end (wall)**", f"**{wall:.2f}**"),
        ("**tagship's own** (all but " + ", ".join(DELEGATED) + ")", f"**{own:.2f}**"),
    ]
    failures = sorted({r[2] for r in runs if r[2]})
    failed = f"**the rehearsal failed**: {'; '.join(failures)}\n\n" if failures else ""
    return (
        f"### {title}\n\nmedian of {len(runs)} round(s), seconds\n\n"
        + failed
        + table(("step", "seconds"), rows)
        + "\n"
        + verdict(
            f"tagship's own overhead under {GOAL_OVERHEAD:.0%} of the rehearsal: {share:.1%}",
            share < GOAL_OVERHEAD,
        )
    )


def run() -> str:
    # Outside this checkout: the projects made here must be repositories of their own.
    root = Path(tempfile.mkdtemp(prefix="tagship-bench-rehearse-"))
    try:
        demo, env, args = demo_project(root)
        sections = [
            section(
                "the demo project (uv init --package)", measure(demo, env, args, 3, warm_up=True)
            )
        ]
        own, own_args = tagship_project(root, env)
        sections.append(section("tagship itself", measure(own, env, own_args, 1, warm_up=False)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return (
        "## rehearse\n\n`uv run tagship rehearse --json` from a plain shell, warm uv cache. "
        "tagship's own overhead excludes what it delegates: "
        + ", ".join(DELEGATED)
        + " (environments, index, build, installs, the project's gates).\n\n"
        + "\n".join(sections)
    )


if __name__ == "__main__":
    print(run())
