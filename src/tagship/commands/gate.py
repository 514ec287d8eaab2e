"""`tagship gate`: the quality gates, in parallel, content-cached, on the pushed commit."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from tagship import bumping, git, output
from tagship.errors import ConfigError, FatalError
from tagship.gates import checkout
from tagship.gates.display import LiveTable, Plain, Quiet
from tagship.gates.plan import Plan, Planned, longest_first, make_plan
from tagship.gates.runner import Outcome, Runner


def _interrupt(signum: int, _: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """A hook killed with SIGTERM or SIGHUP cleans up like on Ctrl-C (worktree, gates)."""
    saved = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _display(plan: Plan, *, as_json: bool) -> Quiet:
    if as_json:
        return Quiet()
    if sys.stderr.isatty() and os.environ.get("TERM") != "dumb":
        return LiveTable([planned.gate for planned in plan.gates])
    return Plain()


def _gate_env(plan: Plan, cwd: Path) -> dict[str, str]:
    env = plan.environment.variables()
    if cwd != plan.root:
        # An editable install points into the user's checkout; the worktree's own sources
        # must come first, or the gates would test the work tree instead of the commit.
        src = cwd / "src"
        env["PYTHONPATH"] = str(src if src.is_dir() else cwd)
    return env


def _run(
    plan: Plan, todo: list[Planned], display: Quiet, *, jobs: int, no_cache: bool
) -> list[Outcome]:
    by_name = {planned.gate.name: planned for planned in todo}

    def on_pass(outcome: Outcome) -> None:
        if no_cache:
            return
        try:
            plan.record(by_name[outcome.gate.name], outcome.seconds)
        except (OSError, FatalError) as exc:  # filelock.Timeout is a TimeoutError too
            output.warn(f"{outcome.gate.name}: pass not recorded ({exc}); it will run again")

    checkout.prune_stale(plan.root)
    with checkout.checkout_of(plan.root, plan.target.commit, exact=plan.exact) as cwd:
        runner = Runner(
            cwd=cwd,
            env=_gate_env(plan, cwd),
            environment=plan.environment,
            jobs=jobs,
            display=display,
            on_pass=on_pass,
        )
        gates = [planned.gate for planned in todo]
        if len(gates) > jobs:
            gates = longest_first(gates, {g.name: plan.cache.last_seconds(g.name) for g in gates})
        return runner.run(gates)


def _cached(planned: Planned) -> Outcome | None:
    if planned.hit is None:
        return None
    detail = f"passed on {planned.hit.commit[:12]}"
    return Outcome(planned.gate, "cached", planned.hit.seconds, detail, returncode=0)


def _where(plan: Plan) -> str:
    commit = plan.target.commit[:12]
    if plan.exact:
        return f"{commit} ({plan.target.source})"
    return f"{commit} ({plan.target.source}) in a temporary worktree: the checkout differs from it"


def _explanations(plan: Plan, *, no_cache: bool) -> dict[str, str]:
    from tagship.gates.explain import reason  # noqa: PLC0415 (only with --explain)

    environment = plan.environment.as_dict()
    return {
        planned.gate.name: reason(
            planned.gate,
            inputs=planned.inputs,
            environment=environment,
            hit=planned.hit,
            last=None if no_cache or planned.hit else plan.cache.last_pass(planned.gate.name),
            no_cache=no_cache,
        )
        for planned in plan.gates
    }


def _summary(plan: Plan, outcomes: list[Outcome], reasons: dict[str, str]) -> dict[str, object]:
    def one(outcome: Outcome) -> dict[str, object]:
        entry: dict[str, object] = {
            "name": outcome.gate.name,
            "command": outcome.gate.run,
            "status": outcome.status,
            "seconds": round(outcome.seconds, 3),
            "detail": outcome.detail,
        }
        if outcome.gate.name in reasons:
            entry["reason"] = reasons[outcome.gate.name]
        if outcome.status == "failed":
            entry["output"] = outcome.output
        return entry

    return {
        "commit": plan.target.commit,
        "source": plan.target.source,
        "worktree": not plan.exact,
        "passed": all(outcome.status != "failed" for outcome in outcomes),
        "gates": [one(outcome) for outcome in outcomes],
        "not_run": [{"name": gate.name, "detail": note} for gate, note in plan.not_run],
    }


def _report(outcomes: list[Outcome], plan: Plan) -> None:
    counts = dict.fromkeys(("passed", "cached", "failed"), 0)
    for outcome in outcomes:
        counts[outcome.status] += 1
    text = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    line = f"gates on {plan.target.commit[:12]}: {text}"
    if counts["failed"]:
        output.error(f"{line}; fix them, commit, and push again")
    else:
        output.success(line)


def _announce(plan: Plan, reasons: dict[str, str], *, as_json: bool) -> None:
    for _, note in plan.not_run:
        output.warn(note)
    if not plan.gates:
        output.warn("no gates to run; configure them in [tool.tagship.gates] of pyproject.toml")
    elif not as_json:
        output.info(f"gating {_where(plan)}")
        for name, why in reasons.items():
            output.info(f"  {name}: {why}")


def _execute(plan: Plan, *, jobs: int, no_cache: bool, as_json: bool) -> list[Outcome]:
    """Every gate's outcome, in configured order: the cached ones, then those that ran."""
    todo = [planned for planned in plan.gates if planned.hit is None]
    cached = [outcome for planned in plan.gates if (outcome := _cached(planned))]
    with _terminate_as_interrupt(), _display(plan, as_json=as_json) as display:
        for outcome in cached:
            display.finished(outcome)
        ran = _run(plan, todo, display, jobs=jobs, no_cache=no_cache) if todo else []
    order = {planned.gate.name: n for n, planned in enumerate(plan.gates)}
    return sorted(cached + ran, key=lambda outcome: order[outcome.gate.name])


