"""Doctor rules on the repository, and the Trusted Publisher values derived from it."""

from __future__ import annotations

from collections.abc import Callable

from tagship import git
from tagship.config import Config
from tagship.diagnose.trusted import parse_remote
from tagship.rules import Finding, Rule, failed, passed, skipped

SHALLOW = Rule("TS430", "not-shallow", "error")
REMOTE = Rule("TS431", "remote", "warning")
GITHUB = Rule("TS432", "github-remote", "warning")
RELEASE_BRANCH = Rule("TS412", "release-branch", "error")


def not_shallow(config: Config) -> Finding:
    if git.is_shallow(config.root):
        return failed(
            SHALLOW,
            "shallow clone: hatch-vcs cannot find the tags and builds X.Y.Z.devN+g<sha>",
            "run `git fetch --unshallow --tags`",
        )
    return passed(SHALLOW, "full history")


def remote(config: Config) -> Finding:
    names = git.remotes(config.root)
    if not names:
        return failed(
            REMOTE, "no git remote", "git remote add origin https://github.com/OWNER/REPO"
        )
    return passed(REMOTE, f"remote(s): {', '.join(names)}")


def github_remote(config: Config) -> Finding:
    url = git.remote_url(config.root)
    if url is None:
        return failed(GITHUB, "no origin remote: no Trusted Publisher values", "add origin")
    if parse_remote(url) is None:
        return failed(
            GITHUB,
            f"origin {url!r} is not a GitHub repository: no Trusted Publisher values",
            "point origin at github.com/OWNER/REPO (https or ssh)",
        )
    return passed(GITHUB, f"origin is {url}")


def release_branch(config: Config) -> Finding:
    """The configured release branch is the repository's: origin's HEAD, else the current."""
    remote = git.remote_head(config.root)
    actual = remote or git.current_branch(config.root)
    if actual is None:
        return skipped(RELEASE_BRANCH, "no origin/HEAD and no current branch (detached HEAD)")
    where = "origin/HEAD" if remote else "the current branch"
    configured = config.tagship.release_branch
    if configured != actual:
        return failed(
            RELEASE_BRANCH,
            f"releases are cut from {configured!r} ([tool.tagship] release-branch), but the "
            f"repository's branch is {actual!r} ({where}): every bump would fail TS104",
            f'set release-branch = "{actual}" in [tool.tagship], then `tagship init`',
        )
    return passed(RELEASE_BRANCH, f"release branch {configured!r} is {where}")


def checks(config: Config) -> list[tuple[Rule, Callable[[], Finding]]]:
    return [
        (SHALLOW, lambda: not_shallow(config)),
        (REMOTE, lambda: remote(config)),
        (GITHUB, lambda: github_remote(config)),
        (RELEASE_BRANCH, lambda: release_branch(config)),
    ]
