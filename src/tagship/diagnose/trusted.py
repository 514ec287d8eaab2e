"""The Trusted Publisher values to register on PyPI and TestPyPI, from the git remote."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from tagship.config import Config

WORKFLOW_FILE = "release.yml"
_GITHUB = re.compile(
    r"^(?:https://(?:[^@/]+@)?github\.com/|ssh://git@github\.com/|git@github\.com:)"
    r"(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)(?:\.git)?/?$"
)
_SITES = {"pypi": "https://pypi.org", "testpypi": "https://test.pypi.org"}


@dataclass(frozen=True)
class GitHubRepo:
    owner: str
    repo: str


@dataclass(frozen=True)
class TrustedPublisher:
    """What the maintainer types into PyPI's "Add a new pending publisher" form."""

    index: str
    url: str
    """Where to register it."""
    project: str
    owner: str
    repository: str
    workflow: str
    environment: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def parse_remote(url: str) -> GitHubRepo | None:
    """The GitHub owner and repository of a remote URL (https or ssh), else None."""
    found = _GITHUB.match(url.strip())
    return GitHubRepo(found["owner"], found["repo"]) if found else None


def publishers(config: Config, remote: GitHubRepo) -> list[TrustedPublisher]:
    found = []
    for index in ("testpypi", "pypi"):
        found.append(
            TrustedPublisher(
                index=index,
                url=f"{_SITES[index]}/manage/account/publishing/",
                project=config.project_name or "?",
                owner=remote.owner,
                repository=remote.repo,
                workflow=WORKFLOW_FILE,
                environment=config.tagship.environment(index),
            )
        )
    return found


def describe(publisher: TrustedPublisher) -> str:
    return (
        f"{publisher.index} ({publisher.url}):\n"
        f"  PyPI project name: {publisher.project}\n"
        f"  Owner:             {publisher.owner}\n"
        f"  Repository name:   {publisher.repository}\n"
        f"  Workflow name:     {publisher.workflow}\n"
        f"  Environment name:  {publisher.environment}"
    )
