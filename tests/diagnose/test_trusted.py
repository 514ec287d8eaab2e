"""Trusted Publisher values from the git remote: pure parsing, table-driven."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship.config import Config, CzConfig, TagshipConfig
from tagship.diagnose import trusted


@pytest.mark.parametrize(
    ("url", "owner", "repo"),
    [
        ("https://github.com/acme/rocket.git", "acme", "rocket"),
        ("https://github.com/acme/rocket", "acme", "rocket"),
        ("https://github.com/acme/rocket/", "acme", "rocket"),
        ("https://token@github.com/acme/rocket.git", "acme", "rocket"),
        ("git@github.com:acme/rocket.git", "acme", "rocket"),
        ("git@github.com:acme/rocket", "acme", "rocket"),
        ("ssh://git@github.com/Acme-Corp/rocket.py.git", "Acme-Corp", "rocket.py"),
    ],
)
def test_github_remotes(url: str, owner: str, repo: str) -> None:
    assert trusted.parse_remote(url) == trusted.GitHubRepo(owner, repo)


@pytest.mark.parametrize(
    "url",
    [
        "https://gitlab.com/acme/rocket.git",
        "/srv/git/rocket.git",
        "https://github.com/acme",
        "https://github.com.evil.example/acme/rocket",
        "",
    ],
)
def test_other_remotes_give_nothing(url: str) -> None:
    assert trusted.parse_remote(url) is None


def test_values_for_both_indexes() -> None:
    config = Config(Path(), "rocket", CzConfig(path=None), TagshipConfig())
    found = trusted.publishers(config, trusted.GitHubRepo("acme", "rocket"))
    assert [(p.index, p.environment) for p in found] == [
        ("testpypi", "release-test"),
        ("pypi", "release"),
    ]
    assert found[1].as_dict() == {
        "index": "pypi",
        "url": "https://pypi.org/manage/account/publishing/",
        "project": "rocket",
        "owner": "acme",
        "repository": "rocket",
        "workflow": "release.yml",
        "environment": "release",
    }
