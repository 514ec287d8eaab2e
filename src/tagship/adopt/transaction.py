"""All or nothing: init's files are replaced together, or the tree stays exactly as it was.

Every new file is staged first (a temporary file beside its target, through
tagship/files.py); only then are the targets replaced, each after its old bytes are kept.
Any exception (an I/O error, Ctrl-C) and SIGTERM restores those bytes exactly (CRLF stays
CRLF), removes the files and directories init created, and removes every temporary file,
so that `git add --all` never commits one. A signal that arrives during the rollback waits
until the rollback is done.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

from tagship import files
from tagship.errors import FatalError

Step = Callable[[str, Path], None]
"""Called before each step (`mkdir`, `stage`, `replace`) with its path: a test's probe."""
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Guard:
    """Turns SIGINT/SIGTERM into exceptions, or holds them back while a rollback runs."""

    def __init__(self) -> None:
        self.deferred = False
        self.pending: int | None = None

    def handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.deferred:
            self.pending = signum
            return
        self.throw(signum)

    @staticmethod
    def throw(signum: int) -> None:
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)


@contextmanager
def _guarded() -> Iterator[_Guard]:
    guard = _Guard()
    if threading.current_thread() is not threading.main_thread():
        yield guard  # signal handlers can only be set from the main thread
        return
    previous = {sig: signal.signal(sig, guard.handle) for sig in _SIGNALS}
    try:
        yield guard
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if guard.pending is not None:
        guard.throw(guard.pending)


def _missing_parents(path: Path) -> list[Path]:
    """The directories above `path` that do not exist yet, outermost first."""
    missing = [parent for parent in path.parents if not parent.exists()]
    return list(reversed(missing))


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _ in staged:
        temporary.unlink(missing_ok=True)


def _rollback(kept: list[tuple[Path, bytes | None]], created: list[Path]) -> None:
    for target, old in reversed(kept):
        if old is None:
            target.unlink(missing_ok=True)
        else:
            files.write_atomic(target, old)
    for directory in reversed(created):
        with suppress(OSError):
            directory.rmdir()


def replace_all(changes: Sequence[tuple[Path, str]], *, step: Step | None = None) -> None:
    """Write each (path, text) pair; on any failure or signal, restore what was there."""
    probe = step or (lambda _kind, _path: None)
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    kept: list[tuple[Path, bytes | None]] = []
    with _guarded() as guard:
        try:
            for path, text in changes:
                for directory in _missing_parents(path):
                    probe("mkdir", directory)
                    directory.mkdir()
                    created.append(directory)
                probe("stage", path)
                staged.append((files.stage(path, text.encode("utf-8")), path))
            for temporary, path in staged:
                target = files.target_of(path)
                kept.append((target, target.read_bytes() if target.exists() else None))
                probe("replace", path)
                temporary.replace(target)
        except BaseException as exc:
            guard.deferred = True
            _discard(staged)  # first: a directory init created must be empty to go
            _rollback(kept, created)
            if isinstance(exc, OSError):
                name = exc.filename or (staged[-1][1] if staged else "a file")
                raise FatalError(
                    f"cannot write {name}: {exc.strerror or exc}; nothing was changed"
                ) from None
            raise
        finally:
            _discard(staged)
