"""Shared set-ups for the `tagship check` tests: real repos released by real commitizen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from packaging.version import Version

from tests.helpers import Ran, cz, run, sample_project, tagship

OFFLINE = {"TAGSHIP_OFFLINE": "1"}


def released(path: Path, *, name: str = "sample-pkg", extra_pyproject: str = "") -> Path:
    """A hatch-vcs project released once by `cz bump` (v0.1.0, CHANGELOG.md)."""
    sample_project(path, name=name, extra_pyproject=extra_pyproject)
    cz(path, "bump", "--yes")
    return path


def copy_repo(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest, symlinks=True)
    return dest


def build(repo: Path, out: Path) -> Version:
    """A real `uv build` of the working tree; the version it produced."""
    run(["uv", "build", "--quiet", "--out-dir", out], repo)
    wheel = next(out.glob("*.whl"))
    return Version(wheel.name.split("-")[1])


def check_json(
    repo: Path, *args: str, env: dict[str, str] | None = None, offline: bool = True
) -> tuple[Ran, dict[str, dict[str, str]]]:
    """Run `tagship check --json ARGS`; the results by rule name."""
    ran = tagship(
        repo, "check", "--json", *args, env={**(OFFLINE if offline else {}), **(env or {})}
    )
    assert "Traceback" not in ran.stderr, ran.stderr
    results = {item["name"]: item for item in json.loads(ran.stdout)} if ran.stdout else {}
    return ran, results


def statuses(results: dict[str, dict[str, str]]) -> dict[str, str]:
    return {name: item["status"] for name, item in results.items()}
