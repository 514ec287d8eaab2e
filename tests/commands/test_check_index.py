"""The not-burned rule against a real pypiserver: uploaded, not uploaded, unreachable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship.index import LocalIndex
from tests.commands.checking import build, check_json, released
from tests.helpers import run

pytestmark = pytest.mark.slow


def local_channel(index: LocalIndex) -> str:
    return (
        f'\n[tool.tagship.indexes.local]\nurl = "{index.url}"\nupload-url = "{index.upload_url}"\n'
        '\n[tool.tagship.channels]\nfinal = "local"\n'
    )


def publish(repo: Path, index: LocalIndex, out: Path) -> None:
    build(repo, out)
    files = sorted(str(path) for path in out.iterdir() if path.suffix in {".whl", ".gz"})
    upload = ["uv", "publish", "--publish-url", index.upload_url]
    run([*upload, "--username", "x", "--password", "x", *files], repo)


def test_uploaded_version_is_burned(local_index: LocalIndex, tmp_path: Path) -> None:
    repo = released(
        tmp_path / "repo", name="burned-pkg", extra_pyproject=local_channel(local_index)
    )
    ran, results = check_json(repo, "v0.1.0", "--index", local_index.url, offline=False)
    assert ran.returncode == 0, ran.stdout
    assert results["not-burned"]["message"] == f"burned-pkg 0.1.0 is not on {local_index.url} yet"
    publish(repo, local_index, tmp_path / "dist")
    for args in ([], ["--index", "local"]):  # the channel's index, then one by name
        ran, results = check_json(repo, "v0.1.0", *args, offline=False)
        assert ran.returncode == 1
        finding = results["not-burned"]
        assert finding["status"] == "failed"
        assert finding["message"].startswith(f"burned-pkg 0.1.0 is already on {local_index.url} (")
        assert "never accepts a file name twice" in finding["fix"]


def test_unreachable_index_fails_naming_offline(tmp_path: Path) -> None:
    repo = released(tmp_path / "repo", name="lonely-pkg")
    with LocalIndex(tmp_path / "packages") as stopped:
        url = stopped.url
    ran, results = check_json(repo, "v0.1.0", "--index", url, offline=False)
    assert ran.returncode == 1
    finding = results["not-burned"]
    assert finding["message"].startswith(f"index {url} did not answer for 'lonely-pkg'")
    assert "--offline" in finding["fix"]
    ran, results = check_json(repo, "v0.1.0", "--index", url, "--offline", offline=False)
    assert ran.returncode == 0, ran.stdout
    assert results["not-burned"]["status"] == "skipped"
    assert "warning: not-burned skipped" in ran.stderr
