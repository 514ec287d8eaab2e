"""After `uvx tagship init --tag-current`, the real tools agree: the old version is tagged
with its changelog section by commitizen, an rc bump tags, and `uv build` builds exactly the
tagged versions. Run from a plain shell: init syncs the project's environment, and
commitizen's pre-bump hooks run the project's own gates and checks."""

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


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["setuptools"])  # uv's template: test_day_one
def test_tag_current_then_rc_bump_builds_exactly_the_tagged_versions(
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

    (project / "FEATURE.md").write_text("new\n", encoding="utf-8")
    sh.git(project, "add", "FEATURE.md")
    sh.git(project, "commit", "--quiet", "--message", "feat: a feature worth a release candidate")
    bump: list[str | Path] = ["uv", "run", "cz", "bump", "--prerelease", "rc", "--yes"]
    sh.run(bump, project, extra=OFFLINE, timeout=600)
    major, minor, _ = (int(part) for part in version.split("."))
    expected = f"{major}.{minor + 1}.0rc0"  # feat: a minor bump (major_version_zero below 1.0)
    assert sh.git(project, "describe", "--tags", "--exact-match") == f"v{expected}"
    assert _built_version(sh, project) == expected
    changelog = (project / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## v{expected} (" in changelog
