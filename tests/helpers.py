"""Real git repositories and real tools for tests: nothing here mocks anything."""

from __future__ import annotations

import os
import resource
import shlex
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
# `TAGSHIP_TEST_TIMES=FILE make check` appends each command's wall time, the CPU time of
# its process tree and the test that ran it to FILE: where a slow test's time goes. (Read
# at import: the session fixture clears TAGSHIP_ variables.)
TIMES = Path(os.environ["TAGSHIP_TEST_TIMES"]) if os.environ.get("TAGSHIP_TEST_TIMES") else None


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(
    args: list[str | Path],
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    stdin: str | None = None,
    timeout: float = 300,
    base_env: Mapping[str, str] | None = None,
) -> Ran:
    """Run a real command; `env` is added to `base_env` (default: this process's)."""
    start, used = time.perf_counter(), _children_cpu() if TIMES is not None else 0.0
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**(os.environ if base_env is None else base_env), **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if TIMES is not None:
        with TIMES.open("a", encoding="utf-8") as log:
            test = os.environ.get("PYTEST_CURRENT_TEST", "-").split(" ")[0]
            wall, cpu = time.perf_counter() - start, _children_cpu() - used
            log.write(f"{wall:7.2f} {cpu:7.2f} {test} {shlex.join(map(str, args))[:160]}\n")
    if check and done.returncode != 0:
        raise AssertionError(
            f"{args} exited {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        )
    return Ran(done.returncode, done.stdout, done.stderr)


def git(repo: Path, *args: str, check: bool = True) -> str:
    return run(["git", *args], repo, check=check).stdout.strip()


def tagship(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None, stdin: str | None = None
) -> Ran:
    """The real CLI in a subprocess, as users and hooks run it."""
    return run([BIN / "tagship", *args], cwd, env=env, check=False, stdin=stdin)


def cz(repo: Path, *args: str, env: Mapping[str, str] | None = None, check: bool = True) -> Ran:
    """Real commitizen."""
    return run([BIN / "cz", *args], repo, env=env, check=check)


def write(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit(repo: Path, message: str, files: Mapping[str, str] | None = None) -> str:
    """Write `files`, stage everything, commit; the new commit id."""
    write(repo, files or {})
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--allow-empty", "--message", message)
    return git(repo, "rev-parse", "HEAD")


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "--quiet", "--initial-branch=main")
    return path


CZ_TOML = """\
[tool.commitizen]
name = "cz_conventional_commits"
version_provider = "scm"
version_scheme = "{scheme}"
tag_format = "{tag_format}"
update_changelog_on_bump = true
changelog_merge_prerelease = true
major_version_zero = true
annotated_tag = true
"""

SAMPLE_PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "{name}"
dynamic = ["version"]
description = "A sample project for tagship's tests."
readme = "README.md"
requires-python = ">=3.11"
license = "MIT"

[project.scripts]
{name} = "{module}:main"

[tool.hatch.version]
source = "vcs"

[tool.hatch.version.raw-options]
tag_regex = "^v(?P<version>.+)$"
git_describe_command = ["git", "describe", "--dirty", "--tags", "--long", "--match", "v*"]

[tool.hatch.build.targets.wheel]
packages = ["src/{module}"]
"""

SAMPLE_INIT = """\
import sys
from importlib.metadata import version


def main() -> None:
    if "--version" in sys.argv:
        print(version("{name}"))
"""


def sample_project(
    path: Path,
    *,
    name: str = "sample-pkg",
    scheme: str = "pep440",
    tag_format: str = "v$version",
    extra_pyproject: str = "",
) -> Path:
    """A real hatch-vcs package with commitizen config, one commit, no tag."""
    module = name.replace("-", "_")
    init_repo(path)
    write(
        path,
        {
            "pyproject.toml": SAMPLE_PYPROJECT.format(name=name, module=module) + extra_pyproject,
            ".cz.toml": CZ_TOML.format(scheme=scheme, tag_format=tag_format),
            "README.md": f"# {name}\n",
            f"src/{module}/__init__.py": SAMPLE_INIT.format(name=name),
            ".gitignore": "dist/\n__pycache__/\n.venv\n",
        },
    )
    commit(path, "feat: initial version")
    return path


def link_project_env(repo: Path) -> Path:
    """Give `repo` a project environment (`.venv`, ignored) with the test suite's tools:
    gates take ruff, mypy and pytest from there, never from PATH."""
    (repo / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return repo
