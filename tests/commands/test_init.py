"""`tagship init` on real projects made by uv, hatch and setuptools, and on tagship itself."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.commands.projects import (
    COMMENTED_HOOKS,
    COMMENTED_PYPROJECT,
    MAKERS,
    REPO,
    VERSIONS,
    commented_project,
    copy_of_this_repository,
    snapshot,
    uv_package,
)
from tests.commands.test_doctor import doctor_report, statuses
from tests.helpers import BIN, commit, git, run, tagship, write

FIRST_RUN: dict[Path, str] = {}


@pytest.fixture(scope="module", params=sorted(MAKERS))
def adopted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each kind of project, adopted once and shared by the module (with a GitHub remote
    for doctor's Trusted Publisher values)."""
    make: Callable[[Path], Path] = MAKERS[request.param]
    path = make(tmp_path_factory.mktemp(request.param) / "project")
    result = tagship(path, "init", "--no-install")  # no `uv sync` here: see test_day_one
    assert result.returncode == 0, result.stderr
    FIRST_RUN[path] = result.stderr
    run([BIN / "pre-commit", "install"], path)  # the real pre-commit accepts init's config
    git(path, "remote", "add", "origin", "git@github.com:acme/rocket.git")
    return path


def test_init_writes_every_file(adopted: Path) -> None:
    for name in (
        ".cz.toml",
        ".pre-commit-config.yaml",
        ".github/workflows/release.yml",
        ".github/workflows/ci.yml",
        "CHANGELOG.md",
    ):
        assert (adopted / name).is_file(), name
    pyproject = (adopted / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert "\nversion = " not in pyproject


def test_a_second_run_changes_no_byte(adopted: Path) -> None:
    before = snapshot(adopted)
    dry = tagship(adopted, "init", "--dry-run")
    assert (dry.returncode, dry.stdout) == (0, "")
    again = tagship(adopted, "init", "--no-install")
    assert again.returncode == 0, again.stderr
    assert "nothing to change" in again.stderr
    assert snapshot(adopted) == before


def test_the_old_version_is_tagged_by_commitizen_with_its_changelog(adopted: Path) -> None:
    version = VERSIONS[adopted.parent.name.rstrip("0123456789")]
    said = FIRST_RUN[adopted]
    assert f"\n  uv run cz bump --yes {version}   # tags v{version}, with its changelog" in said
    assert "git tag" not in said
    assert said.index("uv sync") < said.index("git add -- ") < said.index("uv run cz bump")


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    project = commented_project(tmp_path / "p")
    before = snapshot(project)
    result = tagship(project, "init", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert snapshot(project) == before
    assert "--- a/pyproject.toml\n+++ b/pyproject.toml\n" in result.stdout
    assert "--- /dev/null\n+++ b/.github/workflows/release.yml\n" in result.stdout
    assert '-version = "0.3.1"   # bumped by hand, for now\n' in result.stdout


def test_comments_outside_the_edited_keys_are_kept(tmp_path: Path) -> None:
    project = commented_project(tmp_path / "p")
    assert tagship(project, "init", "--no-install").returncode == 0
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    kept = [line for line in COMMENTED_PYPROJECT.splitlines() if not line.startswith("version")]
    lines = iter(pyproject.splitlines())
    for line in kept:
        if line.startswith('    "hatchling'):
            continue
        assert any(candidate == line for candidate in lines), line
    hooks = (project / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    body = COMMENTED_HOOKS.replace("# end of file\n", "")
    assert body.split("\n", 1)[1] in hooks
    assert hooks.endswith("# end of file\n")


def test_a_symlinked_pyproject_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    project = uv_package(tmp_path / "p")
    (project / "conf").mkdir()
    (project / "pyproject.toml").rename(project / "conf" / "pyproject.toml")
    (project / "pyproject.toml").symlink_to("conf/pyproject.toml")
    commit(project, "build: the metadata lives in conf/")
    ran = tagship(project, "init", "--no-install")
    assert ran.returncode == 0, ran.stderr
    link = project / "pyproject.toml"
    assert link.is_symlink()
    assert str(link.readlink()) == "conf/pyproject.toml"
    assert 'dynamic = ["version"]' in (project / "conf" / "pyproject.toml").read_text("utf-8")
    again = tagship(project, "init", "--dry-run")
    assert (again.returncode, again.stdout) == (0, "")


def test_a_configured_tag_format_is_kept_and_the_old_spelling_stays_readable(
    tmp_path: Path,
) -> None:
    project = uv_package(tmp_path / "p")
    git(project, "tag", "--annotate", "--message=v0.1.0", "v0.1.0")
    commit(
        project, "chore: cz config", {".cz.toml": '[tool.commitizen]\ntag_format = "$version"\n'}
    )
    result = tagship(project, "init", "--no-install", stdin="")
    assert result.returncode == 0, result.stderr
    config = (project / ".cz.toml").read_text(encoding="utf-8")
    assert 'tag_format = "$version"\n' in config
    assert 'legacy_tag_formats = ["v$version"]\n' in config


def test_a_foreign_release_workflow_is_a_conflict(tmp_path: Path) -> None:
    project = uv_package(tmp_path / "p")
    write(project, {".github/workflows/release.yml": "name: ours\non: push\njobs: {}\n"})
    result = tagship(project, "init", "--no-install", stdin="")
    assert result.returncode == 1
    assert ".github/workflows/release.yml was not written by tagship" in result.stderr
    assert (project / "pyproject.toml").read_text(encoding="utf-8").count("uv_build") == 2
    forced = tagship(project, "init", "--no-install", "--force")
    assert forced.returncode == 0
    release = (project / ".github/workflows/release.yml").read_text(encoding="utf-8")
    assert release.startswith("# Written by tagship init")


def test_a_users_ci_workflow_is_left_alone(tmp_path: Path) -> None:
    project = uv_package(tmp_path / "p")
    write(project, {".github/workflows/ci.yml": "name: mine\n"})
    assert tagship(project, "init", "--no-install").returncode == 0
    assert (project / ".github/workflows/ci.yml").read_text(encoding="utf-8") == "name: mine\n"


def test_an_unsupported_backend_stops_with_the_manual_change(tmp_path: Path) -> None:
    project = uv_package(tmp_path / "p")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('"uv_build"', '"maturin"'),
        encoding="utf-8",
    )
    before = snapshot(project)
    result = tagship(project, "init", "--no-install")
    assert result.returncode == 2
    assert "build-backend 'maturin' is not one tagship adopts" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_init_outside_a_repository_fails_cleanly(tmp_path: Path) -> None:
    result = tagship(tmp_path, "init")
    assert result.returncode == 1
    assert "is not inside a git repository" in result.stderr


def test_doctor_passes_on_each_adopted_project(adopted: Path) -> None:
    code, report = doctor_report(adopted)
    failures = [rule["id"] for rule in report["rules"] if rule["status"] == "failed"]
    assert (code, failures) == (0, ["TS408"])  # a warning: uv.lock is the user's `uv lock`
    assert statuses(report)["TS427"] == "passed"  # zizmor ran and found nothing
    publishers = report["trusted_publishers"]
    assert [(p["index"], p["owner"], p["repository"], p["environment"]) for p in publishers] == [
        ("testpypi", "acme", "rocket", "release-test"),
        ("pypi", "acme", "rocket", "release"),
    ]


def test_tagships_own_files_are_what_init_writes(tmp_path: Path) -> None:
    project = copy_of_this_repository(tmp_path / "tagship")
    result = tagship(project, "init", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "0 file(s) would change" in result.stderr


def test_the_repository_has_its_workflows() -> None:
    for name in ("release.yml", "ci.yml"):
        text = (REPO / ".github/workflows" / name).read_text(encoding="utf-8")
        assert text.startswith("# Written by tagship init")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pyproject.toml", "[project\nname = 1\n", "pyproject.toml: cannot parse"),
        (".cz.toml", "[tool.commitizen]\ntag_format = \n", ".cz.toml: cannot parse"),
        (
            ".cz.toml",
            '[tool.commitizen]\ntag_format = "v$version\\n  x:"\n',
            ".cz.toml: tag_format 'v$version\\n  x:' is refused: it contains a line break",
        ),
        (
            ".cz.toml",
            '[tool.commitizen]\nlegacy_tag_formats = ["a$version\\rb"]\n',
            ".cz.toml: legacy_tag_formats 'a$version\\rb' is refused",
        ),
        (".pre-commit-config.yaml", "repos: [\n  - {", ".pre-commit-config.yaml: cannot parse"),
        (".pre-commit-config.yaml", "- just\n- a list\n", "is not a mapping"),
        (".pre-commit-config.yaml", "repos:\n  local: {}\n", "`repos` must be a list"),
        (".pre-commit-config.yaml", "repos:\n- repo: local\n  hooks: ruff\n", "list of `hooks`"),
    ],
)
def test_broken_files_stop_init_cleanly(tmp_path: Path, name: str, text: str, message: str) -> None:
    project = uv_package(tmp_path / "p")
    write(project, {name: text})
    before = snapshot(project)
    result = tagship(project, "init", "--no-install")
    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "name", ["pyproject.toml", ".cz.toml", ".pre-commit-config.yaml", ".github/workflows/ci.yml"]
)
def test_a_fifo_where_a_file_belongs_is_refused_not_read(tmp_path: Path, name: str) -> None:
    project = uv_package(tmp_path / "p")
    (project / name).unlink(missing_ok=True)
    (project / name).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(project / name)  # reading it would wait for a writer forever
    ran = run([BIN / "tagship", "init", "--no-install"], project, check=False, timeout=20)
    assert (ran.returncode, ran.stderr) == (
        2,
        f"error: {project / name} is not a regular file; make it one (or remove it)\n",
    )
    # doctor reads it as no file, or names it (a workflow), and never waits on it either
    ran = run([BIN / "tagship", "doctor"], project, check=False, timeout=20)
    assert ran.returncode == 1
    assert "Traceback" not in ran.stderr
    assert stat.S_ISFIFO((project / name).stat().st_mode)


def test_tag_current_needs_the_environment(tmp_path: Path) -> None:
    project = uv_package(tmp_path / "p")
    before = snapshot(project)
    result = tagship(project, "init", "--no-install", "--tag-current")
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "error: --tag-current runs the project's commitizen: drop --no-install",
    )
    assert snapshot(project) == before


