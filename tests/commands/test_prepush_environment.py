"""Which tagship may answer `pre-push` with TAGSHIP_SYNC_ON_MISS=1 itself: the one of the
environment `uv run` would use (UV_PROJECT_ENVIRONMENT honoured); any other hands over."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tagship.commands.prepush import _runs_from_project_environment
from tests.helpers import git, tagship


def test_the_environment_uv_run_uses_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", sys.prefix)
    assert _runs_from_project_environment(str(tmp_path))
    (tmp_path / ".venv").symlink_to(sys.prefix)  # a link to it is the same environment
    monkeypatch.delenv("UV_PROJECT_ENVIRONMENT")
    assert _runs_from_project_environment(str(tmp_path))


def test_another_environment_hands_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".venv").symlink_to(sys.prefix)
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", "other-env")
    assert not _runs_from_project_environment(str(tmp_path))


def test_a_hand_over_without_uv_says_so(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    git(tmp_path, "init", "--quiet", str(repo))
    env = {"TAGSHIP_SYNC_ON_MISS": "1", "UV_PROJECT_ENVIRONMENT": "elsewhere", "PATH": "/bin"}
    ran = tagship(repo, "pre-push", env=env)
    assert ran.returncode == 2
    assert "uv cannot start (No such file or directory); install uv or put it on PATH" in (
        ran.stderr
    )
