"""Run every benchmark and write one Markdown report (benchmarks/report.md)."""

from __future__ import annotations

import importlib
import platform
import sys
import time
from pathlib import Path

# Each name is a module of this package with `run() -> str`.
BENCHMARKS: tuple[str, ...] = ("prepush", "startup", "scale", "rehearse", "corpus", "day")


def main(names: list[str]) -> int:
    selected = names or list(BENCHMARKS)
    sections = [
        "# tagship benchmarks\n",
        (
            f"Python {platform.python_version()} on {platform.platform()}, "
            f"{time.strftime('%Y-%m-%d %H:%M')}\n"
        ),
    ]
    for name in selected:
        print(f"== {name}", file=sys.stderr)
        module = importlib.import_module(f"benchmarks.{name}")
        sections.append(module.run())
    report = Path(__file__).parent / "report.md"
    report.write_text("\n".join(sections), encoding="utf-8")
    print(report.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
