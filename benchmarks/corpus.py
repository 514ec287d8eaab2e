"""The corpus of project shapes (tests/corpus): shape, result and seconds of each adoption.

Every shape runs the cheap steps (init, second init, doctor), then `uv lock`, `cz bump
--prerelease rc` with the pre-bump hook, `uv build` and `notes` (every shape that names its
rc tag), letting uv reach the index (a backend the cache may not hold). The tests run that
whole flow on the shapes marked full only; `python -m benchmarks.corpus --cheap` runs the
tests' subset.
It runs from the same plain shell as the tests, serially, so the seconds
are one shape's own cost on this machine.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import table

ROOT = Path(__file__).resolve().parent.parent


def _rows(full: bool) -> tuple[list[list[object]], float]:
    sys.path.insert(0, str(ROOT))
    from tests.corpus import flow  # noqa: PLC0415 (the tests are not a dependency)
    from tests.corpus.shapes import SHAPES, gated  # noqa: PLC0415
    from tests.userland import build_wheel, plain_environment  # noqa: PLC0415

    rows: list[list[object]] = []
    base = Path(tempfile.mkdtemp(prefix="tagship-corpus-"))
    start = time.perf_counter()
    try:
        wheels = base / "wheels"
        wheels.mkdir()
        build_wheel(wheels)
        shell = plain_environment(base / "shell", wheels)
        for shape in SHAPES:
            try:
                whole = full and shape.rc is not None and not shape.full
                outcome = flow.adopt(
                    shell,
                    gated(shape) if whole else shape,
                    base / shape.name,
                    full=whole or shape.full,
                    online=full,
                )
                steps = ", ".join(f"{name} {seconds:.1f}" for name, seconds in outcome.steps)
                rows.append([shape.name, outcome.result, f"{outcome.seconds:.1f}", steps])
            except AssertionError as exc:
                rows.append([shape.name, "FAILED: " + str(exc).splitlines()[0], "", ""])
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return rows, time.perf_counter() - start


def run(full: bool = True) -> str:
    rows, total = _rows(full)
    return "\n".join(
        [
            "## Corpus of project shapes\n",
            table(["shape", "result", "seconds", "steps (s)"], rows),
            f"\n{len(rows)} shapes in {total:.1f} s (serial, including the wheel build).\n",
        ]
    )


if __name__ == "__main__":
    print(run(full="--cheap" not in sys.argv))
