"""The rehearsal index kept by `tagship rehearse --keep`, between runs.

A kept index keeps its packages, like a real index: the next rehearsal of the same
project uploads to it again, so re-rehearsing a version already there fails at check's
"not burned" rule, as PyPI would. Its state lives next to the gate cache, in tagship's
own directory of the repository's git directory (never in refs, work tree, index or
hooks): `<git dir>/tagship/rehearse/`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from tagship import git, proc
from tagship.files import write_atomic
from tagship.index import LocalIndex

STATE_FILE = "index.json"


def directory(root: Path) -> Path:
    return git.common_dir(root) / "tagship" / "rehearse"


@dataclass(frozen=True)
class KeptIndex:
    """A pypiserver left running by `--keep`."""

    port: int
    pid: int
    packages: str
    """The directory it serves, which outlives the server."""

    def index(self) -> LocalIndex:
        """The same server seen as a LocalIndex (not started by this object)."""
        return LocalIndex(Path(self.packages), port=self.port)


def load(root: Path) -> KeptIndex | None:
    """The kept index of this repository, if one was kept (and its state is readable)."""
    try:
        data = json.loads((directory(root) / STATE_FILE).read_text(encoding="utf-8"))
        return KeptIndex(port=int(data["port"]), pid=int(data["pid"]), packages=data["packages"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError, OverflowError):
        return None  # OverflowError: int(1e400)


def save(root: Path, kept: KeptIndex) -> None:
    """Write the state atomically, so that a crash never leaves half a file."""
    target = directory(root)
    target.mkdir(parents=True, exist_ok=True)
    write_atomic(target / STATE_FILE, json.dumps(asdict(kept)))


def answers(index: LocalIndex) -> bool:
    try:
        with urllib.request.urlopen(f"{index.base_url}/health", timeout=2):  # noqa: S310
            return True
    except (urllib.error.URLError, OSError):
        return False


def _command_line(pid: int) -> str:
    """The full command line of process `pid`, or "" when there is none.

    Read from /proc where there is one; else from `ps -ww`, whose output is never cut to
    the terminal's width (a plain `ps` cuts it at $COLUMNS).
    """
    if Path("/proc/self").is_dir():
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:  # no such process
            return ""
        return args.replace(b"\0", b" ").decode("utf-8", "replace")
    return proc.run(["ps", "-ww", "-o", "args=", "-p", str(pid)], check=False, timeout=10).stdout


def _is_our_server(kept: KeptIndex) -> bool:
    """Whether `pid` is still the pypiserver we started (pids are reused)."""
    args = _command_line(kept.pid)
    return "pypiserver" in args and f"--port {kept.port} " in f"{args} "


def stop(root: Path) -> tuple[KeptIndex | None, bool]:
    """Stop the kept server and forget its packages: its state, if one was kept, and
    whether a server was running and got stopped."""
    kept = load(root)
    running = kept is not None and _is_our_server(kept)
    if kept is not None and running:
        os.kill(kept.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _is_our_server(kept):
            time.sleep(0.1)
    shutil.rmtree(directory(root), ignore_errors=True)
    return kept, running
