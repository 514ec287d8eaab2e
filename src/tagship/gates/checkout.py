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


# Ignored entries that cannot change what a gate finds: the project's environment (its
# fingerprint is in the key), bytecode (Python ignores a __pycache__ entry whose source is
# gone) and the tools' own caches (validated by content). Any other ignored file, such as a
# local conftest.py or a .pth-style settings module, makes the checkout differ from the
# commit: the gates then run in a worktree.
HARMLESS_IGNORED = frozenset(
    {".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", "dist"}
)


def harmful_ignored(paths: list[str], environment_dir: str | None) -> list[str]:
    """The ignored paths that could change a gate's result (pure)."""

    def harmless(path: str) -> bool:
        parts = path.rstrip("/").split("/")
        return (
            path.rstrip("/") == environment_dir
            or any(part in HARMLESS_IGNORED or part.endswith(".egg-info") for part in parts)
            or parts[-1].endswith((".pyc", ".pyo"))
        )

    return [path for path in paths if not harmless(path)]


def changes(root: Path, target: Target, environment_dir: str | None = None) -> list[str] | None:
    """Where the checkout may differ from the target commit: staged, unstaged, untracked and
    ignored paths that a gate could read, and tracked paths hidden from `git status`
    (assume-unchanged, skip-worktree); None when HEAD is another commit."""
    at_head = target.source == "HEAD" or git.head(root) == target.commit
    if not at_head:
        return None
    changed, ignored = git.worktree_state(root)
    return changed + harmful_ignored(ignored, environment_dir) + git.hidden_from_status(root)


def blob_id(data: bytes, *, sha256: bool) -> str:
    """The id git gives a blob of `data` (pure)."""
    import hashlib  # noqa: PLC0415 (already loaded by then; keeps this module light)

    digest = hashlib.sha256 if sha256 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def same_as_commit(root: Path, files: Mapping[str, str], names: tuple[str, ...]) -> bool:
    """Whether each of `names` is in the checkout exactly as in the commit (or absent from
    both), compared by blob id: no git process, no trust in timestamps."""
    for name in names:
        path = root / name
        try:
            data = path.read_bytes() if not path.is_symlink() else None
        except FileNotFoundError:
            data = None
        except OSError:
            return False
        blob = files.get(name)
        if data is None or blob is None:
            if data is not None or blob is not None or path.is_symlink():
                return False
            continue
        if blob_id(data, sha256=len(blob) == 64) != blob:
            return False
    return True


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


LOCK_REASON = "tagship gate pid "


def stale_worktrees(worktrees: list[tuple[str, str | None]], alive: set[int]) -> list[str]:
    """Paths of tagship's gate worktrees whose process is gone (pure): a run killed with
    SIGKILL cannot remove its own worktree, so the next run does."""
    stale = []
    for path, reason in worktrees:
        pid = reason.removeprefix(LOCK_REASON) if reason and reason.startswith(LOCK_REASON) else ""
        if pid.isdigit() and int(pid) not in alive:
            stale.append(path)
    return stale


def _running(pids: list[int]) -> set[int]:
    import os  # noqa: PLC0415

    alive = set()
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        except PermissionError:  # another user's process: alive
            pass
        alive.add(pid)
    return alive


def prune_stale(root: Path) -> list[str]:
    """Remove the worktrees of gate runs that were killed; the paths removed."""
    import shutil  # noqa: PLC0415 (lazy: a cached run must start fast)

    found = git.worktrees(root)
    reasons = [r.removeprefix(LOCK_REASON) for _, r in found if r and r.startswith(LOCK_REASON)]
    stale = stale_worktrees(found, _running([int(p) for p in reasons if p.isdigit()]))
    for path in stale:
        git.worktree_remove(root, Path(path))
        parent = Path(path).parent
        if parent.name.startswith("tagship-gate-"):
            shutil.rmtree(parent, ignore_errors=True)
    return stale


@contextmanager
def checkout_of(root: Path, commit: str, *, exact: bool) -> Iterator[Path]:
    """A directory whose files are exactly `commit`'s: the checkout, or a temporary worktree.

    The worktree is removed on the way out, also on Ctrl-C (twice) or a failed gate; one
    left by a killed run is removed by the next run (`prune_stale`).
    """
    if exact:
        yield root
        return
    import os  # noqa: PLC0415
    import shutil  # noqa: PLC0415 (lazy: a cached run must start fast)
    import tempfile  # noqa: PLC0415 (lazy: a cached run must start fast)

    from tagship import proc  # noqa: PLC0415

    parent = Path(tempfile.mkdtemp(prefix="tagship-gate-"))
    path = parent / "checkout"
    try:
        try:
            git.worktree_add(root, path, commit, reason=f"{LOCK_REASON}{os.getpid()}")
        except FatalError as exc:
            raise FatalError(f"cannot check out {commit[:12]} to gate it: {exc}") from None
        yield path
    finally:
        with proc.signals_deferred():
            git.worktree_remove(root, path)
            shutil.rmtree(parent, ignore_errors=True)
