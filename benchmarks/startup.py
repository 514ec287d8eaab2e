"""Start-up of `tagship route`, which runs in every release job and inside hooks.

Goal: at least 4x faster than `cz version`, and within 3x of a bare Python start-up
(`python -c pass`), all measured in the same run, in a directory with a `.cz.toml`.
The commands take turns, round after round, so that a busy machine slows them alike.
Bytecode caching is on (an empty PYTHONDONTWRITEBYTECODE), as on any installed machine:
otherwise every run would recompile every module it imports, tagship's and commitizen's.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.common import BIN, WORK, table, verdict, wall

ROUNDS = 25
ENV = {"PYTHONDONTWRITEBYTECODE": ""}
# What route cannot do without: TOML, packaging's versions, and the modules the project's
# style asks for (argparse, pathlib, frozen dataclasses). Shown to tell the floor apart.
FLOOR = "import tomllib, packaging.version, argparse, pathlib, dataclasses"
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


def _medians(commands: Mapping[str, Sequence[str | Path]], cwd: Path) -> dict[str, float]:
    for argv in commands.values():  # warm-up: bytecode caches, file system caches
        wall(argv, cwd=cwd, env=ENV)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(ROUNDS):
        for name, argv in commands.items():
            times[name].append(wall(argv, cwd=cwd, env=ENV))
    return {name: statistics.median(found) for name, found in times.items()}


def run() -> str:
    medians = _medians(COMMANDS, _project())
    python = medians["python -c pass"]
    route = medians["tagship route v1.2.3"]
    cz = medians["cz version"]
    rows = [(name, f"{t * 1000:.1f}", f"{t / python:.2f}x") for name, t in medians.items()]
    return (
        "## startup\n\n"
        f"Median wall time of {ROUNDS} rounds, the commands taking turns, bytecode caches "
        "warm.\n\n"
        + table(("command", "median ms", "vs python -c pass"), rows)
        + "\n"
        + verdict(f"route within 3x of python -c pass ({route / python:.2f}x)", route <= 3 * python)
        + verdict(f"route at least 4x faster than cz version ({cz / route:.2f}x)", cz >= 4 * route)
    )
