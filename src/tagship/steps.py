"""Timed steps and their report, shared by `verify` and `rehearse`.

A step is a fact once it has run: its name, whether it passed, how long it took, one line
of detail, and the output to show when it failed. The report is a table on a terminal
(rich, imported only then) and plain lines otherwise; `--json` gets `as_dict`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from tagship import output
from tagship.errors import FatalError

Status = Literal["passed", "failed", "skipped"]

_OUTPUT_TAIL = 40  # lines of a failed step's output worth showing; the rest is noise


@dataclass(frozen=True)
class Step:
    """One step that ran (or was skipped because an earlier one failed)."""

    name: str
    """What the step does, as the report names it (`install`, `script demo --version`)."""
    status: Status
    seconds: float
    detail: str
    """One line: what happened."""
    output: str = ""
    """What the step's command printed, kept for the report of a failure."""

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "detail": self.detail,
            "output": self.output,
        }


class StepFailed(FatalError):
    """A step failed: its message names the step; `output` is what it printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


def timed(name: str, action: Callable[[], str]) -> Step:
    """Run `action` (which returns the step's one-line detail) as the step `name`.

    A FatalError becomes a failed step with the error's message; anything else is a bug
    and propagates.
    """
    start = time.perf_counter()
    try:
        detail = action()
    except StepFailed as exc:
        return Step(name, "failed", time.perf_counter() - start, str(exc), exc.output)
    except FatalError as exc:
        return Step(name, "failed", time.perf_counter() - start, str(exc))
    return Step(name, "passed", time.perf_counter() - start, detail)


def skipped(name: str, why: str) -> Step:
    return Step(name, "skipped", 0.0, why)


def tail(text: str, lines: int = _OUTPUT_TAIL) -> str:
    kept = text.strip().splitlines()
    cut = len(kept) - lines
    return "\n".join(([f"[... {cut} lines above]"] if cut > 0 else []) + kept[-lines:])


def first_failure(steps: Sequence[Step]) -> Step | None:
    return next((step for step in steps if step.failed), None)


def failure_message(command: str, step: Step) -> str:
    """The one line a failed run ends with: which step, and what it said."""
    return f"{command} failed at step '{step.name}': {step.detail}"


def report(title: str, steps: Sequence[Step]) -> None:
    """The per-step report on stderr; failed steps show their output."""
    if sys.stderr.isatty():
        _rich_table(title, steps)
    else:
        output.info(title)
        for step in steps:
            mark = {"passed": "ok  ", "failed": "FAIL", "skipped": "skip"}[step.status]
            output.info(f"  {mark} {step.seconds:6.2f}s  {step.name}: {step.detail}")
    for step in steps:
        if step.failed and step.output.strip():
            output.info(f"--- output of '{step.name}':\n{tail(step.output)}")


def _rich_table(title: str, steps: Sequence[Step]) -> None:
    from rich.console import Console  # noqa: PLC0415 (only on a terminal)
    from rich.table import Table  # noqa: PLC0415

    table = Table(title=title, title_justify="left")
    for column, justify in (("step", "left"), ("result", "left"), ("time", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    table.add_column("detail", overflow="fold")
    style = {"passed": "green", "failed": "bold red", "skipped": "dim"}
    for step in steps:
        table.add_row(
            step.name,
            f"[{style[step.status]}]{step.status}[/]",
            f"{step.seconds:.2f} s",
            step.detail,
        )
    Console(stderr=True, no_color=not output.color_enabled()).print(table)


def run_in_order(plan: Sequence[tuple[str, Callable[[], str]]]) -> list[Step]:
    """Run each step until one fails; the rest are reported as skipped."""
    steps: list[Step] = []
    for name, action in plan:
        failure = first_failure(steps)
        if failure is None:
            steps.append(timed(name, action))
        else:
            steps.append(skipped(name, f"'{failure.name}' failed"))
    return steps
