"""The one subprocess helper: every process tagship starts goes through `run`.

Arguments are always an argv list (never a shell string built from user input), the
locale is fixed so that tool output parses the same everywhere, git variables leaked by a
calling hook are removed, and every call has a timeout.
"""

from __future__ import annotations

import os
import sys

from tagship.errors import FatalError

# `subprocess`, `signal`, `threading` and `contextlib` are imported by the functions that
# use them: together with `typing` and `pathlib` they cost a cached push, whose git queries
# go through `query`, most of its start-up (each pulls in `re`, `enum` or `functools`).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    import threading
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from pathlib import Path
    from types import TracebackType
    from typing import IO, NamedTuple

    StrPath = str | os.PathLike[str]
    """A path as a str or a Path: the cached push's modules keep paths as str."""
else:
    from tagship.records import NamedTuple


class _Log:
    """`log.debug` without importing logging (start-up time for every hook): when nothing
    imported logging, nothing configured a handler, and a debug record would be dropped."""

    @staticmethod
    def debug(message: str, *args: object) -> None:
        logging = sys.modules.get("logging")
        if logging is not None:
            logging.getLogger(__name__).debug(message, *args)


log = _Log()

DEFAULT_TIMEOUT = 600.0

# Kept from the caller's environment; every other GIT_* variable is dropped, because git
# exports GIT_DIR, GIT_INDEX_FILE or GIT_WORK_TREE to hooks and those would redirect our
# own git calls to the wrong repository (pre-commit/pre-commit#300).
_GIT_KEEP_PREFIXES = (
    "GIT_AUTHOR_",
    "GIT_COMMITTER_",
    "GIT_CONFIG",
    "GIT_SSH",
    "GIT_SSL_",
    "GIT_EXEC_PATH",
    "GIT_ASKPASS",
    "GIT_TERMINAL_PROMPT",
    "GIT_ALLOW_PROTOCOL",
    "GIT_HTTP_",
)


class ProcessError(FatalError):
    """A command exited non-zero (or could not start, or timed out)."""

    def __init__(self, message: str, *, returncode: int, stdout: str = "", stderr: str = ""):
        super().__init__(message)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


class Result(NamedTuple):
    """What a finished command left behind. (A NamedTuple, not a dataclass: every hook and
    command imports this module, and a dataclass costs the import of `dataclasses`, which
    imports `inspect`, and code compiled at each start.)"""

    args: tuple[str, ...]
    """The argv that ran."""
    returncode: int
    """Its exit status."""
    stdout: str
    """Standard output, decoded as UTF-8 (undecodable bytes replaced)."""
    stderr: str
    """Standard error, decoded the same way."""


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment with a fixed locale and no leaked git repository variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GIT_") or key.startswith(_GIT_KEEP_PREFIXES)
    }
    env["LC_ALL"] = "C.UTF-8"
    env.pop("LANGUAGE", None)
    if extra:
        env.update(extra)
    return env


