"""`git push` with pre-push gates: plain pre-commit hooks against `tagship gate`.

A sample package whose real gates (ruff, ruff format, mypy --strict, pytest) take several
seconds is pushed to a local bare remote, each push carrying a new commit:

- bare: `git push --no-verify` (the baseline), and pre-commit with a `true` hook (the
  floor any pre-commit hook pays before it starts);
- (a) plain pre-commit: the four tools as `repo: local` pre-push hooks, one after another;
- (b) `tagship gate` as the hook, cold: a feature commit, empty cache, gates in parallel;
- (c) `tagship gate` after a changelog-only commit (what `cz bump` makes): a cache hit.

Every feature commit edits the core module that the others import, so mypy rechecks the
package and pytest reruns, as in real work.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import BIN, WORK, table, verdict

MODULES = 400
TESTED_MODULES = 120  # mypy checks every module, pytest tests half: gates of similar cost
TESTS_PER_MODULE = 1
REPEAT = 3

PYPROJECT = """\
[project]
name = "bench-pkg"
version = "0.1.0"
requires-python = ">=3.11"

[tool.ruff]
line-length = 100

[tool.mypy]
strict = true
files = ["src"]

[tool.pytest.ini_options]
pythonpath = ["src"]
addopts = ["-p", "no:cacheprovider", "-q"]
"""

CORE = """\
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


# A new function per feature commit: the interface changes, so mypy rechecks dependents.
def revision_{revision}() -> int:
    return {revision}


@dataclass(frozen=True)
class Box(Generic[T]):
    value: T

    def map(self, size: int) -> list[T]:
        return [self.value] * size


def checksum(data: bytes, rounds: int) -> str:
    import hashlib

    digest = data
    for _ in range(rounds):
        digest = hashlib.sha256(digest).digest()
    return digest.hex()
"""

MODULE = """\
from __future__ import annotations

from collections.abc import Iterable, Mapping

from bench_pkg.core import Box, checksum


def total_{n}(values: Iterable[int]) -> int:
    return sum(Box(v).value for v in values)


def index_{n}(words: Iterable[str]) -> Mapping[str, list[int]]:
    found: dict[str, list[int]] = {{}}
    for position, word in enumerate(words):
        found.setdefault(word, []).append(position)
    return found


def digest_{n}(text: str, rounds: int = 1000) -> str:
    return checksum(text.encode(), rounds)
"""

TEST_HEADER = """\
from bench_pkg.mod_{n} import digest_{n}, index_{n}, total_{n}
"""

TEST = """\


def test_total_{n}_{t}() -> None:
    assert total_{n}(range({t} + 10)) == sum(range({t} + 10))


def test_index_{n}_{t}() -> None:
    assert index_{n}(["a", "b", "a"]) == {{"a": [0, 2], "b": [1]}}


def test_digest_{n}_{t}() -> None:
    assert len(digest_{n}("{n}-{t}")) == 64
"""

PLAIN_HOOKS = """\
repos:
  - repo: local
    hooks:
"""
PLAIN_HOOK = """\
      - id: {id}
        name: {id}
        entry: '{entry}'
        language: system
        pass_filenames: false
        always_run: true
        stages: [pre-push]
"""
PLAIN = {
    "ruff-check": "ruff check .",
    "ruff-format": "ruff format --check .",
    "mypy": "mypy",
    "pytest": "pytest",
}


def _hooks(hooks: dict[str, str]) -> str:
    entries = (PLAIN_HOOK.format(id=name, entry=entry) for name, entry in hooks.items())
    return PLAIN_HOOKS + "".join(entries)


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "PRE_COMMIT_HOME": str(WORK / "pre-commit-home"),
    }


def _run(repo: Path, *args: str) -> None:
    done = subprocess.run(args, cwd=repo, env=_env(), check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {done.returncode}\n{done.stdout}{done.stderr}")


def _write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _commit(repo: Path, message: str, files: dict[str, str]) -> None:
    _write(repo, files)
    _run(repo, "git", "add", "--all")
    _run(repo, "git", "commit", "--quiet", "--message", message)


def _sample(root: Path) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    repo = root / "repo"
    repo.mkdir(parents=True)
    _run(root, "git", "init", "--quiet", "--bare", "remote.git")
    _run(repo, "git", "init", "--quiet", "--initial-branch=main")
    files = {
        "pyproject.toml": PYPROJECT,
        "CHANGELOG.md": "# Changelog\n",
        ".gitignore": ".mypy_cache/\n__pycache__/\n.ruff_cache/\n",
        "src/bench_pkg/__init__.py": "",
        "src/bench_pkg/core.py": CORE.format(revision=0),
        "plain.yaml": _hooks(PLAIN),
        "tagship.yaml": _hooks({"tagship-gate": "tagship gate"}),
        "floor.yaml": _hooks({"floor": "true"}),
    }
    for n in range(MODULES):
        files[f"src/bench_pkg/mod_{n}.py"] = MODULE.format(n=n)
        if n >= TESTED_MODULES:
            continue
        tests = "".join(TEST.format(n=n, t=t) for t in range(TESTS_PER_MODULE))
        files[f"tests/test_mod_{n}.py"] = TEST_HEADER.format(n=n) + tests
    _commit(repo, "feat: sample", files)
    _run(repo, "git", "remote", "add", "origin", str(root / "remote.git"))
    _run(repo, "git", "push", "--quiet", "--no-verify", "origin", "main")
    return repo


class _Pusher:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.revision = 0

    def hooks(self, config: str) -> None:
        _run(self.repo, "pre-commit", "install", "--hook-type", "pre-push", "--config", config)

    def feature(self) -> None:
        self.revision += 1
        core = CORE.format(revision=self.revision)
        _commit(self.repo, f"feat: revision {self.revision}", {"src/bench_pkg/core.py": core})

    def changelog(self) -> None:
        self.revision += 1
        text = (self.repo / "CHANGELOG.md").read_text() + f"\n## v0.{self.revision}.0\n"
        _commit(self.repo, f"bump: version 0.{self.revision}.0", {"CHANGELOG.md": text})

    def push(self, *extra: str) -> tuple[float, float]:
        """Wall seconds and CPU seconds (of every process it started) of one push."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        _run(self.repo, "git", "push", "--quiet", *extra, "origin", "main")
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return wall, cpu


