"""Where users live: git's default configuration, a PATH with only uv, git and a Python.

End-to-end tests of the user's day run here, not in the test process's environment:

- git has an empty global config (no default branch set, so a new repository is on
  `master`); the commit identity comes from GIT_AUTHOR_* / GIT_COMMITTER_* variables;
- PATH holds a directory with only `uv`, `uvx`, `git` and `python3` (links), then the
  system's /usr/bin and /bin (a shell needs coreutils): a hook or gate that calls `cz`,
  `ruff` or `tagship` from PATH fails here as it fails for a user;
- tagship is installed the way users get it: `uvx tagship` and a dev-group `tagship`
  resolve to a wheel built from this checkout, found through UV_FIND_LINKS.

`plain_shell` is a session fixture: the wheel is built once per test run (a file lock
makes the xdist workers share it) and the uv cache is the caller's, so it stays warm.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from filelock import FileLock

from tests import helpers
from tests.helpers import Ran

ROOT = Path(__file__).resolve().parent.parent
IDENTITY = {
    "GIT_AUTHOR_NAME": "Newcomer",
    "GIT_AUTHOR_EMAIL": "newcomer@example.invalid",
    "GIT_COMMITTER_NAME": "Newcomer",
    "GIT_COMMITTER_EMAIL": "newcomer@example.invalid",
}
# Variables of the test process that a user's shell would not have.
_DROPPED_PREFIXES = (
    "VIRTUAL_ENV",
    "UV_PROJECT_ENVIRONMENT",
    "CONDA_",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTEST_",
    "PRE_COMMIT",
    "GIT_",
    "CZ_",
    "TAGSHIP_",
    "GITHUB_",
)


def _uv() -> str:
    found = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    if not Path(found).exists():
        raise RuntimeError("uv not found on PATH nor in .tools/bin (run `make check`)")
    return found


@functools.cache
def uv_cache() -> Path:
    """The caller's uv cache (UV_CACHE_DIR, XDG_CACHE_HOME or ~/.cache/uv), as uv says."""
    found = subprocess.run([_uv(), "cache", "dir"], check=False, capture_output=True, text=True)
    return Path(found.stdout.strip()) if found.returncode == 0 else Path.home() / ".cache" / "uv"


def _python() -> str:
    """The base interpreter (not the project's venv), as a user's shell has it."""
    base = Path(getattr(sys, "_base_executable", sys.executable))
    return str(base if base.exists() else Path(sys.executable))


@dataclass(frozen=True)
class PlainShell:
    """A user's shell: run commands with `run`; `env` is its whole environment."""

    env: Mapping[str, str]
    bin: Path
    wheels: Path

    def run(
        self,
        args: list[str | Path],
        cwd: Path,
        *,
        check: bool = True,
        stdin: str | None = None,
        extra: Mapping[str, str] | None = None,
        timeout: float = 300,
    ) -> Ran:
        return helpers.run(
            args,
            cwd,
            env=extra,
            base_env=self.env,
            check=check,
            stdin=stdin if stdin is not None else "",
            timeout=timeout,
        )

    def git(self, repo: Path, *args: str, check: bool = True) -> str:
        return self.run(["git", *args], repo, check=check).stdout.strip()


def build_wheel(out: Path) -> Path:
    """tagship's wheel, built from this checkout with uv (once; reused when present)."""
    with FileLock(str(out) + ".lock"):
        found = sorted(out.glob("tagship-*.whl"))
        if found:
            return found[-1]
        subprocess.run(
            [_uv(), "build", "--wheel", "--out-dir", str(out), "--quiet", str(ROOT)],
            check=True,
            capture_output=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")},
        )
        return sorted(out.glob("tagship-*.whl"))[-1]


def plain_environment(base: Path, wheels: Path) -> PlainShell:
    """The environment of a user's shell, rooted in `base` (HOME, git config, bin)."""
    bin_dir = base / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    uv = _uv()
    uvx = str(Path(uv).with_name("uvx"))
    tools = (("uv", uv), ("uvx", uvx), ("git", shutil.which("git")), ("python3", _python()))
    for name, target in tools:
        link = bin_dir / name
        if not link.exists() and target:
            link.symlink_to(target)
    home = base / "home"
    home.mkdir(exist_ok=True)
    gitconfig = home / ".gitconfig"
    gitconfig.touch()
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(_DROPPED_PREFIXES) and k not in {"PATH", "HOME"}
    }
    env = {
        **kept,
        **IDENTITY,
        "HOME": str(home),
        # the system's own directories (sh, coreutils) hold none of the project's tools
        "PATH": os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]),
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
        "UV_FIND_LINKS": str(wheels),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_PROGRESS": "1",
        "NO_COLOR": "1",
        "PRE_COMMIT_HOME": str(base / "pre-commit-home"),
        # the caller's uv cache stays warm across tests; uv finds it through HOME otherwise
        "UV_CACHE_DIR": str(uv_cache()),
    }
    return PlainShell(env=env, bin=bin_dir, wheels=wheels)


