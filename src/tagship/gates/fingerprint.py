"""The facts of the project's environment that are in every gate's cache key (pure reads).

No dataclass and no module beyond the interpreter's own (`os`, `sys`; no `pathlib`, no
`json`, no `hashlib`): a cached push computes the fingerprint on its way to "nothing to
run" (see memo.py), and every import is start-up time. Read from directory names and
pyvenv.cfg only, never by importing.
"""

from __future__ import annotations

import os
import sys

from tagship.gates import store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from tagship.proc import StrPath

# Lock files pin the environment even when it is not installed where we can see it.
LOCK_FILES = frozenset(
    {"uv.lock", "poetry.lock", "pdm.lock", "pylock.toml", "Pipfile.lock", "requirements.txt"}
)


def environment_dir(checkout: StrPath, environ: Mapping[str, str]) -> str:
    """Where uv keeps the project's environment (`uv sync`, `uv run`)."""
    return os.path.join(checkout, environ.get("UV_PROJECT_ENVIRONMENT") or ".venv")


def existing_prefix(checkout: StrPath, environ: Mapping[str, str]) -> str | None:
    expected = environment_dir(checkout, environ)
    return expected if os.path.isfile(os.path.join(expected, "pyvenv.cfg")) else None


def _normalize(name: str) -> str:
    return name.replace("_", "-").replace(".", "-").lower()


def distribution_of(entry: str) -> tuple[str, str] | None:
    """(normalized name, version) from a `name-version.dist-info` directory name."""
    for suffix in (".dist-info", ".egg-info"):
        if entry.endswith(suffix):
            name, _, version = entry.removesuffix(suffix).partition("-")
            return _normalize(name), version.partition("-")[0]
    return None


def _site_packages(prefix: StrPath | None) -> list[str]:
    if prefix is None:
        return [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    lib = os.path.join(prefix, "lib")
    try:
        pythons = [name for name in os.listdir(lib) if name.startswith("python")]
    except OSError:
        pythons = []
    found = [os.path.join(lib, name, "site-packages") for name in sorted(pythons)]
    return [*found, os.path.join(prefix, "Lib", "site-packages")]


def distributions(prefix: StrPath | None, project: str | None) -> tuple[str, ...]:
    # The project's own editable install carries a version that changes with every commit
    # (hatch-vcs); its content is already in the inputs, so it must not be in the key.
    own = _normalize(project) if project else None
    found = set()
    for directory in _site_packages(prefix):
        try:
            entries = os.listdir(directory)
        except OSError:
            continue
        for entry in entries:
            dist = distribution_of(entry)
            if dist and dist[0] != own:
                found.add(f"{dist[0]}=={dist[1]}")
    return tuple(sorted(found))


def python_of(prefix: StrPath | None) -> str:
    try:
        cfg = _read(os.path.join(prefix, "pyvenv.cfg")) if prefix else ""
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


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as file:
        return file.read()


def digest(found: Mapping[str, object]) -> str:
    # repr, not json.dumps: one spelling for str, list and None, with no import.
    return store.digest(repr(found))


def fingerprint(checkout: StrPath, project: str | None, commit_files: Mapping[str, str]) -> str:
    """What `environment.detect(...).fingerprint()` gives, without building it."""
    prefix = existing_prefix(checkout, os.environ)
    dists = distributions(prefix, project) if prefix else ()
    return digest(facts(python_of(prefix), dists, locks_of(commit_files)))
