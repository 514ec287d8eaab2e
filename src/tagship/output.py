"""All terminal output: human messages to stderr, JSON only on stdout.

`rich` is imported lazily by the commands that draw tables or live displays, never here:
start-up time matters for `route`, which runs in every release job and hook.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def color_enabled() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return "NO_COLOR" not in os.environ and sys.stderr.isatty()


def _style(text: str, code: str) -> str:
    return f"\033[{code}m{text}\033[0m" if color_enabled() else text


def info(message: str) -> None:
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

    print(json.dumps(data, indent=2, sort_keys=False, default=str))


def emit_text(text: str) -> None:
    """Plain results (release notes, a version) on stdout."""
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
