from __future__ import annotations

from pathlib import Path

import pytest

from tagship.index import IndexUnreachable, LocalIndex, free_port, project_files
from tests.helpers import BIN, run, sample_project


@pytest.mark.slow
def test_local_index_serves_what_uv_publish_uploaded(
    tmp_path: Path, local_index: LocalIndex
) -> None:
    project = sample_project(tmp_path / "proj", name="index-probe")
    run(["git", "tag", "-a", "-m", "v0.3.0", "v0.3.0"], project)
    run([BIN / "uv", "build", "--quiet", "--out-dir", "dist"], project)
    assert project_files(local_index.url, "index-probe") == []
    run(
        [
            BIN / "uv",
            "publish",
            "--publish-url",
            local_index.upload_url,
            "--username",
            "x",
            "--password",
            "x",
            "dist/*",
        ],
        project,
    )
    files = project_files(local_index.url, "Index_Probe")
    assert sorted(f.filename for f in files) == [
        "index_probe-0.3.0-py3-none-any.whl",
        "index_probe-0.3.0.tar.gz",
    ]
    assert {f.version for f in files} == {"0.3.0"}


def test_unreachable_index_is_a_clear_failure(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/simple/"
    with pytest.raises(IndexUnreachable, match=r"did not answer.*--offline"):
        project_files(url, "anything", timeout=1, attempts=2, backoff=0.01)


def test_local_index_stops(tmp_path: Path) -> None:
    index = LocalIndex(tmp_path / "packages").start()
    was_running = index.running
    index.stop()
    assert (was_running, index.running) == (True, False)
    with pytest.raises(IndexUnreachable):
        project_files(index.url, "x", timeout=1, attempts=1)
