"""Shared set-up of the rehearse tests: a locked project, rehearsed from a plain shell."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from filelock import FileLock

from tests.dists import shared_dir
from tests.helpers import Ran, commit, cz, git, sample_project
from tests.userland import PlainShell

# commitizen in the dev group, as `uv run cz bump` needs it (and `--release` graduates
# with it). A gate whose tool only the locked environment has: `pygmentize` comes with tagship (rich
# needs pygments), and a plain shell has no `pygmentize` on PATH.
LOCKED = """
[dependency-groups]
dev = ["tagship", "commitizen"]

[tool.tagship.gates]
pygments = "pygmentize -V"
"""

# Lines for the gates table, which LOCKED leaves last in pyproject.toml.
SLOW_GATE = """slow = "python -c 'import time; time.sleep(60)' {marker}"\n"""


def fingerprint(repo: Path) -> dict[str, object]:
    """Everything rehearse must never modify in the user's repository."""
    dot_git = repo / ".git"
    return {
        "refs": git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": git(repo, "rev-parse", "HEAD"),
        "status": git(repo, "status", "--porcelain", "--untracked-files=all"),
        "index": (dot_git / "index").read_bytes(),
        "hooks": sorted(p.name for p in (dot_git / "hooks").iterdir()),
        "config": (dot_git / "config").read_bytes(),
        "worktrees": git(repo, "worktree", "list", "--porcelain"),
        "tagship": (dot_git / "tagship").exists(),
    }


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory, plain_shell: PlainShell) -> Path:
    """A sample project locked with tagship in its dev group, tagged v0.1.0rc0 by real
    commitizen, with its changelog (made once per run, for all workers; tests work on
    copies)."""
    root = shared_dir(tmp_path_factory, "rehearse-project")
    project = root / "proj"
    with FileLock(str(root / "proj.lock")):
        if not (project / "CHANGELOG.md").exists():
            shutil.rmtree(project, ignore_errors=True)
            sample_project(project, name="rh-sample", extra_pyproject=LOCKED)
            plain_shell.run(["uv", "lock", "--quiet"], project)
            commit(project, "feat: greet the world", {"src/rh_sample/greet.py": "HELLO = 1\n"})
            cz(project, "bump", "--prerelease", "rc", "--yes")
            # the user's own environment, made once: `uv run` in a copy reuses nothing else
            plain_shell.run(["uv", "sync", "--locked", "--quiet"], project)
    return project


@pytest.fixture
def project(tmp_path: Path, released: Path, plain_shell: PlainShell) -> Path:
    """A private copy, so that one test's kept index never meets another's."""
    copy = tmp_path / "proj"
    shutil.copytree(released, copy, symlinks=True, ignore=shutil.ignore_patterns(".venv"))
    plain_shell.run(["uv", "sync", "--locked", "--quiet"], copy)
    return copy


@pytest.fixture
def shell(plain_shell: PlainShell) -> PlainShell:
    return plain_shell


def tagship_in(shell: PlainShell, project: Path, *args: str, tmpdir: Path | None = None) -> Ran:
    """`uv run tagship ...` from a plain shell, as a uv user runs it."""
    extra = {"TMPDIR": str(tmpdir)} if tmpdir else {}
    return shell.run(["uv", "run", "--quiet", "tagship", *args], project, check=False, extra=extra)


def rehearse(shell: PlainShell, project: Path, *args: str, tmpdir: Path) -> Ran:
    tmpdir.mkdir(exist_ok=True)
    return tagship_in(shell, project, "rehearse", *args, tmpdir=tmpdir)


def processes_mentioning(text: str) -> list[str]:
    """The command lines of live processes that mention `text` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in args:
            found.append(args)
    return found


def leftovers(tmpdir: Path) -> list[str]:
    """What the rehearsal left in its TMPDIR (the `uv-*.lock` is the user's `uv run`'s own
    lock of the project, which uv keeps, not the rehearsal's)."""
    return sorted(p.name for p in tmpdir.iterdir() if not re.fullmatch(r"uv-\w+\.lock", p.name))
