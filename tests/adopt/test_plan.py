"""Writing a plan: atomic per file, all-or-nothing across files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tagship.adopt.plan import FileChange, Plan, write
from tagship.errors import FatalError


def _plan(root: Path, *changes: FileChange) -> Plan:
    return Plan(root, changes, (), "v$version", None)


def test_a_failure_half_way_restores_every_file(tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text("old\n", encoding="utf-8")
    new = tmp_path / "new.txt"
    blocked = tmp_path / "blocked"
    (blocked / "inside").mkdir(parents=True)  # a non-empty directory cannot be replaced
    plan = _plan(
        tmp_path,
        FileChange(first, "old\n", "new\n"),
        FileChange(new, None, "created\n"),
        FileChange(blocked, None, "x\n"),
    )
    with pytest.raises(FatalError, match="blocked"):
        write(plan)
    assert first.read_text(encoding="utf-8") == "old\n"
    assert not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked", "first.txt"]


def test_new_files_get_the_usual_mode_and_old_ones_keep_theirs(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_text("old\n", encoding="utf-8")
    script.chmod(0o755)
    created = tmp_path / "sub/created.txt"
    write(_plan(tmp_path, FileChange(script, "old\n", "new\n"), FileChange(created, None, "x")))
    assert script.stat().st_mode & 0o777 == 0o755
    umask = os.umask(0)
    os.umask(umask)
    assert created.stat().st_mode & 0o777 == 0o666 & ~umask
    assert created.read_text(encoding="utf-8") == "x"
