"""Rules about the repository: tag format, release branch, clean tree, history, ordering."""

from __future__ import annotations

from packaging.version import Version

from tagship.bumping import is_commitizen_file
from tagship.checks.target import Target
from tagship.release import classify
from tagship.rules import Finding, Rule, failed, passed, skipped
from tagship.versions import TagError

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


def remote_branch_ref(target: Target) -> str:
    """The one remote-tracking ref that is the release branch: exactly that branch.

    The remote being pushed to (pre-push), else the local branch's upstream when it is a
    branch of that name, else origin's. `fork/main` or `origin/wip/main` never count.
    """
    branch = target.config.tagship.release_branch
    if target.remote:
        return f"refs/remotes/{target.remote}/{branch}"
    upstream = target.repo.upstreams.get(f"refs/heads/{branch}", "")
    if upstream.startswith("refs/remotes/") and upstream.endswith(f"/{branch}"):
        return upstream
    return f"refs/remotes/origin/{branch}"


def branch_refs(target: Target) -> tuple[str, ...]:
    """The release branch's refs that exist: the remote one, then the local one."""
    local = f"refs/heads/{target.config.tagship.release_branch}"
    return tuple(r for r in (remote_branch_ref(target), local) if r in target.repo.branches)


# Commit dates order commits only roughly (clocks differ): a day's margin.
CLOCK_SKEW = 86_400


def newer_lower_tags(target: Target) -> list[str]:
    """Lower release tags on other commits that may descend from the target's commit.

    A commit made well before the target's cannot descend from it: only the few tags made
    since then are asked about, so the check costs what the tags cost, not the history.
    """
    repo, commit, release = target.repo, target.commit, target.release
    if release is None or commit is None:
        return []
    since = repo.dates.get(commit)
    floor = None if since is None else since - CLOCK_SKEW
    tags, dates = repo.tags, repo.dates
    # the date first: one integer comparison rules out nearly every tag of a long history
    return [
        name
        for name, version in repo.release_tags(target.config.cz.tag_formats).items()
        if (floor is None or dates.get(tags[name], 0) >= floor)
        and tags[name] != commit
        and name != target.tag
        and version < release.version
    ]


def containing(target: Target) -> frozenset[str]:
    """Which release-branch refs and which of `newer_lower_tags` contain the target's
    commit: one git process for TS104 and TS111 together."""
    assert target.commit is not None  # noqa: S101 (the rules skip a missing tag)
    tags = tuple(f"refs/tags/{name}" for name in newer_lower_tags(target))
    return target.repo.containing(target.commit, branch_refs(target) + tags)


def _short(ref: str) -> str:
    return ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")


def _pre_bump_branch(target: Target, branch: str) -> Finding:
    current = target.repo.branch
    if current == branch:
        return passed(RELEASE_BRANCH, f"bumping on {branch}")
    return failed(
        RELEASE_BRANCH,
        f"bumping on {current or 'a detached HEAD'}, but releases are cut from {branch}",
        f"git switch {branch} (or set [tool.tagship] release-branch)",
    )


def release_branch(target: Target) -> Finding:
    branch = target.config.tagship.release_branch
    if target.pre_bump:
        return _pre_bump_branch(target, branch)
    if target.commit is None:
        return skipped(RELEASE_BRANCH, f"tag {target.tag} does not exist")
    remote, local = remote_branch_ref(target), f"refs/heads/{branch}"
    present = branch_refs(target)
    if not present:
        return failed(
            RELEASE_BRANCH,
            f"no branch {branch!r}, neither local nor {_short(remote)}",
            f"git fetch origin {branch}, or set [tool.tagship] release-branch",
        )
    found = containing(target)
    if remote in found:
        return passed(RELEASE_BRANCH, f"{target.tag} is on {_short(remote)}")
    if local in found:
        unpushed = (
            f", not yet on {_short(remote)}: push the branch with it (git push --follow-tags)"
            if remote in present
            else ""
        )
        return passed(RELEASE_BRANCH, f"{target.tag} is on {branch}{unpushed}")
    return failed(
        RELEASE_BRANCH,
        f"{target.tag} is not on {', '.join(_short(r) for r in present)}: "
        "its commit is on a side branch, or the branch has not been pulled",
        f"release from {branch}: merge that commit into {branch} (git pull if it is there "
        "already), or set [tool.tagship] release-branch",
    )


def _outside(path: str, allowed: tuple[str, ...]) -> bool:
    inside = (path == a or path.startswith(a.rstrip("/") + "/") for a in allowed)
    return not any(inside) and not is_commitizen_file(path, allowed)


def _bytecode_cache(path: str) -> bool:
    """An untracked `__pycache__/` (the gates leave one where no .gitignore names it, as in
    `hatch new`'s template): every backend leaves it out of the dists."""
    return path.endswith("/") and path.rstrip("/").rsplit("/", 1)[-1] == "__pycache__"


def clean_tree(target: Target) -> Finding:
    if target.pushing:
        return skipped(CLEAN_TREE, "pre-push: CI builds the pushed tag, not this working tree")
    changed = [
        path
        for path in target.repo.changed()
        if _outside(path, target.allowed_changes) and not _bytecode_cache(path)
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
    if not target.repo.shallow:
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
    # Every release it follows must be below it, but a pre-release of a higher series
    # (1.0.0b0) leaves room for maintenance releases of the current one (0.28.2).
    series = Version(version.base_version)
    above = [
        other
        for other in tagged
        if other > version and (not other.is_prerelease or Version(other.base_version) <= series)
    ]
    top = max(above, default=None)
    if top is not None:
        return f"{version} is not greater than {top} ({tagged[top]})"
    return None


def moves_forward(target: Target) -> Finding:
    if target.release is None:
        return skipped(MOVES_FORWARD, NOT_A_RELEASE)
    version = target.release.version
    existing = target.repo.release_tags(target.config.cz.tag_formats)
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
    higher = max(
        (v for name, v in existing.items() if name != target.tag and v > version), default=None
    )
    if higher is not None:
        return passed(
            MOVES_FORWARD,
            f"{version} is greater than every release of its series ({higher} is a "
            "pre-release of a higher one: a maintenance release)",
        )
    return passed(MOVES_FORWARD, f"{version} is greater than the {count} other release tag(s)")