def gate_plan(plan: Plan, *, jobs: int | None) -> bool:
    """Run (or replay from the cache) the gates of one planned commit, as `tagship gate`
    prints them; whether they all passed. The pre-push hook calls it once per pushed ref."""
    if plan.not_run or any(planned.hit is None for planned in plan.gates):
        _announce(plan, {}, as_json=False)
    outcomes = _execute(plan, jobs=jobs or os.cpu_count() or 1, no_cache=False, as_json=False)
    if plan.gates:
        _report(outcomes, plan)
    passed = not any(outcome.status == "failed" for outcome in outcomes)
    if passed:
        _remember(plan)
    return passed


def _remember(plan: Plan) -> None:
    try:
        plan.remember()
    except (OSError, FatalError) as exc:
        output.warn(f"the next push of this content will read the config again ({exc})")


def gate(
    *,
    rev: str | None,
    no_cache: bool,
    jobs: int | None,
    only: list[str] | None,
    explain: bool,
    as_json: bool,
) -> int:
    if jobs is not None and jobs < 1:
        raise ConfigError(f"--jobs {jobs}: give at least 1")
    root = git.toplevel(Path.cwd())
    plan = make_plan(root, checkout.resolve(root, rev, os.environ), only=only, no_cache=no_cache)
    reasons = _explanations(plan, no_cache=no_cache) if explain else {}
    _announce(plan, reasons, as_json=as_json)
    jobs = jobs or os.cpu_count() or 1
    outcomes = _execute(plan, jobs=jobs, no_cache=no_cache, as_json=as_json)
    if as_json:
        output.emit_json(_summary(plan, outcomes, reasons))
    elif plan.gates:
        _report(outcomes, plan)
    if not any(outcome.status == "failed" for outcome in outcomes):
        if not no_cache and not only:
            _remember(plan)
        return 0
    hint = bumping.undo_hint(root)
    if hint:
        output.info(hint)
    return 1
