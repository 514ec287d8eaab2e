"""The environment gates run in, and its fingerprint for the cache key.

Gates run the project's own tools: from `<checkout>/.venv` when it exists (what `uv sync`
makes; it also wins over the isolated environment pre-commit gives a `language: python`
hook), else from the active virtual environment or PATH. The fingerprint changes when the
Python, the platform, or any installed distribution changes, so upgrading ruff or mypy
reruns the gates; it is read from directory names only, never by importing anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# Lock files pin the environment even when it is not installed where we can see it.
LOCK_FILES = frozenset(
    {"uv.lock", "poetry.lock", "pdm.lock", "pylock.toml", "Pipfile.lock", "requirements.txt"}
)


@dataclass(frozen=True)
class Environment:
    """Where the gates' tools come from, and what decides their behaviour."""

    prefix: Path | None
    """The virtual environment, if one was found."""
    activate: bool
    """Whether its bin directory must be put first on PATH (it is not active yet)."""
    python: str
    """The environment's Python (its pyvenv.cfg) or tagship's own."""
    distributions: tuple[str, ...]
    """`name==version` of every installed distribution but the project itself, sorted."""
    locks: tuple[tuple[str, str], ...]
    """(path, blob id) of the lock files in the gated commit."""

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.as_dict()).encode()).hexdigest()

    def as_dict(self) -> dict[str, object]:
        return {
            "python": self.python,
            "platform": f"{sys.platform}-{os.uname().machine}",
            "distributions": list(self.distributions),
            "locks": [list(lock) for lock in self.locks],
        }

    def variables(self) -> dict[str, str]:
        """What to add to the environment of a gate so that it finds these tools first."""
        if not self.activate or self.prefix is None:
            return {}
        bin_dir = self.prefix / ("Scripts" if os.name == "nt" else "bin")
        return {
            "VIRTUAL_ENV": str(self.prefix),
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        }

    def search_path(self) -> str:
        """PATH as the gates will see it."""
        return self.variables().get("PATH", os.environ.get("PATH", ""))


def _normalize(name: str) -> str:
    return name.replace("_", "-").replace(".", "-").lower()


def distribution_of(entry: str) -> tuple[str, str] | None:
    """(normalized name, version) from a `name-version.dist-info` directory name."""
    for suffix in (".dist-info", ".egg-info"):
        if entry.endswith(suffix):
            name, _, version = entry.removesuffix(suffix).partition("-")
            return _normalize(name), version.partition("-")[0]
    return None


def _site_packages(prefix: Path | None) -> list[Path]:
    if prefix is None:
        return [Path(p) for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    return [*prefix.glob("lib/python*/site-packages"), prefix / "Lib" / "site-packages"]


def _distributions(prefix: Path | None, project: str | None) -> tuple[str, ...]:
    # The project's own editable install carries a version that changes with every commit
    # (hatch-vcs); its content is already in the inputs, so it must not be in the key.
    own = _normalize(project) if project else None
    found = set()
    for directory in _site_packages(prefix):
        try:
            entries = os.listdir(directory)  # noqa: PTH208 (names only, fast)
        except OSError:
            continue
        for entry in entries:
            dist = distribution_of(entry)
            if dist and dist[0] != own:
                found.add(f"{dist[0]}=={dist[1]}")
    return tuple(sorted(found))


def _python(prefix: Path | None) -> str:
    try:
        cfg = (prefix / "pyvenv.cfg").read_text(encoding="utf-8") if prefix else ""
    except OSError:
        cfg = ""
    for line in cfg.splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version_info", "version"):
            return value.strip()
    return ".".join(str(part) for part in sys.version_info[:3])


def detect(checkout: Path, *, project: str | None, commit_files: Mapping[str, str]) -> Environment:
    """The environment of the user's checkout (not of a temporary worktree of it)."""
    local = checkout / ".venv"
    active = os.environ.get("VIRTUAL_ENV")
    if (local / "pyvenv.cfg").is_file():
        prefix: Path | None = local
        activate = active is None or Path(active).resolve() != local.resolve()
    else:
        prefix, activate = (Path(active) if active else None), False
    return Environment(
        prefix=prefix,
        activate=activate,
        python=_python(prefix),
        distributions=_distributions(prefix, project),
        locks=tuple(sorted((p, b) for p, b in commit_files.items() if p in LOCK_FILES)),
    )
