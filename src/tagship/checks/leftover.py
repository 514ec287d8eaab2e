"""A changelog section without its tag: what a stopped `cz bump` leaves behind.

commitizen writes the changelog before its pre_bump_hooks run. When a hook stops the
bump, the new section stays in the work tree; committed (`git commit -am`), it is worse:
commitizen takes the changelog's newest section for the last release, finds no tag like
it, and every later `cz bump` exits 16 ("No tag found to do an incremental changelog").
This module undoes the section when it is certain nothing else changed in the file, and
otherwise names the exact recovery.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from packaging.version import Version

from tagship import git
from tagship.changelog import version_headings
from tagship.checks.target import Target
from tagship.config import Config
from tagship.rules import Finding, Rule, failed, passed, skipped
from tagship.versions import TagFormat

CHANGELOG_TAGGED = Rule("TS115", "changelog-tagged", "error")
_MESSAGE = "chore: drop the changelog section of a stopped bump"


def without_section(text: str, version: Version, formats: tuple[TagFormat, ...]) -> str | None:
    """`text` with `version`'s section cut out (its heading to the next one), or None (pure)."""
    headings = version_headings(text, formats)
    lines = text.split("\n")
    for number, heading in enumerate(headings):
        if heading.version == version:
            later = [h.line for h in headings[number + 1 :] if h.level <= heading.level]
            end = later[0] if later else len(lines)
            return "\n".join(lines[: heading.line] + lines[end:])
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):
        return None


def undo_section(cfg: Config, name: str, version: Version) -> bool:
    """Put the changelog back as HEAD has it when the bump's section is its only change."""
    path = cfg.root / name
    text = _read(path)
    text = None if text is None else text.replace("\r\n", "\n")
    rest = None if text is None else without_section(text, version, cfg.cz.tag_formats)
    if rest is None:
        return False
    before = git.file_at(cfg.root, "HEAD", name)
    if before is None and not rest.strip():
        path.unlink()
        return True
    if before is not None and rest == before.replace("\r\n", "\n"):
        git.restore_from_head(cfg.root, name)
        return True
    return False


def newest_untagged(text: str, cfg: Config, tagged: set[Version]) -> Version | None:
    """The changelog's newest version when no release tag has it (pure)."""
    headings = version_headings(text, cfg.cz.tag_formats)
    if not headings:
        return None
    newest = headings[0].version
    return None if newest in tagged else newest


def recovery(
    name: str, version: Version, *, committed: bool, tracked: bool, last: str | None
) -> tuple[str, str]:
    """What is wrong, and the exact way out."""
    quoted = shlex.quote(name)
    what = f"{name} has a section for {version}, which has no release tag"
    if not committed:
        undo = f"git restore -- {quoted}" if tracked else f"rm -- {quoted}"
        return f"{what}: a stopped cz bump left it", f"undo it: {undo}"
    restore = f"git checkout {shlex.quote(last)} -- {quoted}" if last else f"git rm -q -- {quoted}"
    fix = (
        f"{restore} && git commit -m {shlex.quote(_MESSAGE)} -- {quoted} "
        "(then add back any lines you wrote by hand)"
    )
    return f"{what} (committed): every cz bump fails until it goes", fix


def problem(cfg: Config, tags: dict[str, Version]) -> tuple[str, str] | None:
    """An untagged newest changelog section in the work tree: what, and the fix; or None."""
    name = cfg.cz.changelog_file
    text = _read(cfg.root / name)
    newest = None if text is None else newest_untagged(text, cfg, set(tags.values()))
    if newest is None:
        return None
    at_head = git.file_at(cfg.root, "HEAD", name)
    committed = at_head is not None and newest_untagged(at_head, cfg, set(tags.values())) == newest
    last = max(tags, key=lambda tag: tags[tag], default=None)
    return recovery(name, newest, committed=committed, tracked=at_head is not None, last=last)


def changelog_tagged(target: Target) -> Finding:
    if target.pre_bump:
        return skipped(CHANGELOG_TAGGED, "cz bump is writing the changelog right now")
    found = problem(target.config, target.repo.release_tags(target.config.cz.tag_formats))
    if found is None:
        return passed(CHANGELOG_TAGGED, "the changelog's newest section has its tag")
    return failed(CHANGELOG_TAGGED, *found)
