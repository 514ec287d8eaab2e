"""Doctor rules on the project's files: commitizen, the version source, the hooks."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tagship import git, hookscript
from tagship.adopt.cz import PRE_BUMP_HOOKS, spelled
from tagship.adopt.pyproject import STATIC_VERSION
from tagship.checks.scm import matched_version, scm_settings
from tagship.config import Config, read_toml
from tagship.rules import Finding, Rule, failed, passed
from tagship.versions import TagFormat

TAG_FORMAT = Rule("TS401", "tag-format", "error")
EXISTING_TAGS = Rule("TS402", "existing-tags", "error")
SCHEME = Rule("TS403", "version-scheme", "error")
CHANGELOG = Rule("TS404", "changelog-settings", "error")
PROVIDER = Rule("TS405", "scm-provider", "error")
STATIC = Rule("TS406", "no-static-version", "error")
PRE_BUMP = Rule("TS407", "pre-bump-hooks", "warning")
LOCKFILE = Rule("TS408", "lockfile", "warning")
HOOKS = Rule("TS410", "hooks-installed", "error")

_FIX_INIT = "run `tagship init` (or `tagship init --force`)"


def _scm_options(pyproject: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The setuptools-scm options of hatch-vcs or of setuptools-scm itself."""
    tool = pyproject.get("tool", {})
    hatch_version = tool.get("hatch", {}).get("version", {})
    if hatch_version.get("source") == "vcs":
        options: Mapping[str, Any] = hatch_version.get("raw-options", {})
        return options
    if "setuptools_scm" in tool:
        scm: Mapping[str, Any] = tool["setuptools_scm"]
        return scm
    settings = scm_settings(pyproject)  # pdm-backend's scm source, poetry-dynamic-versioning
    if settings is not None:
        return {"tag_regex": settings.tag_regex, "git_describe_command": list(settings.describe)}
    return None


def tag_format_agrees(config: Config, pyproject: Mapping[str, Any]) -> Finding:
    options = _scm_options(pyproject)
    if options is None:
        return failed(TAG_FORMAT, "the version does not come from git tags", _FIX_INIT)
    tag = TagFormat(config.cz.tag_format).render("1.2.3rc1")
    regex = options.get("tag_regex", r"^(?:[\w-]+-)?[vV]?(?P<version>\d[^+]*)$")
    found = re.search(regex, tag)
    if found is None or matched_version(found) != "1.2.3rc1":
        return failed(
            TAG_FORMAT,
            f"tag_regex {regex!r} does not read {tag!r} (tag_format {config.cz.tag_format!r})",
            _FIX_INIT,
        )
    describe = options.get("git_describe_command", [])
    if "--match" in describe and not fnmatch.fnmatchcase(
        tag, describe[describe.index("--match") + 1]
    ):
        return failed(TAG_FORMAT, f"git_describe_command never matches {tag!r}", _FIX_INIT)
    return passed(TAG_FORMAT, f"commitizen and the build agree on {config.cz.tag_format!r}")


def existing_tags(config: Config) -> Finding:
    tags = git.tags(config.root)
    templates = (config.cz.tag_format, *config.cz.legacy_tag_formats)
    ours = {tag for template in templates for tag in spelled(tags, template)}
    others = {tag for template in ("v$version", "$version") for tag in spelled(tags, template)}
    strays = sorted(others - ours)
    if strays and not ours:
        return failed(
            EXISTING_TAGS,
            f"tags {', '.join(strays[:3])} do not match tag_format {config.cz.tag_format!r}",
            "set tag_format to their spelling, or list it in legacy_tag_formats",
        )
    return passed(EXISTING_TAGS, f"{len(ours)} release tag(s) match the tag format")


def version_scheme(config: Config) -> Finding:
    if config.cz.version_scheme == "pep440":
        return passed(SCHEME, "version_scheme = pep440")
    return failed(SCHEME, f"version_scheme = {config.cz.version_scheme!r}", _FIX_INIT)


def changelog_settings(config: Config) -> Finding:
    missing = [
        key
        for key, value in (
            ("update_changelog_on_bump", config.cz.update_changelog_on_bump),
            ("changelog_merge_prerelease", config.cz.changelog_merge_prerelease),
        )
        if not value
    ]
    if missing:
        return failed(
            CHANGELOG,
            f"{' and '.join(missing)} off: cz bump fails under the scm provider or "
            "cannot graduate an rc",
            f"set {' = true, '.join(missing)} = true in commitizen's config",
        )
    return passed(CHANGELOG, "update_changelog_on_bump and changelog_merge_prerelease on")


