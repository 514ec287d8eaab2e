"""tagship releases itself with tagship: its own release set-up passes its own doctor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import BIN, git, run, tagship

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_this_repository_passes_doctor(tmp_path: Path) -> None:
    clone = tmp_path / "tagship"
    run(["git", "clone", "--quiet", "--no-local", ROOT, clone], tmp_path)
    git(clone, "remote", "set-url", "origin", "git@github.com:tagship/tagship.git")
    run([BIN / "pre-commit", "install"], clone)

    ran = tagship(clone, "doctor", "--json")

    report = json.loads(ran.stdout)
    findings = {finding["id"]: finding for finding in report["rules"]}
    failed = {key: f["message"] for key, f in findings.items() if f["status"] == "failed"}
    assert ran.returncode == 0, failed
    assert not failed
    assert findings["TS427"]["status"] == "passed"  # zizmor's offline audit ran
    assert [
        (p["index"], p["owner"], p["repository"], p["workflow"], p["environment"])
        for p in report["trusted_publishers"]
    ] == [
        ("testpypi", "tagship", "tagship", "release.yml", "release-test"),
        ("pypi", "tagship", "tagship", "release.yml", "release"),
    ]
