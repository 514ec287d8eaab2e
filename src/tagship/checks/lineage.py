"""Rules about where a release sits among the others: what the rc proved, stale tags.

TS110: a final ships the tree its last pre-release proved on the test index, but for the
files `cz bump` itself rewrites (the changelog, `version_files`, the provider's file).
TS111: a release tag is never on a commit older than a lower release's commit: that is a
stale tag with a higher version, shipping less than the release before it.
TS112 (pre-bump): the version cz writes is the version of the tag it makes.
"""

from __future__ import annotations

import os

from packaging.version import InvalidVersion, Version

from tagship import git
from tagship.bumping import commitizen_files, is_commitizen_file
from tagship.checks.repo import NOT_A_RELEASE, containing, newer_lower_tags
from tagship.checks.target import Target
from tagship.rules import Finding, Rule, failed, passed, skipped

FINAL_MATCHES_RC = Rule("TS110", "final-matches-rc", "error")
NOT_STALE = Rule("TS111", "not-stale", "error")
BUMP_VERSION = Rule("TS112", "bump-version", "error")
ALLOW_KEY = "allow-final-without-rc"


def last_prerelease(version: Version, existing: dict[str, Version]) -> str | None:
    """The tag of the highest pre-release of `version` (pure)."""
    candidates = {
        name: v for name, v in existing.items() if v.is_prerelease and v.release == version.release
    }
    return max(candidates, key=lambda name: candidates[name], default=None)


def _shown(paths: list[str]) -> str:
    return ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def final_matches_rc(target: Target) -> Finding:
    release = target.release
    if release is None or target.commit is None:
        return skipped(FINAL_MATCHES_RC, NOT_A_RELEASE)
    version = release.version
    if version.is_prerelease or version.is_postrelease:
        return skipped(FINAL_MATCHES_RC, f"{version} is no final release")
    rc = last_prerelease(version, target.repo.release_tags(target.config.cz.tag_formats))
    if rc is None:
        return skipped(
            FINAL_MATCHES_RC, f"no pre-release of {version} was tagged: a final straight to PyPI"
        )
    rc_commit = target.repo.tags[rc]
    changed = (
        []
        if rc_commit == target.commit
        else git.changed_paths(target.root, rc_commit, target.commit)
    )
    own = commitizen_files(target.config)
    code = [path for path in changed if not is_commitizen_file(path, own)]
    if not code:
        return passed(FINAL_MATCHES_RC, f"{target.tag} ships what {rc} proved")
    text = f"{target.tag} differs from {rc} in {len(code)} file(s): {_shown(code)}"
    if target.config.tagship.allow_final_without_rc:
        return passed(FINAL_MATCHES_RC, f"{text} (allowed: {ALLOW_KEY} = true)")
    return failed(
        FINAL_MATCHES_RC,
        f"{text}: code the rc never proved on the test index",
        "bump a new rc (cz bump --prerelease rc), then graduate it; for a hotfix straight "
        f"to PyPI, set {ALLOW_KEY} = true in [tool.tagship]",
    )


def not_stale(target: Target) -> Finding:
    if target.release is None or target.commit is None:
        return skipped(NOT_STALE, NOT_A_RELEASE)
    version = target.release.version
    existing = target.repo.release_tags(target.config.cz.tag_formats)
    lower = {name: v for name, v in existing.items() if v < version and name != target.tag}
    if not lower:
        return passed(NOT_STALE, f"no release below {version}")
    found = containing(target)
    newer = [name for name in newer_lower_tags(target) if name in found]
    if not newer:
        return passed(NOT_STALE, f"no lower release is on a newer commit than {target.tag}")
    newest = max(newer, key=lambda name: lower[name])
    return failed(
        NOT_STALE,
        f"{target.tag} ({version}) is on an older commit than {newest} ({lower[newest]}): "
        "a stale tag with a higher version ships less than the release below it",
        f"release from the newest commit of {target.config.tagship.release_branch} (cz bump)",
    )


def bump_version(target: Target) -> Finding:
    written = os.environ.get("CZ_PRE_NEW_VERSION", "")
    if not written:
        return skipped(BUMP_VERSION, "not run by cz bump (no CZ_PRE_NEW_VERSION)")
    if target.release is None:
        return skipped(BUMP_VERSION, NOT_A_RELEASE)
    try:
        version = Version(written)
    except InvalidVersion:
        version = None
    tagged = target.release.version
    if version == tagged:
        return passed(BUMP_VERSION, f"cz writes {written} and tags {target.tag}: one version")
    return failed(
        BUMP_VERSION,
        f"cz bump would write version {written} but tag {target.tag}, which reads as "
        f"{tagged} with tag_format {target.config.cz.tag_format!r}",
        "give tag_format every part of the version (v$version does; $major.$minor.$patch "
        "drops ${prerelease} and ${devrelease}), then bump again",
    )
