"""The content cache: a gate that passed on some content passes on the same content.

A pass is recorded under a key made of the gate's name, command and environment
variables, the blob ids of its input files in the gated commit (from `git ls-tree`: no
file is read), and the environment fingerprint. Only passes are recorded; a failed or
killed gate leaves nothing. The store lives in `$(git rev-parse --git-common-dir)/tagship/`
so that every worktree of a repository shares it; it is replaced atomically under a
`filelock`, so concurrent runs neither corrupt it nor lose each other's records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tagship.gates.spec import Gate
from tagship.gates.store import KEY_VERSION, inputs_digest, read_json, valid_passes

__all__ = ["KEY_VERSION", "Cache", "LastPass", "Pass", "cache_key", "inputs_digest"]

MAX_PASSES = 2000  # enough for every gate of many branches; old records go first


def cache_key(gate: Gate, blobs: Mapping[str, str], fingerprint: str) -> str:
    facts = [KEY_VERSION, gate.name, gate.run, gate.env, inputs_digest(blobs), fingerprint]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


@dataclass(frozen=True)
class Pass:
    """A recorded pass: where and when the content behind a key passed."""

    gate: str
    commit: str
    seconds: float
    at: float
    """Unix time of the pass."""


@dataclass(frozen=True)
class LastPass:
    """What the latest pass of a gate was made of, to explain why it reruns (`--explain`)."""

    key: str
    command: str
    env: list[list[str]]
    environment: dict[str, Any]
    inputs: dict[str, str]


def _write_json(path: Path, data: Any) -> None:
    from tagship.files import write_atomic  # noqa: PLC0415 (only a run that passed pays for it)

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, separators=(",", ":")))


def _valid_last(record: Mapping[str, Any]) -> bool:
    types = {"key": str, "command": str, "env": list, "environment": dict, "inputs": dict}
    return set(record) == set(types) and all(isinstance(record[k], t) for k, t in types.items())


class Cache:
    """The pass records of one repository."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._passes = directory / "passes.json"
        self._snapshot: dict[str, Any] | None = None

    def _records(self) -> dict[str, Any]:
        # No lock to read: the file is only ever replaced whole. One read serves every gate.
        if self._snapshot is None:
            self._snapshot, corrupt = valid_passes(read_json(self._passes))
            if corrupt:
                from tagship import output  # noqa: PLC0415 (rare)

                output.warn(
                    f"{self._passes}: ignored {corrupt} malformed record(s); those gates "
                    "run again and the store is rewritten at the next pass"
                )
        return self._snapshot

    def lookup(self, key: str) -> Pass | None:
        record = self._records().get(key)
        return Pass(**record) if record is not None else None

    def last_seconds(self, gate: str) -> float | None:
        """How long the latest recorded pass of `gate` took, if it ever passed."""
        mine = (r for r in self._records().values() if r["gate"] == gate)
        latest = max(mine, key=lambda record: float(record["at"]), default=None)
        return float(latest["seconds"]) if latest else None

    def last_pass(self, gate: str) -> LastPass | None:
        record = read_json(self._last_path(gate))
        return LastPass(**record) if record and _valid_last(record) else None

    def record(self, key: str, found: Pass, last: LastPass) -> None:
        from filelock import FileLock  # noqa: PLC0415 (only a run that passed pays for it)

        self.directory.mkdir(parents=True, exist_ok=True)
        with FileLock(self.directory / ".lock", timeout=60):
            passes, _ = valid_passes(read_json(self._passes))
            passes[key] = vars(found)
            kept = sorted(passes.items(), key=lambda item: float(item[1]["at"]))[-MAX_PASSES:]
            self._snapshot = dict(kept)
            _write_json(self._passes, {"version": KEY_VERSION, "passes": self._snapshot})
            _write_json(self._last_path(found.gate), vars(last))

    def remember(self, head: tuple[str, str | None], key: str, keys: list[str]) -> None:
        """Record that every gate of some content passed (see memo.py)."""
        from filelock import FileLock  # noqa: PLC0415 (only a run that passed pays for it)

        from tagship.gates import memo  # noqa: PLC0415

        with FileLock(self.directory / ".lock", timeout=60):
            memo.remember(self.directory, head, key, keys)

    def _last_path(self, gate: str) -> Path:
        return self.directory / "last" / f"{hashlib.sha256(gate.encode()).hexdigest()[:16]}.json"
