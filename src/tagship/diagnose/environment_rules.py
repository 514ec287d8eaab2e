"""Doctor rule TS413: every gate's tool is in the environment CI builds (issue 10).

CI runs `uv sync --locked`: the project's dependencies and its default dependency groups,
as uv.lock resolved them. A tool kept only in an optional extra, a poetry group or a
pre-commit hook repository is not there, so the gate passes locally and fails in CI.
The lock's contents are computed by pure functions of the parsed files.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from typing import Any

from tagship import git
from tagship.config import Config, read_toml
from tagship.gates import spec
from tagship.gates.spec import Gate
from tagship.rules import Finding, Rule, failed, passed, skipped

GATE_TOOLS = Rule("TS413", "gate-tools-locked", "error")
# Commands that are no Python distribution: a gate starting with them is not checked.
_LAUNCHERS = frozenset({"uv", "uvx", "python", "python3"})
_NOT_PYTHON = frozenset({"make", "sh", "bash", "true", "npm", "npx", "node", "cargo", "just"})
# A few commands whose distribution has another name.
_DISTRIBUTION = {
    "pytest": "pytest",
    "py.test": "pytest",
    "cz": "commitizen",
    "pre-commit": "pre-commit",
}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(entries: Any) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            extras = entry.get("extra", [])
            found.append(
                (normalize(entry["name"]), tuple(extras if isinstance(extras, list) else []))
            )
    return found


def _default_groups(pyproject: Mapping[str, Any]) -> tuple[str, ...]:
    uv = pyproject.get("tool", {}).get("uv", {})
    groups = uv.get("default-groups", ["dev"]) if isinstance(uv, dict) else ["dev"]
    return tuple(groups) if isinstance(groups, list) else ("dev",)


def _root(packages: Mapping[str, Any], pyproject: Mapping[str, Any]) -> Any:
    """The lock's entry of the project itself; a uv workspace's members are local too."""
    local = [p for p in packages.values() if {"editable", "virtual"} & set(p.get("source", {}))]
    project = pyproject.get("project", {})
    name = normalize(str(project.get("name", ""))) if isinstance(project, dict) else ""
    named = packages.get(name)
    if named is not None and named in local:
        return named
    return next((p for p in local if "." in p["source"].values()), local[0] if local else None)


def locked_environment(lock: Mapping[str, Any], pyproject: Mapping[str, Any]) -> frozenset[str]:
    """Normalized names of what `uv sync --locked` installs from this uv.lock (pure)."""
    packages = {
        normalize(p["name"]): p
        for p in lock.get("package", [])
        if isinstance(p, dict) and isinstance(p.get("name"), str)
    }
    root = _root(packages, pyproject)
    if root is None:
        return frozenset()
    groups = root.get("dev-dependencies", {})
    todo = _names(root.get("dependencies"))
    for group in _default_groups(pyproject):
        todo += _names(groups.get(group) if isinstance(groups, dict) else None)
    seen: set[str] = set()
    while todo:
        name, extras = todo.pop()
        if name in seen and not extras:
            continue
        seen.add(name)
        package = packages.get(name, {})
        todo += [dep for dep in _names(package.get("dependencies")) if dep[0] not in seen]
        optional = package.get("optional-dependencies", {})
        for extra in extras:
            todo += _names(optional.get(extra) if isinstance(optional, dict) else None)
    return frozenset(seen)


def gate_tool(gate: Gate) -> str | None:
    """The distribution a gate's command needs (`ruff` for `uv run ruff check`), if any."""
    if gate.tool:
        return normalize(_DISTRIBUTION.get(gate.tool, gate.tool))
    try:
        words = shlex.split(gate.run)
    except ValueError:
        return None
    while words and (words[0] in _LAUNCHERS or words[0] in ("run", "-m") or words[0][:1] == "-"):
        words = words[1:]
    if not words or "/" in words[0] or words[0] in _NOT_PYTHON:
        return None
    return normalize(_DISTRIBUTION.get(words[0], words[0]))


def _requirement(item: Any) -> str | None:
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", item) if isinstance(item, str) else None
    return normalize(found.group(1)) if found else None


def elsewhere(tool: str, pyproject: Mapping[str, Any], hook_repos: Iterable[str]) -> str | None:
    """Where else the project keeps `tool`, if it keeps it somewhere CI does not install."""
    project = pyproject.get("project", {})
    extras = project.get("optional-dependencies", {}) if isinstance(project, dict) else {}
    for extra, items in (extras or {}).items():
        if tool in {_requirement(item) for item in items or []}:
            return f"only in the optional extra {extra!r}"
    poetry = pyproject.get("tool", {}).get("poetry", {})
    for group, table in (poetry.get("group", {}) if isinstance(poetry, dict) else {}).items():
        deps = table.get("dependencies", {}) if isinstance(table, dict) else {}
        if tool in {normalize(name) for name in deps}:
            return f"only in the poetry group {group!r}"
    for repo in hook_repos:
        if tool in normalize(repo.rstrip("/").rsplit("/", 1)[-1]):
            return f"only in the pre-commit hook repository {repo}"
    return None


def _hook_repos(config: Config) -> list[str]:
    from tagship.diagnose.hook_rules import parse_precommit  # noqa: PLC0415 (cycle)

    path = config.root / ".pre-commit-config.yaml"
    if not path.is_file():
        return []
    parsed = parse_precommit(path.read_text(encoding="utf-8", errors="replace"))
    return [] if isinstance(parsed, str) else [hook.repo for hook in parsed]


def _gates(config: Config, pyproject: Mapping[str, Any]) -> tuple[Gate, ...]:
    table = config.tagship.raw.get("gates")
    if table is not None:
        return spec.parse_gates(table)
    paths = git.ls_tree(config.root, "HEAD") if git.head(config.root) else {}
    return spec.default_gates(pyproject, paths)


def gate_tools(config: Config) -> Finding:
    lock_path = config.root / "uv.lock"
    if not lock_path.is_file():
        return skipped(GATE_TOOLS, "no uv.lock (see TS408)")
    pyproject_path = config.root / "pyproject.toml"
    pyproject = read_toml(pyproject_path) if pyproject_path.is_file() else {}
    locked = locked_environment(read_toml(lock_path), pyproject)
    repos = _hook_repos(config)
    checked = []
    for gate in _gates(config, pyproject):
        tool = gate_tool(gate)
        if tool is None or tool in locked:
            checked += [tool] if tool else []
            continue
        where = elsewhere(tool, pyproject, repos) or "not in uv.lock's default groups"
        return failed(
            GATE_TOOLS,
            f"gate {gate.name}: {tool} is {where}; CI's `uv sync --locked` does not install it",
            f"uv add --dev {tool}",
        )
    tools = ", ".join(sorted(set(checked))) or "no Python tool"
    return passed(GATE_TOOLS, f"the gates' tools are in the locked environment ({tools})")
