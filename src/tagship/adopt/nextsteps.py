"""What init tells the user to do next: only commands that work, in the order they work.

A tag pushed without its changelog section is refused by the pre-push hook (TS109), and a
dev placeholder version (`3.2.0.dev0`) must never be tagged: so the first tag is always
made by commitizen, which writes the section, commits and tags in one step (`cz bump
VERSION` for the version a file held, `cz bump --prerelease rc` once tags exist).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

ADOPT_MESSAGE = "build: adopt tagship, tag-driven releases"


@dataclass(frozen=True)
class Situation:
    """What init knows when it is done."""

    written: tuple[str, ...]
    """The files init wrote (and uv.lock when `uv sync` changed it), relative paths."""
    installed: bool
    """Whether the environment was synced and the hooks installed."""
    static_version: str | None
    """The version a file held before init, if any."""
    static_tag: str | None
    """That version's tag name."""
    static_tagged: bool
    """Whether that tag exists."""
    has_release_tags: bool
    """Whether any release tag exists."""
    runner: str = "pre-commit"
    branch: str = "main"
    """The release branch."""
    has_origin: bool = True
    """Whether the repository has an `origin` remote to push to."""


def first_release(
    static_version: str | None, *, tag: str | None, tagged: bool, has_tags: bool
) -> list[str]:
    """The commands that make the first release tag init can stand behind."""
    rc = ["uv run cz bump --prerelease rc   # after a feat: or fix: commit"]
    if static_version is None or tagged:
        return (
            rc
            if has_tags or tagged
            else [
                "uv run cz bump --prerelease rc   # the first release candidate, from your commits"
            ]
        )
    try:
        version = Version(static_version)
    except InvalidVersion:
        return rc
    if version.is_devrelease:
        if has_tags:
            return rc
        first = Version(f"{version.base_version}rc0")
        return [f"uv run cz bump --yes {first}   # {version} is a placeholder: its first rc"]
    return [f"uv run cz bump --yes {version}   # tags {tag}, with its changelog section"]


def commands(situation: Situation) -> list[str]:
    """Every command, in order, from init's files to the first tag."""
    steps: list[str] = []
    if not situation.installed:
        steps += ["uv sync", f"uv run --frozen {situation.runner} install"]
    if situation.written:
        paths = " ".join(shlex.quote(path) for path in situation.written)
        steps.append(f"git add -- {paths} && git commit -m {shlex.quote(ADOPT_MESSAGE)}")
    steps += first_release(
        situation.static_version,
        tag=situation.static_tag,
        tagged=situation.static_tagged,
        has_tags=situation.has_release_tags,
    )
    if not situation.has_origin:
        steps.append("git remote add origin git@github.com:OWNER/REPO.git   # your repository")
    return [*steps, f"git push --follow-tags origin {shlex.quote(situation.branch)}"]
