"""Before anything runs: the gates of the commit, their inputs, keys and cached passes.

Everything here reads git objects and directory listings only, so a push whose gates are
all cached costs a handful of git calls.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from tagship import config, git
from tagship.errors import ConfigError
from tagship.gates import checkout, spec
from tagship.gates.cache import Cache, LastPass, Pass, cache_key
from tagship.gates.environment import Environment, detect
from tagship.gates.spec import Gate


@dataclass(frozen=True)
class Planned:
    """A gate with the facts that decide whether it must run."""

    gate: Gate
    inputs: Mapping[str, str]
    """Path -> blob id of its input files in the gated commit."""
    key: str
    hit: Pass | None
    """The recorded pass of this exact content, if any (None with --no-cache)."""


@dataclass(frozen=True)
class Plan:
    root: Path
    """The user's checkout."""
    target: checkout.Target
    changelog: str
    """The changelog's path: `cz bump` writes it before its hooks run."""
    project: str | None
    files: Mapping[str, str]
    """Path -> blob id of every file of the commit."""
    environment: Environment
    cache: Cache
    gates: tuple[Planned, ...]
    not_run: tuple[tuple[Gate, str], ...] = ()
    """Offered default gates whose tool the environment lacks, with the note saying so."""

    @cached_property
    def exact(self) -> bool:
        """The checkout is the gated commit with nothing a gate could read added, edited or
        hidden: gates run in place. Asked only when a gate must run (it costs git calls)."""
        prefix = self.environment.expected
        inside = prefix.is_relative_to(self.root)
        env_dir = prefix.relative_to(self.root).as_posix() if inside else None
        changed = checkout.changes(self.root, self.target, env_dir)
        # `cz bump` writes the changelog before it runs its pre_bump_hooks: a change there
        # alone, when no gate reads the changelog, need not cost a worktree.
        read = any(self.changelog in p.inputs for p in self.gates)
        allowed = set() if read else {self.changelog}
        return changed is not None and set(changed) <= allowed

    def remember(self) -> None:
        """After every gate passed or was replayed: a memo, so that the next push of this
        content reads nothing else (memo.py). Only when every gate reads the default inputs
        (every file but the changelog): a gate's own pathspecs might match the changelog,
        which the memo leaves out, once it exists."""
        from tagship.gates import memo  # noqa: PLC0415 (only a run that passed pays for it)

        if not self.gates or any(p.gate.inputs for p in self.gates):
            return
        env = self.environment.fingerprint()
        key = memo.memo_key(self.changelog, self.project, self.files, env, synced=memo.synced_run())
        self.cache.remember((self.changelog, self.project), key, [p.key for p in self.gates])

    def record(self, planned: Planned, seconds: float) -> None:
        found = Pass(planned.gate.name, self.target.commit, round(seconds, 3), time.time())
        last = LastPass(
            key=planned.key,
            command=planned.gate.run,
            env=[list(pair) for pair in planned.gate.env],
            environment=self.environment.as_dict(),
            inputs=dict(planned.inputs),
        )
        self.cache.record(planned.key, found, last)


def _load(
    root: Path, commit: str, files: Mapping[str, str]
) -> tuple[tuple[Gate, ...], str, str | None]:
    """The commit's gates, changelog path and project name.

    (A tuple, not a dataclass: on Python 3.11 each dataclass costs ~1 ms of start-up, and
    a push whose gates are all cached should cost little more than starting Python.)
    """
    # The config files as committed; read in place when the checkout holds the same bytes.
    exact = checkout.same_as_commit(root, files, config.CZ_CONFIG_FILES)
    with checkout.config_at(root, commit, files, exact=exact) as directory:
        try:
            loaded = config.load(directory)
        except ConfigError as exc:
            if exact:
                raise
            # Name the commit's file, not the temporary copy it was read from.
            raise ConfigError(str(exc).replace(f"{directory}/", f"{commit[:12]}:")) from None
        pyproject_path = directory / "pyproject.toml"
        pyproject = config.read_toml(pyproject_path) if pyproject_path.is_file() else {}
    table = loaded.tagship.gates
    gates = spec.from_settings(table) if table is not None else spec.default_gates(pyproject, files)
    return gates, loaded.cz.changelog_file.removeprefix("./"), loaded.project_name


def _inputs(root: Path, commit: str, gate: Gate, files: Mapping[str, str]) -> dict[str, str]:
    if gate.inputs:
        return git.tree_blobs(root, commit, list(gate.inputs))
    return dict(files)


def longest_first(gates: list[Gate], seconds: Mapping[str, float | None]) -> list[Gate]:
    """The order to start gates in when they outnumber the jobs: the longest (by its last
    pass) first, so that a short gate waits rather than delays the end; a gate that never
    passed may be the longest of all. Ties keep the configured order."""

    def expected(gate: Gate) -> float:
        known = seconds.get(gate.name)
        return float("inf") if known is None else known

    return sorted(gates, key=expected, reverse=True)


def make_plan(
    root: Path,
    target: checkout.Target,
    *,
    only: list[str] | None,
    no_cache: bool,
    common_dir: Path | None = None,
    files: Mapping[str, str] | None = None,
) -> Plan:
    """Everything but whether the checkout is exact: on a cache hit, one `git ls-tree`."""
    files = git.ls_tree(root, target.commit) if files is None else files
    configured, changelog, project = _load(root, target.commit, files)
    gates = spec.select(configured, only)
    environment = detect(root, project=project, commit_files=files)
    # A bump commits only the changelog: by default it is nobody's input.
    default_inputs = {p: b for p, b in files.items() if p != changelog}
    cache = Cache((common_dir or git.common_dir(root)) / "tagship" / "gates")
    fingerprint = environment.fingerprint()
    not_run = tuple((g, note) for g in gates if (note := _not_run(g, environment)))
    planned = []
    for gate in (g for g in gates if not any(g is skipped for skipped, _ in not_run)):
        inputs = _inputs(root, target.commit, gate, default_inputs)
        key = cache_key(gate, inputs, fingerprint)
        hit = None if no_cache else cache.lookup(key)
        planned.append(Planned(gate, inputs, key, hit))
    return Plan(
        root, target, changelog, project, files, environment, cache, tuple(planned), not_run
    )


def _not_run(gate: Gate, environment: Environment) -> str | None:
    if not gate.offered or gate.tool is None or environment.has_tool(gate.tool):
        return None
    where = environment.prefix or environment.expected
    return (
        f"{gate.name} not run: {gate.tool} is not in the project's environment ({where}); "
        f"add it to the dev group to gate with it: uv add --dev {gate.tool}"
    )
