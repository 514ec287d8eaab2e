"""The gate store's file format, read without dataclasses (a cached push reads it first).

`passes.json` maps a cache key to the record of a pass; cache.py writes it, memo.py and
cache.py read it. Whatever the file holds, a record that is not exactly what this
version writes is dropped, never trusted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

KEY_VERSION = 1


def inputs_digest(blobs: Mapping[str, str]) -> str:
    """One id for a set of (path, blob id): renaming a file changes it, as it should."""
    text = "".join(f"{path}\0{blob}\0" for path, blob in sorted(blobs.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # missing, or not written by this version
        return {}
    return data if isinstance(data, dict) else {}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def valid_pass(record: Any) -> bool:
    """A record this version wrote: the four fields, each of its type (pure)."""
    return (
        isinstance(record, dict)
        and set(record) == {"gate", "commit", "seconds", "at"}
        and isinstance(record["gate"], str)
        and isinstance(record["commit"], str)
        and _number(record["seconds"])
        and _number(record["at"])
    )


def valid_passes(data: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], int]:
    """The well-formed records of a store and how many others it held (pure).

    A store edited by hand, by another tool or by a disk error may hold any JSON: what is
    not exactly a record is dropped (the gate runs again), never trusted, never a crash.
    """
    passes = data.get("passes", {})
    if not isinstance(passes, dict):
        return {}, 1
    kept = {k: r for k, r in passes.items() if isinstance(k, str) and valid_pass(r)}
    return kept, len(passes) - len(kept)