def test_the_release_branch_is_the_one_releases_come_from(adopted: Path) -> None:
    branch = git(adopted, "branch", "--show-current")
    pyproject = (adopted / "pyproject.toml").read_text(encoding="utf-8")
    written = f'[tool.tagship]\nrelease-branch = "{branch}"\n' in pyproject
    assert written is (branch != "main"), branch
    assert f"git push --follow-tags origin {branch}" in FIRST_RUN[adopted]


def test_origins_head_names_the_release_branch(tmp_path: Path) -> None:
    project = uv_package(tmp_path / "p")  # on master, git's default
    git(project, "update-ref", "refs/remotes/origin/trunk", "HEAD")
    git(project, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
    assert tagship(project, "init", "--no-install").returncode == 0
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert '[tool.tagship]\nrelease-branch = "trunk"\n' in pyproject


PUBLISH = (
    "name: publish\non:\n  push:\n    tags: ['v*']\njobs:\n  pypi:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n"
)


def test_a_workflow_that_already_publishes_tags_stops_init_and_fails_doctor(
    tmp_path: Path,
) -> None:
    project = uv_package(tmp_path / "p")
    commit(project, "ci: publish", {".github/workflows/publish.yml": PUBLISH})
    before = snapshot(project)
    for args in (("init", "--no-install"), ("init", "--dry-run")):
        result = tagship(project, *args)
        assert result.returncode == 1, args
        assert (
            ".github/workflows/publish.yml already publishes when a tag is pushed "
            "(pypa/gh-action-pypi-publish): beside tagship's release.yml it would publish "
            "every rc a second time, to PyPI"
        ) in result.stderr
        assert "Traceback" not in result.stderr
    assert snapshot(project) == before
    code, report = doctor_report(project)
    assert code == 1
    assert statuses(report)["TS440"] == "failed"


def test_the_projects_own_ci_and_release_yaml_are_seen(tmp_path: Path) -> None:
    project = uv_package(tmp_path / "p")
    tests = "name: tests\non: [push, pull_request]\njobs: {}\n"
    commit(project, "ci: tests", {".github/workflows/tests.yaml": tests})
    assert tagship(project, "init", "--no-install").returncode == 0
    workflows = sorted(p.name for p in (project / ".github/workflows").iterdir())
    assert workflows == ["release.yml", "tests.yaml"]  # no ci.yml beside the project's CI

    other = uv_package(tmp_path / "q")
    commit(other, "ci: release", {".github/workflows/release.yaml": "name: mine\non: push\n"})
    result = tagship(other, "init", "--no-install", stdin="")
    assert result.returncode == 1
    assert ".github/workflows/release.yaml was not written by tagship" in result.stderr
