"""Doctor rules on the repository, and the Trusted Publisher values derived from it."""

from __future__ import annotations

from collections.abc import Callable

from tagship import git
from tagship.config import Config
from tagship.diagnose.trusted import parse_remote
from tagship.rules import Finding, Rule, failed, passed

SHALLOW = Rule("TS430", "not-shallow", "error")
REMOTE = Rule("TS431", "remote", "warning")
GITHUB = Rule("TS432", "github-remote", "warning")


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


def checks(config: Config) -> list[tuple[Rule, Callable[[], Finding]]]:
    return [
        (SHALLOW, lambda: not_shallow(config)),
        (REMOTE, lambda: remote(config)),
        (GITHUB, lambda: github_remote(config)),
    ]
