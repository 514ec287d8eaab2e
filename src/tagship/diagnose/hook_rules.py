"""Doctor rule TS411: the hooks run from a plain shell (issue 10).

A plain shell has uv, git and a Python on PATH, and no activated virtualenv: a hook whose
entry is a bare `cz` or `tagship` fails there ("Executable `cz` not found"), and a hook
script installed from a `uvx` environment breaks once that environment is gone. So the
hook entries must take their tools from the project's environment (`uv run ...`), `uv`
must be found, and the hook script's runner must still exist outside uv's cache.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tagship import git
from tagship.config import Config
from tagship.rules import Finding, Rule, failed, passed

HOOK_TOOLS = Rule("TS411", "hook-tools", "error")
CONFIG = Path(".pre-commit-config.yaml")
# The hooks tagship writes (and those of older inits), and the tools they run: these live
# in the project's environment, never on a plain shell's PATH. The user's own hooks are
# theirs (init never changes how they run).
_TAGSHIP_HOOKS = frozenset({"commitizen", "tagship", "tagship-gate", "tagship-check"})
_PROJECT_TOOLS = frozenset({"cz", "tagship"})
_INSTALL_PYTHON = re.compile(r"^INSTALL_PYTHON=['\"]?([^'\"\n]+)", re.MULTILINE)
_PREK_PATH = re.compile(r"^PREK=['\"]?([^'\"\n]+)", re.MULTILINE)
_TEMPORARY = ("/.cache/uv/", "/uv/archive-v", "/uv/cache/")


@dataclass(frozen=True)
class Hook:
    """One hook of `.pre-commit-config.yaml`."""

    repo: str
    id: str
    entry: str
    """Empty for a hook of a remote repository (its entry is in that repository)."""
    language: str


def _problem(where: str, what: str) -> str:
    return f"{CONFIG}: {where} must be {what}"


def _hooks_of(index: int, repo: dict[str, Any]) -> list[Hook] | str:
    name = str(repo.get("repo", ""))
    hooks = repo.get("hooks", [])
    if not isinstance(hooks, list):
        return _problem(f"repos[{index}].hooks", "a list of hooks, not a string or a mapping")
    found = []
    for position, hook in enumerate(hooks):
        if not isinstance(hook, dict) or not isinstance(hook.get("id"), str):
            return _problem(f"repos[{index}].hooks[{position}]", "a mapping with an id")
        entry, language = hook.get("entry", ""), hook.get("language", "")
        if not isinstance(entry, str) or not isinstance(language, str):
            return _problem(f"hook {hook['id']!r}: entry and language", "strings")
        found.append(Hook(name, hook["id"], entry, language))
    return found


def parse_precommit(text: str) -> list[Hook] | str:
    """The hooks of a pre-commit config, or a one-line description of its broken shape."""
    from ruamel.yaml import YAML  # noqa: PLC0415 (doctor only)
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        return f"{CONFIG}: invalid YAML ({' '.join(str(exc).split())})"
    repos = data.get("repos") if isinstance(data, dict) else None
    if not isinstance(repos, list):
        return _problem("repos", "a list of repositories (`repos:` then `- repo: ...`)")
    hooks: list[Hook] = []
    for index, repo in enumerate(repos):
        if not isinstance(repo, dict):
            return _problem(f"repos[{index}]", "a mapping with repo and hooks")
        found = _hooks_of(index, repo)
        if isinstance(found, str):
            return found
        hooks += found
    return hooks


def bare_tool(hook: Hook) -> str | None:
    """The project tool one of tagship's hooks takes from PATH, not `uv run` (pure)."""
    if hook.id not in _TAGSHIP_HOOKS or hook.repo != "local" or not hook.entry.strip():
        return None
    first = hook.entry.split()[0]
    return first if first in _PROJECT_TOOLS else None


def runner_problem(script: str) -> str | None:
    """Why an installed hook script cannot start its runner from a plain shell (pure)."""
    found = _INSTALL_PYTHON.search(script) or _PREK_PATH.search(script)
    if found is None:
        return None
    runner = found.group(1)
    if any(part in runner for part in _TEMPORARY):
        return f"its runner {runner} is in uv's cache (a uvx environment), which uv may delete"
    if not os.access(runner, os.X_OK):
        return f"its runner {runner} no longer exists"
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def hook_tools(config: Config) -> Finding:
    path = config.root / CONFIG
    if not path.is_file():
        return failed(HOOK_TOOLS, f"no {CONFIG}", "run `tagship init`")
    parsed = parse_precommit(_read(path))
    if isinstance(parsed, str):
        return failed(HOOK_TOOLS, parsed, f"fix {CONFIG} (see https://pre-commit.com/#plugins)")
    for hook in parsed:
        tool = bare_tool(hook)
        if tool:
            return failed(
                HOOK_TOOLS,
                f"hook {hook.id!r} runs `{tool}` from PATH: a plain shell has none",
                f"start its entry with `uv run --frozen {tool}` (or run `tagship init --force`)",
            )
    if shutil.which("uv") is None:
        return failed(HOOK_TOOLS, "uv is not on PATH: the hooks cannot start", "install uv")
    hooks_dir = git.hooks_dir(config.root)
    for name in ("commit-msg", "pre-push"):
        problem = runner_problem(_read(hooks_dir / name))
        if problem:
            return failed(
                HOOK_TOOLS,
                f"{name} hook: {problem}",
                "reinstall them from the project: `uv run --frozen pre-commit install`",
            )
    return passed(HOOK_TOOLS, "the hooks take their tools from the project's uv environment")
