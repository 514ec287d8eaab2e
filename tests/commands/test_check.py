"""`tagship check` on real repositories: every rule fails for a real reason, and passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from tests.commands.checking import OFFLINE, build, check_json, copy_repo, released, statuses
from tests.helpers import commit, git, run, sample_project, tagship

ALL_PASS = {
    "tag-format": "passed",
    "build-version": "passed",
    "release-branch": "passed",
    "clean-tree": "passed",
    "full-history": "passed",
    "moves-forward": "passed",
    "not-stale": "passed",
    "final-matches-rc": "skipped",
    "not-burned": "skipped",
    "changelog": "passed",
    "changelog-tagged": "passed",
}


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return released(tmp_path_factory.mktemp("origin") / "repo")


@pytest.fixture
def repo(origin: Path, tmp_path: Path) -> Path:
    return copy_repo(origin, tmp_path / "repo")


def test_released_tag_passes_every_rule(repo: Path) -> None:
    ran, results = check_json(repo, "v0.1.0")
    assert ran.returncode == 0, ran.stderr
    assert statuses(results) == ALL_PASS
    assert results["not-burned"]["message"] == "offline: the index was not asked"
    assert "warning: not-burned skipped" in ran.stderr


def test_human_output_one_line_per_rule_and_tag_from_head(repo: Path) -> None:
    ran = tagship(repo, "check", env=OFFLINE)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == ""
    lines = [line for line in ran.stderr.splitlines() if not line.startswith("warning:")]
    assert lines == [
        "ok   TS101 tag-format: v0.1.0 is version 0.1.0 (final, pypi)",
        "ok   TS103 build-version: a build of v0.1.0 gets version 0.1.0",
        "ok   TS104 release-branch: v0.1.0 is on main",
        "ok   TS105 clean-tree: no changed or untracked files",
        "ok   TS106 full-history: full history (not a shallow clone)",
        "ok   TS107 moves-forward: 0.1.0 is the first release",
        "ok   TS111 not-stale: no release below 0.1.0",
        "skip TS110 final-matches-rc: no pre-release of 0.1.0 was tagged: a final straight to PyPI",
        "skip TS108 not-burned: offline: the index was not asked",
        "ok   TS109 changelog: CHANGELOG.md has a section for 0.1.0",
        "ok   TS115 changelog-tagged: the changelog's newest section has its tag",
    ]


def test_tag_from_github_ref(repo: Path) -> None:
    git(repo, "tag", "-a", "-m", "x", "v0.0.1", "HEAD~1")
    ran, results = check_json(repo, env={"GITHUB_REF": "refs/tags/v0.0.1"})
    assert ran.returncode == 1
    assert results["moves-forward"]["message"] == "0.0.1 is not greater than 0.1.0 (v0.1.0)"


def test_no_tag_at_head_names_the_fix(repo: Path) -> None:
    commit(repo, "fix: more")
    ran = tagship(repo, "check", env=OFFLINE)
    assert ran.returncode == 1
    assert ran.stderr.strip().splitlines() == [
        (
            "error: no tag given, none in GITHUB_REF_NAME/GITHUB_REF, and no release tag at "
            "HEAD; pass a tag such as v1.2.3"
        )
    ]


def test_missing_tag_is_one_line(repo: Path) -> None:
    ran = tagship(repo, "check", "v9.9.9", env=OFFLINE)
    assert ran.returncode == 1
    assert ran.stderr.count("\n") == 1
    assert "tag 'v9.9.9' does not exist here" in ran.stderr


def test_bad_index_option_is_a_usage_error(repo: Path) -> None:
    ran = tagship(repo, "check", "v0.1.0", "--index", "nowhere")
    assert ran.returncode == 2
    assert "--index 'nowhere' is neither a configured index" in ran.stderr


def test_tag_format(repo: Path) -> None:
    git(repo, "tag", "release-0.2")
    ran, results = check_json(repo, "release-0.2")
    assert ran.returncode == 1
    assert results["tag-format"]["status"] == "failed"
    assert "does not match tag_format 'v$version'" in results["tag-format"]["message"]
    assert results["tag-format"]["fix"] == "tag releases like v1.2.3 (cz bump does)"
    assert results["moves-forward"]["status"] == "skipped"


def test_side_branch_tag_is_not_on_the_release_branch(repo: Path) -> None:
    git(repo, "switch", "--quiet", "-c", "experiment")
    commit(repo, "feat: try", {"CHANGELOG.md": "## v0.2.0 (2026-01-01)\n\n- try\n"})
    git(repo, "tag", "-a", "-m", "v0.2.0", "v0.2.0")
    ran, results = check_json(repo, "v0.2.0")
    assert ran.returncode == 1
    assert results["release-branch"]["status"] == "failed"
    assert results["release-branch"]["message"] == (
        "v0.2.0 is not on main: its commit is on a side branch, or the branch has not been pulled"
    )
    assert "git tag -d" not in results["release-branch"]["fix"]
    git(repo, "switch", "--quiet", "main")
    git(repo, "merge", "--quiet", "--ff-only", "experiment")
    assert statuses(check_json(repo, "v0.2.0")[1])["release-branch"] == "passed"


def test_remote_tracking_branch_is_the_release_branch(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    run(["git", "clone", "--quiet", repo, clone], tmp_path)
    commit(clone, "feat: local only", {"CHANGELOG.md": "## v0.2.0 (2026-01-01)\n\n- local only\n"})
    git(clone, "tag", "-a", "-m", "v0.2.0", "v0.2.0")
    ran, results = check_json(clone, "v0.2.0")
    assert ran.returncode == 0, ran.stdout  # a good tag, not pushed yet: never "delete it"
    assert results["release-branch"]["message"] == (
        "v0.2.0 is on main, not yet on origin/main: "
        "push the branch with it (git push --follow-tags)"
    )
    git(repo, "switch", "--quiet", "--detach")  # a non-bare remote refuses its checked-out branch
    git(clone, "push", "--quiet", "origin", "main")
    ran, results = check_json(clone, "v0.2.0")
    assert ran.returncode == 0, ran.stdout
    assert results["release-branch"]["message"] == "v0.2.0 is on origin/main"


def test_only_the_exact_remote_branch_counts(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    run(["git", "clone", "--quiet", repo, clone], tmp_path)
    git(clone, "switch", "--quiet", "-c", "wip")
    commit(clone, "feat: elsewhere", {"CHANGELOG.md": "## v0.2.0 (2026-01-01)\n"})
    git(clone, "tag", "-a", "-m", "v0.2.0", "v0.2.0")
    for ref in ("refs/remotes/origin/wip/main", "refs/remotes/fork/main"):
        git(clone, "update-ref", ref, "HEAD")
    ran, results = check_json(clone, "v0.2.0")
    assert ran.returncode == 1
    assert results["release-branch"]["message"].startswith("v0.2.0 is not on origin/main, main:")


def test_shallow_clone_has_no_full_history(repo: Path, tmp_path: Path) -> None:
    commit(repo, "fix: after the release")
    clone = tmp_path / "shallow"
    run(["git", "clone", "--quiet", "--depth", "1", f"file://{repo}", clone], tmp_path)
    git(clone, "fetch", "--quiet", "--depth", "1", "origin", "tag", "v0.1.0")
    ran, results = check_json(clone, "v0.1.0")
    assert ran.returncode == 1
    assert results["full-history"]["status"] == "failed"
    assert "fetch-depth: 0" in results["full-history"]["fix"]
    git(clone, "fetch", "--quiet", "--unshallow", "--tags")
    assert statuses(check_json(clone, "v0.1.0")[1])["full-history"] == "passed"


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("v0.0.9", "0.0.9 is not greater than 0.1.0 (v0.1.0)"),
        ("v0.1.0rc1", "0.1.0 is already released as v0.1.0; a pre-release of it is too late"),
        ("0.1.0", None),  # matches no configured format: only tag-format fails
    ],
)
def test_moves_forward(repo: Path, tag: str, message: str | None) -> None:
    git(repo, "tag", "-a", "-m", tag, tag)
    ran, results = check_json(repo, tag)
    assert ran.returncode == 1
    if message is None:
        assert results["tag-format"]["status"] == "failed"
        assert results["moves-forward"]["status"] == "skipped"
    else:
        assert results["moves-forward"]["message"] == message


def test_a_maintenance_release_below_a_higher_series_pre_release_moves_forward(
    repo: Path,
) -> None:
    commit(repo, "feat!: the next major")
    git(repo, "tag", "-a", "-m", "beta", "v1.0.0b0")
    commit(repo, "fix: a fix for the 0.1 series")
    git(repo, "tag", "-a", "-m", "fix", "v0.1.1")
    finding = check_json(repo, "v0.1.1")[1]["moves-forward"]
    assert finding["status"] == "passed", finding
    assert "1.0.0b0 is a pre-release of a higher one" in finding["message"]
    git(repo, "tag", "-a", "-m", "late", "v0.0.5")
    assert check_json(repo, "v0.0.5")[1]["moves-forward"]["status"] == "failed"


def test_changelog_error_for_final_warning_for_prerelease(repo: Path) -> None:
    commit(repo, "feat: more")
    git(repo, "tag", "-a", "-m", "rc", "v0.2.0rc0")
    ran, results = check_json(repo, "v0.2.0rc0")
    assert results["changelog"] == {
        "id": "TS109",
        "name": "changelog",
        "level": "warning",
        "status": "failed",
        "message": "CHANGELOG.md has no section for 0.2.0rc0",
        "fix": "cz bump writes it (update_changelog_on_bump = true), or cz changelog",
    }
    assert ran.returncode == 0  # a warning does not block
    assert "warn TS109 changelog" in tagship(repo, "check", env=OFFLINE).stderr
    git(repo, "tag", "-a", "-m", "final", "v0.2.0")
    ran, results = check_json(repo, "v0.2.0")
    assert ran.returncode == 1
    assert results["changelog"]["level"] == "error"


def test_an_untracked_bytecode_cache_leaves_the_tree_clean(repo: Path) -> None:
    # what the gates leave where no .gitignore names it (hatch new's template has none)
    commit(repo, "chore: no .gitignore", {".gitignore": "dist/\n.venv\n"})
    git(repo, "tag", "--force", "--annotate", "--message=v0.1.0", "v0.1.0")
    package = next((repo / "src").iterdir())
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\0")
    assert check_json(repo, "v0.1.0")[1]["clean-tree"]["status"] == "passed"
    (package / "notes.txt").write_text("an sdist would carry this\n", encoding="utf-8")
    finding = check_json(repo, "v0.1.0")[1]["clean-tree"]
    assert finding["message"] == f"1 changed or untracked file(s): src/{package.name}/notes.txt"


@pytest.mark.slow
def test_dirty_tree_predicts_the_local_version_uv_build_makes(repo: Path, tmp_path: Path) -> None:
    (repo / "README.md").write_text("# changed\n", encoding="utf-8")
    built = build(repo, tmp_path / "dist")
    assert built.local is not None  # the trap is real: hatch-vcs adds a local version
    ran, results = check_json(repo, "v0.1.0")
    assert ran.returncode == 1
    assert results["clean-tree"]["message"] == "1 changed or untracked file(s): README.md"
    assert results["build-version"]["message"] == (
        f"a build of v0.1.0 would get version {built}, not 0.1.0"
    )
    assert results["build-version"]["fix"].startswith("commit or stash your changes")


@pytest.mark.slow
def test_annotated_rc_beats_lightweight_final_at_the_same_commit(
    repo: Path, tmp_path: Path
) -> None:
    commit(repo, "feat: more", {"CHANGELOG.md": "## v0.2.0 (2026-01-01)\n"})
    git(repo, "tag", "-a", "-m", "rc", "v0.2.0rc0")
    git(repo, "tag", "v0.2.0")  # by hand, lightweight: git describe prefers the rc
    built = build(repo, tmp_path / "dist")
    assert built == Version("0.2.0rc0")  # a final tag that publishes an rc wheel
    ran, results = check_json(repo, "v0.2.0")
    assert ran.returncode == 1
    assert results["build-version"]["message"] == (
        "a build of v0.2.0 would get version 0.2.0rc0, not 0.2.0"
    )


@pytest.mark.slow
def test_dists(repo: Path, tmp_path: Path) -> None:
    good = tmp_path / "good"
    assert build(repo, good) == Version("0.1.0")
    ran, results = check_json(repo, "v0.1.0", "--dist", str(good))
    assert ran.returncode == 0, ran.stdout
    assert results["dists-match"]["message"] == "2 dist(s) of sample-pkg 0.1.0, metadata valid"
    (good / "notes.txt").write_text("x", encoding="utf-8")
    next(good.glob("*.tar.gz")).unlink()
    ran, results = check_json(repo, "v0.1.0", "--dist", str(good))
    assert ran.returncode == 1
    assert results["dists-match"]["message"] == (
        f"{good}: notes.txt: not a wheel or an sdist | no sdist"
    )


@pytest.mark.slow
def test_dists_built_past_the_tag_do_not_match(repo: Path) -> None:
    commit(repo, "fix: after the release")
    built = build(repo, repo / "dist")  # inside the checkout, as CI does
    assert built.public == "0.1.1.dev1"
    ran, results = check_json(repo, "v0.1.0", "--dist", "dist")
    assert ran.returncode == 1
    assert f"metadata version {built} is not 0.1.0" in results["dists-match"]["message"]
    assert results["clean-tree"]["status"] == "passed"  # the dist folder is no change
    assert results["build-version"]["status"] == "passed"  # the tag itself builds right


def test_pretend_version_overrides_git(repo: Path) -> None:
    ran, results = check_json(repo, "v0.1.0", env={"SETUPTOOLS_SCM_PRETEND_VERSION": "9.9.9"})
    assert ran.returncode == 1
    assert results["build-version"]["message"] == (
        "a build of v0.1.0 would get version 9.9.9, not 0.1.0"
    )


def test_branch_ref_from_github_is_refused(repo: Path) -> None:
    ran = tagship(repo, "check", env={**OFFLINE, "GITHUB_REF": "refs/heads/main"})
    assert ran.returncode == 1
    assert ran.stderr.strip() == (
        "error: 'refs/heads/main' is a branch ref, not a tag; release workflows run on tag pushes"
    )


@pytest.mark.slow
def test_describe_match_that_misses_the_tag(tmp_path: Path) -> None:
    """hatch-vcs told to describe `release-*` tags never sees `v0.1.0`: a dev build."""
    match = '"--match", "v*"'
    repo = released(tmp_path / "repo")
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(match, '"--match", "release-*"'),
        encoding="utf-8",
    )
    commit(repo, "build: describe release tags")
    git(repo, "tag", "-f", "-a", "-m", "v0.1.0", "v0.1.0")  # re-tag the new commit
    built = build(repo, tmp_path / "dist")
    assert built.is_devrelease
    ran, results = check_json(repo, "v0.1.0")
    assert ran.returncode == 1
    assert results["build-version"]["message"] == (
        f"a build of v0.1.0 would get version {built}, not 0.1.0"
    )


@pytest.mark.slow
def test_an_rst_readme_that_pypi_cannot_render_fails_the_dists(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "rst")
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    commit(
        project,
        "docs: an rst readme",
        {
            "pyproject.toml": pyproject.replace('readme = "README.md"', 'readme = "README.rst"'),
            "README.rst": "Sample\n======\n\nSee `the docs for more.\n",
        },
    )
    git(project, "rm", "--quiet", "README.md")
    commit(project, "docs: one readme")
    git(project, "tag", "--annotate", "--message=v0.1.0", "v0.1.0")
    build(project, tmp_path / "dist")
    ran, results = check_json(project, "v0.1.0", "--dist", str(tmp_path / "dist"))
    assert ran.returncode == 1
    assert (
        "the reStructuredText long description does not render on PyPI"
        in (results["dists-match"]["message"])
    )


def test_check_pushed_is_the_pre_push_entry(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tagship.commands.check import check_pushed  # noqa: PLC0415

    monkeypatch.setenv("TAGSHIP_OFFLINE", "1")
    assert check_pushed(repo, ["experiment-1"]) is None
    assert capsys.readouterr().err == ""
    assert check_pushed(repo, ["v0.1.0", "experiment-1", "v0.1.0"], remote="origin") == 0
    err = capsys.readouterr().err
    assert err.count("TS101 tag-format: v0.1.0") == 1
    assert "ok   TS104 release-branch: v0.1.0 is on main" in err
