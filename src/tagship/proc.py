"""The one subprocess helper: every process tagship starts goes through `run`.

Arguments are always an argv list (never a shell string built from user input), the
locale is fixed so that tool output parses the same everywhere, git variables leaked by a
calling hook are removed, and every call has a timeout.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, NamedTuple

from tagship.errors import FatalError


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
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    stdin: str | None = None,
) -> Result:
    """Run `args`; raise ProcessError when it cannot start, times out, or (if check) fails.

    `env` adds to (and overrides) the cleaned environment of this process.
    """
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
    result = Result(
        args=argv,
        returncode=done.returncode,
        stdout=done.stdout.decode("utf-8", "replace"),
        stderr=done.stderr.decode("utf-8", "replace"),
    )
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


def spawn(
    args: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    log_file: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a long-running process (a local index); the caller must stop it."""
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
    for reader in readers:
        reader.join(timeout=0.5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for reader in readers:
        reader.join(timeout=5.0)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


_DEFERRED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C, TERM and HUP until the block ends: cleanup that a second Ctrl-C must not
    cut short (stopping gates, removing a worktree). They are delivered afterwards."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def stop_groups(processes: Sequence[subprocess.Popen[bytes]], *, grace: float) -> None:
    """Stop several `start_shell` groups at once: TERM to all, up to `grace` s, KILL all."""
    import time  # noqa: PLC0415 (only an interrupted run pays for it)

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
