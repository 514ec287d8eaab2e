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
    configured = environ.get("UV_PROJECT_ENVIRONMENT")
    return checkout / configured if configured else checkout / ".venv"


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
        return hashlib.sha256(json.dumps(self.as_dict()).encode()).hexdigest()

    def as_dict(self) -> dict[str, object]:
        return {
            "python": self.python,
            "platform": f"{sys.platform}-{os.uname().machine}",
            "distributions": list(self.distributions),
            "locks": [list(lock) for lock in self.locks],
        }

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
    """The project environment of the user's checkout (not of a temporary worktree of it)."""
    expected = project_environment(checkout, os.environ)
    prefix = expected if (expected / "pyvenv.cfg").is_file() else None
    return Environment(
        prefix=prefix,
        expected=expected,
        python=_python(prefix),
        distributions=_distributions(prefix, project) if prefix else (),
        locks=tuple(sorted((p, b) for p, b in commit_files.items() if p in LOCK_FILES)),
    )
