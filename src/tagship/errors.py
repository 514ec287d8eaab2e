"""The errors a user can fix; anything else is a bug and gets a traceback."""

from __future__ import annotations


class FatalError(Exception):
    """A failure the user can fix: one line that says what is wrong and how to fix it."""

    exit_code = 1


class ConfigError(FatalError):
    """Usage or configuration error (exit 2): a broken config file, a bad option value."""

    exit_code = 2