def run(
    args: Sequence[str | Path],
    *,
    cwd: StrPath | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    stdin: str | None = None,
) -> Result:
    """Run `args`; raise ProcessError when it cannot start, times out, or (if check) fails.

    `env` adds to (and overrides) the cleaned environment of this process.
    """
    import subprocess  # noqa: PLC0415 (see the imports)

    argv = tuple(str(arg) for arg in args)
    log.debug("$ %s (cwd=%s)", " ".join(argv), cwd)
    try:
        done = subprocess.run(
            argv,
            cwd=cwd,
            env=clean_env(env),
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise ProcessError(
            f"{argv[0]}: command not found; install it or put it on PATH", returncode=127
        ) from None
    except subprocess.TimeoutExpired:
        raise ProcessError(f"{argv[0]}: timed out after {timeout:g} s", returncode=124) from None
    return _finished(argv, done.returncode, done.stdout, done.stderr, check=check)


def _finished(argv: tuple[str, ...], code: int, out: bytes, err: bytes, *, check: bool) -> Result:
    result = Result(argv, code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
    log.debug("exit %d\n%s%s", result.returncode, result.stdout, result.stderr)
    if check and result.returncode != 0:
        last = (result.stderr.strip() or result.stdout.strip()).splitlines()
        detail = f": {last[-1]}" if last else ""
        raise ProcessError(
            f"{' '.join(argv[:2])} exited {result.returncode}{detail}",
            returncode=result.returncode,
            stdout=result.stdout,
            stderr=result.stderr,
        )
    return result


def query(args: Sequence[str], *, check: bool = True, timeout: float = DEFAULT_TIMEOUT) -> Result:
    """`run` for a query that needs no working directory and no input (git with `-C`).

    Started with `os.posix_spawnp` and read with `select.poll`, both in the interpreter
    itself: `subprocess` costs a cached push more than its two git processes. Where the
    platform has neither, `run` does the same work.
    """
    argv = tuple(args)
    if not (hasattr(os, "posix_spawnp") and hasattr(os, "waitstatus_to_exitcode")):
        return run(argv, check=check, timeout=timeout)  # pragma: no cover (Windows)
    log.debug("$ %s", " ".join(argv))
    out_read, out_write = os.pipe()  # not inherited; dup2 makes the child's 1 and 2
    err_read, err_write = os.pipe()
    try:
        pid = os.posix_spawnp(
            argv[0],
            argv,
            clean_env(),
            file_actions=[(os.POSIX_SPAWN_DUP2, out_write, 1), (os.POSIX_SPAWN_DUP2, err_write, 2)],
        )
    except FileNotFoundError:
        for fd in (out_read, out_write, err_read, err_write):
            os.close(fd)
        raise ProcessError(
            f"{argv[0]}: command not found; install it or put it on PATH", returncode=127
        ) from None
    os.close(out_write)
    os.close(err_write)
    try:
        out, err = _read_both(out_read, err_read, timeout, argv[0])
    except BaseException:  # the deadline, Ctrl-C: the child must not outlive us
        os.kill(pid, 9)  # SIGKILL (the signal module imports enum)
        os.waitpid(pid, 0)
        raise
    finally:
        os.close(out_read)
        os.close(err_read)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    return _finished(argv, code, out, err, check=check)


def _read_both(out_fd: int, err_fd: int, timeout: float, name: str) -> tuple[bytes, bytes]:
    """Everything written to both pipes until both close; ProcessError at the deadline."""
    import select  # noqa: PLC0415 (a built-in module: nothing to load)
    import time  # noqa: PLC0415

    chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    poller = select.poll()
    for fd in chunks:
        poller.register(fd, select.POLLIN)
    deadline = time.monotonic() + timeout
    open_fds = len(chunks)
    while open_fds:
        remaining = deadline - time.monotonic()
        ready = poller.poll(remaining * 1000) if remaining > 0 else []
        if not ready:
            raise ProcessError(f"{name}: timed out after {timeout:g} s", returncode=124)
        for fd, _ in ready:
            data = os.read(fd, 1 << 16)
            if data:
                chunks[fd].append(data)
            else:
                poller.unregister(fd)
                open_fds -= 1
    return b"".join(chunks[out_fd]), b"".join(chunks[err_fd])


def spawn(
    args: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    log_file: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a long-running process (a local index); the caller must stop it."""
    import subprocess  # noqa: PLC0415 (see the imports)

    argv = [str(arg) for arg in args]
    log.debug("$ %s & (cwd=%s)", " ".join(argv), cwd)
    sink = log_file.open("ab") if log_file else subprocess.DEVNULL
    try:
        return subprocess.Popen(
            argv,
            cwd=cwd,
            env=clean_env(env),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    except FileNotFoundError:
        raise ProcessError(
            f"{argv[0]}: command not found; install it or put it on PATH", returncode=127
        ) from None
    finally:
        if log_file and not isinstance(sink, int):
            sink.close()


def start_shell(
    command: str,
    *,
    cwd: Path,
    env: Mapping[str, str] | None,
    log_file: Path,
    inherit: bool = True,
) -> subprocess.Popen[bytes]:
    """Start a user-configured gate command through `sh -c`, output to `log_file`.

    The one place a shell runs: the user's own command from `[tool.tagship.gates]`, which is
    shell syntax by design (`ruff check . && ruff format --check .`); never a tag or any
    other string from outside the user's config. It gets its own process group so that a
    timeout or Ctrl-C can stop everything it started (see `stop_group`). With `inherit`
    False, `env` is the whole environment (plus the fixed locale): nothing of ours leaks in.
    """
    import subprocess  # noqa: PLC0415 (see the imports)

    log.debug("$ sh -c %r & (cwd=%s)", command, cwd)
    with log_file.open("wb") as sink:
        return subprocess.Popen(
            ["/bin/sh", "-c", command],
            cwd=cwd,
            env=clean_env(env) if inherit else {**(env or {}), "LC_ALL": "C.UTF-8"},
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_group(process: subprocess.Popen[bytes], *, grace: float = 2.0) -> None:
    """Stop a process started by `start_shell` and all its children: TERM, then KILL."""
    import contextlib  # noqa: PLC0415 (see the imports)
    import signal  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, None)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:  # the whole group is already gone
            break
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        if sig == signal.SIGTERM:
            # The leader is gone; its children may not be: kill what is left of the group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        break


def interrupt_group(process: subprocess.Popen[bytes], *, grace: float = 5.0) -> None:
    """Stop a process group like Ctrl-C does, then for sure: INT, TERM, KILL.

    SIGINT first, because a tagship command (a gate run) stops its own process groups on
    KeyboardInterrupt; a group that outlives the grace period is killed.
    """
    import contextlib  # noqa: PLC0415 (see the imports)
    import signal  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    for sig, wait in ((signal.SIGINT, grace), (signal.SIGTERM, 1.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:  # the whole group is already gone
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        break
    # The leader is gone; whatever it left in its group goes too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _drain(stream: IO[bytes], chunks: list[bytes], on_line: Callable[[str], None] | None) -> None:
    for line in iter(stream.readline, b""):
        chunks.append(line)
        if on_line is not None:
            on_line(line.decode("utf-8", "replace"))


def run_group(
    args: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    on_line: Callable[[str], None] | None = None,
    unset: Iterable[str] = (),
) -> Result:
    """Run `args` in its own process group; its stderr lines go to `on_line` as they come.

    The command is over when its own process exits, not when its pipes close: a child it
    left holding stdout is killed with the group then, so it can neither hold us until the
    timeout nor outlive us. A timeout or Ctrl-C stops the whole group (`interrupt_group`)
    before the error or the KeyboardInterrupt propagates. Never raises for an exit status.
    `unset` names variables the command must not inherit.
    """
    import subprocess  # noqa: PLC0415 (see the imports)
    import threading  # noqa: PLC0415

    argv = tuple(str(arg) for arg in args)
    variables = clean_env(env)
    for name in unset:
        variables.pop(name, None)
    log.debug("$ %s [group] (cwd=%s)", " ".join(argv), cwd)
    try:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=variables,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise ProcessError(
            f"{argv[0]}: command not found; install it or put it on PATH", returncode=127
        ) from None
    assert process.stdout is not None  # noqa: S101 (PIPE)
    assert process.stderr is not None  # noqa: S101
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=_drain, args=(process.stdout, out, None), daemon=True),
        threading.Thread(target=_drain, args=(process.stderr, err, on_line), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        interrupt_group(process, grace=2.0)
        raise ProcessError(f"{argv[0]}: timed out after {timeout:g} s", returncode=124) from None
    except BaseException:  # Ctrl-C, SIGTERM turned into one: nothing may outlive us
        with signals_deferred():  # a second Ctrl-C must not cut the clean-up short
            interrupt_group(process)
        raise
    finally:
        _finish_readers(process, readers)
    result = Result(
        argv,
        returncode,
        b"".join(out).decode("utf-8", "replace"),
        b"".join(err).decode("utf-8", "replace"),
    )
    log.debug("exit %d\n%s%s", result.returncode, result.stdout, result.stderr)
    return result


def _finish_readers(process: subprocess.Popen[bytes], readers: list[threading.Thread]) -> None:
    """Let the pipes drain for a moment, kill what is left of the group, close the pipes."""
    import contextlib  # noqa: PLC0415 (see the imports)
    import signal  # noqa: PLC0415

    for reader in readers:
        reader.join(timeout=0.5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for reader in readers:
        reader.join(timeout=5.0)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


class signals_deferred:  # noqa: N801 (used as a function: `with signals_deferred():`)
    """Hold Ctrl-C, TERM and HUP until the block ends: cleanup that a second Ctrl-C must not
    cut short (stopping gates, removing a worktree). They are delivered afterwards."""

    def __enter__(self) -> None:
        import signal  # noqa: PLC0415 (see the imports)

        held = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        self._blocked = signal.pthread_sigmask(signal.SIG_BLOCK, held)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        import signal  # noqa: PLC0415 (see the imports)

        signal.pthread_sigmask(signal.SIG_SETMASK, self._blocked)


def stop_groups(processes: Sequence[subprocess.Popen[bytes]], *, grace: float) -> None:
    """Stop several `start_shell` groups at once: TERM to all, up to `grace` s, KILL all."""
    import contextlib  # noqa: PLC0415 (see the imports)
    import signal  # noqa: PLC0415
    import time  # noqa: PLC0415

    def signal_all(sig: signal.Signals) -> None:
        for process in processes:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, sig)

    signal_all(signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(p.poll() is None for p in processes):
        time.sleep(0.02)
    signal_all(signal.SIGKILL)  # the leaders' children too, whether or not the leaders left
    for process in processes:
        process.wait()
