"""After `uvx tagship init --tag-current`, the real tools agree: commitizen tags the old
version with its changelog section, and `uv build` builds exactly that version. Run from a
plain shell: init syncs the project's environment, and commitizen's pre-bump hooks run the
project's own gates and checks. (The rc and the final after it: tests/test_day_one.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.commands.projects import MAKERS, VERSIONS
from tests.userland import PlainShell

OFFLINE = {"TAGSHIP_OFFLINE": "1"}


def _built_version(shell: PlainShell, path: Path) -> str:
    shell.run(["uv", "build", "--wheel", "--out-dir", "dist"], path)
    shutil.rmtree(path / "build", ignore_errors=True)  # setuptools' own, not in .gitignore
    wheels = sorted((path / "dist").glob("*.whl"), key=lambda p: p.stat().st_mtime)
    return wheels[-1].name.split("-")[1]


@pytest.mark.slow(seconds=6)
@pytest.mark.parametrize("kind", ["setuptools"])  # uv's template: test_day_one
def test_tag_current_tags_the_old_version_and_builds_it(
    plain_shell: PlainShell, tmp_path: Path, kind: str
) -> None:
    sh = plain_shell
    project = MAKERS[kind](tmp_path / "project")
    version = VERSIONS[kind]
    sh.run(["uvx", "tagship", "init", "--tag-current"], project, extra=OFFLINE, timeout=600)
    assert sh.git(project, "describe", "--tags", "--exact-match") == f"v{version}"
    assert sh.git(project, "status", "--porcelain") == ""
    changelog = (project / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## v{version} (" in changelog  # what the pre-push hook asks of a tag (TS109)
    assert _built_version(sh, project) == version
