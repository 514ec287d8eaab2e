"""The one atomic write: readers see the old bytes or the new ones, never half of either.

A symlink is written through (its target is replaced, the link stays); anything that is
not a regular file (a device such as /dev/null, a FIFO, a directory) is refused, since
renaming over it would replace it with a regular file. The temporary file lives beside
the target, so that the rename never crosses a file system, and is removed on any
exception, KeyboardInterrupt included.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tagship.errors import ConfigError, FatalError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode(path: Path, error: type[FatalError], doing: str) -> int | None:
    """The file mode of `path` (symlinks followed), None when there is no such file."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise error(f"cannot {doing} {path}: {exc.strerror or exc}") from None


def read_text(path: Path) -> str | None:
    """A user's file as it is (CRLF kept), None when there is none. A FIFO, a device or a
    directory is refused: reading one hangs, or fails with no word of why."""
    mode = _mode(path, ConfigError, "read")
    if mode is None:
        return None
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{path} is not a regular file; make it one (or remove it)")
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            return stream.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None


def target_of(path: Path) -> Path:
    """The regular file a write to `path` must replace (symlinks followed).

    Raises FatalError when `path` exists and is not a regular file.
    """
    real = Path(os.path.realpath(path))
    mode = _mode(real, FatalError, "write")
    if mode is None:
        return real
    if not stat.S_ISREG(mode):
        raise FatalError(
            f"cannot write {path}: it is not a regular file; name a regular file instead"
        )
    return real


def stage(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, with the mode `path` has or would get.

    Returns the temporary file; the caller renames it over `path` (or removes it).
    """
    import tempfile  # noqa: PLC0415 (only a command that writes pays for it)

    target = target_of(path)
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace `path` with `data` (str is written as UTF-8, newlines untouched), atomically.

    Raises FatalError, naming the file, when it cannot be written.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        temporary = stage(path, raw)
        try:
            temporary.replace(target_of(path))
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise FatalError(f"cannot write {path}: {exc.strerror or exc}") from None
