from __future__ import annotations

from pathlib import Path

import pytest

from tagship.index import LocalIndex
from tagship.rehearse import kept
from tests.helpers import init_repo


def test_a_kept_index_is_found_again_and_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a narrow terminal must not hide the server's own command line (ps cuts at $COLUMNS)
    monkeypatch.setenv("COLUMNS", "20")
    repo = init_repo(tmp_path / "repo")
    assert kept.load(repo) is None
    packages = kept.directory(repo) / "packages"
    index = LocalIndex(packages).start()
    try:
        assert index.pid is not None
        kept.save(repo, kept.KeptIndex(index.port, index.pid, str(packages)))
        found = kept.load(repo)
        assert found == kept.KeptIndex(index.port, index.pid, str(packages))
        assert kept.answers(found.index())
        assert kept.stop(repo) == (found, True)
        assert not kept.answers(found.index())
        assert not kept.directory(repo).exists()
    finally:
        index.stop()


def test_a_stale_state_never_kills_another_process(tmp_path: Path) -> None:
    """pids are reused: a state whose pid is not our pypiserver only gets forgotten."""
    repo = init_repo(tmp_path / "repo")
    kept.save(repo, kept.KeptIndex(port=1, pid=1, packages=str(tmp_path)))
    assert kept.stop(repo) == (kept.KeptIndex(port=1, pid=1, packages=str(tmp_path)), False)
    assert kept.load(repo) is None


@pytest.mark.parametrize(
    "text",
    ["{not json", '{"port": 1e400, "pid": 1, "packages": 1}', "[" * 100_000 + "]" * 100_000],
    ids=["broken", "overflow", "deep"],
)
def test_an_unreadable_state_is_no_kept_index(tmp_path: Path, text: str) -> None:
    repo = init_repo(tmp_path / "repo")
    kept.directory(repo).mkdir(parents=True)
    (kept.directory(repo) / kept.STATE_FILE).write_text(text, encoding="utf-8")
    assert kept.load(repo) is None
