"""The environments CI builds, built again in the rehearsal's clone.

CI runs `uv sync --locked` and then `uv run --no-sync tagship ...`: tagship's own steps in
one environment (on a Python tagship runs on), the gates against the project's `.venv`
once per Python the project supports. The rehearsal does the same with the same lock and
the caller's (warm) uv cache, and nothing else: no virtualenv of the caller is active in
its children and none is on their PATH, so a tool missing from the lock is missing here
too, and a lock out of date with pyproject.toml fails here as it fails in CI.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tagship import proc
from tagship.report import StepFailed

# The CPython minor versions GitHub's setup-python serves, which a CI matrix can hold.
SYNC_TIMEOUT = 900.0
# Variables that point a child at another environment than the one the rehearsal built.
FOREIGN_VARIABLES = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "CONDA_PREFIX", "PYTHONHOME")


def supported_pythons(clone: Path) -> tuple[str, ...]:
    """The Pythons the release workflow runs the gates on for the clone's project: the
    workflow's own rule (`requires-python`, the classifiers), read from the clone."""
    import tomllib  # noqa: PLC0415 (only rehearse reads it)

    from tagship.workflow_project import supported_pythons as workflow_pythons  # noqa: PLC0415

    try:
        data = tomllib.loads((clone / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}
    project = data.get("project")
    project = project if isinstance(project, dict) else {}
    requires = project.get("requires-python")
    classifiers = project.get("classifiers")
    listed = [c for c in classifiers if isinstance(c, str)] if isinstance(classifiers, list) else []
    return workflow_pythons(requires if isinstance(requires, str) else None, listed)


def installed_pythons(listing: str) -> dict[str, str]:
    """minor version -> interpreter path, from `uv python list --output-format json` (pure)."""
    found: dict[str, str] = {}
    for entry in json.loads(listing or "[]"):
        if entry.get("implementation") != "cpython" or not entry.get("path"):
            continue
        minor = ".".join(str(entry["version"]).split(".")[:2])
        found.setdefault(minor, entry["path"])
    return found


def without_virtualenvs(path: str, venvs: Iterable[str]) -> str:
    """PATH without the bin directories of the given environments, nor of any other
    virtualenv (a directory whose parent holds a pyvenv.cfg)."""
    drop = {str(Path(venv) / "bin") for venv in venvs if venv}
    kept = [
        entry
        for entry in path.split(os.pathsep)
        if entry and entry not in drop and not (Path(entry).parent / "pyvenv.cfg").is_file()
    ]
    return os.pathsep.join(kept)


def callers_virtualenvs() -> list[str]:
    found = [os.environ.get("VIRTUAL_ENV", ""), os.environ.get("CONDA_PREFIX", "")]
    if sys.prefix != sys.base_prefix:
        found.append(sys.prefix)
    return [venv for venv in found if venv]


@dataclass(frozen=True)
class Pythons:
    """Which Pythons the gates run on here, and which the project supports but lacks here."""

    gates: tuple[tuple[str, str], ...]
    """(minor, interpreter) of each supported Python installed here, oldest first."""
    skipped: tuple[str, ...]
    """Supported minors not installed here (CI's matrix runs them; this rehearsal cannot)."""
    tagship: str
    """The minor version tagship's own environment runs on."""


def choose_pythons(
    supported: Sequence[str], installed: Mapping[str, str], own: str | None = None
) -> Pythons:
    """The gates' Pythons and tagship's Python (pure).

    tagship's own steps run on the Python running this rehearsal (`own`, which is at
    least tagship's floor), as CI runs them on one it supports; when the project does not
    support that one, on the newest supported one installed here that tagship runs on.
    """
    gates = tuple((minor, installed[minor]) for minor in supported if minor in installed)
    skipped = tuple(minor for minor in supported if minor not in installed)
    own = own or f"{sys.version_info.major}.{sys.version_info.minor}"
    able = [minor for minor, _ in gates if _minor_key(minor) >= _minor_key(own)]
    tagship = own if own in supported or not able else able[-1]
    return Pythons(gates, skipped, tagship)


def _minor_key(minor: str) -> tuple[int, ...]:
    return tuple(int(part) for part in minor.split("."))


def sync(
    uv: str,
    clone: Path,
    env: Mapping[str, str],
    *,
    python: str,
    environment: Path | None = None,
    on_line: Callable[[str], None] | None = None,
) -> None:
    """`uv sync --locked` in the clone, on `python`, into `environment` (default `.venv`)."""
    variables = dict(env)
    if environment is not None:
        variables["UV_PROJECT_ENVIRONMENT"] = str(environment)
    result = proc.run_group(
        [uv, "sync", "--locked", "--python", python],
        cwd=clone,
        env=variables,
        timeout=SYNC_TIMEOUT,
        on_line=on_line,
        unset=[name for name in FOREIGN_VARIABLES if name not in variables],
    )
    if result.returncode != 0:
        raise StepFailed(sync_failure(result.stderr + result.stdout), result.stderr + result.stdout)


def sync_failure(text: str) -> str:
    """What a failed `uv sync --locked` means, and the fix (pure)."""
    if "needs to be updated" in text or ("--locked" in text and "update" in text):
        return (
            "uv.lock is out of date with pyproject.toml, so CI's `uv sync --locked` fails too: "
            "run `uv lock` and commit uv.lock"
        )
    if "Unable to find lockfile" in text or "No `uv.lock` found" in text:
        return (
            "the project has no uv.lock, so CI's `uv sync --locked` fails: "
            "run `uv lock` and commit it"
        )
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return f"uv sync --locked failed: {lines[-1] if lines else 'no output'}"


def list_pythons(uv: str, env: Mapping[str, str], cwd: Path) -> dict[str, str]:
    result = proc.run_group(
        [uv, "python", "list", "--only-installed", "--output-format", "json", "--no-config"],
        cwd=cwd,
        env=env,
        timeout=120,
    )
    if result.returncode != 0:
        return {}
    return installed_pythons(result.stdout)


def has_tagship(environment: Path) -> bool:
    return (environment / ("Scripts" if os.name == "nt" else "bin") / "tagship").exists()
