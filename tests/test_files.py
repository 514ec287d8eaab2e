"""The one atomic write: through symlinks, never over a device or a FIFO, nothing left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tagship.errors import FatalError
from tagship.files import write_atomic


def test_replaces_a_file_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("a\n", encoding="utf-8")
    link = tmp_path / "pyproject.toml"
    link.symlink_to(real)
    write_atomic(link, b"b\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "b\n"


def test_refuses_a_fifo_and_a_directory_and_leaves_them(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path):
        with pytest.raises(FatalError, match="not a regular file"):
            write_atomic(path, "x")
    assert fifo.exists()
    assert not fifo.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def test_refuses_a_device() -> None:
    with pytest.raises(FatalError, match="not a regular file"):
        write_atomic(Path(os.devnull), "x")


def test_a_missing_directory_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(FatalError, match="cannot write"):
        write_atomic(tmp_path / "missing" / "file", "x")
