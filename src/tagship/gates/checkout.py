"""Exactly the pushed commit: which commit is gated, and a checkout holding only it.

Plain pre-push hooks run on the work tree and the index; an uncommitted edit can then
fail a good push or rescue a bad one. The gates here see the commit and nothing else:
in place when the checkout is that commit with no change, else in a temporary
`git worktree` of it, removed afterwards whatever happens.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tagship import config, git
from tagship.errors import ConfigError, FatalError


@dataclass(frozen=True)
class Target:
    """The commit to gate and where its id came from."""

    commit: str
    source: str
    """`--rev`, `PRE_COMMIT_TO_REF` (the push being checked), or `HEAD`."""


def requested_rev(rev: str | None, environ: Mapping[str, str]) -> tuple[str, str]:
    """(revision, source) by priority: --rev, the pushed commit pre-commit names, HEAD.

    pre-commit 4 sets PRE_COMMIT_TO_REF for a push that updates a ref the remote has; for
    a push of a branch whose history includes a root commit it sets no from/to ref, only
    PRE_COMMIT_LOCAL_BRANCH (the local ref being pushed).
    """
    if rev:
        return rev, "--rev"
    for variable in ("PRE_COMMIT_TO_REF", "PRE_COMMIT_LOCAL_BRANCH"):
        if environ.get(variable):
            return environ[variable], variable
    return "HEAD", "HEAD"


def resolve(root: Path, rev: str | None, environ: Mapping[str, str]) -> Target:
    name, source = requested_rev(rev, environ)
    commit = git.rev_parse(root, name)
    if commit is None:
        raise ConfigError(f"{source} {name!r} names no commit; pass --rev with a commit or branch")
    return Target(commit, source)


def changes(root: Path, target: Target) -> list[str] | None:
    """The paths where the checkout differs from the target commit (staged, unstaged or
    untracked); None when HEAD is another commit."""
    at_head = target.source == "HEAD" or git.head(root) == target.commit
    return git.status_porcelain(root) if at_head else None


@contextmanager
def config_at(root: Path, commit: str, files: Mapping[str, str], *, exact: bool) -> Iterator[Path]:
    """A directory holding the commit's config files (the checkout itself when exact)."""
    if exact:
        yield root
        return
    import shutil  # noqa: PLC0415 (lazy: a cached run must start fast)
    import tempfile  # noqa: PLC0415 (lazy: a cached run must start fast)

    directory = Path(tempfile.mkdtemp(prefix="tagship-config-"))
    try:
        for name in config.CZ_CONFIG_FILES:
            if name in files:
                text = git.read_text(root, commit, name)
                (directory / name).write_text(text, encoding="utf-8")
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def checkout_of(root: Path, commit: str, *, exact: bool) -> Iterator[Path]:
    """A directory whose files are exactly `commit`'s: the checkout, or a temporary worktree.

    The worktree is removed on the way out, also on Ctrl-C or a failed gate.
    """
    if exact:
        yield root
        return
    import shutil  # noqa: PLC0415 (lazy: a cached run must start fast)
    import tempfile  # noqa: PLC0415 (lazy: a cached run must start fast)

    parent = Path(tempfile.mkdtemp(prefix="tagship-gate-"))
    path = parent / "checkout"
    try:
        try:
            git.worktree_add(root, path, commit)
        except FatalError as exc:
            raise FatalError(f"cannot check out {commit[:12]} to gate it: {exc}") from None
        yield path
    finally:
        git.worktree_remove(root, path)
        shutil.rmtree(parent, ignore_errors=True)
