"""Run gates at the same time, each with its own timeout, and stop them all on Ctrl-C.

One thread schedules everything: it starts up to `jobs` gates, polls them, kills a gate
that outlives its timeout (with every process it started), and reports each state change
to the display. Output goes to a file per gate, so a chatty gate never blocks on a pipe.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from tagship import proc
from tagship.gates.environment import Environment
from tagship.gates.spec import Gate

if TYPE_CHECKING:
    from tagship.report import Result

Status = Literal["passed", "failed", "cached"]
TAIL_LINES = 30
_POLL = 0.02
_NOT_FOUND = 127  # what POSIX shells return for a command they cannot find


@dataclass(frozen=True)
class Outcome:
    """How one gate ended."""

    gate: Gate
    status: Status
    seconds: float
    detail: str = ""
    """One line: why it failed, or where its cached pass came from."""
    output: str = ""
    """The last lines of its output (failed gates only)."""
    returncode: int | None = None

    def result(self) -> Result:
        """This outcome in the one result model every command reports with."""
        from tagship.report import Result  # noqa: PLC0415 (a cached gate run starts fast)

        return Result(self.gate.name, self.status, self.seconds, self.detail, self.output)


class Display(Protocol):
    def started(self, gate: Gate) -> None: ...
    def finished(self, outcome: Outcome) -> None: ...
    def tick(self) -> None: ...


class _Running:
    """A started gate. (A plain class: every dataclass costs start-up time, see plan.py.)"""

    __slots__ = ("gate", "log", "process", "start")

    def __init__(self, gate: Gate, process: subprocess.Popen[bytes], log: Path) -> None:
        self.gate = gate
        self.process = process
        self.log = log
        self.start = time.monotonic()


def tail(text: str, lines: int = TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def failure_detail(returncode: int, output: str) -> str:
    """One line saying why a gate failed, with the fix when we know it."""
    if returncode == _NOT_FOUND and "not found" in output:
        last = output.strip().splitlines()[-1]
        return (
            f"command not found ({last.strip()}); install it or fix the gate's command "
            f"in [tool.tagship.gates]"
        )
    if returncode < 0:
        return f"killed by signal {-returncode}"
    return f"exit {returncode}"


def missing_tool(gate: Gate, environment: Environment) -> str | None:
    """For a default gate whose tool the project's environment lacks: the one-line fix."""
    if gate.tool is None or environment.has_tool(gate.tool):
        return None
    if environment.prefix is None:
        return f"no project environment at {environment.expected}; create it: uv sync"
    return (
        f"{gate.tool} is not in the project's environment ({environment.prefix}); "
        f"add it to the dev group: uv add --dev {gate.tool}"
    )


NO_TESTS_NOTE = "no tests collected yet (exit {code}): passes; add tests to keep it useful"


class Runner:
    """Runs a set of gates in one checkout."""

    def __init__(
        self,
        *,
        cwd: Path,
        env: Mapping[str, str],
        environment: Environment,
        jobs: int,
        display: Display,
        on_pass: Callable[[Outcome], None],
    ) -> None:
        self.cwd = cwd
        self.env = env
        self.environment = environment
        self.jobs = jobs
        self.display = display
        self.on_pass = on_pass

    def run(self, gates: list[Gate]) -> list[Outcome]:
        import tempfile  # noqa: PLC0415 (lazy: a cached run must start fast)

        with tempfile.TemporaryDirectory(prefix="tagship-logs-") as logs:
            running: list[_Running] = []
            try:
                return self._loop(gates, running, Path(logs))
            finally:
                # Ctrl-C or an error: nothing may outlive us, even if Ctrl-C comes again.
                with proc.signals_deferred():
                    proc.stop_groups([job.process for job in running], grace=1.0)

    def _loop(self, pending: list[Gate], running: list[_Running], logs: Path) -> list[Outcome]:
        pending = list(pending)
        done: list[Outcome] = []
        while pending or running:
            while pending and len(running) < self.jobs:
                gate = pending.pop(0)
                missing = missing_tool(gate, self.environment)
                if missing:
                    self.display.started(gate)
                    self._finish(Outcome(gate, "failed", 0.0, missing), done)
                else:
                    # A Ctrl-C between the start and the append would orphan the gate.
                    with proc.signals_deferred():
                        running.append(self._start(gate, logs))
            for job in list(running):
                outcome = self._poll(job)
                if outcome is not None:
                    running.remove(job)
                    self._finish(outcome, done)
            self.display.tick()
            time.sleep(_POLL)
        return done

    def _finish(self, outcome: Outcome, done: list[Outcome]) -> None:
        if outcome.status == "passed":
            self.on_pass(outcome)
        done.append(outcome)
        self.display.finished(outcome)

    def _start(self, gate: Gate, logs: Path) -> _Running:
        self.display.started(gate)
        log = logs / f"{len(list(logs.iterdir()))}.log"
        env = {**self.env, **dict(gate.env)}
        process = proc.start_shell(gate.run, cwd=self.cwd, env=env, log_file=log, inherit=False)
        return _Running(gate, process, log)

    def _poll(self, job: _Running) -> Outcome | None:
        elapsed = time.monotonic() - job.start
        returncode = job.process.poll()
        if returncode is None and elapsed <= job.gate.timeout:
            return None
        # A gate is over when its shell exits: whatever it left running in the background
        # goes too (and a gate past its timeout is stopped whole).
        proc.stop_group(job.process, grace=0 if returncode is not None else 2.0)
        if returncode is None:
            detail = f"timed out after {job.gate.timeout:g} s; killed (raise its timeout)"
            return Outcome(job.gate, "failed", elapsed, detail, self._output(job), None)
        if returncode == 0:
            return Outcome(job.gate, "passed", elapsed, returncode=0)
        if returncode == job.gate.empty_exit:
            note = NO_TESTS_NOTE.format(code=returncode)
            return Outcome(job.gate, "passed", elapsed, note, returncode=returncode)
        output = self._output(job)
        detail = failure_detail(returncode, output)
        return Outcome(job.gate, "failed", elapsed, detail, output, returncode)

    @staticmethod
    def _output(job: _Running) -> str:
        return tail(job.log.read_bytes().decode("utf-8", "replace"))
