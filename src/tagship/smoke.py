"""Smoke-test an installed distribution: its scripts say its version, its modules import.

What the distribution provides is read inside the environment by the interpreter that
installed it (importlib.metadata), then parsed here by pure functions. Every command runs
in an empty directory, so a module can never be imported from a source checkout by
accident.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from packaging.version import Version

from tagship import proc
from tagship.errors import FatalError
from tagship.install import Environment
from tagship.steps import Step, StepFailed, timed
from tagship.versions import parse_version

SCRIPT_TIMEOUT = 120.0

_DESCRIBE = """\
import json, sys
from importlib.metadata import distribution
d = distribution(sys.argv[1])
print(json.dumps({
    "version": d.version,
    "scripts": sorted({e.name for e in d.entry_points if e.group == "console_scripts"}),
    "top_level": d.read_text("top_level.txt"),
    "files": [str(f) for f in d.files or []],
}))
"""

_IMPORT = "import importlib, sys; importlib.import_module(sys.argv[1])"


@dataclass(frozen=True)
class Provided:
    """What an installed distribution provides to smoke-test."""

    version: Version
    """The version its metadata says."""
    scripts: tuple[str, ...]
    """Its console scripts (entry_points.txt)."""
    modules: tuple[str, ...]
    """Its top-level modules (top_level.txt, else derived from RECORD)."""


def top_level_modules(top_level_txt: str | None, record: Iterable[str]) -> tuple[str, ...]:
    """The importable top-level names of a distribution.

    setuptools writes top_level.txt; other backends (hatchling, flit, uv) do not, so the
    names come from the first part of each RECORD path: `pkg/...` is package `pkg`,
    `mod.py` and `mod.cpython-311-x86_64-linux-gnu.so` are module `mod`. Metadata
    (`*.dist-info`, `*.data`), scripts (`../../bin/...`), `.pth` hooks and caches are not
    modules.
    """
    if top_level_txt and top_level_txt.strip():
        names = {line.strip().replace("/", ".") for line in top_level_txt.splitlines()}
        return tuple(sorted(name for name in names if name))
    found: set[str] = set()
    for entry in record:
        parts = PurePosixPath(entry).parts
        if not parts or parts[0] in {"..", "__pycache__"}:
            continue
        first = parts[0]
        if len(parts) == 1:
            if not first.endswith((".py", ".so", ".pyd")):
                continue
            first = first.split(".", 1)[0]
        elif first.endswith((".dist-info", ".data", ".egg-info")):
            continue
        if first.isidentifier() and not first.startswith("__editable__"):
            found.add(first)
    return tuple(sorted(found))


def printed_version(text: str, version: Version) -> bool:
    """Whether `text` names `version` (in any PEP 440 spelling, `v` prefix allowed)."""
    for word in text.split():
        candidate = parse_version(word.strip(",;:()[]'\""))
        if candidate == version:
            return True
    return False


def parse_description(text: str) -> Provided:
    data = json.loads(text)
    version = parse_version(data["version"])
    if version is None:
        raise FatalError(f"the installed metadata has an invalid version {data['version']!r}")
    return Provided(
        version=version,
        scripts=tuple(data["scripts"]),
        modules=top_level_modules(data["top_level"], data["files"]),
    )


def describe(env: Environment, project: str, workdir: Path) -> Provided:
    result = proc.run(
        [env.python, "-I", "-c", _DESCRIBE, project], cwd=workdir, env=env.run_env(), check=False
    )
    if result.returncode != 0:
        raise StepFailed(
            f"cannot read the installed metadata of {project}", result.stdout + result.stderr
        )
    return parse_description(result.stdout)


def _run(argv: list[str | Path], env: Environment, workdir: Path) -> proc.Result:
    try:
        return proc.run(argv, cwd=workdir, env=env.run_env(), check=False, timeout=SCRIPT_TIMEOUT)
    except proc.ProcessError as exc:  # not found, or hung
        raise StepFailed(str(exc)) from None


def _script(name: str, version: Version, env: Environment, workdir: Path) -> str:
    result = _run([env.bin / name, "--version"], env, workdir)
    shown = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise StepFailed(f"exited {result.returncode}", result.stdout + result.stderr)
    if not printed_version(shown, version):
        first = shown.splitlines()[0] if shown else ""
        raise StepFailed(f"printed {first!r}, not the version {version}", shown)
    return shown.splitlines()[0]


def _import(module: str, env: Environment, workdir: Path) -> str:
    result = _run([env.python, "-I", "-c", _IMPORT, module], env, workdir)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        raise StepFailed(f"import failed: {last}", result.stdout + result.stderr)
    return "imported"


def _command(command: str, env: Environment, workdir: Path) -> str:
    try:
        argv: list[str | Path] = list(shlex.split(command))
    except ValueError as exc:
        raise StepFailed(f"cannot parse the command ({exc}); fix [tool.tagship] smoke") from None
    result = _run(argv, env, workdir)
    if result.returncode != 0:
        raise StepFailed(f"exited {result.returncode}", result.stdout + result.stderr)
    return "exit 0"


def smoke_steps(
    provided: Provided,
    version: Version,
    commands: Mapping[str, str],
    env: Environment,
    workdir: Path,
) -> list[Step]:
    """Every smoke step, all run (one failure does not hide another)."""
    steps = [
        timed(f"script {name} --version", partial(_script, name, version, env, workdir))
        for name in provided.scripts
    ]
    steps += [
        timed(f"import {module}", partial(_import, module, env, workdir))
        for module in provided.modules
    ]
    steps += [
        timed(f"smoke {name}", partial(_command, command, env, workdir))
        for name, command in commands.items()
    ]
    return steps
