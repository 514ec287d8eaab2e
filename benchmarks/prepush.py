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

    def push(self, *extra: str) -> float:
        start = time.perf_counter()
        _run(self.repo, "git", "push", "--quiet", *extra, "origin", "main")
        return time.perf_counter() - start

    def timed(self, prepare: Callable[[], None], *extra: str) -> float:
        def once() -> float:
            prepare()
            return self.push(*extra)

        once()  # warm-up: caches of the tools themselves (mypy, ruff) as in daily use
        return statistics.median(once() for _ in range(REPEAT))


def _drop_cache(pusher: _Pusher) -> Callable[[], None]:
    def prepare() -> None:
        shutil.rmtree(pusher.repo / ".git" / "tagship", ignore_errors=True)
        pusher.feature()

    return prepare


def run() -> str:
    pusher = _Pusher(_sample(WORK / "prepush"))
    bare = pusher.timed(pusher.feature, "--no-verify")
    pusher.hooks("floor.yaml")
    floor = pusher.timed(pusher.changelog)
    pusher.hooks("plain.yaml")
    plain = pusher.timed(pusher.feature)
    pusher.hooks("tagship.yaml")
    cold = pusher.timed(_drop_cache(pusher))
    pusher.feature()
    pusher.push()  # the gates pass on this content once...
    hit = pusher.timed(pusher.changelog)  # ...then every bump is a cache hit
    rows = [
        ("bare `git push --no-verify`", bare, ""),
        ("pre-commit floor (one `true` hook)", floor, f"+{floor - bare:.2f} s"),
        ("(a) plain pre-commit: ruff, ruff format, mypy, pytest", plain, f"+{plain - bare:.2f} s"),
        ("(b) `tagship gate`, cold (new content)", cold, f"{cold / plain:.2f}x of (a)"),
        ("(c) `tagship gate`, changelog-only commit", hit, f"{plain / hit:.1f}x faster than (a)"),
    ]
    goals = [
        verdict(f"(c) at least 20x faster than (a): {plain / hit:.1f}x", plain / hit >= 20),
        verdict(f"(c) adds under 0.3 s to a bare push: +{hit - bare:.2f} s", hit - bare < 0.3),
        verdict(f"(b) at most 0.7x of (a): {cold / plain:.2f}x", cold / plain <= 0.7),
    ]
    return (
        "## prepush: `git push` with pre-push gates\n\n"
        f"{MODULES} modules, {TESTED_MODULES * TESTS_PER_MODULE * 3} tests, {os.cpu_count()} CPUs; "
        f"median of {REPEAT} pushes after one warm-up; each push carries a new commit.\n\n"
        + table(["push", "seconds", "compared"], [(n, f"{s:.2f}", c) for n, s, c in rows])
        + "\n"
        + "".join(goals)
        + (
            f"\n`tagship gate` itself on a hit adds {hit - floor:.2f} s to pre-commit's own "
            f"floor of {floor - bare:.2f} s.\n"
        )
    )
