"""rehearse's upload: the real upload protocol, and a rerun after an interrupted upload."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship import proc
from tagship.index import LocalIndex, project_files
from tagship.rehearse.rehearsal import upload_argv
from tests.dists import build_sample, shared_dir

pytestmark = pytest.mark.slow


def test_a_rerun_after_the_index_stopped_mid_upload_uploads_nothing_twice(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    files = build_sample(
        shared_dir(tmp_path_factory, "upload-dists"),
        "up-sample",
        "v1.0.0",
        kinds=("--sdist", "--wheel"),
    )
    sdist, wheel = (next(f for f in files if f.name.endswith(end)) for end in (".tar.gz", ".whl"))
    packages = tmp_path / "packages"
    index = LocalIndex(packages).start()
    try:
        # The first run got the wheel up, then the index went away before the sdist.
        proc.run(upload_argv([wheel], index))
        uploaded = (packages / wheel.name).stat()
        index.stop()
        with pytest.raises(proc.ProcessError, match="uv publish exited"):
            # (without uv's own retries, which only make the test wait)
            proc.run(upload_argv([wheel, sdist], index), env={"UV_HTTP_RETRIES": "0"})

        # The index comes back (same files, same port): the rerun completes. A second
        # upload of the wheel would be refused (the index never overwrites), so success
        # alone proves the wheel was skipped; uv says so, and the file is untouched.
        index = LocalIndex(packages, port=index.port).start()
        rerun = proc.run(upload_argv([wheel, sdist], index))
    finally:
        index.stop()
    assert f"File {wheel.name} already exists, skipping" in rerun.stderr
    assert f"Uploading {sdist.name}" in rerun.stderr
    assert f"Uploading {wheel.name}" not in rerun.stderr
    assert (packages / wheel.name).stat().st_mtime_ns == uploaded.st_mtime_ns
    assert sorted(p.name for p in packages.iterdir()) == sorted([sdist.name, wheel.name])
    with LocalIndex(packages) as check:
        assert len(project_files(check.url, "up-sample")) == 2


def test_without_check_url_the_index_refuses_a_second_upload(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, local_index: LocalIndex
) -> None:
    """The control for the test above: the overwrite refusal it relies on is real."""
    files = build_sample(shared_dir(tmp_path_factory, "upload-dists"), "up-twice", "v1.0.0")
    argv = upload_argv(files, local_index)
    plain = [a for a in argv if a not in {"--check-url", local_index.url}]
    proc.run(plain)
    with pytest.raises(proc.ProcessError, match="uv publish exited"):
        proc.run(plain)
