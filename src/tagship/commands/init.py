"""`tagship init`: adopt tagship's release process into an existing project.

Every file is computed first (adopt.plan), then conflicts stop init before anything is
written, `--dry-run` prints the diff, and the writes are atomic and all-or-nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tagship import git, output, proc
from tagship.adopt import plan as planning
from tagship.errors import FatalError
from tagship.versions import TagFormat

ADOPT_MESSAGE = "build: adopt tagship's tag-driven release process"


def _conflicts(plan: planning.Plan, *, force: bool) -> None:
    if not plan.conflicts or force:
        return
    lines = [f"  {c.what}\n    choices: {c.choices}" for c in plan.conflicts]
    if sys.stdin.isatty() and sys.stderr.isatty():
        output.info("tagship init found settings that conflict with its own:\n" + "\n".join(lines))
        output.info("take tagship's side (like --force)? [y/N] ")
        if sys.stdin.readline().strip().lower() in ("y", "yes"):
            return
    raise FatalError(
        "conflicting settings, nothing written:\n" + "\n".join(lines) + "\n"
        "  run `tagship init --force` to take tagship's side of every conflict"
    )


def _tag_current(plan: planning.Plan, *, create: bool) -> None:
    """Say (or, with --tag-current, do) what makes the old static version a tag."""
    if plan.static_version is None:
        if create:
            output.warn(
                "--tag-current: no version is written in a file any more (init already ran); "
                "tag the old version by hand: git tag --annotate --message=TAG TAG"
            )
        return
    tag = TagFormat(plan.tag_format).render(plan.static_version)
    if tag in git.tags(plan.root):
        return
    if not create:
        output.info(
            f"the version {plan.static_version} has no tag yet: commit these changes, then run\n"
            f"  git tag --annotate --message={tag} {tag}\n"
            "(or run `tagship init --tag-current`, which commits init's files and tags them)"
        )
        return
    if git.head(plan.root) is None:
        raise FatalError("--tag-current needs a first commit; commit your project and run again")
    git.commit_paths(plan.root, ADOPT_MESSAGE, [change.path for change in plan.pending])
    git.create_tag(plan.root, tag, message=tag)
    output.success(f"committed init's files and tagged {tag}")


def _install_hooks(root: Path) -> None:
    try:
        proc.run(["pre-commit", "install"], cwd=root, timeout=120)
    except proc.ProcessError as exc:
        raise FatalError(
            f"files written, but `pre-commit install` failed ({exc}); "
            "add pre-commit to your environment and run `pre-commit install`"
        ) from None
    output.info("hooks installed: pre-commit, commit-msg, pre-push")


def init(*, dry_run: bool, force: bool, no_install: bool, tag_current: bool) -> int:
    root = git.toplevel(Path.cwd())
    plan = planning.build(root)
    if dry_run:
        output.emit_text(planning.diff(plan))
        for conflict in plan.conflicts:
            output.warn(f"conflict: {conflict.what} ({conflict.choices})")
        output.info(f"dry run: {len(plan.pending)} file(s) would change; nothing written")
        return 1 if plan.conflicts and not force else 0
    _conflicts(plan, force=force)
    planning.write(plan)
    for change in plan.pending:
        output.info(f"wrote {change.path.relative_to(root)}")
    if not plan.pending:
        output.info("already adopted: nothing to change")
    _tag_current(plan, create=tag_current)
    if not no_install:
        _install_hooks(root)
    if any(change.path.name == "pyproject.toml" for change in plan.pending):
        output.info("next: `uv lock` (the dev group gained tagship's tools), then `tagship doctor`")
    else:
        output.info("next: `tagship doctor`")
    return 0
