"""After init's files: the project's own environment, where the hooks find their tools.

`uv sync` installs the dev group (tagship, commitizen, the hook runner, the gate tools)
into `.venv`, as CI's `uv sync --locked` will. Then the environment is asked what only it
can answer: does tagship run there (not below Python 3.11), and does each console script
answer `--version` with the version (uv's template prints "Hello from app!")?
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from packaging.version import InvalidVersion, Version

from tagship import files, output, proc
from tagship.adopt import tomldoc
from tagship.errors import FatalError
from tagship.versions import printed_version

FLOOR = (3, 11)
PROBE_TIMEOUT = 30.0
_IN_ENV = ("uv", "run", "--frozen", "--no-sync")


def uv_reason(stderr: str) -> str:
    """The line of uv's error output that says why (its `╰─▶` cause, else its first error)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for marker in ("\u2570\u2500\u25b6", "\u00d7", "error:"):  # uv's "cause" arrow, its cross
        found = next((line for line in lines if line.startswith(marker)), None)
        if found:
            return found.removeprefix(marker).strip()
    return lines[-1] if lines else "no output"


def sync(root: Path) -> None:
    try:
        proc.run(["uv", "sync"], cwd=root, timeout=900)
    except proc.ProcessError as exc:
        raise FatalError(
            f"files written, but `uv sync` failed: {uv_reason(exc.stderr)}; fix that, then "
            "run `tagship init` again to sync and install the hooks"
        ) from None


def _in_env(root: Path, *args: str) -> proc.Result:
    """Run in the project's environment; a command that hangs (or cannot start) fails."""
    argv = (*_IN_ENV, *args)
    try:
        return proc.run(argv, cwd=root, check=False, timeout=PROBE_TIMEOUT, stdin="")
    except proc.ProcessError as exc:
        return proc.Result(argv, exc.returncode, "", str(exc))


def require_tagship(root: Path) -> None:
    """Fail, saying exactly what to do, when the environment cannot run tagship's hooks."""
    # asked of the environment's own interpreter: `uv run tagship` would also find a
    # tagship elsewhere on PATH (the uvx environment init runs from), which hooks do not have
    if _installed_version(root, "tagship") is not None:
        return
    found = _in_env(root, "python", "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
    python = found.stdout.strip() or "unknown"
    floor = ".".join(map(str, FLOOR))
    raise FatalError(
        f"the project's environment runs Python {python}, where tagship (Python >= {floor}) "
        f"is not installed, so the hooks cannot run it: run `uv python pin {floor}` "
        f"(your requires-python allows it), `uv sync`, then `tagship init` again"
    )


def _installed_version(root: Path, distribution: str) -> Version | None:
    code = "import sys, importlib.metadata as m; print(m.version(sys.argv[1]))"
    result = _in_env(root, "python", "-c", code, distribution)
    try:
        return Version(result.stdout.strip()) if result.returncode == 0 else None
    except InvalidVersion:
        return None


def smoke_probes(root: Path, doc: Mapping[str, Any]) -> dict[str, str | bool]:
    """A `[tool.tagship.smoke]` entry for each script that does not say its version.

    A script that ignores `--version` but starts (`--help` exits 0) is probed by starting
    it; one that does not even start is skipped (`false`), with a warning.
    """
    project = doc.get("project", {})
    scripts = sorted(project.get("scripts") or {})
    known = doc.get("tool", {}).get("tagship", {}).get("smoke") or {}
    version = _installed_version(root, str(project.get("name", "")))
    probes: dict[str, str | bool] = {}
    for script in (s for s in scripts if s not in known):
        answer = _in_env(root, script, "--version")
        shown = (answer.stdout + answer.stderr).strip()
        if answer.returncode == 0 and version is not None and printed_version(shown, version):
            continue
        started = _in_env(root, script, "--help").returncode == 0
        probes[script] = f"{script} --help" if started else False
        first = shown.splitlines()[0] if shown else f"exit {answer.returncode}"
        output.info(
            f"`{script} --version` printed {first!r}, not the version: smoke-tested as "
            f"{probes[script]!r} in [tool.tagship.smoke]"
        )
    return probes


def write_smoke(path: Path, probes: Mapping[str, str | bool]) -> None:
    """Add the probes to `[tool.tagship.smoke]` of pyproject.toml (one atomic write)."""
    doc, layout = tomldoc.parse(path.read_bytes().decode("utf-8"))
    tool = doc.setdefault("tool", tomlkit.table(is_super_table=True))
    tagship = tool.setdefault("tagship", tomlkit.table())
    smoke = tagship.get("smoke")
    if smoke is None:
        smoke = tomlkit.table()
        for name, probe in probes.items():
            smoke[name] = probe
        smoke.add(tomlkit.nl())  # the blank line that separates it from what follows
        tagship.append("smoke", smoke)
    for name, probe in probes.items():
        smoke[name] = probe
    text = tomldoc.dump(doc, layout)
    newline = "\r\n" if layout.crlf else "\n"
    trimmed = text.rstrip("\r\n") + newline if text.endswith(newline * 2) else text
    files.write_atomic(path, trimmed)