def _drop_cache(pusher: _Pusher) -> None:
    shutil.rmtree(pusher.repo / ".git" / "tagship", ignore_errors=True)
    pusher.feature()


# name -> (hook config or None for --no-verify, what the pushed commit changes)
SCENARIOS: dict[str, tuple[str | None, Callable[[_Pusher], None]]] = {
    "bare": (None, _Pusher.feature),
    "floor": ("floor.yaml", _Pusher.changelog),
    "plain": ("plain.yaml", _Pusher.feature),
    "cold": ("tagship.yaml", _drop_cache),
    "hit": ("tagship.yaml", _Pusher.changelog),  # right after "cold" passed on this content
}


def _measure(pusher: _Pusher) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each scenario; rounds interleave them, so that a
    machine whose load changes over time weighs on every scenario alike."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in SCENARIOS}
    for round_ in range(REPEAT + 1):  # round 0 warms the tools' own caches (mypy, ruff)
        for name, (config, prepare) in SCENARIOS.items():
            if config:
                pusher.hooks(config)
            prepare(pusher)
            timing = pusher.push() if config else pusher.push("--no-verify")
            if round_:
                samples[name].append(timing)
    return {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in samples.items()
    }


def run() -> str:
    m = _measure(_Pusher(_sample(WORK / "prepush")))
    (bare, _), (floor, floor_cpu), (plain, plain_cpu) = m["bare"], m["floor"], m["plain"]
    (cold, cold_cpu), (hit, hit_cpu) = m["cold"], m["hit"]
    rows = [
        ("bare `git push --no-verify`", bare, m["bare"][1], ""),
        ("pre-commit floor (one `true` hook)", floor, floor_cpu, f"+{floor - bare:.2f} s"),
        ("(a) plain pre-commit: ruff, ruff format, mypy, pytest", plain, plain_cpu, ""),
        ("(b) `tagship gate`, cold (new content)", cold, cold_cpu, f"{cold / plain:.2f}x of (a)"),
        ("(c) `tagship gate`, changelog-only commit", hit, hit_cpu, f"{plain / hit:.1f}x faster"),
    ]
    goals = [
        verdict(f"(c) at least 20x faster than (a): {plain / hit:.1f}x", plain / hit >= 20),
        verdict(f"(c) adds under 0.3 s to a bare push: +{hit - bare:.2f} s", hit - bare < 0.3),
        verdict(f"(b) at most 0.7x of (a): {cold / plain:.2f}x", cold / plain <= 0.7),
    ]
    load = os.getloadavg()[0]
    return (
        "## prepush: `git push` with pre-push gates\n\n"
        f"{MODULES} modules, {TESTED_MODULES * TESTS_PER_MODULE * 3} tests, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at the end; median of {REPEAT} "
        "interleaved rounds after one warm-up; each push carries a new commit.\n\n"
        + table(
            ["push", "wall s", "CPU s", "compared"],
            [(n, f"{s:.2f}", f"{c:.2f}", x) for n, s, c, x in rows],
        )
        + "\n"
        + "".join(goals)
        + (
            f"\nOn a hit `tagship gate` adds {hit - floor:.2f} s wall ({hit_cpu - floor_cpu:.2f} s "
            f"CPU) to pre-commit's own cost of {floor - bare:.2f} s, which any pre-commit hook "
            "pays.\n"
        )
    )
