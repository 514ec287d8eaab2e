"""init's writes are all or nothing: a signal or an I/O error at any step leaves every byte.

The plan is a real one (a real uv project, with CRLF files of the user's); the fault is
delivered by the real kernel (`os.kill` on this process) or raised as the OSError a full
disk gives, at each step the write reports: every directory created, every file staged,
every file replaced.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from tagship.adopt import plan as planning
from tagship.errors import FatalError
from tests.commands.projects import snapshot, uv_package
from tests.helpers import commit

CRLF_HOOKS = (
    "repos:\r\n  - repo: local\r\n    hooks:\r\n      - id: a\r\n        name: a\r\n"
    "        entry: a\r\n        language: system   \r\n"
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = uv_package(tmp_path_factory.mktemp("template") / "p")
    pyproject = project / "pyproject.toml"
    pyproject.write_bytes(pyproject.read_bytes().replace(b"\n", b"\r\n"))
    commit(project, "chore: CRLF", {})
    (project / ".pre-commit-config.yaml").write_bytes(CRLF_HOOKS.encode())
    commit(project, "chore: hooks", {})
    return project


@pytest.fixture(scope="module")
def plan(template: Path) -> planning.Plan:
    return planning.build(template)


def _moved(plan: planning.Plan, root: Path) -> planning.Plan:
    """The same plan for a copy of its project at `root`."""
    changes = [replace(c, path=root / c.path.relative_to(plan.root)) for c in plan.changes]
    return replace(plan, root=root, changes=tuple(changes))


def _steps(plan: planning.Plan, tmp_path: Path) -> list[tuple[str, Path]]:
    project = _copy(plan.root, tmp_path / "probe")
    seen: list[tuple[str, Path]] = []
    planning.write(_moved(plan, project), step=lambda kind, path: seen.append((kind, path)))
    return seen


def _copy(template: Path, to: Path) -> Path:
    shutil.copytree(template, to, symlinks=True)
    return to


def _entries(root: Path) -> set[str]:
    """Every path under root (directories too), git's own directory excluded."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if ".git" not in p.parts}


def test_the_write_has_steps_in_every_phase(plan: planning.Plan, tmp_path: Path) -> None:
    kinds = [kind for kind, _ in _steps(plan, tmp_path)]
    assert {"mkdir", "stage", "replace"} == set(kinds)
    assert kinds.index("replace") > max(i for i, k in enumerate(kinds) if k == "stage")


@pytest.mark.parametrize("fault", ["SIGINT", "SIGTERM", "EIO"])
def test_a_fault_at_any_step_leaves_the_tree_exactly_as_it_was(
    plan: planning.Plan, tmp_path: Path, fault: str
) -> None:
    steps = _steps(plan, tmp_path)
    for index, (kind, where) in enumerate(steps):
        project = _copy(plan.root, tmp_path / f"{fault}-{index}")
        before, entries = snapshot(project), _entries(project)
        count = 0

        def probe(_kind: str, _path: Path, at: int = index) -> None:
            nonlocal count
            count += 1
            if count - 1 != at:
                return
            if fault == "EIO":
                raise OSError(errno.EIO, "Input/output error", str(_path))
            os.kill(os.getpid(), getattr(signal, fault))

        expected: type[BaseException] = {
            "SIGINT": KeyboardInterrupt,
            "SIGTERM": SystemExit,
            "EIO": FatalError,
        }[fault]
        with pytest.raises(expected) as caught:
            planning.write(_moved(plan, project), step=probe)
        if fault == "SIGTERM":
            assert caught.value.args == (128 + signal.SIGTERM,)
        if fault == "EIO":
            assert "nothing was changed" in str(caught.value)
        assert snapshot(project) == before, (fault, kind, where)
        assert _entries(project) == entries, (fault, kind, where)  # no temp file, no new dir
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers restored


def test_a_blocked_directory_fails_cleanly_before_any_byte_changes(
    plan: planning.Plan, tmp_path: Path
) -> None:
    project = _copy(plan.root, tmp_path / "p")
    (project / ".github").write_text("a file where init needs a directory\n", encoding="utf-8")
    before = snapshot(project)
    with pytest.raises(FatalError, match=r"cannot write .*\.github/workflows: .*nothing was"):
        planning.write(_moved(plan, project))
    assert snapshot(project) == before
