"""The gate store's file format, read with the interpreter's own modules only (a cached push
reads it first, and `json`, `hashlib` and `pathlib` each import `re` and `enum`).

`passes.json` maps a cache key to the record of a pass; cache.py writes it, memo.py and
cache.py read it. Whatever the file holds, a record that is not exactly what this
version writes is dropped, never trusted.
"""

from __future__ import annotations

try:  # CPython's own BLAKE2 (no OpenSSL to load); hashlib's where a build leaves it out
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (CPython builds it by default)
    from hashlib import blake2b

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from tagship.proc import StrPath

KEY_VERSION = 2


def digest(text: str) -> str:
    """The content id of `text`: 256 bits of BLAKE2b, as hex."""
    return blake2b(text.encode(), digest_size=32).hexdigest()


def inputs_digest(blobs: Mapping[str, str]) -> str:
    """One id for a set of (path, blob id): renaming a file changes it, as it should."""
    return digest("".join(f"{path}\0{blob}\0" for path, blob in sorted(blobs.items())))


class _Strict:
    """What `_json.make_scanner` reads of a decoder: `json.loads`'s defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    array_hook = None  # read from Python 3.15 on
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name: str) -> object:
        raise ValueError(f"{name} is not a number this store writes")


_WHITESPACE = " \t\n\r"


def loads(text: str) -> Any:
    """`json.loads(text)` by the C scanner that `json` itself uses, without importing `json`
    (its decoder imports `re`); ValueError for anything that is not one JSON value."""
    try:
        from _json import make_scanner  # noqa: PLC0415 (CPython's; json.loads elsewhere)
    except ImportError:  # pragma: no cover
        import json  # noqa: PLC0415

        return json.loads(text)
    scan = make_scanner(_Strict())  # type: ignore[arg-type]  # duck-typed
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        value, end = scan(text, start)
    except StopIteration:
        raise ValueError("not a JSON value") from None
    if text[end:].strip(_WHITESPACE):
        raise ValueError("extra data after the JSON value")
    return value


def read_json(path: StrPath) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as file:
            data = loads(file.read())
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
