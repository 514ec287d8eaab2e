"""One result type and one reporter, for every command that runs steps.

A `Result` is a fact once a step (a rule, a gate, a smoke test) has run: its name, how it
ended, how long it took, one line of detail, and the output to show when it failed. The
`Reporter` says when each step starts and when it ends, as it happens: on a terminal a
live line with the step, its elapsed time and the last thing its command printed (rich,
imported only then); elsewhere (logs, CI, NO_COLOR pipes) plain lines. Like pypa/build,
a step's command output is streamed while it runs, not held back to the end.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from tagship import output
from tagship.errors import FatalError

if TYPE_CHECKING:
    from rich.live import Live

Status = Literal["passed", "warning", "failed", "skipped", "cached"]

_OUTPUT_TAIL = 40  # lines of a failed step's output worth showing; the rest is noise
_MARKS = {
    "passed": "ok  ",
    "warning": "warn",
    "failed": "FAIL",
    "skipped": "skip",
    "cached": "hit ",
}


@dataclass(frozen=True)
class Result:
    """One step that ran (or was skipped because an earlier one failed)."""

    name: str
    """What the step does, as the report names it (`install`, `script demo --version`)."""
    status: Status
    seconds: float
    detail: str
    """One line: what happened (for a warning: what to know)."""
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

    def line(self) -> str:
        """The plain one-line report of this result."""
        return f"  {_MARKS[self.status]} {self.seconds:6.2f}s  {self.name}: {self.detail}"


class StepFailed(FatalError):
    """A step failed: its message says why; `output` is what its command printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


class Note(str):
    """A step's detail that passed with something to know (reported as a warning)."""

    __slots__ = ()


def tail(text: str, lines: int = _OUTPUT_TAIL) -> str:
    kept = text.strip().splitlines()
    cut = len(kept) - lines
    return "\n".join(([f"[... {cut} lines above]"] if cut > 0 else []) + kept[-lines:])


def first_failure(results: Sequence[Result]) -> Result | None:
    return next((result for result in results if result.failed), None)


def failure_message(command: str, result: Result) -> str:
    """The one line a failed run ends with: which step, and what it said."""
    return f"{command} failed at step '{result.name}': {result.detail}"


class Reporter:
    """Reports each step as it starts and as it ends (plain lines; see `live`)."""

    def __init__(self, title: str, *, echo: bool = False) -> None:
        self.title = title
        self.echo = echo
        """Whether the plain reporter prints the running step's progress lines."""
        self._lock = threading.Lock()

    def __enter__(self) -> Reporter:
        output.info(self.title)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def started(self, name: str) -> None:
        with self._lock:
            output.info(f"  ...           {name}")

    def progress(self, line: str) -> None:
        """A line printed by the running step's command (may come from another thread)."""
        if self.echo and line.strip():
            with self._lock:
                output.info(f"      | {line.rstrip()}")

    def finished(self, result: Result) -> None:
        with self._lock:
            output.info(result.line())
            if result.failed and result.output.strip():
                output.info(f"--- output of '{result.name}':\n{tail(result.output)}")


class Quiet(Reporter):
    """No progress (`--json`): the JSON summary says everything."""

    def __enter__(self) -> Quiet:
        return self

    def started(self, name: str) -> None:
        return None

    def progress(self, line: str) -> None:
        return None

    def finished(self, result: Result) -> None:
        return None


class _Status:
    """The live line: spinner, step, elapsed time, last progress line (rendered by rich)."""

    def __init__(self) -> None:
        self.name = ""
        self.start = time.monotonic()
        self.last = ""

    def __rich__(self) -> Any:
        from rich.spinner import Spinner  # noqa: PLC0415 (only on a terminal)

        if not self.name:
            return ""
        elapsed = time.monotonic() - self.start
        text = f"{self.name}  {elapsed:5.1f} s  [dim]{self.last}[/]"
        return Spinner("dots", text=text)


class LiveReporter(Reporter):
    """On a terminal: finished steps scroll, the running one is a live, ticking line."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self._status = _Status()
        self._live: Live | None = None

    def __enter__(self) -> LiveReporter:
        from rich.console import Console  # noqa: PLC0415 (only on a terminal)
        from rich.live import Live  # noqa: PLC0415

        console = Console(stderr=True, no_color=not output.color_enabled(), highlight=False)
        console.print(self.title, markup=False)
        self._live = Live(self._status, console=console, refresh_per_second=8, transient=True)
        self._live.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._live is not None:
            self._status.name = ""
            self._live.__exit__(kind, exc, tb)

    def started(self, name: str) -> None:
        self._status.name, self._status.start, self._status.last = name, time.monotonic(), ""

    def progress(self, line: str) -> None:
        if line.strip():
            self._status.last = line.strip()[:100]

    def finished(self, result: Result) -> None:
        assert self._live is not None  # noqa: S101 (used as a context manager)
        self._status.name = ""  # nothing runs until the next step starts
        style = {"passed": "green", "warning": "yellow", "failed": "bold red"}.get(
            result.status, "dim"
        )
        console = self._live.console
        console.print(f"[{style}]{result.line()}[/]", markup=True, highlight=False)
        if result.failed and result.output.strip():
            console.rule(f"output of '{result.name}'", style="red")
            console.print(tail(result.output), markup=False, highlight=False)


def reporter(title: str, *, quiet: bool = False, echo: bool = False) -> Reporter:
    """The live reporter on a terminal, plain lines elsewhere, nothing when `quiet`."""
    if quiet:
        return Quiet(title)
    return LiveReporter(title) if sys.stderr.isatty() else Reporter(title, echo=echo)


def timed(name: str, action: Callable[[], str], sink: Reporter | None = None) -> Result:
    """Run `action` (which returns the step's one-line detail) as the step `name`.

    A FatalError becomes a failed step with the error's message; anything else is a bug
    and propagates. A `Note` detail makes the step a warning.
    """
    if sink is not None:
        sink.started(name)
    start = time.perf_counter()
    try:
        detail = action()
    except StepFailed as exc:
        result = Result(name, "failed", time.perf_counter() - start, str(exc), exc.output)
    except FatalError as exc:
        result = Result(name, "failed", time.perf_counter() - start, str(exc))
    else:
        status: Status = "warning" if isinstance(detail, Note) else "passed"
        result = Result(name, status, time.perf_counter() - start, str(detail))
    if sink is not None:
        sink.finished(result)
    return result


def skipped(name: str, why: str) -> Result:
    return Result(name, "skipped", 0.0, why)


def run_in_order(
    plan: Sequence[tuple[str, Callable[[], str]]], sink: Reporter | None = None
) -> list[Result]:
    """Run each step until one fails; the rest are reported as skipped."""
    results: list[Result] = []
    for name, action in plan:
        failure = first_failure(results)
        if failure is None:
            results.append(timed(name, action, sink))
        else:
            results.append(skipped(name, f"'{failure.name}' failed"))
            if sink is not None:
                sink.finished(results[-1])
    return results
