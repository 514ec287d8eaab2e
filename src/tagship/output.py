"""All terminal output: human messages to stderr, JSON only on stdout.

`rich` is imported lazily by the commands that draw tables or live displays, never here:
start-up time matters for `route`, which runs in every release job and hook.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def color_enabled() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return "NO_COLOR" not in os.environ and sys.stderr.isatty()


def _style(text: str, code: str) -> str:
    return f"\033[{code}m{text}\033[0m" if color_enabled() else text


def info(message: str) -> None:
    if sys.stderr is not None:  # None when started with stderr closed (`2>&-`)
        print(message, file=sys.stderr)


def success(message: str) -> None:
    info(_style(message, "32"))


def warn(message: str) -> None:
    info(_style(f"warning: {message}", "33"))


def error(message: str) -> None:
    info(_style(f"error: {message}", "31"))


def emit_json(data: Any) -> None:
    """The only way anything reaches stdout as JSON."""
    import json  # noqa: PLC0415 (only --json needs it; start-up time)

    _write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")


def emit_text(text: str) -> None:
    """Plain results (release notes, a version) on stdout."""
    _write(text if text.endswith("\n") or not text else text + "\n")


def _write(text: str) -> None:
    """Write and flush now: a reader that went away (`| head`, `| true`) or a closed
    stdout (`>&-`) discards the output, like `>/dev/null`, instead of a traceback here or
    "Exception ignored" when Python flushes at exit. The command's exit code stands."""
    stream = sys.stdout
    if stream is None:  # started with stdout closed
        return
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        # What Python's documentation advises: later writes and the final flush go nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except OSError as exc:  # a full disk, /dev/full, an I/O error: the output is lost
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        from tagship.errors import FatalError  # noqa: PLC0415 (start-up time)

        raise FatalError(
            f"cannot write the output to stdout ({exc.strerror or exc}); "
            "free space on its device or redirect it elsewhere"
        ) from None
