"""The facts of the project's environment that are in every gate's cache key (pure reads).

No dataclass and no import beyond the standard library's smallest modules: a cached push
computes the fingerprint on its way to "nothing to run" (see memo.py), and every import
is start-up time. Read from directory names and pyvenv.cfg only, never by importing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Lock files pin the environment even when it is not installed where we can see it.
LOCK_FILES = frozenset(
    {"uv.lock", "poetry.lock", "pdm.lock", "pylock.toml", "Pipfile.lock", "requirements.txt"}
)


def project_environment(checkout: Path, environ: Mapping[str, str]) -> Path:
    """Where uv keeps the project's environment (`uv sync`, `uv run`)."""
    configured = environ.get("UV_PROJECT_ENVIRONMENT")
    return checkout / configured if configured else checkout / ".venv"


def existing_prefix(checkout: Path, environ: Mapping[str, str]) -> Path | None:
    expected = project_environment(checkout, environ)
    return expected if (expected / "pyvenv.cfg").is_file() else None


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


def distributions(prefix: Path | None, project: str | None) -> tuple[str, ...]:
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


def python_of(prefix: Path | None) -> str:
    try:
        cfg = (prefix / "pyvenv.cfg").read_text(encoding="utf-8") if prefix else ""
    except OSError:
        cfg = ""
    for line in cfg.splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version_info", "version"):
            return value.strip()
    return ".".join(str(part) for part in sys.version_info[:3])


def locks_of(commit_files: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((p, b) for p, b in commit_files.items() if p in LOCK_FILES))


def facts(
    python: str, dists: tuple[str, ...], locks: tuple[tuple[str, str], ...]
) -> dict[str, object]:
    return {
        "python": python,
        "platform": f"{sys.platform}-{os.uname().machine}",
        "distributions": list(dists),
        "locks": [list(lock) for lock in locks],
    }


def digest(found: Mapping[str, object]) -> str:
    return hashlib.sha256(json.dumps(found).encode()).hexdigest()


def fingerprint(checkout: Path, project: str | None, commit_files: Mapping[str, str]) -> str:
    """What `environment.detect(...).fingerprint()` gives, without building it."""
    prefix = existing_prefix(checkout, os.environ)
    dists = distributions(prefix, project) if prefix else ()
    return digest(facts(python_of(prefix), dists, locks_of(commit_files)))
