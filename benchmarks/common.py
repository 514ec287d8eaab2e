"""Timing helpers shared by the benchmarks: wall time of real commands, median of N."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

BIN = Path(sys.executable).parent
WORK = Path(__file__).parent / ".work"


def wall(
    argv: Sequence[str | Path], *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> float:
    """Seconds one run of `argv` takes; it must succeed."""
    start = time.perf_counter()
    subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def median_of(measure: Callable[[], float], *, repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        measure()
    return statistics.median(measure() for _ in range(repeat))


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def verdict(goal: str, met: bool) -> str:
    return f"- {'met' if met else 'NOT met'}: {goal}\n"
