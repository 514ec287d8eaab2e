"""Start-up of `tagship route`, which runs in every release job and inside hooks.

Goals (issue 14): within 3x of a bare Python start-up (`python -c pass`), and at least 4x
faster than `cz version`, all measured in the same run, in a directory with a `.cz.toml`.
The floor is what route cannot do without: TOML and packaging's versions.

The commands take turns, round after round, so that a busy machine slows them alike.
Both the wall time and the CPU time (user + system, from wait4) of each run are kept:
on a machine shared with other work the wall time also counts the waiting for a core,
the CPU time only what the command itself costs. Bytecode caching is on (an empty
PYTHONDONTWRITEBYTECODE), as on any installed machine: otherwise every run would
recompile every module it imports, tagship's and commitizen's.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.common import BIN, WORK, table, verdict

ROUNDS = 25
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
FLOOR = "import tomllib, packaging.version"
COMMANDS: dict[str, list[str | Path]] = {
    "python -c pass": [BIN / "python", "-c", "pass"],
    f"python -c '{FLOOR}'": [BIN / "python", "-c", FLOOR],
    "tagship route v1.2.3": [BIN / "tagship", "route", "v1.2.3"],
    "cz version": [BIN / "cz", "version"],
}


def _project() -> Path:
    root = WORK / "startup"
    root.mkdir(parents=True, exist_ok=True)
    (root / ".cz.toml").write_text(
        '[tool.commitizen]\nversion_provider = "scm"\ntag_format = "v$version"\n',
        encoding="utf-8",
    )
    (root / "pyproject.toml").write_text('[project]\nname = "startup-probe"\n', encoding="utf-8")
    return root


def _run(argv: Sequence[str | Path], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `argv`; it must succeed."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [str(a) for a in argv],
        cwd=cwd,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{argv} exited {child.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime


def _medians(
    commands: Mapping[str, Sequence[str | Path]], cwd: Path
) -> dict[str, tuple[float, float]]:
    for argv in commands.values():  # warm-up: bytecode caches, file system caches
        _run(argv, cwd)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(ROUNDS):
        for name, argv in commands.items():
            runs[name].append(_run(argv, cwd))
    return {
        name: (statistics.median(w for w, _ in found), statistics.median(c for _, c in found))
        for name, found in runs.items()
    }


def run() -> str:
    medians = _medians(COMMANDS, _project())
    python_wall, python_cpu = medians["python -c pass"]
    route_wall, route_cpu = medians["tagship route v1.2.3"]
    cz_wall, _ = medians["cz version"]
    rows = [
        (
            name,
            f"{wall * 1000:.1f}",
            f"{wall / python_wall:.2f}x",
            f"{cpu * 1000:.1f}",
            f"{cpu / python_cpu:.2f}x",
        )
        for name, (wall, cpu) in medians.items()
    ]
    header = ("command", "wall ms", "wall vs python", "cpu ms", "cpu vs python")
    return (
        "## startup\n\n"
        f"Median of {ROUNDS} rounds, the commands taking turns, bytecode caches warm; "
        f"{os.cpu_count()} cores.\n\n"
        + table(header, rows)
        + "\n"
        + verdict(
            f"route within 3x of python -c pass in CPU time ({route_cpu / python_cpu:.2f}x)",
            route_cpu <= 3 * python_cpu,
        )
        + verdict(
            f"route within 3x of python -c pass in wall time ({route_wall / python_wall:.2f}x)",
            route_wall <= 3 * python_wall,
        )
        + verdict(
            f"route at least 4x faster than cz version ({cz_wall / route_wall:.2f}x)",
            cz_wall >= 4 * route_wall,
        )
    )
