"""Real dists of sample projects for the verify and rehearse tests, built once per run.

Builds are the slow part (`uv build` of a hatch-vcs project takes a second or two), so each
sample is built once per test session and shared by the xdist workers through a lock in
their common temporary directory; each worker uploads to its own local index.
"""

from __future__ import annotations

import zipfile
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


def rewrite_wheel(
    wheel: Path,
    out: Path,
    *,
    filename: str | None = None,
    drop: Sequence[str] = (),
    files: dict[str, bytes] | None = None,
) -> Path:
    """A copy of a real wheel in `out`, renamed, without `drop`, with `files` added or
    replaced (RECORD untouched unless given): what a broken build tool produces."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / (filename or wheel.name)
    extra = dict(files or {})
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w") as dest:
        for info in source.infolist():
            if info.filename in drop:
                continue
            data = extra.pop(info.filename, None)
            dest.writestr(info, source.read(info) if data is None else data)
        for name, data in extra.items():
            dest.writestr(name, data)
    return target
