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
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tagship.gates.spec import Gate

KEY_VERSION = 1
MAX_PASSES = 2000  # enough for every gate of many branches; old records go first


def inputs_digest(blobs: Mapping[str, str]) -> str:
    """One id for a set of (path, blob id): renaming a file changes it, as it should."""
    text = "".join(f"{path}\0{blob}\0" for path, blob in sorted(blobs.items()))
    return hashlib.sha256(text.encode()).hexdigest()


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


def _write_atomic(path: Path, data: Any) -> None:
    import tempfile  # noqa: PLC0415 (only a run that passed pays for it)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"))
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, or written by a version we do not understand
        return {}
    return data if isinstance(data, dict) else {}


class Cache:
    """The pass records of one repository."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._passes = directory / "passes.json"
        self._snapshot: dict[str, Any] | None = None

    def _records(self) -> dict[str, Any]:
        # No lock to read: the file is only ever replaced whole. One read serves every gate.
        if self._snapshot is None:
            self._snapshot = _read(self._passes).get("passes", {})
        return self._snapshot

    def lookup(self, key: str) -> Pass | None:
        record = self._records().get(key)
        try:
            return Pass(**record) if isinstance(record, dict) else None
        except TypeError:
            return None

    def last_seconds(self, gate: str) -> float | None:
        """How long the latest recorded pass of `gate` took, if it ever passed."""
        latest = max(
            (r for r in self._records().values() if isinstance(r, dict) and r.get("gate") == gate),
            key=lambda record: record.get("at", 0),
            default=None,
        )
        seconds = latest.get("seconds") if latest else None
        return float(seconds) if isinstance(seconds, int | float) else None

    def last_pass(self, gate: str) -> LastPass | None:
        record = _read(self._last_path(gate))
        try:
            return LastPass(**record) if record else None
        except TypeError:
            return None

    def record(self, key: str, found: Pass, last: LastPass) -> None:
        from filelock import FileLock  # noqa: PLC0415 (only a run that passed pays for it)

        self.directory.mkdir(parents=True, exist_ok=True)
        with FileLock(self.directory / ".lock", timeout=60):
            passes = _read(self._passes).get("passes", {})
            passes[key] = vars(found)
            kept = sorted(passes.items(), key=lambda item: item[1].get("at", 0))[-MAX_PASSES:]
            self._snapshot = dict(kept)
            _write_atomic(self._passes, {"version": KEY_VERSION, "passes": self._snapshot})
            _write_atomic(self._last_path(found.gate), vars(last))

    def _last_path(self, gate: str) -> Path:
        return self.directory / "last" / f"{hashlib.sha256(gate.encode()).hexdigest()[:16]}.json"
