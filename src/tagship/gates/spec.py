"""Which gates a project has: `[tool.tagship.gates]`, else defaults for the tools it uses.

Both are pure functions of data read from the gated commit (its pyproject.toml and its
list of tracked paths), so a gate's definition can never come from an uncommitted edit.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from tagship import gatetable
from tagship.errors import ConfigError
from tagship.gatetable import DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Gate:
    """One quality gate: a shell command that passes when it exits 0."""

    name: str
    run: str
    """Shell command line, run by `sh -c` from the root of the gated checkout."""
    inputs: tuple[str, ...] = ()
    """Git pathspecs of the files whose content decides the result; empty: every tracked
    file except the changelog."""
    env: tuple[tuple[str, str], ...] = ()
    """Extra environment variables, sorted by name."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds before the gate (and everything it started) is killed and fails."""
    tool: str | None = None
    """For a default gate: the executable that must be installed."""
    reason: str = ""
    """For a default gate: why it exists (`[tool.ruff] in pyproject.toml`)."""
    empty_exit: int | None = None
    """For a default gate: the exit status that means "nothing to check yet" (pytest's 5,
    no tests collected), a pass with a note."""

    @property
    def offered(self) -> bool:
        """A default gate for a tool the project shows no sign of using: without the tool in
        the project's environment it is not run (a note says how to add it) rather than
        failed, so that a project is not refused its first push before it has the tools."""
        return self.reason == DEFAULT_REASON


def from_settings(settings: tuple[gatetable.GateSettings, ...]) -> tuple[Gate, ...]:
    """The gates of a validated `[tool.tagship.gates]` table, in the order written."""
    return tuple(
        Gate(name=g.name, run=g.run, inputs=g.inputs, env=g.env, timeout=g.timeout)
        for g in settings
    )


def parse_gates(table: Any) -> tuple[Gate, ...]:
    """The gates of a `[tool.tagship.gates]` table, in the order written (validated by
    tagship.gatetable, the one reader of that table)."""
    return from_settings(gatetable.parse_gates(table))


def select(gates: tuple[Gate, ...], only: list[str] | None) -> tuple[Gate, ...]:
    """The gates named by `--only`, in configured order; an unknown name is a usage error."""
    if not only:
        return gates
    known = {gate.name for gate in gates}
    for name in only:
        if name not in known:
            raise ConfigError(
                f"--only {name}: no such gate; gates are {', '.join(sorted(known)) or 'none'}"
            )
    return tuple(gate for gate in gates if gate.name in only)


# ---- defaults ------------------------------------------------------------------------------

_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_NOT_PACKAGES = frozenset({"tests", "test", "docs", "doc", "benchmarks", "examples", "scripts"})


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_requirements(pyproject: Mapping[str, Any]) -> frozenset[str]:
    """Normalized names of every requirement in the dependency lists of pyproject.toml."""
    lists: list[Any] = []
    project = pyproject.get("project", {})
    if isinstance(project, dict):
        lists.append(project.get("dependencies", []))
        lists.extend((project.get("optional-dependencies") or {}).values())
    lists.extend((pyproject.get("dependency-groups") or {}).values())
    uv = (pyproject.get("tool") or {}).get("uv") or {}
    lists.append(uv.get("dev-dependencies", []) if isinstance(uv, dict) else [])
    names = set()
    for items in lists:
        for item in items if isinstance(items, list) else []:
            match = _REQUIREMENT_NAME.match(item) if isinstance(item, str) else None
            if match:
                names.add(_normalize(match.group(1)))
    return frozenset(names)


class _Project:
    """What the detection reads. (A plain class: each dataclass costs start-up time.)"""

    def __init__(self, pyproject: Mapping[str, Any], paths: Collection[str]) -> None:
        tool = pyproject.get("tool")
        self.tool: Mapping[str, Any] = tool if isinstance(tool, dict) else {}
        self.paths = paths
        self.requirements = declared_requirements(pyproject)

    def uses(self, tool: str, *files: str) -> str | None:
        """Why we believe the project uses `tool`, or None."""
        if tool in self.tool:
            return f"[tool.{tool}] in pyproject.toml"
        for name in files:
            if name in self.paths:
                return f"{name} in the repository"
        if tool in self.requirements:
            return f"{tool} in the dependencies of pyproject.toml"
        return None


def _packages(paths: Collection[str]) -> list[str]:
    """The import packages of the project: src/<pkg>, else top-level <pkg>/__init__.py."""
    parts = [path.split("/") for path in paths if path.endswith("/__init__.py")]
    src = sorted({f"src/{p[1]}" for p in parts if len(p) == 3 and p[0] == "src"})
    top = sorted({p[0] for p in parts if len(p) == 2 and p[0] not in _NOT_PACKAGES})
    return src or top


def _is_test_file(path: str) -> bool:
    head, _, name = path.rpartition("/")
    in_tests = head.split("/", 1)[0] in ("tests", "test")
    return in_tests and name.endswith(".py") and name.startswith("test_")


def _mypy(project: _Project, why: str) -> Gate:
    # With `files` in its config, mypy knows what to check; else check the package(s).
    configured = (project.tool.get("mypy") or {}).get("files")
    targets = [] if configured else _packages(project.paths) or ["."]
    return Gate("mypy", " ".join(["mypy", *targets]), tool="mypy", reason=why)


def _pytest(project: _Project, why: str) -> Gate:
    parallel = " -n auto" if "pytest-xdist" in project.requirements else ""
    return Gate("pytest", f"pytest{parallel}", tool="pytest", reason=why, empty_exit=NO_TESTS)


NO_TESTS = 5  # pytest's exit status when it collected no test
DEFAULT_REASON = "a default gate"


def default_gates(pyproject: Mapping[str, Any], paths: Collection[str]) -> tuple[Gate, ...]:
    """ruff check, ruff format --check (black --check for a black project), mypy, pytest.

    Every project gets them, as CI runs them: a tool it does not install fails its gate with
    the command that adds it. ruff never fixes files here (`--no-fix` beats `fix = true`):
    a gate that rewrites the checkout would pass fixable errors and edit the user's tree.
    """
    project = _Project(pyproject, paths)
    why_ruff = project.uses("ruff", "ruff.toml", ".ruff.toml") or DEFAULT_REASON
    gates = [Gate("ruff-check", "ruff check --no-fix .", tool="ruff", reason=why_ruff)]
    if why_black := project.uses("black"):
        gates.append(Gate("black", "black --check .", tool="black", reason=why_black))
    else:
        gates.append(Gate("ruff-format", "ruff format --check .", tool="ruff", reason=why_ruff))
    gates.append(_mypy(project, project.uses("mypy", "mypy.ini", ".mypy.ini") or DEFAULT_REASON))
    why_pytest = project.uses("pytest", "pytest.ini", "conftest.py")
    if why_pytest is None and any(_is_test_file(path) for path in paths):
        why_pytest = "a tests/ directory in the repository"
    gates.append(_pytest(project, why_pytest or DEFAULT_REASON))
    return tuple(gates)
