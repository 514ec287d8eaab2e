"""The environment gates run in, and its fingerprint for the cache key.

Gates run the project's own tools, from the environment CI builds with `uv sync --locked`:
`$UV_PROJECT_ENVIRONMENT` when set, else `<checkout>/.venv`; never from the caller's PATH
or an activated virtual environment of another project. Gates see a known environment:
the variables in KEPT (locale, home, temp dir, proxies: none of them changes what a
linter or test finds) and their own `env`; everything else the caller has, such as
PYTEST_ADDOPTS, MYPYPATH, RUFF_* or PYTHONPATH, is dropped, so a pass never depends on a
variable that is not in the key. The fingerprint changes when the Python, the platform,
or any installed distribution changes, so upgrading ruff or mypy reruns the gates; it is
read from directory names only, never by importing anything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tagship.gates.fingerprint import (
    LOCK_FILES,
    digest,
    distribution_of,
    distributions,
    environment_dir,
    facts,
    locks_of,
    python_of,
)

__all__ = ["LOCK_FILES", "Environment", "detect", "distribution_of", "project_environment"]

# The caller's variables a gate still sees. None of them changes what ruff, mypy or pytest
# report on the same files; any other variable might (PYTEST_ADDOPTS="-k nothing").
KEPT = frozenset(
    {
        "HOME", "USER", "LOGNAME", "LANG", "TERM", "TMPDIR", "TEMP", "TMP", "TZ", "SHELL",
        "SYSTEMROOT", "COMSPEC", "PATHEXT", "SSL_CERT_FILE", "SSL_CERT_DIR", "UV_CACHE_DIR",
        "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
    }
)  # fmt: skip


def project_environment(checkout: Path, environ: Mapping[str, str]) -> Path:
    """Where uv keeps the project's environment (`uv sync`, `uv run`)."""
    return Path(environment_dir(checkout, environ))


def bin_dir(prefix: Path) -> Path:
    return prefix / ("Scripts" if os.name == "nt" else "bin")


def system_path(path: str) -> str:
    """PATH without the bin directories of virtual environments (another project's tools)."""
    kept = [d for d in path.split(os.pathsep) if d and not (Path(d).parent / "pyvenv.cfg").exists()]
    return os.pathsep.join(kept)


def gate_variables(environ: Mapping[str, str], prefix: Path | None) -> dict[str, str]:
    """The whole environment of a gate, before its own `env` (pure)."""
    env = {key: value for key, value in environ.items() if key in KEPT}
    search = system_path(environ.get("PATH", os.defpath))
    if prefix is not None:
        env["VIRTUAL_ENV"] = str(prefix)
        search = f"{bin_dir(prefix)}{os.pathsep}{search}"
    env["PATH"] = search
    return env


@dataclass(frozen=True)
class Environment:
    """Where the gates' tools come from, and what decides their behaviour."""

    prefix: Path | None
    """The project's environment, or None when it does not exist (yet)."""
    expected: Path
    """Where the project's environment belongs (for the message when it is missing)."""
    python: str
    """The environment's Python (its pyvenv.cfg) or tagship's own."""
    distributions: tuple[str, ...]
    """`name==version` of every installed distribution but the project itself, sorted."""
    locks: tuple[tuple[str, str], ...]
    """(path, blob id) of the lock files in the gated commit."""

    def fingerprint(self) -> str:
        return digest(self.as_dict())

    def as_dict(self) -> dict[str, object]:
        return facts(self.python, self.distributions, self.locks)

    def variables(self) -> dict[str, str]:
        """The environment a gate starts with: KEPT variables, the project's tools first."""
        return gate_variables(os.environ, self.prefix)

    def search_path(self) -> str:
        """PATH as the gates will see it."""
        return self.variables()["PATH"]

    def has_tool(self, tool: str) -> bool:
        """Whether the project's environment provides the executable `tool`."""
        if self.prefix is None:
            return False
        directory = bin_dir(self.prefix)
        return any((directory / f"{tool}{ext}").is_file() for ext in ("", ".exe"))


def detect(checkout: Path, *, project: str | None, commit_files: Mapping[str, str]) -> Environment:
    """The project environment of the user's checkout (not of a temporary worktree of it)."""
    expected = project_environment(checkout, os.environ)
    prefix = expected if (expected / "pyvenv.cfg").is_file() else None
    return Environment(
        prefix=prefix,
        expected=expected,
        python=python_of(prefix),
        distributions=distributions(prefix, project) if prefix else (),
        locks=locks_of(commit_files),
    )
