"""Rules about the repository: tag format, release branch, clean tree, history, ordering."""

from __future__ import annotations

from packaging.version import Version

from tagship import git
from tagship.checks.target import Target
from tagship.release import classify
from tagship.rules import Finding, Rule, failed, passed, skipped
from tagship.versions import TagError, release_tags

TAG_FORMAT = Rule("TS101", "tag-format", "error")
RELEASE_BRANCH = Rule("TS104", "release-branch", "error")
CLEAN_TREE = Rule("TS105", "clean-tree", "error")
FULL_HISTORY = Rule("TS106", "full-history", "error")
MOVES_FORWARD = Rule("TS107", "moves-forward", "error")

NOT_A_RELEASE = "the tag is not a release tag (see TS101)"


def tag_format(target: Target) -> Finding:
    try:
        release = target.release or classify(target.tag, target.config)
    except TagError as exc:
        example = target.config.cz.tag_formats[0].example()
        return failed(TAG_FORMAT, str(exc), f"tag releases like {example} (cz bump does)")
    return passed(
        TAG_FORMAT, f"{target.tag} is version {release.version} ({release.kind}, {release.channel})"
    )


def _branch_refs(target: Target) -> list[str]:
    """The refs that count as the release branch, remote-tracking first.

    A local branch counts only when there is no remote-tracking one, or when the local
    branch is being pushed with the tag (pre-push): a local branch may hold commits the
    remote will never see.
    """
    branch = target.config.tagship.release_branch
    tracking = [ref for ref in git.refs(target.root, "refs/remotes/") if ref.endswith(f"/{branch}")]
    local = f"refs/heads/{branch}"
    if (not tracking or target.pushing) and git.branch_exists(target.root, local):
        tracking.append(local)
    return tracking


def _short(ref: str) -> str:
    return ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")


def release_branch(target: Target) -> Finding:
    branch = target.config.tagship.release_branch
    if target.pre_bump:
        current = git.current_branch(target.root)
        if current == branch:
            return passed(RELEASE_BRANCH, f"bumping on {branch}")
        return failed(
            RELEASE_BRANCH,
            f"bumping on {current or 'a detached HEAD'}, but releases are cut from {branch}",
            f"git switch {branch} (or set [tool.tagship] release-branch)",
        )
    if target.commit is None:
        return skipped(RELEASE_BRANCH, f"tag {target.tag} does not exist")
    refs = _branch_refs(target)
    if not refs:
        return failed(
            RELEASE_BRANCH,
            f"no branch {branch!r}, local or remote-tracking",
            f"git fetch origin {branch}, or set [tool.tagship] release-branch",
        )
    for ref in refs:
        if git.is_ancestor(target.root, target.commit, ref):
            return passed(RELEASE_BRANCH, f"{target.tag} is on {_short(ref)}")
    shown = ", ".join(_short(ref) for ref in refs)
    return failed(
        RELEASE_BRANCH,
        f"{target.tag} is not on {shown}: a tag on a side branch or a stale commit",
        f"merge into {branch} and tag there (git tag -d {target.tag} to drop this one)",
    )


def _outside(path: str, allowed: tuple[str, ...]) -> bool:
    return not any(path == a or path.startswith(a.rstrip("/") + "/") for a in allowed)


def clean_tree(target: Target) -> Finding:
    if target.pushing:
        return skipped(CLEAN_TREE, "pre-push: CI builds the pushed tag, not this working tree")
    changed = [
        path for path in git.status_porcelain(target.root) if _outside(path, target.allowed_changes)
    ]
    if not changed:
        return passed(CLEAN_TREE, "no changed or untracked files")
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return failed(
        CLEAN_TREE,
        f"{len(changed)} changed or untracked file(s): {shown}",
        "commit or stash them (git stash --include-untracked): "
        "a build from a dirty tree gets a local version",
    )


def full_history(target: Target) -> Finding:
    if not git.is_shallow(target.root):
        return passed(FULL_HISTORY, "full history (not a shallow clone)")
    return failed(
        FULL_HISTORY,
        "shallow clone: the build backend cannot see the tags, the version is a guess",
        "fetch-depth: 0 in the actions/checkout step, or git fetch --unshallow --tags",
    )


def forward_problem(tag: str, version: Version, existing: dict[str, Version]) -> str | None:
    """Why `version` (tagged `tag`) does not move forward from `existing`, or None (pure)."""
    # One pass of hashing and one of comparing: a project may have ten thousand tags.
    # (Reversed, so that of two tags of one version the first listed is named.)
    tagged = {v: name for name, v in reversed(existing.items()) if name != tag}
    if version in tagged:
        return f"{version} is already tagged as {tagged[version]}"
    final = Version(version.base_version)
    if version.is_prerelease and final in tagged:
        return f"{final} is already released as {tagged[final]}; a pre-release of it is too late"
    top = max(tagged, default=None)
    if top is not None and top > version:
        return f"{version} is not greater than {top} ({tagged[top]})"
    return None


def moves_forward(target: Target) -> Finding:
    if target.release is None:
        return skipped(MOVES_FORWARD, NOT_A_RELEASE)
    version = target.release.version
    existing = release_tags(git.tags(target.root), target.config.cz.tag_formats)
    # before the bump the tag must not exist at all: cz would commit, then fail to tag
    problem = forward_problem("" if target.pre_bump else target.tag, version, existing)
    if problem:
        return failed(
            MOVES_FORWARD,
            problem,
            "versions only move forward: bump to a new version with cz bump",
        )
    count = len(existing) - (target.tag in existing)
    if not count:
        return passed(MOVES_FORWARD, f"{version} is the first release")
    return passed(MOVES_FORWARD, f"{version} is greater than the {count} other release tag(s)")
