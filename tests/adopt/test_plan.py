"""Writing a plan: atomic per file, all-or-nothing across files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tagship.adopt.plan import FileChange, Plan, build, write
from tagship.errors import FatalError
from tests.helpers import commit, init_repo


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


def test_a_tagship_table_appended_after_inits_output_changes_nothing(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "p")
    files = {
        "pyproject.toml": (
            '[project]\nname = "p"\nversion = "0.1.0"\n\n[build-system]\n'
            'requires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        ),
        "src/p/__init__.py": '"""P."""\n',
    }
    commit(root, "feat: first", files)
    write(build(root))
    pyproject = root / "pyproject.toml"
    with pyproject.open("a", encoding="utf-8") as stream:
        stream.write('\n[tool.tagship]\nrelease-branch = "main"\n')
    commit(root, "build: adopt")
    again = build(root)
    assert again.pending == ()
    assert pyproject.read_text(encoding="utf-8").endswith(
        '[tool.tagship]\nrelease-branch = "main"\n'
    )
