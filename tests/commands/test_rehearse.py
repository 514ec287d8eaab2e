"""`tagship rehearse` end to end: real commitizen tags, real gates, builds, pypiserver.

The project is locked with tagship in its dev group (from this checkout's wheel) and
rehearsed from a plain shell (`uv run tagship rehearse`): the rehearsal must build the
environment CI builds, since nothing else is on PATH.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.commands.rehearsing import (
    fingerprint,
    leftovers,
    processes_mentioning,
    project,
    rehearse,
    released,
    shell,
    tagship_in,
)
from tests.helpers import BIN, commit, run, sample_project
from tests.helpers import tagship as run_tagship
from tests.userland import PlainShell

__all__ = ["project", "released", "shell"]  # fixtures

pytestmark = pytest.mark.slow


def test_a_failed_rehearsal_tagged_only_the_clone_and_leaves_nothing(
    tmp_path: Path, project: Path, shell: PlainShell
) -> None:
    failing_gate = 'lint = "echo lint found 3 problems; exit 1"\n'
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text() + failing_gate, encoding="utf-8"
    )
    commit(project, "test: a failing gate")
    before = fingerprint(project)
    ran = rehearse(shell, project, "v0.1.0rc1", tmpdir=tmp_path / "tmp")
    assert ran.returncode == 1
    assert "clone: clone of HEAD" in ran.stderr
    assert "tagged v0.1.0rc1 there only" in ran.stderr
    assert "lint found 3 problems" in ran.stderr  # the failed step's output is shown
    assert ran.stderr.splitlines()[-1].startswith("error: rehearse failed at step 'gate': ")
    assert fingerprint(project) == before
    assert leftovers(tmp_path / "tmp") == []
    assert processes_mentioning(str(tmp_path / "tmp")) == []


@pytest.mark.slow(seconds=8)
def test_rehearse_runs_the_chain_keeps_the_index_then_refuses_a_burned_version(
    tmp_path: Path, project: Path, shell: PlainShell
) -> None:
    before = fingerprint(project)
    try:
        kept = rehearse(shell, project, "--keep", "--json", tmpdir=tmp_path / "tmp")
        assert kept.returncode == 0, kept.stderr
        summary = json.loads(kept.stdout)
        assert [(s["name"], s["status"]) for s in summary["steps"]] == [
            (name, "passed")
            for name in (
                "clone",
                "environment",
                "index",
                "route",
                "gate",
                "build",
                "check",
                "upload",
                "verify",
                "notes",
            )
        ]
        assert (summary["tag"], summary["version"], summary["channel"]) == (
            "v0.1.0rc0",
            "0.1.0rc0",
            "testpypi",
        )
        environment, gate = summary["steps"][1]["detail"], summary["steps"][4]["detail"]
        assert environment.startswith("uv sync --locked: tagship on Python 3.")
        assert gate.startswith("tagship gate --no-cache on Python 3.")
        assert summary["steps"][5]["detail"] == (
            "rh_sample-0.1.0rc0-py3-none-any.whl, rh_sample-0.1.0rc0.tar.gz"
        )
        assert "greet the world" in summary["notes"]
        assert summary["ci"]["verify"]["ci"] == "tagship verify 0.1.0rc0 --index testpypi"
        assert "https://test.pypi.org/legacy/" in summary["ci"]["upload"]["ci"]
        # the repository is only read; --keep adds tagship's own state in .git/tagship
        assert fingerprint(project) == {**before, "tagship": True}
        assert leftovers(tmp_path / "tmp") == []
        index = summary["index"]
        assert index["kept"] is True
        assert f"kept index: {index['url']}" in kept.stderr
        # the printed install command works, as printed
        run([BIN / "uv", "venv", "--quiet", tmp_path / "env"], tmp_path)
        argv = index["install"].replace("'", "").split()
        run([BIN / argv[0], *argv[1:3], "--python", tmp_path / "env", *argv[3:]], tmp_path)
        shown = run([tmp_path / "env" / "bin" / "rh-sample", "--version"], tmp_path)
        assert shown.stdout == "0.1.0rc0\n"

        again = rehearse(shell, project, "--json", tmpdir=tmp_path / "tmp")
        assert again.returncode == 1
        statuses = [(s["name"], s["status"]) for s in json.loads(again.stdout)["steps"]]
        assert statuses[:7] == [
            ("clone", "passed"),
            ("environment", "passed"),
            ("index", "passed"),
            ("route", "passed"),
            ("gate", "passed"),
            ("build", "passed"),
            ("check", "failed"),
        ]
        assert "the kept index at" in json.loads(again.stdout)["steps"][2]["detail"]
        assert "rehearse failed at step 'check'" in again.stderr
        assert "0.1.0rc0 is already on" in again.stderr
        assert leftovers(tmp_path / "tmp") == []
    finally:
        stopped = tagship_in(shell, project, "rehearse", "--stop")
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped the kept index" in stopped.stderr
    assert not (project / ".git" / "tagship" / "rehearse").exists()
    assert processes_mentioning(str(project / ".git" / "tagship")) == []
    again = tagship_in(shell, project, "rehearse", "--stop")
    assert (again.returncode, again.stderr) == (0, "no kept index was running\n")


def test_an_untagged_head_without_a_tag_is_a_usage_error(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "proj")
    ran = run_tagship(project, "rehearse", env={"TMPDIR": str(tmp_path)})
    assert ran.returncode == 2
    assert ran.stderr == (
        "error: HEAD has no release tag; pass the tag to rehearse, "
        "e.g. tagship rehearse v1.2.3rc1\n"
    )


def test_a_tag_on_another_commit_is_refused(
    tmp_path: Path, project: Path, shell: PlainShell
) -> None:
    commit(project, "fix: later")
    ran = rehearse(shell, project, "v0.1.0rc0", tmpdir=tmp_path / "tmp")
    assert ran.returncode == 1
    assert "tag 'v0.1.0rc0' already points at" in ran.stderr
    assert leftovers(tmp_path / "tmp") == []


def test_a_lock_out_of_date_fails_like_ci(tmp_path: Path, project: Path, shell: PlainShell) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            'dev = ["tagship", "commitizen"]', 'dev = ["tagship", "commitizen", "iniconfig"]'
        )
    )
    commit(project, "build: a new dev dependency, not locked")
    ran = rehearse(shell, project, "v0.1.0rc1", tmpdir=tmp_path / "tmp")
    assert ran.returncode == 1
    assert ran.stderr.splitlines()[-1] == (
        "error: rehearse failed at step 'environment': uv.lock is out of date with "
        "pyproject.toml, so CI's `uv sync --locked` fails too: run `uv lock` and commit uv.lock"
    )


def test_stop_without_a_kept_index(tmp_path: Path) -> None:
    project = sample_project(tmp_path / "proj")
    ran = run_tagship(project, "rehearse", "--stop")
    assert (ran.returncode, ran.stderr) == (0, "no kept index was running\n")


WORKFLOW = ("route", "gate", "build", "check", "upload", "verify", "notes")


@pytest.mark.slow(seconds=8)
def test_rehearse_release_runs_the_rc_graduation_and_the_final_in_the_clone_only(
    tmp_path: Path, project: Path, shell: PlainShell
) -> None:
    before = fingerprint(project)
    ran = rehearse(shell, project, "--release", "--json", tmpdir=tmp_path / "tmp")
    assert ran.returncode == 0, ran.stderr
    summary = json.loads(ran.stdout)
    steps = {step["name"]: step for step in summary["steps"]}
    assert list(steps) == [
        "clone",
        "environment",
        "index",
        *WORKFLOW,
        "graduate",
        *(f"final {name}" for name in WORKFLOW),
    ]
    assert {step["status"] for step in steps.values()} == {"passed"}
    test_index, main_index = re.findall(
        r"http://127\.0\.0\.1:\d+/simple/", steps["index"]["detail"]
    )
    assert test_index != main_index
    assert steps["graduate"]["detail"].startswith("cz bump: v0.1.0rc0 -> v0.1.0, on ")
    assert steps["verify"]["detail"] == (
        f"0.1.0rc0 installs from {test_index} and runs; dependencies from {main_index}"
    )
    assert steps["final verify"]["detail"] == (
        f"0.1.0 installs from {main_index} and runs; dependencies from {main_index}"
    )
    assert steps["final route"]["detail"] == "v0.1.0: final 0.1.0 -> pypi"
    assert steps["gate"]["detail"].startswith("tagship gate --no-cache on Python 3.")
    assert steps["final gate"]["detail"].startswith("tagship gate on Python 3.")  # cache allowed
    assert (
        summary["ci"]["final gate"]["ci"]
        == "tagship gate --no-cache again, on the pushed final tag"
    )
    releases = {release["tag"]: release["notes"] for release in summary["releases"]}
    assert list(releases) == ["v0.1.0rc0", "v0.1.0"]
    assert "greet the world" in releases["v0.1.0"]
    assert "Testing this pre-release" in releases["v0.1.0rc0"]
    assert "Testing this pre-release" not in releases["v0.1.0"]
    # the user's refs, index, work tree and config are byte-identical
    assert fingerprint(project) == before
    assert leftovers(tmp_path / "tmp") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--release", "--keep"], "error: --release takes no --keep"),
        (["--release", "v0.2.0"], "error: --release rehearses an rc, its graduation and the final"),
    ],
)
def test_release_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    project = sample_project(tmp_path / "proj")
    ran = run_tagship(project, "rehearse", *args)
    assert ran.returncode == 2
    assert ran.stderr.startswith(message)
    assert ran.stderr.count("\n") == 1
