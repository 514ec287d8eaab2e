"""What the user sees while gates run: a live table on a terminal, plain lines elsewhere.

`rich` is imported only by the live display, so a hook whose gates are all cached (no
terminal: pre-commit captures the output) never pays for it.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING, Any

from tagship import output
from tagship.gates.runner import Outcome
from tagship.gates.spec import Gate

if TYPE_CHECKING:
    from rich.console import Console
    from rich.live import Live


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


class Quiet:
    """No progress at all (`--json`): the summary says everything."""

    def __enter__(self) -> Quiet:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def started(self, gate: Gate) -> None:
        return None

    def finished(self, outcome: Outcome) -> None:
        return None

    def tick(self) -> None:
        return None


class Plain(Quiet):
    """One line per event, for logs, CI and hooks."""

    def started(self, gate: Gate) -> None:
        output.info(f"running {gate.name}: {gate.run}")

    def finished(self, outcome: Outcome) -> None:
        name, seconds = outcome.gate.name, f"{outcome.seconds:.2f} s"
        if outcome.status == "cached":
            output.info(f"cached  {name} ({outcome.detail})")
        elif outcome.status == "passed":
            note = f"; {outcome.detail}" if outcome.detail else ""
            output.success(f"passed  {name} ({seconds}{note})")
        else:
            output.error(f"gate {name} failed: {outcome.detail} ({seconds})")
            if outcome.output:
                output.info(_indent(outcome.output))


_STYLES = {"passed": "green", "failed": "red", "cached": "dim", "running": "yellow"}


class LiveTable(Quiet):
    """A line per gate with its state and elapsed time, redrawn in place."""

    def __init__(self, gates: list[Gate]) -> None:
        self.gates = gates
        self.started_at: dict[str, float] = {}
        self.outcomes: dict[str, Outcome] = {}
        self._live: Live | None = None
        self._console: Console | None = None

    def __enter__(self) -> LiveTable:
        from rich.console import Console  # noqa: PLC0415 (lazy: see module docstring)
        from rich.live import Live  # noqa: PLC0415

        self._console = Console(stderr=True)
        self._live = Live(self._render(), console=self._console, refresh_per_second=8)
        self._live.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._live is None or self._console is None:
            return
        self._live.update(self._render(), refresh=True)
        self._live.__exit__(kind, exc, tb)
        for outcome in self.outcomes.values():
            if outcome.status == "failed" and outcome.output:
                self._console.rule(f"{outcome.gate.name}: {outcome.detail}", style="red")
                self._console.print(outcome.output, markup=False, highlight=False)

    def started(self, gate: Gate) -> None:
        self.started_at[gate.name] = time.monotonic()
        self.tick()

    def finished(self, outcome: Outcome) -> None:
        self.outcomes[outcome.gate.name] = outcome
        self.tick()

    def tick(self) -> None:
        if self._live is not None:
            self._live.update(self._render())

    def _row(self, gate: Gate) -> tuple[str, str, str]:
        outcome = self.outcomes.get(gate.name)
        if outcome is not None:
            seconds = "" if outcome.status == "cached" else f"{outcome.seconds:.1f} s"
            return outcome.status, seconds, outcome.detail
        if gate.name in self.started_at:
            return "running", f"{time.monotonic() - self.started_at[gate.name]:.1f} s", gate.run
        return "waiting", "", gate.run

    def _render(self) -> Any:
        from rich.table import Table  # noqa: PLC0415
        from rich.text import Text  # noqa: PLC0415

        table = Table.grid(padding=(0, 2))
        for gate in self.gates:
            state, seconds, detail = self._row(gate)
            style = _STYLES.get(state, "dim")
            table.add_row(
                Text(state, style=style),
                Text(gate.name, style="bold"),
                Text(seconds, justify="right"),
                Text(detail, style="dim", overflow="ellipsis", no_wrap=True),
            )
        return table
