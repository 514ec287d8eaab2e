"""tagship releases itself with tagship: its own release set-up passes its own doctor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tagship import config, workflow
from tagship.workflow_project import project_spec
from tests.helpers import BIN, git, run, tagship

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["release.yml", "ci.yml"])
def test_the_projects_workflows_are_the_generators_output(name: str) -> None:
    """Byte for byte what `tagship init` writes for this repository (regenerate with it)."""
    project = config.load(ROOT)
    pyproject = config.read_toml(ROOT / "pyproject.toml")
    spec = project_spec(ROOT, project.cz.tag_format, project.tagship, pyproject)
    render = workflow.release_yml if name == "release.yml" else workflow.ci_yml
    assert (ROOT / ".github/workflows" / name).read_text(encoding="utf-8") == render(spec)


@pytest.mark.slow
def test_this_repository_passes_doctor(tmp_path: Path) -> None:
    clone = tmp_path / "tagship"
    run(["git", "clone", "--quiet", "--no-local", ROOT, clone], tmp_path)
    git(clone, "remote", "set-url", "origin", "git@github.com:tagship/tagship.git")
    # As a clone from GitHub has it (this clone's source may have another branch checked out).
    git(clone, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    git(clone, "checkout", "--quiet", "-B", "main", "HEAD")
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
