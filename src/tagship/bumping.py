"""Inside commitizen's pre_bump_hooks: the changelog `cz bump` has already written.

commitizen (4.x) writes the changelog before it runs its pre_bump_hooks and leaves it in
the work tree when a hook fails. Left there, a first release's new changelog makes the
next `cz bump` fail ("No tag found to do an incremental changelog"), so every tagship
command that can stop a bump says how to undo it.
"""

from __future__ import annotations

import fnmatch
import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from tagship import git

if TYPE_CHECKING:
    from tagship.config import Config

CHANGELOG_VARIABLE = "CZ_PRE_CHANGELOG_FILE_NAME"


def written_changelog(root: Path) -> str | None:
    """The changelog cz bump just wrote, relative to `root`; None outside a bump."""
    written = os.environ.get(CHANGELOG_VARIABLE)
    if not written:
        return None
    # commitizen joins the file name to its config's folder: make it relative to ours
    path = (root / written).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else written


def rewritten(root: Path, changelog: str) -> list[str]:
    """The other tracked files cz bump rewrote before its hooks (version_files, ...)."""
    from tagship import config  # noqa: PLC0415 (only a stopped bump pays)
    from tagship.errors import ConfigError  # noqa: PLC0415

    try:
        patterns = commitizen_files(config.load(root))
    except ConfigError:
        return []
    return [
        path
        for code, path in git.status_codes(root)
        if code != "??" and path != changelog and is_commitizen_file(path, patterns)
    ]


def restore_command(paths: list[str]) -> str:
    return "git restore -- " + " ".join(shlex.quote(path) for path in paths)


def undo_hint(root: Path) -> str | None:
    """How to undo the files of a bump that a failure just stopped (None outside one)."""
    name = written_changelog(root)
    if name is None:
        return None
    tracked = bool(git.ls_tree(root, "HEAD", [name]))
    others = rewritten(root, name)
    if tracked:
        undo = restore_command([name, *others])
    else:
        undo = f"rm -- {shlex.quote(name)}" + (f" && {restore_command(others)}" if others else "")
    return (
        f"cz bump made no commit and no tag, but commitizen already wrote {name}: "
        f"undo it with `{undo}`, fix the failure above, then bump again"
    )


# The files each commitizen version provider writes the version into (commitizen 4.x).
_PROVIDER_FILES = {
    "pep621": ("pyproject.toml",),
    "poetry": ("pyproject.toml",),
    "uv": ("pyproject.toml", "uv.lock"),
    "cargo": ("Cargo.toml", "Cargo.lock"),
    "npm": ("package.json", "package-lock.json", "npm-shrinkwrap.json"),
    "composer": ("composer.json",),
}


def commitizen_files(cfg: Config) -> tuple[str, ...]:
    """Patterns (fnmatch) of the files `cz bump` itself rewrites: a bump may change them.

    The changelog, every `version_files` entry (`path` or `path:regex`, globs allowed),
    and the version provider's own file (`.cz.toml` for the default provider).
    """
    found = [cfg.cz.changelog_file]
    entries = cfg.cz.raw.get("version_files", [])
    if isinstance(entries, list):
        found += [entry.partition(":")[0] for entry in entries if isinstance(entry, str)]
    own = cfg.cz.path
    if cfg.cz.version_provider == "commitizen" and own is not None and own.is_relative_to(cfg.root):
        found.append(own.relative_to(cfg.root).as_posix())
    found += _PROVIDER_FILES.get(cfg.cz.version_provider, ())
    return tuple(dict.fromkeys(path.removeprefix("./") for path in found))


def is_commitizen_file(path: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)
