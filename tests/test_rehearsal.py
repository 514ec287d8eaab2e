from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from packaging.version import Version

from tagship.errors import ConfigError, FatalError
from tagship.rehearse.environment import (
    choose_pythons,
    installed_pythons,
    supported_pythons,
    sync_failure,
    without_virtualenvs,
)
from tagship.rehearse.rehearsal import choose_tag, failure_line

HEAD = "a" * 40
OTHER = "b" * 40


@pytest.mark.parametrize(
    ("explicit", "tags", "at_head", "expected"),
    [
        ("v1.0rc1", {}, {}, ("v1.0rc1", True)),
        ("v1.0rc1", {"v1.0rc1": HEAD}, {"v1.0rc1": "1.0rc1"}, ("v1.0rc1", False)),
        (None, {"v1.0rc1": HEAD}, {"v1.0rc1": "1.0rc1"}, ("v1.0rc1", False)),
        (
            None,
            {"v1.0rc1": HEAD, "v1.0": HEAD, "v0.9": OTHER},
            {"v1.0rc1": "1.0rc1", "v1.0": "1.0"},
            ("v1.0", False),
        ),
    ],
)
def test_choose_tag(
    explicit: str | None,
    tags: dict[str, str],
    at_head: dict[str, str],
    expected: tuple[str, bool],
) -> None:
    versions = {tag: Version(v) for tag, v in at_head.items()}
    assert choose_tag(explicit, HEAD, tags, versions, "v1.2.3rc1") == expected


def test_a_tag_on_another_commit_is_never_moved() -> None:
    with pytest.raises(FatalError, match=r"tag 'v0.9' already points at bbbbbbbbbbbb, not HEAD"):
        choose_tag("v0.9", HEAD, {"v0.9": OTHER}, {}, "v1.2.3rc1")


def test_an_untagged_head_needs_a_tag() -> None:
    with pytest.raises(ConfigError, match=r"pass the tag to rehearse, e.g. tagship rehearse v1"):
        choose_tag(None, HEAD, {"v0.9": OTHER}, {}, "v1.2.3rc1")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("progress\nerror: tagship gate: ruff failed\n", "tagship gate: ruff failed"),
        (
            "ok   TS1 a: fine\nFAIL TS2 not-burned: 1.0 is on the index\n   fix: bump\nFAIL x\n",
            "FAIL TS2 not-burned: 1.0 is on the index",
        ),
        ("Building...\nerror: Failed to build `x`\n  hint: a hint\n\n", "Failed to build `x`"),
        ("Building...\n  done\n  last words\n\n", "last words"),
        ("", ""),
    ],
)
def test_failure_line(text: str, line: str) -> None:
    assert failure_line(text) == line


@pytest.mark.parametrize(
    ("project", "expected"),
    [
        ('requires-python = ">=3.11"', ("3.11", "3.12", "3.13", "3.14")),
        ('requires-python = ">=3.9.2,<3.12"', ("3.9", "3.10", "3.11")),
        # the classifiers narrow it, as in the release workflow's matrix
        (
            (
                'requires-python = ">=3.9"\nclassifiers = ["Programming Language :: Python :: '
                '3.10", "Programming Language :: Python :: 3.13"]'
            ),
            ("3.10", "3.13"),
        ),
        ("", ("3.12",)),  # the workflow's default Python
    ],
)
def test_rehearse_gates_on_the_pythons_of_the_workflow(
    tmp_path: Path, project: str, expected: tuple[str, ...]
) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\n{project}\n')
    assert supported_pythons(tmp_path) == expected


def test_a_requires_python_that_is_no_specifier_fails_the_rehearsal(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = "not one"\n')
    with pytest.raises(ConfigError, match="is not a version specifier"):
        supported_pythons(tmp_path)


def test_installed_pythons_keeps_the_first_cpython_of_each_minor() -> None:
    listing = json.dumps(
        [
            {"version": "3.12.1", "path": "/a/python3.12", "implementation": "cpython"},
            {"version": "3.12.0", "path": "/b/python3.12", "implementation": "cpython"},
            {"version": "3.11.7", "path": None, "implementation": "cpython"},
            {"version": "3.10.14", "path": "/p/pypy3.10", "implementation": "pypy"},
        ]
    )
    assert installed_pythons(listing) == {"3.12": "/a/python3.12"}


def test_choose_pythons_names_what_is_skipped() -> None:
    chosen = choose_pythons(
        ["3.10", "3.11", "3.12"], {"3.11": "/x/3.11", "3.13": "/x/3.13"}, own="3.11"
    )
    assert chosen.gates == (("3.11", "/x/3.11"),)
    assert chosen.skipped == ("3.10", "3.12")
    assert chosen.tagship == "3.11"


@pytest.mark.parametrize(
    ("supported", "own", "tagship"),
    [
        (["3.9", "3.10", "3.11", "3.12"], "3.11", "3.11"),  # the running one, supported
        (["3.12", "3.13"], "3.11", "3.13"),  # not supported: the newest supported one
        (["3.9", "3.10"], "3.11", "3.11"),  # none tagship runs on: its own, apart
    ],
)
def test_tagship_runs_on_a_python_both_support(
    supported: list[str], own: str, tagship: str
) -> None:
    installed = {minor: f"/x/{minor}" for minor in ("3.9", "3.10", "3.11", "3.12", "3.13")}
    assert choose_pythons(supported, installed, own=own).tagship == tagship


def test_path_without_virtualenvs(tmp_path: Path) -> None:
    venv = tmp_path / "other-venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    path = os.pathsep.join(["/caller/venv/bin", str(venv / "bin"), "/usr/bin", "/bin"])
    assert without_virtualenvs(path, ["/caller/venv"]) == os.pathsep.join(["/usr/bin", "/bin"])


@pytest.mark.parametrize(
    ("text", "start"),
    [
        (
            (
                "Resolved 3 packages\nerror: The lockfile at `uv.lock` needs to be updated, "
                "but `--locked` was provided. To update the lockfile, run `uv lock`."
            ),
            "uv.lock is out of date with pyproject.toml",
        ),
        (
            "error: Unable to find lockfile at `uv.lock`, but `--locked` was provided.",
            "the project has no uv.lock",
        ),
        ("error: No interpreter found for Python 3.9", "uv sync --locked failed: error: No"),
    ],
)
def test_sync_failure(text: str, start: str) -> None:
    assert sync_failure(text).startswith(start)
