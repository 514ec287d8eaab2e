"""A cached push at the cost of one `git ls-tree`: "this content already passed every gate".

When every gate of a commit passed (or was replayed from the cache), `remember` records one
memo: a key made of the commit's files except the changelog (path and blob id, the config
files among them, so the gates and their inputs are the same), the changelog's path, the
project's name and the environment fingerprint. A later push whose commit has the same key
passes with nothing else to read: no config parsing, no gate definitions, no dataclasses.
Each memo lists the cache keys of its passes, and is trusted only while all of them are
still recorded. A memo is written only when every gate reads the default inputs (a gate's
own pathspecs might match the changelog, which the memo leaves out), and the key holds
the size and time of tagship's own gate modules, so an upgrade that changes the default
gates or the keys starts afresh.

Like fingerprint.py and store.py, it imports nothing beyond `os` and `sys`: a cached push
imports this module and those two, and nothing that runs gates.
"""

from __future__ import annotations

import os

from tagship.gates.fingerprint import fingerprint
from tagship.gates.store import KEY_VERSION, digest, inputs_digest, read_json, valid_passes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from tagship.proc import StrPath

MAX_MEMOS = 500
# Set by the pre-push hook when it hands a push over to `uv run` (commands/prepush.py):
# the environment was synced from the lock just before these gates ran.
SYNCED = "TAGSHIP_SYNCED"
_MODULES = ("spec.py", "plan.py", "cache.py", "fingerprint.py", "memo.py", "../gatetable.py")


def _salt() -> list[int]:
    here = os.path.dirname(__file__)
    stats = [os.stat(os.path.join(here, name)) for name in _MODULES]
    return [number for st in stats for number in (st.st_mtime_ns, st.st_size)]


def synced_run() -> bool:
    """Whether this process is the `uv run` a pre-push hook handed a push over to."""
    return os.environ.get(SYNCED) == "1"


def memo_key(
    changelog: str,
    project: str | None,
    files: Mapping[str, str],
    env: str,
    *,
    synced: bool = False,
) -> str:
    """The memo of a commit's files (all but the changelog) in an environment; `synced`
    memos were made right after `uv run` synced that environment from the lock, and only
    those answer the hook that starts tagship without uv (TAGSHIP_SYNC_ON_MISS)."""
    content = inputs_digest({p: b for p, b in files.items() if p != changelog})
    facts = [KEY_VERSION, _salt(), changelog, project, content, env, synced]
    return digest(repr(facts))


def _path(store: StrPath) -> str:
    return os.path.join(store, "memo.json")


def lookup(
    root: StrPath, store: StrPath, files: Mapping[str, str], *, synced: bool = False
) -> list[dict[str, Any]] | None:
    """The pass records that make this commit a cache hit for every gate, or None."""
    memo = read_json(_path(store))
    heads, memos = memo.get("heads"), memo.get("memo")
    if not isinstance(heads, list) or not isinstance(memos, dict):
        return None
    passes: dict[str, dict[str, Any]] | None = None
    for head in heads:
        if not (isinstance(head, list) and len(head) == 2 and isinstance(head[0], str)):
            continue
        changelog, project = head
        project = project if isinstance(project, str) else None
        env = fingerprint(root, project, files)
        keys = memos.get(memo_key(changelog, project, files, env, synced=synced))
        if not isinstance(keys, list) or not keys:
            continue
        if passes is None:
            passes = valid_passes(read_json(os.path.join(store, "passes.json")))[0]
        if all(isinstance(key, str) and key in passes for key in keys):
            return [passes[key] for key in keys]
    return None


def remember(store: StrPath, head: tuple[str, str | None], key: str, keys: list[str]) -> None:
    """Record that the content behind `key` passed every gate (the caller holds the lock)."""
    import json  # noqa: PLC0415 (only a run that passed pays for these)
    from pathlib import Path  # noqa: PLC0415

    from tagship.files import write_atomic  # noqa: PLC0415

    memo = read_json(_path(store))
    found_heads = memo.get("heads")
    listed = found_heads if isinstance(found_heads, list) else []  # any JSON: never trusted
    heads = [h for h in listed if isinstance(h, list) and h != list(head)]
    found = memo.get("memo")
    memos: dict[str, Any] = found if isinstance(found, dict) else {}
    memos.pop(key, None)
    memos[key] = keys
    kept = dict(list(memos.items())[-MAX_MEMOS:])
    data = {"version": KEY_VERSION, "heads": [list(head), *heads][:8], "memo": kept}
    Path(store).mkdir(parents=True, exist_ok=True)
    write_atomic(Path(_path(store)), json.dumps(data, separators=(",", ":")))
