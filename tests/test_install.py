from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest
from packaging.tags import Tag
from packaging.version import Version

from tagship.errors import FatalError
from tagship.index import IndexFile, file_version
from tagship.verify.install import backoff, check_hash, choose, release_files

PY311 = [Tag("cp311", "cp311", "manylinux_2_17_x86_64"), Tag("py3", "none", "any")]


def _file(name: str) -> IndexFile:
    return IndexFile(name, None, f"http://index.invalid/{name}")


@pytest.mark.parametrize(
    ("filename", "version"),
    [
        ("demo-1.0-py3-none-any.whl", "1.0"),
        ("demo-1.0rc1.tar.gz", "1.0rc1"),
        ("demo_pkg-0.2.0rc0.tar.gz", "0.2.0rc0"),
        ("demo_pkg-0.2.0-1-py3-none-any.whl", "0.2.0"),
        ("demo-1.0.zip", "1.0"),
        ("demo-1.0.exe", None),
        ("not a dist", None),
    ],
)
def test_file_version(filename: str, version: str | None) -> None:
    assert file_version(filename) == (Version(version) if version else None)


def test_release_files_compares_normalized_versions() -> None:
    files = [_file("demo-1.0rc1.tar.gz"), _file("demo-1.0-py3-none-any.whl"), _file("x.txt")]
    assert release_files(files, Version("1.0.0-rc.1")) == files[:1]


@pytest.mark.parametrize(
    ("names", "chosen"),
    [
        (["d-1.0.tar.gz", "d-1.0-py3-none-any.whl"], ["d-1.0-py3-none-any.whl"]),
        (["d-1.0.tar.gz"], ["d-1.0.tar.gz"]),
        (["d-1.0-py3-none-any.whl"], ["d-1.0-py3-none-any.whl"]),
        (
            ["d-1.0-cp312-cp312-win_amd64.whl", "d-1.0.tar.gz"],
            ["d-1.0.tar.gz"],
        ),
        (
            [
                "d-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
                "d-1.0-cp311-cp311-win_amd64.whl",
            ],
            ["d-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"],
        ),
        (["d-1.0-cp312-cp312-win_amd64.whl"], []),
        ([], []),
    ],
)
def test_choose_a_compatible_wheel_else_the_sdist(names: list[str], chosen: list[str]) -> None:
    assert [f.filename for f in choose([_file(n) for n in names], PY311)] == chosen


def test_backoff_doubles_up_to_a_cap() -> None:
    assert list(itertools.islice(backoff(), 7)) == [1, 2, 4, 8, 15, 15, 15]
    assert list(itertools.islice(backoff(first=0.5, cap=1), 3)) == [0.5, 1, 1]


def test_check_hash(tmp_path: Path) -> None:
    path = tmp_path / "d-1.0.tar.gz"
    path.write_bytes(b"content")
    good = hashlib.sha256(b"content").hexdigest()
    assert check_hash(path, IndexFile(path.name, "1.0", "u", {"md5": "x", "sha256": good})) == (
        "sha256"
    )
    with pytest.raises(FatalError, match="does not match the index's sha256"):
        check_hash(path, IndexFile(path.name, "1.0", "u", {"sha256": "0" * 64}))
    with pytest.raises(FatalError, match="publishes no sha256"):
        check_hash(path, IndexFile(path.name, "1.0", "u", {"md5": "x"}))
