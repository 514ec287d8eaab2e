"""Smoke-test an installed distribution: its scripts start (and say its version where
they answer `--version`), its modules import, the project's own smoke commands pass.

What the distribution provides is read inside the environment by the interpreter that
installed it (importlib.metadata), then parsed here by pure functions. Every command runs
as an argv (never through a shell), in its own process group, in an empty directory, so
a module can never be imported from a source checkout by accident.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from packaging.version import Version

from tagship import proc
from tagship.config import Smoke
from tagship.errors import FatalError
from tagship.report import Note, Reporter, Result, StepFailed, skipped, timed
from tagship.verify.install import Environment
from tagship.versions import parse_version, printed_version, printed_versions

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


def _run(argv: Sequence[str | Path], env: Environment, workdir: Path) -> proc.Result:
    # Its own process group: a script that leaves a child holding stdout is over when it
    # exits, and the child goes with the group (it never outlives verify).
    try:
        return proc.run_group(argv, cwd=workdir, env=env.run_env(), timeout=SCRIPT_TIMEOUT)
    except proc.ProcessError as exc:  # not found, or hung
        raise StepFailed(str(exc)) from None


def version_probe(returncode: int, shown: str, version: Version) -> str:
    """The verdict on `SCRIPT --version` (pure): the detail, a Note, or StepFailed.

    A script that prints the version passes; one that prints another version fails; one
    that starts but does not answer `--version` (uv's template prints "Hello from app!",
    argparse CLIs without the option exit 2 with their usage) is a note, not a failure.
    A traceback is always a failure.
    """
    first = shown.splitlines()[0] if shown else ""
    if "Traceback (most recent call last)" in shown or returncode not in {0, 2}:
        raise StepFailed(f"exited {returncode}", shown)
    if printed_version(shown, version):
        return first
    others = printed_versions(shown)
    if returncode == 0 and others:
        raise StepFailed(f"printed {first!r}, not the version {version}", shown)
    said = f"exit {returncode}" if returncode else f"printed {first!r}" if first else "no output"
    return Note(f"starts, no version ({said}); set its probe in [tool.tagship.smoke]")


def _script(name: str, version: Version, env: Environment, workdir: Path) -> str:
    result = _run([env.bin / name, "--version"], env, workdir)
    return version_probe(result.returncode, (result.stdout + result.stderr).strip(), version)


def _import(module: str, env: Environment, workdir: Path) -> str:
    result = _run([env.python, "-I", "-c", _IMPORT, module], env, workdir)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        raise StepFailed(f"import failed: {last}", result.stdout + result.stderr)
    return "imported"


def _command(argv: Sequence[str], env: Environment, workdir: Path) -> str:
    result = _run(argv, env, workdir)
    if result.returncode != 0:
        raise StepFailed(f"exited {result.returncode}", result.stdout + result.stderr)
    return f"{shlex.join(argv)}: exit 0"


@dataclass(frozen=True)
class Probe:
    """One smoke test to run: a script's `--version`, a command, or a skipped probe."""

    name: str
    argv: tuple[str, ...] | None
    """The command to run; None for the default `--version` probe of a script."""
    skip: bool = False


def plan_probes(scripts: Sequence[str], smoke: Mapping[str, Smoke]) -> list[Probe]:
    """The scripts' probes (replaced or skipped by `[tool.tagship.smoke]` entries of the
    same name), then the other named commands (pure)."""
    probes: list[Probe] = []
    for script in scripts:
        entry = smoke.get(script)
        if entry is None:
            probes.append(Probe(f"script {script} --version", None))
        elif entry.skip:
            probes.append(Probe(f"script {script}", None, skip=True))
        else:
            probes.append(Probe(f"script {script}", entry.argv))
    probes += [
        Probe(f"smoke {name}", entry.argv)
        for name, entry in smoke.items()
        if name not in scripts and not entry.skip
    ]
    return probes


def smoke_steps(
    provided: Provided,
    version: Version,
    smoke: Mapping[str, Smoke],
    env: Environment,
    workdir: Path,
    *,
    sink: Reporter | None = None,
) -> list[Result]:
    """Every smoke step, all run (one failure does not hide another)."""
    results: list[Result] = []
    probes = plan_probes(provided.scripts, smoke)
    for probe in [p for p in probes if p.name.startswith("script ")]:
        results.append(_probe(probe, version, env, workdir, sink))
    results += [
        timed(f"import {module}", partial(_import, module, env, workdir), sink)
        for module in provided.modules
    ]
    for probe in [p for p in probes if not p.name.startswith("script ")]:
        results.append(_probe(probe, version, env, workdir, sink))
    return results


def _probe(
    probe: Probe, version: Version, env: Environment, workdir: Path, sink: Reporter | None
) -> Result:
    if probe.skip:
        result = skipped(probe.name, "skipped by [tool.tagship.smoke]")
        if sink is not None:
            sink.finished(result)
        return result
    if probe.argv is None:
        script = probe.name.removeprefix("script ").removesuffix(" --version")
        return timed(probe.name, partial(_script, script, version, env, workdir), sink)
    return timed(probe.name, partial(_command, probe.argv, env, workdir), sink)
