"""`tagship check`: release consistency rules before the bump, before the push, and in CI.

What is checked depends on where check runs: a tag given or set by GitHub Actions (CI),
the tags a pre-push hook pushes, the tag `cz bump` is about to make (`--pre-bump`), or
the release tag at HEAD.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from tagship import bumping, config, git, output, release, rules
from tagship.checks import (
    buildversion,
    burned,
    changelog,
    facts,
    leftover,
    lineage,
    prebump,
    pushed,
    repo,
)
from tagship.checks.facts import RepoFacts
from tagship.checks.target import Target
from tagship.config import Config
from tagship.errors import ConfigError
from tagship.release import classify, tag_from_environment
from tagship.versions import TagError, release_tags, strip_ref

RuleCheck = Callable[[Target], rules.Finding]
_FULL_SHA = frozenset("0123456789abcdef")


def _target(
    repo: RepoFacts, cfg: Config, tag: str, *, pushing: bool = False, remote: str | None = None
) -> Target:
    try:
        classified = classify(tag, cfg)
    except TagError:
        classified = None  # the tag-format rule reports why
    commit = repo.tags.get(tag)
    return Target(
        repo.root, cfg, tag, classified, commit, pushing=pushing, remote=remote, facts=repo
    )


def _existing(
    repo: RepoFacts, cfg: Config, tag: str, *, pushing: bool = False, remote: str | None = None
) -> Target:
    target = _target(repo, cfg, tag, pushing=pushing, remote=remote)
    if target.commit is None:
        raise TagError(f"tag {tag!r} does not exist here; create it (cz bump) or git fetch --tags")
    return target


def _pre_bump_target(repo: RepoFacts, cfg: Config) -> Target:
    tag = os.environ.get("CZ_PRE_NEW_TAG_VERSION")
    if not tag:
        raise ConfigError(
            "--pre-bump reads CZ_PRE_NEW_TAG_VERSION, which cz bump sets for its "
            'pre_bump_hooks; add pre_bump_hooks = ["tagship check --pre-bump"] to .cz.toml'
        )
    written = bumping.written_changelog(repo.root)
    allowed = {*bumping.commitizen_files(cfg), *([written] if written else [])}
    target = _target(repo, cfg, tag)
    return replace(target, commit=repo.head, pre_bump=True, allowed_changes=tuple(sorted(allowed)))


def release_names(names: list[str], cfg: Config) -> list[str]:
    """The names a tag_format could mean (`experiment-1` is no release tag; `v1.x` is one
    that fails TS101)."""
    formats = cfg.cz.tag_formats
    return [n for n in names if any(f.version_text(n) is not None for f in formats)]


def _tags_at(repo: RepoFacts, rev: str) -> list[str]:
    if len(rev) >= 40 and set(rev) <= _FULL_SHA:
        return repo.tags_at(rev)
    return git.tags_at(repo.root, rev)


def _hook_targets(repo: RepoFacts, cfg: Config, push: pushed.Pushed) -> list[Target]:
    if push.tag is not None:
        names = [push.tag]
    elif push.rev is not None:
        names = _tags_at(repo, push.rev)
    else:
        names = []
    remote = os.environ.get("PRE_COMMIT_REMOTE_NAME") or None
    return [
        _existing(repo, cfg, name, pushing=True, remote=remote)
        for name in release_names(names, cfg)
    ]


def check_pushed(root: Path, names: list[str], remote: str | None = None) -> int | None:
    """The release-tag checks of `tagship pre-push` for pushed tags `names` (to `remote`):
    the exit code, or None when none of them is a release tag (nothing checked or printed)."""
    known = facts.read(root)
    cfg = config.load(known.root)
    targets = [
        _existing(known, cfg, name, pushing=True, remote=remote)
        for name in release_names(list(dict.fromkeys(names)), cfg)
    ]
    if not targets:
        return None
    checks = partial(
        _checks,
        dist=None,
        index_url=None,
        is_offline=release.offline(False),
        timeout=burned.DEFAULT_TIMEOUT,
    )
    return rules.report([f for t in targets for f in _findings(t, checks(t))], as_json=False)


def _head_tag(repo: RepoFacts, cfg: Config) -> str:
    at_head = release_tags(repo.tags_at(repo.head) if repo.head else [], cfg.cz.tag_formats)
    leftover_section = (
        None if at_head else leftover.problem(cfg, repo.release_tags(cfg.cz.tag_formats))
    )
    if leftover_section is not None:
        raise TagError("; ".join(leftover_section))
    if not at_head:
        raise TagError(
            "no tag given, none in GITHUB_REF_NAME/GITHUB_REF, and no release tag at HEAD; "
            f"pass a tag such as {cfg.cz.tag_formats[0].example()}"
        )
    return max(at_head, key=lambda name: at_head[name])


def _targets(repo: RepoFacts, cfg: Config, *, tag: str | None, pre_bump: bool) -> list[Target]:
    if pre_bump:
        return [_pre_bump_target(repo, cfg)]
    if tag is not None:
        return [_existing(repo, cfg, strip_ref(tag))]
    push = pushed.from_hook(os.environ)
    if push is not None:
        return _hook_targets(repo, cfg, push)
    name = tag_from_environment() or _head_tag(repo, cfg)
    return [_existing(repo, cfg, strip_ref(name))]


def _dist_checks(folder: Path) -> list[tuple[rules.Rule, RuleCheck]]:
    from tagship.checks import dists  # noqa: PLC0415 (metadata parsing: only --dist pays)

    return [(dists.DISTS, partial(dists.dists_match, folder=folder))]


def _checks(
    target: Target, *, dist: Path | None, index_url: str | None, is_offline: bool, timeout: float
) -> list[tuple[rules.Rule, RuleCheck]]:
    burned_check = partial(burned.not_burned, url=index_url, offline=is_offline, timeout=timeout)
    if target.pre_bump:
        wrote_changelog = bool(os.environ.get(bumping.CHANGELOG_VARIABLE))
        return [
            (repo.TAG_FORMAT, repo.tag_format),
            (repo.RELEASE_BRANCH, repo.release_branch),
            (repo.CLEAN_TREE, repo.clean_tree),
            (repo.FULL_HISTORY, repo.full_history),
            (repo.MOVES_FORWARD, repo.moves_forward),
            (lineage.BUMP_VERSION, lineage.bump_version),
            (lineage.NOT_STALE, lineage.not_stale),
            (lineage.FINAL_MATCHES_RC, lineage.final_matches_rc),
            (burned.NOT_BURNED, burned_check),
            *([(changelog.CHANGELOG, changelog.changelog)] if wrote_changelog else []),
        ]
    return [
        (repo.TAG_FORMAT, repo.tag_format),
        *(_dist_checks(dist) if dist else []),
        (buildversion.BUILD_VERSION, buildversion.build_version),
        (repo.RELEASE_BRANCH, repo.release_branch),
        (repo.CLEAN_TREE, repo.clean_tree),
        (repo.FULL_HISTORY, repo.full_history),
        (repo.MOVES_FORWARD, repo.moves_forward),
        (lineage.NOT_STALE, lineage.not_stale),
        (lineage.FINAL_MATCHES_RC, lineage.final_matches_rc),
        (burned.NOT_BURNED, burned_check),
        (changelog.CHANGELOG, changelog.changelog),
        (leftover.CHANGELOG_TAGGED, leftover.changelog_tagged),
    ]


def _allow_dist(target: Target, root: Path, folder: Path | None) -> Target:
    """A dist folder inside the checkout is no change to the tree (it is often not ignored)."""
    if folder is None or not folder.is_relative_to(root):
        return target
    inside = folder.relative_to(root).as_posix()
    return replace(target, allowed_changes=(*target.allowed_changes, inside))


def _findings(target: Target, checks: list[tuple[rules.Rule, RuleCheck]]) -> list[rules.Finding]:
    return [rules.evaluate(rule, partial(rule_check, target)) for rule, rule_check in checks]


def _pre_bump(target: Target, checks: list[tuple[rules.Rule, RuleCheck]], *, as_json: bool) -> int:
    """The fast rules, then (when they pass) the gates, then one build and its dist rules."""
    done = _findings(target, checks)
    if not as_json:
        rules.report(done, as_json=False)
    later: list[rules.Finding] = []
    if any(finding.blocks for finding in done):
        output.info("check: the gates and the build did not run; fix the failures above first")
    else:
        later = [prebump.run_gates(target.root)]
        if not later[0].blocks:
            later += prebump.build_and_check(
                target, lambda folder: _findings(target, _dist_checks(folder))
            )
    code = rules.report([*done, *later] if as_json else later, as_json=as_json)
    code = max(code, int(any(finding.blocks for finding in done)))
    if code:
        _undo(target)
    else:
        _keep_unreleased(target)
    return code


def _keep_unreleased(target: Target) -> None:
    """A passed bump: put back the hand-written `[Unreleased]` entries commitizen dropped
    from the changelog it wrote (it commits the file after its hooks)."""
    from tagship.unreleased import carry_unreleased  # noqa: PLC0415 (only a bump pays)

    name = bumping.written_changelog(target.root)
    if name and carry_unreleased(target.root, name):
        output.info(
            f"check: kept the hand-written [Unreleased] entries of {name} in the new section"
        )


def _undo(target: Target) -> None:
    """After a stopped bump: remove the changelog section cz wrote when certain, else say how."""
    name = bumping.written_changelog(target.root)
    version = target.release.version if target.release else None
    if name and version and leftover.undo_section(target.config, name, version):
        others = bumping.rewritten(target.root, name)
        also = f"; restore what else it rewrote: `{bumping.restore_command(others)}`"
        output.info(
            f"check: cz bump made no commit and no tag; tagship removed the {version} section "
            f"it had written to {name}{also if others else ''}: fix the failure above, "
            "then bump again"
        )
        return
    hint = bumping.undo_hint(target.root)
    if hint:
        output.info(hint)


def check(
    *,
    tag: str | None,
    dist: str | None,
    index: str | None,
    offline: bool,
    pre_bump: bool,
    as_json: bool,
    timeout: float | None = None,
) -> int:
    if timeout is not None and timeout <= 0:
        raise ConfigError(f"--timeout must be positive, not {timeout:g}")
    known = facts.read(Path.cwd())
    root = known.root
    cfg = config.load(root)
    index_url = cfg.tagship.index_url(index) if index is not None else None
    folder = None if dist is None else (Path.cwd() / dist).resolve()
    targets = _targets(known, cfg, tag=tag, pre_bump=pre_bump)
    if not targets:
        output.info("check: no release tag in this push, nothing to check")
        return rules.report([], as_json=as_json)
    checks = partial(
        _checks,
        dist=folder,
        index_url=index_url,
        is_offline=release.offline(offline),
        timeout=timeout or burned.DEFAULT_TIMEOUT,
    )
    if pre_bump:
        return _pre_bump(targets[0], checks(targets[0]), as_json=as_json)
    findings = [
        finding
        for target in (_allow_dist(t, root, folder) for t in targets)
        for finding in _findings(target, checks(target))
    ]
    return rules.report(findings, as_json=as_json)
