"""TS109: the changelog has a section for the version (as `tagship notes` finds it)."""

from __future__ import annotations

from tagship import git
from tagship.changelog import find_section
from tagship.checks.target import Target
from tagship.rules import Finding, Rule, failed, passed, skipped

CHANGELOG = Rule("TS109", "changelog", "error")
# A pre-release may ship before its notes are polished; a final release may not.
CHANGELOG_PRERELEASE = Rule("TS109", "changelog", "warning")


def _on_disk(target: Target, name: str) -> bool:
    """Whether the work tree's copy is the one to read (no git process needed then)."""
    # before the bump, commitizen has just written it; after, the tagged commit is the
    # truth, which the work tree holds when HEAD is that commit and the file is unchanged
    if target.pre_bump or target.commit is None:
        return True
    repo = target.repo
    return not target.pushing and repo.head == target.commit and name not in repo.changed()


def _changelog_text(target: Target, name: str) -> str | None:
    if _on_disk(target, name):
        path = target.root / name
        return path.read_text(encoding="utf-8") if path.is_file() else None
    return git.file_at(target.root, target.commit or "HEAD", name)


def changelog(target: Target) -> Finding:
    if target.release is None:
        return skipped(CHANGELOG, "the tag is not a release tag (see TS101)")
    rule = CHANGELOG_PRERELEASE if target.release.prerelease else CHANGELOG
    name = target.config.cz.changelog_file
    version = target.release.version
    fix = "cz bump writes it (update_changelog_on_bump = true), or cz changelog"
    text = _changelog_text(target, name)
    if text is None:
        return failed(rule, f"no {name}", fix)
    section = find_section(text, version, target.config.cz.tag_formats)
    if section is None:
        return failed(rule, f"{name} has no section for {version}", fix)
    if not section:  # the release notes would be empty (notes fails the same way)
        return failed(rule, f"the section of {version} in {name} is empty", fix)
    return passed(rule, f"{name} has a section for {version}")
