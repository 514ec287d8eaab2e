"""argparse, the way tagship's CLI uses it: one-line usage errors (exit 2), the terminal
width found without shutil, `--version`.

Imported by tagship.cli only when it builds a parser: `tagship route v1.0.0`, the
release job's and hooks' call, is parsed without argparse (see cli._route_fast_path).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from tagship import output


def _terminal_width() -> int:
    """What shutil.get_terminal_size() answers, without importing shutil (nor bz2, lzma)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):  # not a terminal, no descriptor, closed
        return 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse makes a formatter for every option it adds, even when no help is shown;
    its default one imports shutil for the terminal width: start-up time."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_width() - 2)


class Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with one line, like configuration errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:  # argparse's signature says NoReturn
        self.print_usage(sys.stderr)
        output.error(f"{message} (see '{self.prog} --help')")
        raise SystemExit(2)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("tagship")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "unknown"


class VersionAction(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        output.emit_text(f"tagship {_version()}")
        parser.exit()


SUPPRESS = argparse.SUPPRESS
