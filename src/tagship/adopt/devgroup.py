"""The dev group: every tool the hooks, the gates and commitizen run, where CI installs it.

CI builds its environment with `uv sync --locked`, which installs the `dev` dependency
group and no optional extra or poetry group; the hooks run the same environment
(`uv run --frozen`). So a gate tool that only an extra or a poetry group holds is added to
the dev group too (the extra keeps it, for pip users), and a tool the project pins in a
pre-commit hook repository gets that version here.

tagship itself needs Python 3.11: a bare `tagship` would make `uv lock` unsatisfiable for
every project that supports older Pythons, so it carries a marker.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version
from tomlkit.items import Array, Table

from tagship.errors import ConfigError

TAGSHIP = "tagship; python_version >= '3.11'"
GATE_TOOLS = ("ruff", "mypy", "pytest")
RUNNERS = ("pre-commit", "prek")
# pre-commit hook repositories whose `rev` is the version of a tool on PyPI
HOOK_REPOS = {
    "astral-sh/ruff-pre-commit": "ruff",
    "charliermarsh/ruff-pre-commit": "ruff",
    "pre-commit/mirrors-mypy": "mypy",
    "commitizen-tools/commitizen": "commitizen",
}


def _name(requirement: object) -> str | None:
    try:
        return canonicalize_name(Requirement(str(requirement)).name)
    except InvalidRequirement:
        return None


def _group_names(groups: Mapping[str, Any], group: str, seen: frozenset[str]) -> Iterator[str]:
    """The packages a dependency group names, `{include-group = ...}` followed."""
    for item in groups.get(group) or []:
        if isinstance(item, Mapping):
            included = str(item.get("include-group", ""))
            if included and included not in seen:
                yield from _group_names(groups, included, seen | {included})
        elif (name := _name(item)) is not None:
            yield name


def dev_names(doc: Mapping[str, Any]) -> set[str]:
    """The packages of the dev group (and uv's legacy `dev-dependencies`)."""
    groups = doc.get("dependency-groups") or {}
    legacy = doc.get("tool", {}).get("uv", {}).get("dev-dependencies") or []
    names = set(_group_names(groups, "dev", frozenset({"dev"})))
    return names | {name for item in legacy if (name := _name(item)) is not None}


def _elsewhere(doc: Mapping[str, Any], tool: str) -> str | None:
    """The requirement for `tool` in an optional extra or a poetry group, if any."""
    for extra in (doc.get("project", {}).get("optional-dependencies") or {}).values():
        for item in extra:
            if _name(item) == tool:
                return str(item)
    poetry = doc.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dev-dependencies") or {}]
    tables += [g.get("dependencies") or {} for g in (poetry.get("group") or {}).values()]
    if any(tool in {canonicalize_name(str(key)) for key in table} for table in tables):
        return tool  # poetry's own version syntax (^1.2) is not PEP 440: the name alone
    return None


def pins_from_hook_repos(repos: list[tuple[str, str]]) -> dict[str, str]:
    """Tool -> version from (repo URL, rev) pairs of a pre-commit config."""
    pins: dict[str, str] = {}
    for url, rev in repos:
        slug = url.removesuffix(".git").rstrip("/").split("github.com/")[-1]
        tool = HOOK_REPOS.get(slug)
        try:
            version = Version(rev.removeprefix("v"))
        except InvalidVersion:
            continue
        if tool is not None:
            pins[tool] = str(version)
    return pins


def _dev_array(doc: Any) -> Array:
    groups = doc.get("dependency-groups")
    if groups is None:
        doc["dependency-groups"] = groups = tomlkit.table()
    if not isinstance(groups, Table):
        raise ConfigError("pyproject.toml: [dependency-groups] must be a table; fix it")
    if "dev" not in groups:
        groups["dev"] = tomlkit.array()
    dev = groups["dev"]
    if not isinstance(dev, Array):
        raise ConfigError("pyproject.toml: dependency-groups.dev must be a list; fix it")
    if len(dev) == 0:
        dev.multiline(True)
    return dev


def _upgrade_bare_tagship(dev: Array) -> bool:
    """An earlier init wrote a bare `tagship`: give it the Python marker."""
    for index, item in enumerate(dev):
        if str(item).strip() == "tagship":
            dev[index] = TAGSHIP
            return True
    return False


def adopt(
    doc: Any, *, name: str, pins: Mapping[str, str], runner: str = "pre-commit"
) -> tuple[str, ...]:
    """Add the missing tools to `doc`'s dev group (edited in place); what was added."""
    present = dev_names(doc)
    dev = _dev_array(doc)
    added: list[str] = []
    if "tagship" in present and _upgrade_bare_tagship(dev):
        added.append(TAGSHIP)
    wanted = [("tagship", TAGSHIP), ("commitizen", None), (runner, None)]
    wanted += [(tool, None) for tool in GATE_TOOLS]
    for tool, requirement in wanted:
        if tool in present or tool == canonicalize_name(name):
            continue
        pinned = f"{tool}=={pins[tool]}" if tool in pins else tool
        line = requirement or _elsewhere(doc, tool) or pinned
        dev.append(line)
        added.append(line)
    return tuple(added)
