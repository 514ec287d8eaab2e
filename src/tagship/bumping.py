"""Inside commitizen's pre_bump_hooks: the changelog `cz bump` has already written.

commitizen (4.x) writes the changelog before it runs its pre_bump_hooks and leaves it in
the work tree when a hook fails. Left there, a first release's new changelog makes the
next `cz bump` fail ("No tag found to do an incremental changelog"), so every tagship
command that can stop a bump says how to undo it.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from tagship import git

CHANGELOG_VARIABLE = "CZ_PRE_CHANGELOG_FILE_NAME"


def written_changelog(root: Path) -> str | None:
    """The changelog cz bump just wrote, relative to `root`; None outside a bump."""
    written = os.environ.get(CHANGELOG_VARIABLE)
    if not written:
        return None
    # commitizen joins the file name to its config's folder: make it relative to ours
    path = (root / written).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else written


def undo_hint(root: Path) -> str | None:
    """How to undo the changelog of a bump that a failure just stopped (None outside one)."""
    name = written_changelog(root)
    if name is None:
        return None
    tracked = bool(git.ls_tree(root, "HEAD", [name]))
    undo = f"git restore -- {shlex.quote(name)}" if tracked else f"rm -- {shlex.quote(name)}"
    return (
        f"cz bump made no commit and no tag, but commitizen already wrote {name}: "
        f"undo it with `{undo}`, fix the failure above, then bump again"
    )
