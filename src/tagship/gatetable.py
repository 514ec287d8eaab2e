"""Validate a `[tool.tagship.gates]` table: name = "command", or a table with `run`.

Pure: config.py calls it when it loads the work tree's pyproject.toml (so that `doctor`
and every command find a broken table), and the gate runner calls it again on the gated
commit's pyproject.toml (a gate's definition never comes from an uncommitted edit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tagship.errors import ConfigError

DEFAULT_TIMEOUT = 900.0
WHERE = "[tool.tagship.gates]"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_TABLE_KEYS = frozenset({"run", "inputs", "env", "timeout"})
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class GateSettings:
    """One gate as the table writes it."""

    name: str
    run: str
    """Shell command line, run by `sh -c` from the root of the gated checkout."""
    inputs: tuple[str, ...] = ()
    """Git pathspecs of the files whose content decides the result; empty: the default."""
    env: tuple[tuple[str, str], ...] = ()
    """Extra environment variables, sorted by name."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds before the gate (and everything it started) is killed and fails."""


class _Gate:
    def __init__(self, where: str, name: str) -> None:
        self.where = where
        self.name = name

    def fail(self, problem: str) -> ConfigError:
        return ConfigError(f"{self.where} {self.name}: {problem}")

    def inputs(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail('inputs must be a list of git pathspecs, like ["src/", "*.toml"]')
        for spec in value:
            # a pathspec's magic (`:(exclude)`, `:!`) first, then a path in the repository
            path = re.sub(r"^:(\([^)]*\)|[!^/]*)", "", spec)
            if "\0" in spec or path.startswith("/") or ".." in path.split("/"):
                raise self.fail(f"inputs {spec!r} is outside the repository; name its files")
        return tuple(value)

    def env(self, value: Any) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and _ENV_NAME.fullmatch(k) and isinstance(v, str) and "\0" not in v
            for k, v in value.items()
        ):
            raise self.fail('env must be a table of strings, like { PYTHONHASHSEED = "0" }')
        return tuple(sorted(value.items()))

    def timeout(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e9:
            raise self.fail(f"timeout must be a positive number of seconds, not {value!r}")
        return float(value)

    def settings(self, spec: Any) -> GateSettings:
        if not _NAME.fullmatch(self.name):
            raise self.fail("a gate name is letters, digits, '-', '_' or '.'")
        if isinstance(spec, str):
            spec = {"run": spec}
        if not isinstance(spec, dict):
            raise self.fail('write a command string or a table with run = "..."')
        unknown = sorted(set(spec) - _TABLE_KEYS)
        if unknown:
            keys = ", ".join(sorted(_TABLE_KEYS))
            raise self.fail(f"unknown key {unknown[0]!r}; keys are {keys}")
        run = spec.get("run")
        if not isinstance(run, str) or not run.strip():
            raise self.fail('run = "<command>" is missing or empty')
        if "\0" in run:
            raise self.fail("run contains a NUL character")
        return GateSettings(
            name=self.name,
            run=run,
            inputs=self.inputs(spec["inputs"]) if "inputs" in spec else (),
            env=self.env(spec.get("env", {})),
            timeout=self.timeout(spec.get("timeout", DEFAULT_TIMEOUT)),
        )


def parse_gates(table: Any, where: str = WHERE) -> tuple[GateSettings, ...]:
    """The gates of a `[tool.tagship.gates]` table, in the order written.

    `where` starts every message (config.py adds the file's path).
    """
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table of gate name = command")
    return tuple(_Gate(where, name).settings(spec) for name, spec in table.items())
