"""`tagship pre-push`: the one pre-push hook. Gates every pushed ref with new commits and
checks every pushed release tag, in one process.

A push whose gates all passed before on the same content costs two git processes (the tags
at the pushed commit, the commit's tree) and imports nothing that runs gates or checks,
nor any module beyond the interpreter's own (`pathlib`, `typing`, `subprocess`, `json`
and `hashlib` each cost more than the git processes): the paths here are strings until a
miss needs the rest. Which refs a push carries: see `tagship.gates.push`.
"""

from __future__ import annotations

import os
import sys

from tagship import git, output
from tagship.errors import ConfigError
from tagship.gates import memo
from tagship.gates.fingerprint import environment_dir
from tagship.gates.push import Push, PushedRef, from_hook_input, from_runner

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

    Hit = list[dict[str, Any]] | None

# Set by the hook entry init writes, which starts the environment's tagship without uv (an
# environment variable, not an option: a tagship locked before it existed ignores it).
SYNC_ON_MISS = "TAGSHIP_SYNC_ON_MISS"
RUNNER_VARIABLES = ("PRE_COMMIT_TO_REF", "PRE_COMMIT_LOCAL_BRANCH", "PRE_COMMIT_REMOTE_NAME")


def _root() -> str:
    # pre-commit and prek run hooks from the top of the work tree; elsewhere, ask git.
    cwd = os.getcwd()
    return cwd if os.path.exists(os.path.join(cwd, ".git")) else str(git.toplevel(cwd))


def _push(root: str, common_dir: str, remote: str | None) -> Push:
    if remote is not None:  # git runs us as the hook: the refs are on stdin
        return from_hook_input(root, remote, sys.stdin.read())
    if any(os.environ.get(name) for name in RUNNER_VARIABLES):
        return from_runner(root, common_dir, os.environ)
    head = git.head(root)
    if head is None:
        raise ConfigError("no commit to gate yet; commit first")
    return Push((PushedRef("HEAD", head),), (), "HEAD (not run by a pre-push hook)")


def _lookup(
    root: str, common_dir: str, ref: PushedRef, *, synced: bool
) -> tuple[dict[str, str], Hit]:
    """The commit's files, and the pass records that make it a cache hit (or None)."""
    files = git.ls_tree(root, ref.commit)
    store = os.path.join(common_dir, "tagship", "gates")
    return files, memo.lookup(root, store, files, synced=synced)


def _gate(
    root: str, common_dir: str, ref: PushedRef, found: tuple[dict[str, str], Hit], jobs: int | None
) -> bool:
    files, hit = found
    if hit is not None:  # every gate passed on this content: nothing else to read
        for record in hit:
            output.info(f"cached  {record['gate']} (passed on {record['commit'][:12]})")
        output.success(f"gates on {ref.commit[:12]}: {len(hit)} cached")
        return True
    from pathlib import Path  # noqa: PLC0415 (a miss pays for the rest)

    from tagship.commands.gate import gate_plan  # noqa: PLC0415
    from tagship.gates.checkout import Target  # noqa: PLC0415
    from tagship.gates.plan import make_plan  # noqa: PLC0415

    target = Target(ref.commit, f"push of {ref.name}")
    at = Path(common_dir)
    plan = make_plan(Path(root), target, only=None, no_cache=False, common_dir=at, files=files)
    return gate_plan(plan, jobs=jobs)


def _check(root: str, tags: list[str]) -> int:
    if not tags:
        return 0
    from pathlib import Path  # noqa: PLC0415 (only a tag push pays)

    from tagship.commands.check import check_pushed  # noqa: PLC0415

    code = check_pushed(Path(root), tags, os.environ.get("PRE_COMMIT_REMOTE_NAME") or None)
    return 0 if code is None else code


def _hand_over(jobs: int | None) -> NoReturn:
    """Run `uv run --frozen tagship pre-push` in this process's place: uv syncs the
    project's environment, then its tagship gates the push (it looks the cache up again)
    and records its memo as made in a synced environment (memo.SYNCED)."""
    argv = ["uv", "run", "--frozen", "tagship", "pre-push"]
    argv += [] if jobs is None else ["--jobs", str(jobs)]
    sys.stderr.flush()
    try:
        env = {key: value for key, value in os.environ.items() if key != SYNC_ON_MISS}
        os.execvpe(argv[0], argv, {**env, memo.SYNCED: "1"})  # noqa: S606 (an argv list)
    except OSError as exc:
        raise ConfigError(
            f"uv cannot start ({exc.strerror}); install uv or put it on PATH"
        ) from None


def _runs_from_project_environment(root: str) -> bool:
    """Whether this tagship is the one of the environment `uv run` would use for `root`."""
    expected = environment_dir(root, os.environ)
    return os.path.realpath(sys.prefix) == os.path.realpath(expected)


def pre_push(*, remote: str | None, url: str | None, jobs: int | None) -> int:
    """With TAGSHIP_SYNC_ON_MISS=1 (the hook entry init writes, which starts the project's
    tagship without uv) under pre-commit or prek: anything but a push whose every ref is a
    cache hit and carries no tag is handed over to `uv run`, so gates and checks run in the
    synced, locked environment. Run by git itself (REMOTE, refs on stdin), it runs here."""
    del url  # git passes it; the remote's name is what the tracking refs are under
    if jobs is not None and jobs < 1:
        raise ConfigError(f"--jobs {jobs}: give at least 1")
    sync_on_miss = remote is None and os.environ.get(SYNC_ON_MISS) == "1"
    root = _root()
    if sync_on_miss and not _runs_from_project_environment(root):
        _hand_over(jobs)
    common_dir = git.common_dir_at_top(root) or str(git.common_dir(root))
    push = _push(root, common_dir, remote)
    if not push.refs and not push.tags:
        output.info("pre-push: no pushed ref brings new commits; nothing to gate")
        return 0
    synced = sync_on_miss or memo.synced_run()
    found = [_lookup(root, common_dir, ref, synced=synced) for ref in push.refs]
    tags = list(push.tags)
    for ref in push.refs:
        known = push.tags_at(ref.commit)
        tags += git.tags_at(root, ref.commit) if known is None else known
    if sync_on_miss and (tags or any(hit is None for _, hit in found)):
        _hand_over(jobs)
    if len(push.refs) > 1:
        names = ", ".join(ref.name for ref in push.refs)
        output.info(f"pre-push: gating {len(push.refs)} refs ({names}), from {push.how}")
    passed = [_gate(root, common_dir, *pair, jobs) for pair in zip(push.refs, found, strict=True)]
    code = _check(root, tags)
    return 0 if all(passed) and code == 0 else max(code, 1)