@pytest.fixture(scope="session")
def tagship_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory with tagship's wheel, for UV_FIND_LINKS (one wheel per test run)."""
    base = tmp_path_factory.getbasetemp()
    # xdist workers share their run's directory (the parent); a plain run has its own
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "tagship-wheel"
    shared.mkdir(exist_ok=True)
    build_wheel(shared)
    return shared


# What the projects of the tests resolve, lock and build with: warmed once per run, so
# that the plain shell can work offline (uv otherwise asks PyPI about tagship, which is
# not there, on every `uvx tagship` and `uv run`: most of a plain-shell test's time).
WARMED = (
    "commitizen",
    "pre-commit",
    "prek",
    "ruff",
    "mypy",
    "pytest",
    "hatchling",
    "hatch-vcs",
    "setuptools>=68",
    "setuptools-scm>=8",
    "pdm-backend",
    "flit-core>=3.2,<4",
    "poetry-core>=2",
    "poetry-dynamic-versioning>=1,<2",
    "uv-build>=0.8,<1",
    "tagship; python_version >= '3.11'",
)


def warm_cache(root: Path, wheels: Path) -> None:
    """Put every package the tests' projects use into the uv cache, online, once per run;
    a machine without network keeps whatever its cache holds."""
    with FileLock(str(root) + ".lock"):
        if (root / "uv.lock").exists():
            return
        root.mkdir(exist_ok=True)
        (root / "pyproject.toml").write_text(
            '[project]\nname = "warm"\nversion = "0"\nrequires-python = ">=3.9"\n'
            f"[dependency-groups]\ndev = {json.dumps(list(WARMED))}\n",
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")}
        env["UV_FIND_LINKS"] = str(wheels)

        def uv(*args: str) -> int:
            argv = [_uv(), *args, "--quiet", "--directory", str(root)]
            return subprocess.run(
                argv, check=False, capture_output=True, env=env, timeout=600
            ).returncode

        # a warm cache resolves offline at once; asking the index first costs seconds
        if uv("lock", "--offline") != 0:
            uv("lock")
        uv("sync", "--no-install-project")
        compile_cached(root / ".venv")
        (root / "uv.lock").touch()


def _site_packages(venv: Path) -> Path | None:
    return next(iter(sorted(venv.glob("lib/python3.*/site-packages"))), None)


def _cached_roots(site: Path, archive: Path) -> list[Path]:
    """The entries of uv's archive that `site`'s distributions are linked from (same inode)."""
    wanted = {m.parent.name: m.stat().st_ino for m in site.glob("*.dist-info/METADATA")}
    roots = []
    for entry in archive.iterdir():
        try:
            names = {child.name for child in entry.iterdir()} & wanted.keys()
        except OSError:  # not a directory
            continue
        for name in names:
            metadata = entry / name / "METADATA"
            if metadata.exists() and metadata.stat().st_ino == wanted[name]:
                roots.append(entry)
    return roots


def compile_cached(venv: Path) -> None:
    """Compile the bytecode of the warmed packages inside uv's cache, once per run.

    uv links a package's files, `__pycache__` included, from its cache into every new
    environment. Without this, each environment a run makes (a project's `.venv`, a
    rehearsal's clone, a build's backend) compiles commitizen, pre-commit, pytest, tagship
    and the backends again on first import (`make test` on 2 cores: 160 s without, 125 s
    with). A user's environment compiles once and keeps it; so do these, via the cache."""
    site = _site_packages(venv)
    python = venv / "bin" / "python"
    cache = uv_cache() / "archive-v0"
    if site is None or not python.exists() or not cache.is_dir():
        return
    roots = _cached_roots(site, cache)
    if roots:
        subprocess.run(
            [str(python), "-m", "compileall", "-q", "-j", "0", *map(str, roots)],
            check=False,
            capture_output=True,
            timeout=600,
        )


@pytest.fixture(scope="session")
def plain_shell(tmp_path_factory: pytest.TempPathFactory, tagship_wheels: Path) -> PlainShell:
    """A user's shell with tagship's wheel on UV_FIND_LINKS, offline once the cache is warm."""
    warm_cache(tagship_wheels.parent / "warm-cache", tagship_wheels)
    shell = plain_environment(tmp_path_factory.mktemp("plain-shell"), tagship_wheels)
    return replace(shell, env={**shell.env, "UV_OFFLINE": "1"})
