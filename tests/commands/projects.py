"""Real projects made by the real tools people use, for init and doctor tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import BIN, commit, git, init_repo, run, write

REPO = Path(__file__).resolve().parents[2]

SETUPTOOLS_PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "legacy-tool"
version = "1.4.0"
description = "A setuptools project"
requires-python = ">=3.11"

[project.scripts]
legacy-tool = "legacy_tool:main"

[tool.setuptools.packages.find]
where = ["src"]
"""

# A maintainer's own files: comments everywhere, unusual but valid formatting.
COMMENTED_PYPROJECT = """\
# Build configuration of commented-pkg.
# Keep this file tidy: reviewers read it.

[build-system]
requires = [
    "hatchling>=1.26",  # 1.26 understands PEP 639 licenses
]
build-backend = "hatchling.build"   # the only backend we trust

[project]
name = "commented-pkg"
version = "0.3.1"   # bumped by hand, for now
description = 'Single quotes on purpose'
requires-python = ">=3.11"
dependencies = [
    # none yet
]

[project.scripts]
commented-pkg = "commented_pkg:main"

[tool.ruff]   # lint settings
line-length = 99

[tool.ruff.lint]
select = ["E", "F"]  # minimal
"""

COMMENTED_HOOKS = """\
# Our hooks. Do not reorder.
repos:
  # local tools come from the project's environment
  - repo: local
    hooks:
      - id: ruff
        name: ruff
        entry: ruff check
        language: system
        types: [python]   # python files only
# end of file
"""

MODULE = """\
import sys
from importlib.metadata import version


def main() -> None:
    if "--version" in sys.argv:
        print(version("{name}"))
"""


def _commit_all(path: Path) -> Path:
    commit(path, "feat: initial version")
    return path


def uv_package(path: Path) -> Path:
    run([BIN / "uv", "init", "--package", "--name", "uvp", "--vcs", "git", path], path.parent)
    return _commit_all(path)


def uv_lib(path: Path) -> Path:
    run([BIN / "uv", "init", "--lib", "--name", "uvl", "--vcs", "git", path], path.parent)
    return _commit_all(path)


def hatch_new(path: Path) -> Path:
    home = path.parent / "hatch-home"
    # hatch downloads the license text unless it is cached: seed the cache (offline).
    (home / "cache/licenses").mkdir(parents=True, exist_ok=True)
    (home / "cache/licenses/MIT.txt").write_text("MIT License\n", encoding="utf-8")
    env = {"HATCH_DATA_DIR": str(home / "data"), "HATCH_CACHE_DIR": str(home / "cache")}
    run([BIN / "hatch", "new", "Hatched Pkg", path.name], path.parent, env=env)
    init_repo(path)
    return _commit_all(path)


def setuptools_project(path: Path) -> Path:
    init_repo(path)
    write(
        path,
        {
            "pyproject.toml": SETUPTOOLS_PYPROJECT,
            "src/legacy_tool/__init__.py": MODULE.format(name="legacy-tool"),
            ".gitignore": "dist/\n*.egg-info/\n__pycache__/\n",
        },
    )
    return _commit_all(path)


def commented_project(path: Path) -> Path:
    init_repo(path)
    write(
        path,
        {
            "pyproject.toml": COMMENTED_PYPROJECT,
            ".pre-commit-config.yaml": COMMENTED_HOOKS,
            "src/commented_pkg/__init__.py": MODULE.format(name="commented-pkg"),
            ".gitignore": "dist/\n",
        },
    )
    return _commit_all(path)


MAKERS = {
    "uv-package": uv_package,
    "uv-lib": uv_lib,
    "hatch-new": hatch_new,
    "setuptools": setuptools_project,
    "commented": commented_project,
}
VERSIONS = {
    "uv-package": "0.1.0",
    "uv-lib": "0.1.0",
    "hatch-new": "0.0.1",
    "setuptools": "1.4.0",
    "commented": "0.3.1",
}


def copy_of_this_repository(path: Path) -> Path:
    """The tracked files of tagship's own repository, committed in a fresh repository."""
    files = git(REPO, "ls-files", "-z").split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    init_repo(path)
    return _commit_all(path)


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file's bytes (git's own directory excluded)."""
    return {
        str(p.relative_to(path)): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(path).parts[:1]
    }
