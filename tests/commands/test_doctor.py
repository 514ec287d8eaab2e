"""`tagship doctor` passes on every adopted project and names the rule each breakage breaks."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.commands.projects import MAKERS
from tests.helpers import BIN, git, run, tagship

REMOTE = "git@github.com:acme/rocket.git"


def _adopt(path: Path) -> Path:
    result = tagship(path, "init", "--no-install")  # `uv sync` and its hooks: test_day_one
    assert result.returncode == 0, result.stderr
    run([BIN / "pre-commit", "install"], path)  # hooks installed by the real pre-commit
    git(path, "remote", "add", "origin", REMOTE)
    return path


def doctor_report(path: Path) -> tuple[int, dict[str, Any]]:
    result = tagship(path, "doctor", "--json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {rule["id"]: rule["status"] for rule in report["rules"]}


def test_doctor_prints_the_trusted_publisher_values(adopted: Path) -> None:
    result = tagship(adopted, "doctor")
    assert result.returncode == 0, result.stderr
    assert (
        "pypi (https://pypi.org/manage/account/publishing/):\n"
        "  PyPI project name: uvp\n"
        "  Owner:             acme\n"
        "  Repository name:   rocket\n"
        "  Workflow name:     release.yml\n"
        "  Environment name:  release\n"
    ) in result.stderr


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _adopt(MAKERS["uv-package"](tmp_path_factory.mktemp("adopted") / "project"))
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--no-verify", "--message=build: adopt tagship")
    git(project, "tag", "--annotate", "--message=v0.1.0", "v0.1.0")
    return project


def _edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        target = path / name
        text = target.read_text(encoding="utf-8")
        assert old in text, (name, old)
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _delete(name: str) -> Callable[[Path], None]:
    return lambda path: (path / name).unlink()


RELEASE = ".github/workflows/release.yml"
BREAKAGES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "hatch-vcs reads other tags": (
        _edit("pyproject.toml", 'tag_regex = "^v(?P<version>', 'tag_regex = "^(?P<version>'),
        ("TS401",),
    ),
    "tag_format unlike the tags": (
        _edit(".cz.toml", '"v$version"', '"$version"'),
        # the build, the workflow and the tags (TS409) also disagree with it now
        ("TS401", "TS402", "TS409", "TS421"),
    ),
    "semver scheme": (_edit(".cz.toml", '"pep440"', '"semver"'), ("TS403",)),
    "changelog off": (
        _edit(".cz.toml", "update_changelog_on_bump = true", "update_changelog_on_bump = false"),
        ("TS404",),
    ),
    "pep621 provider": (_edit(".cz.toml", '"scm"', '"pep621"'), ("TS405",)),
    "static __version__": (
        _edit("src/uvp/__init__.py", "def main", '__version__ = "0.1.0"\n\n\ndef main'),
        ("TS406",),
    ),
    "no pre-push hook": (_delete(".git/hooks/pre-push"), ("TS410",)),
    "no workflow": (_delete(RELEASE), ("TS420",)),
    "branch trigger": (_edit(RELEASE, '      - "v*"', '      - "release-*"'), ("TS421",)),
    "write-all": (
        _edit(RELEASE, "permissions: {}", "permissions: write-all"),
        ("TS422", "TS427"),
    ),
    "id-token in build": (
        _edit(RELEASE, "contents: read # check out", "id-token: write # check out"),
        ("TS422",),
    ),
    "moving tag": (
        _edit(RELEASE, "checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", "checkout@v7"),
        ("TS423", "TS427"),
    ),
    "shallow checkout": (_edit(RELEASE, "fetch-depth: 0", "fetch-depth: 1"), ("TS424",)),
    "expression in run": (
        _edit(RELEASE, "run: uv build", "run: uv build ${{ github.head_ref }}"),
        ("TS425", "TS427"),
    ),
    "renamed environment": (
        _edit(RELEASE, "environment: release\n", "environment: production\n"),
        ("TS426",),
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_doctor_fails_with_the_right_rule(adopted: Path, tmp_path: Path, breakage: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(adopted, project, symlinks=True)
    breaking, rules = BREAKAGES[breakage]
    breaking(project)
    code, report = doctor_report(project)
    failed = {rule for rule, status in statuses(report).items() if status == "failed"}
    assert code == 1
    assert set(rules) <= failed
    # Warnings only: "not what init writes" comes with any edit; test projects have no uv.lock.
    assert failed - set(rules) <= {"TS408", "TS428"}


def test_a_shallow_clone_fails_not_shallow(adopted: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    run(["git", "clone", "--quiet", "--depth=1", f"file://{adopted}", clone], tmp_path)
    code, report = doctor_report(clone)
    assert code == 1
    assert statuses(report)["TS430"] == "failed"
