"""Real dists of sample projects for the verify and rehearse tests, built once per run.

Builds are the slow part (`uv build` of a hatch-vcs project takes a second or two), so each
sample is built once per test session and shared by the xdist workers through a lock in
their common temporary directory; each worker uploads to its own local index.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from filelock import FileLock

from tagship.index import LocalIndex
from tests.helpers import BIN, commit, git, run, sample_project

CRASHING_INIT = """\
def main() -> None:
    raise RuntimeError("boom: the entry point is broken")
"""

LYING_INIT = """\
def main() -> None:
    print("9.9.9")
"""

IMPOSTOR_INIT = """\
def main() -> None:
    print("impostor from the main index")
"""


def shared_dir(factory: pytest.TempPathFactory, name: str) -> Path:
    """A directory shared by all xdist workers of this run."""
    root = factory.getbasetemp()
    if root.name.startswith("popen-gw"):
        root = root.parent
    path = root / name
    path.mkdir(exist_ok=True)
    return path


def build_sample(
    root: Path,
    name: str,
    tag: str,
    *,
    init: str | None = None,
    dependencies: Sequence[str] = (),
    kinds: Sequence[str] = ("--wheel",),
    variant: str = "",
) -> list[Path]:
    """Build a sample project tagged `tag`, once per run (per variant); its dist files."""
    key = f"{name}-{tag}{variant}"
    out = root / f"{key}-dists"
    with FileLock(str(root / f"{key}.lock")):
        if not out.is_dir():
            project = sample_project(root / f"{key}-src", name=name)
            module = name.replace("-", "_")
            files: dict[str, str] = {}
            if init is not None:
                files[f"src/{module}/__init__.py"] = init
            if dependencies:
                pyproject = (project / "pyproject.toml").read_text()
                listed = ", ".join(f'"{d}"' for d in dependencies)
                files["pyproject.toml"] = pyproject.replace(
                    'license = "MIT"\n', f'license = "MIT"\ndependencies = [{listed}]\n'
                )
            if files:
                commit(project, "fix: sample variant", files)
            git(project, "tag", "--annotate", "--message", tag, tag)
            staging = root / f"{key}-staging"
            run([BIN / "uv", "build", "--quiet", *kinds, "--out-dir", staging], project)
            staging.rename(out)
    # uv build also writes a .gitignore into the output directory
    return sorted(p for p in out.iterdir() if p.name.endswith((".whl", ".tar.gz")))


def upload(index: LocalIndex, files: Sequence[Path]) -> None:
    """Upload with uv's real upload protocol (pypiserver refuses an overwrite)."""
    run(
        [
            BIN / "uv",
            "publish",
            "--quiet",
            "--trusted-publishing",
            "never",
            "--publish-url",
            index.upload_url,
            "--username",
            "x",
            "--password",
            "x",
            *files,
        ],
        Path.cwd(),
    )
