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
from tagship.checks import buildversion, burned, changelog, pushed, repo
from tagship.checks.target import Target
from tagship.config import Config
from tagship.errors import ConfigError
from tagship.release import classify, tag_from_environment
from tagship.versions import TagError, release_tags, strip_ref

RuleCheck = Callable[[Target], rules.Finding]


def _target(root: Path, cfg: Config, tag: str, *, pushing: bool = False) -> Target:
    try:
        classified = classify(tag, cfg)
    except TagError:
        classified = None  # the tag-format rule reports why
    commit = git.rev_parse(root, f"refs/tags/{tag}")
    return Target(root, cfg, tag, classified, commit, pushing=pushing)


def _existing(root: Path, cfg: Config, tag: str, *, pushing: bool = False) -> Target:
    target = _target(root, cfg, tag, pushing=pushing)
    if target.commit is None:
        raise TagError(f"tag {tag!r} does not exist here; create it (cz bump) or git fetch --tags")
    return target


def _pre_bump_target(root: Path, cfg: Config) -> Target:
    tag = os.environ.get("CZ_PRE_NEW_TAG_VERSION")
    if not tag:
        raise ConfigError(
            "--pre-bump reads CZ_PRE_NEW_TAG_VERSION, which cz bump sets for its "
            'pre_bump_hooks; add pre_bump_hooks = ["tagship check --pre-bump"] to .cz.toml'
        )
    written = bumping.written_changelog(root)
    allowed = {cfg.cz.changelog_file, *([written] if written else [])}
    target = _target(root, cfg, tag)
    return replace(
        target, commit=git.head(root), pre_bump=True, allowed_changes=tuple(sorted(allowed))
    )


def _hook_targets(root: Path, cfg: Config, push: pushed.Pushed) -> list[Target]:
    if push.tag is not None:
        names = [push.tag]
    elif push.rev is not None:
        names = git.tags_at(root, push.rev)
    else:
        names = []
    formats = cfg.cz.tag_formats
    # a pushed tag that no tag_format could mean (`experiment-1`) is not a release tag; one
    # that a format matches but is no PEP 440 version (`v1.x`) is, and fails TS101
    names = [n for n in names if any(f.version_text(n) is not None for f in formats)]
    return [_existing(root, cfg, name, pushing=True) for name in names]


def _head_tag(root: Path, cfg: Config) -> str:
    at_head = release_tags(git.tags_at(root, "HEAD"), cfg.cz.tag_formats)
    if not at_head:
        raise TagError(
            "no tag given, none in GITHUB_REF_NAME/GITHUB_REF, and no release tag at HEAD; "
            f"pass a tag such as {cfg.cz.tag_formats[0].example()}"
        )
    return max(at_head, key=lambda name: at_head[name])


def _targets(root: Path, cfg: Config, *, tag: str | None, pre_bump: bool) -> list[Target]:
    if pre_bump:
        return [_pre_bump_target(root, cfg)]
    if tag is not None:
        return [_existing(root, cfg, strip_ref(tag))]
    push = pushed.from_hook(os.environ)
    if push is not None:
        return _hook_targets(root, cfg, push)
    name = tag_from_environment() or _head_tag(root, cfg)
    return [_existing(root, cfg, strip_ref(name))]


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
        (burned.NOT_BURNED, burned_check),
        (changelog.CHANGELOG, changelog.changelog),
    ]


def _allow_dist(target: Target, root: Path, folder: Path | None) -> Target:
    """A dist folder inside the checkout is no change to the tree (it is often not ignored)."""
    if folder is None or not folder.is_relative_to(root):
        return target
    inside = folder.relative_to(root).as_posix()
    return replace(target, allowed_changes=(*target.allowed_changes, inside))


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
    root = git.toplevel(Path.cwd()).resolve()
    cfg = config.load(root)
    index_url = cfg.tagship.index_url(index) if index is not None else None
    folder = None if dist is None else (Path.cwd() / dist).resolve()
    targets = _targets(root, cfg, tag=tag, pre_bump=pre_bump)
    if not targets:
        output.info("check: no release tag in this push, nothing to check")
        return rules.report([], as_json=as_json)
    is_offline = release.offline(offline)
    findings = [
        rules.evaluate(rule, partial(rule_check, target))
        for target in (_allow_dist(t, root, folder) for t in targets)
        for rule, rule_check in _checks(
            target,
            dist=folder,
            index_url=index_url,
            is_offline=is_offline,
            timeout=timeout or burned.DEFAULT_TIMEOUT,
        )
    ]
    code = rules.report(findings, as_json=as_json)
    hint = bumping.undo_hint(root) if code and pre_bump else None
    if hint:
        output.info(hint)
    return code
