"""`--explain`: why each gate ran or was skipped, compared with its last recorded pass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tagship.gates.cache import LastPass, Pass
from tagship.gates.spec import Gate

_SHOWN = 3


def _names(paths: list[str]) -> str:
    shown = ", ".join(paths[:_SHOWN])
    return shown + (f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else "")


def input_changes(before: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """'modified a.py', 'added b.py', 'removed c.py': what differs, by kind."""
    kinds = {
        "modified": sorted(p for p in now if p in before and before[p] != now[p]),
        "added": sorted(p for p in now if p not in before),
        "removed": sorted(p for p in before if p not in now),
    }
    return [f"{kind} {_names(paths)}" for kind, paths in kinds.items() if paths]


def environment_changes(before: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    changes = [
        f"{key} {before.get(key)} -> {now[key]}"
        for key in ("python", "platform")
        if before.get(key) != now[key]
    ]
    old, new = set(before.get("distributions", [])), set(now["distributions"])
    if old != new:
        diff = [f"+{d}" for d in sorted(new - old)] + [f"-{d}" for d in sorted(old - new)]
        changes.append(f"installed distributions {_names(diff)}")
    if before.get("locks") != now["locks"]:
        changes.append("lock file changed")
    return changes


def reason(
    gate: Gate,
    *,
    inputs: Mapping[str, str],
    environment: Mapping[str, Any],
    hit: Pass | None,
    last: LastPass | None,
    no_cache: bool,
) -> str:
    """One line: 'skipped: ...' or 'ran: ...'."""
    if no_cache:
        return "ran: --no-cache"
    if hit is not None:
        return (
            f"skipped: passed on {hit.commit[:12]} with the same command, environment "
            f"and {len(inputs)} input files"
        )
    if last is None:
        return "ran: no pass recorded for this gate yet"
    changes = []
    if last.command != gate.run:
        changes.append(f"command changed from {last.command!r}")
    if last.env != [list(pair) for pair in gate.env]:
        changes.append("env changed")
    changes += environment_changes(last.environment, environment)
    changes += input_changes(last.inputs, inputs)
    return "ran: " + ("; ".join(changes) or "its last pass was on other content")