def scm_provider(config: Config) -> Finding:
    if config.cz.version_provider == "scm":
        return passed(PROVIDER, "version_provider = scm")
    return failed(
        PROVIDER,
        f"version_provider = {config.cz.version_provider!r}: cz bump writes a version into files",
        'set version_provider = "scm"',
    )


def _version_files(root: Path) -> list[Path]:
    return sorted(
        path
        for pattern in (
            "src/*/__init__.py",
            "src/*/__about__.py",
            "*/__init__.py",
            "*/__about__.py",
        )
        for path in root.glob(pattern)
        if ".venv" not in path.parts
    )


def no_static_version(config: Config, pyproject: Mapping[str, Any]) -> Finding:
    project = pyproject.get("project", {})
    if "version" in project:
        return failed(STATIC, f"pyproject.toml has version = {project['version']!r}", _FIX_INIT)
    for path in _version_files(config.root):
        if STATIC_VERSION.search(path.read_text(encoding="utf-8", errors="replace")):
            name = path.relative_to(config.root)
            return failed(
                STATIC,
                f"{name} writes __version__ by hand",
                f'use __version__ = importlib.metadata.version("{config.project_name}") in {name}',
            )
    return passed(STATIC, "no version written in a file")


def pre_bump_hooks(config: Config) -> Finding:
    missing = [hook for hook in PRE_BUMP_HOOKS if hook not in config.cz.pre_bump_hooks]
    if missing:
        return failed(PRE_BUMP, f"pre_bump_hooks lacks {', '.join(missing)}", _FIX_INIT)
    return passed(PRE_BUMP, "cz bump runs the gates and the release checks first")


def lockfile(config: Config) -> Finding:
    if (config.root / "uv.lock").is_file():
        return passed(LOCKFILE, "uv.lock present")
    return failed(
        LOCKFILE,
        "no uv.lock: the release workflow installs the environment with `uv sync --locked`",
        "run `uv lock` and commit uv.lock",
    )


def _hook(directory: Path, name: str) -> hookscript.HookState:
    path, legacy = directory / name, directory / f"{name}.legacy"
    script = _read(path) if os.access(path, os.X_OK) else None
    return hookscript.state(script, _read(legacy) if legacy.exists() else None)


def hooks_installed(config: Config) -> Finding:
    directory = git.hooks_dir(config.root)
    hooks = {name: _hook(directory, name) for name in ("commit-msg", "pre-push")}
    problems = [found for name, hook in hooks.items() if (found := hookscript.problem(name, hook))]
    missing = [name for name, hook in hooks.items() if hook.runner is None]
    if missing:
        return failed(
            HOOKS,
            f"{', '.join(missing)} hook not installed",
            "run `pre-commit install` (or `prek install`)",
        )
    if problems:
        first = problems[0]
        return failed(HOOKS, first.partition(";")[0], first.partition("; ")[2])
    runners = sorted({str(hook.runner) for hook in hooks.values()})
    notes = [n for name, hook in hooks.items() if (n := hookscript.note(name, hook))]
    detail = f"commit-msg and pre-push hooks installed ({', '.join(runners)})"
    return passed(HOOKS, "; ".join([detail, *notes]))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _no_cz(rule: Rule) -> Callable[[], Finding]:
    return lambda: failed(rule, "no commitizen config", _FIX_INIT)


def checks(config: Config) -> list[tuple[Rule, Callable[[], Finding]]]:
    path = config.root / "pyproject.toml"
    pyproject = read_toml(path) if path.is_file() else {}
    cz_missing = config.cz.path is None
    cz_rules: list[tuple[Rule, Callable[[], Finding]]] = [
        (TAG_FORMAT, lambda: tag_format_agrees(config, pyproject)),
        (EXISTING_TAGS, lambda: existing_tags(config)),
        (SCHEME, lambda: version_scheme(config)),
        (CHANGELOG, lambda: changelog_settings(config)),
        (PROVIDER, lambda: scm_provider(config)),
    ]
    if cz_missing:
        cz_rules = [(rule, _no_cz(rule)) for rule, _ in cz_rules]
    return [
        *cz_rules,
        (STATIC, lambda: no_static_version(config, pyproject)),
        (PRE_BUMP, lambda: pre_bump_hooks(config) if not cz_missing else _no_cz(PRE_BUMP)()),
        (LOCKFILE, lambda: lockfile(config)),
        (HOOKS, lambda: hooks_installed(config)),
    ]
