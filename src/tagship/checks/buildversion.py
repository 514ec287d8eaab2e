"""TS103: the version a build of the tagged commit would get is exactly the tag's version."""

from __future__ import annotations

import datetime
import fnmatch
import os

from tagship import git
from tagship.checks import scm
from tagship.checks.target import Target
from tagship.config import read_toml
from tagship.rules import Finding, Rule, failed, passed, skipped

BUILD_VERSION = Rule("TS103", "build-version", "error")

_PRETEND = "SETUPTOOLS_SCM_PRETEND_VERSION"
# describe options that change nothing when the commit carries the one tag it may pick.
_HARMLESS = frozenset({"--dirty", "--long", "--always", "--first-parent"})


def _pretend_version(project: str | None) -> str | None:
    """setuptools-scm's override variables, which beat anything git says."""
    if project:
        suffix = project.upper().replace("-", "_").replace(".", "_")
        named = os.environ.get(f"{_PRETEND}_FOR_{suffix}")
        if named:
            return named
    return os.environ.get(_PRETEND) or None


def _patterns(args: list[str]) -> tuple[list[str], list[str], bool] | None:
    """describe's --match and --exclude patterns and --tags; None for an option not known."""
    found: dict[str, list[str]] = {"--match": [], "--exclude": []}
    tags = False
    rest = iter(args)
    for arg in rest:
        option, equals, value = arg.partition("=")
        if option in found:
            value = value if equals else next(rest, "")
            found[option].append(value)
        elif arg == "--tags":
            tags = True
        elif arg not in _HARMLESS and option != "--abbrev":
            return None
    return found["--match"], found["--exclude"], tags


def exact_describe(
    target: Target, args: list[str], commit: str, *, at_head: bool
) -> scm.Described | None:
    """What `git describe ARGS` answers when exactly one tag it may pick is at `commit`
    (the usual case: the release tag itself), without asking git; None: ask git."""
    patterns = _patterns(args)
    if patterns is None:
        return None
    match, exclude, tags = patterns
    repo = target.repo
    names = [
        name
        for name in repo.tags_at(commit)
        if (tags or name in repo.annotated)
        and (not match or any(fnmatch.fnmatchcase(name, p) for p in match))
        and not any(fnmatch.fnmatchcase(name, p) for p in exclude)
    ]
    # a dirty tree gets a local version with git's own abbreviation of the commit: ask git
    if len(names) != 1 or (at_head and "--dirty" in args and repo.tracked_changes()):
        return None
    return scm.Described(names[0], 0, None, dirty=False)


def _describe(target: Target, settings: scm.ScmSettings, commit: str) -> scm.Described | None:
    args = list(settings.describe[2:])
    # A build of the tag happens in a checkout of it, clean by definition, except when it
    # happens right here (CI, a local build); a pushed tag is built by CI, not from here.
    at_head = not target.pushing and target.repo.head == commit
    if not at_head:
        args = [arg for arg in args if arg != "--dirty"]
    exact = exact_describe(target, args, commit, at_head=at_head)
    if exact is not None:
        return exact
    text = git.describe(target.root, args, None if at_head else commit)
    return scm.parse_describe(text) if text else None


def predicted_version(target: Target, settings: scm.ScmSettings, commit: str) -> str:
    pretend = _pretend_version(target.config.project_name)
    if pretend:
        return pretend
    described = _describe(target, settings, commit)
    commits = git.count_commits(target.root, commit) if described is None else 0
    today = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d")
    return scm.predict(described, settings, commits=commits, node="g" + commit[:9], today=today)


def build_version(target: Target) -> Finding:
    if target.release is None or target.commit is None:
        return skipped(BUILD_VERSION, f"no tagged commit for {target.tag}")
    pyproject = target.root / "pyproject.toml"
    settings = scm.scm_settings(read_toml(pyproject)) if pyproject.is_file() else None
    if settings is None:
        return skipped(BUILD_VERSION, "the version does not come from git (no hatch-vcs)")
    if settings.describe[:2] != ("git", "describe"):
        return skipped(BUILD_VERSION, f"custom describe command in {settings.source}")
    version = predicted_version(target, settings, target.commit)
    if version == str(target.release.version):
        return passed(BUILD_VERSION, f"a build of {target.tag} gets version {version}")
    return failed(
        BUILD_VERSION,
        f"a build of {target.tag} would get version {version}, not {target.release.version}",
        _fix(target, settings),
    )


def _fix(target: Target, settings: scm.ScmSettings) -> str:
    if target.repo.changed() and target.repo.head == target.commit:
        return "commit or stash your changes: a dirty tree adds a local version"
    return (
        f"make {target.tag} the only tag git describe picks at its commit "
        f"({' '.join(settings.describe)}; an annotated tag wins over a lightweight one)"
    )
