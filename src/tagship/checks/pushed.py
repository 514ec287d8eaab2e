"""Which tags a pre-push hook run is about, from the variables pre-commit sets (pure).

pre-commit (4.x, `hook_impl._pre_push_ns`) runs the pre-push stage once, for the first
pushed ref that brings new commits, and exports PRE_COMMIT_LOCAL_BRANCH and
PRE_COMMIT_REMOTE_BRANCH (the ref names of that line) and PRE_COMMIT_TO_REF (its new
commit, unless the push contains the root commit). A ref already on the remote and a
tag-only push of a pushed commit run no hook at all: CI repeats the check for that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

HOOK_VARIABLES = ("PRE_COMMIT_REMOTE_BRANCH", "PRE_COMMIT_TO_REF")


@dataclass(frozen=True)
class Pushed:
    """What the hook run pushes: a tag by name, or a commit whose tags are checked."""

    tag: str | None
    rev: str | None


def from_hook(environ: Mapping[str, str]) -> Pushed | None:
    """The pushed tag or commit, or None when not run by a pre-push hook."""
    if not any(environ.get(name) for name in HOOK_VARIABLES):
        return None
    remote = environ.get("PRE_COMMIT_REMOTE_BRANCH", "")
    if remote.startswith("refs/tags/"):
        return Pushed(tag=remote.removeprefix("refs/tags/"), rev=None)
    rev = environ.get("PRE_COMMIT_TO_REF") or environ.get("PRE_COMMIT_LOCAL_BRANCH") or None
    return Pushed(tag=None, rev=rev)
