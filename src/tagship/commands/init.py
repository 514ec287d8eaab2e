"""`tagship init`: adopt tagship's release process into an existing project.

Every file is computed first (adopt.plan), then conflicts stop init before anything is
written, `--dry-run` prints the diff, and the writes are all-or-nothing. Then the project's
own environment is synced and its own hook runner installs the hooks, so that hooks and
commitizen run the locked tools, never the temporary environment `uvx` ran init from.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tomlkit import TOMLDocument

from tagship import git, output, proc
from tagship.adopt import branch, environment, hookrunner, nextsteps, otherci, tomldoc
from tagship.adopt import plan as planning
from tagship.config import load_cz
from tagship.errors import ConfigError, FatalError
from tagship.versions import TagFormat, release_tags

ADOPT_MESSAGE = nextsteps.ADOPT_MESSAGE


def _conflicts(plan: planning.Plan, *, force: bool) -> None:
    if not plan.conflicts or force:
        return
    lines = [f"  {c.what}\n    choices: {c.choices}" for c in plan.conflicts]
    if sys.stdin.isatty() and sys.stderr.isatty():
        output.info("tagship init found settings that conflict with its own:\n" + "\n".join(lines))
        output.info("take tagship's side (like --force)? [y/N] ")
        if sys.stdin.readline().strip().lower() in ("y", "yes"):
            return
    raise FatalError(
        "conflicting settings, nothing written:\n" + "\n".join(lines) + "\n"
        "  run `tagship init --force` to take tagship's side of every conflict"
    )


def _static_tag(plan: planning.Plan) -> str | None:
    if plan.static_version is None:
        return None
    return TagFormat(plan.tag_format).render(plan.static_version)


def _tag_current(plan: planning.Plan, written: tuple[str, ...]) -> None:
    """Commit init's files and let commitizen tag the old version, with its changelog."""
    version, tag = plan.static_version, _static_tag(plan)
    if version is None or tag is None:
        output.warn(
            "--tag-current: no version is written in a file any more (init already ran); "
            "tag the next release with `uv run cz bump --prerelease rc`"
        )
        return
    if tag in git.tags(plan.root):
        return
    if git.head(plan.root) is None:
        raise FatalError("--tag-current needs a first commit; commit your project and run again")
    git.commit_paths(plan.root, ADOPT_MESSAGE, [plan.root / name for name in written])
    command = ["uv", "run", "--frozen", "cz", "bump", "--yes", version]
    try:
        proc.run(command, cwd=plan.root, timeout=900)
    except proc.ProcessError as exc:
        raise FatalError(
            f"committed init's files, but `{' '.join(command)}` failed ({exc}); "
            "fix that and run it again"
        ) from None
    output.success(f"committed init's files; commitizen tagged {tag} with its changelog section")


def _install(root: Path, runner: str) -> None:
    """Sync the environment, install the hooks from it, probe the console scripts."""
    environment.sync(root)
    environment.require_tagship(root)
    hookrunner.install(root, runner)
    pyproject = root / "pyproject.toml"
    probes = environment.smoke_probes(root, _pyproject(root))
    if probes:
        environment.write_smoke(pyproject, probes)


def _uncommitted(plan: planning.Plan) -> tuple[str, ...]:
    """init's files (this run's or an earlier one's) and uv.lock, where not committed yet."""
    names = [change.path.relative_to(plan.root).as_posix() for change in plan.changes]
    names.append(load_cz(plan.root).changelog_file)
    dirty = git.status_porcelain(plan.root)
    directories = [entry for entry in dirty if entry.endswith("/")]  # untracked, unlisted

    def pending(name: str) -> bool:
        return name in dirty or any(name.startswith(directory) for directory in directories)

    return tuple(name for name in dict.fromkeys([*names, "uv.lock"]) if pending(name))


def _dry_run(plan: planning.Plan, publishers: list[otherci.Publisher], *, force: bool) -> int:
    output.emit_text(planning.diff(plan))
    for conflict in plan.conflicts:
        output.warn(f"conflict: {conflict.what} ({conflict.choices})")
    for found in publishers:
        output.warn(otherci.describe(found))
    output.info(f"dry run: {len(plan.pending)} file(s) would change; nothing written")
    return 1 if (plan.conflicts and not force) or publishers else 0


def _say_next(
    plan: planning.Plan, written: tuple[str, ...], runner: str, *, installed: bool
) -> None:
    root, tag = plan.root, _static_tag(plan)
    tags = git.tags(root)
    situation = nextsteps.Situation(
        written=written,
        installed=installed,
        static_version=plan.static_version,
        static_tag=tag,
        static_tagged=tag is not None and tag in tags,
        has_release_tags=bool(release_tags(tags, (TagFormat(plan.tag_format),))),
        runner=runner,
        branch=_release_branch(root),
        has_origin=git.remote_url(root) is not None,
    )
    output.info("next:\n" + "\n".join(f"  {line}" for line in nextsteps.commands(situation)))


def init(
    *,
    dry_run: bool,
    force: bool,
    no_install: bool,
    tag_current: bool,
    hook_runner: str | None = None,
) -> int:
    root = git.toplevel(Path.cwd())
    if tag_current and no_install:
        raise ConfigError("--tag-current runs the project's commitizen: drop --no-install")
    plan = planning.build(root, hook_runner=hook_runner)
    publishers = otherci.publishing_workflows(root)
    if dry_run:
        return _dry_run(plan, publishers, force=force)
    if publishers:
        raise FatalError(otherci.describe(publishers[0]) + "; nothing written")
    _conflicts(plan, force=force)
    planning.write(plan)
    for change in plan.pending:
        output.info(f"wrote {change.path.relative_to(root)}")
    if not plan.pending:
        output.info("already adopted: nothing to change")
    runner = hookrunner.choose(root, _pyproject(root), hook_runner)
    if not no_install:
        _install(root, runner)
    if tag_current:
        _tag_current(plan, _uncommitted(plan))
    else:
        _say_next(plan, _uncommitted(plan), runner, installed=not no_install)
    return 0


def _release_branch(root: Path) -> str:
    table = _pyproject(root).get("tool", {}).get("tagship", {})
    return str(table.get(branch.KEY, branch.DEFAULT))


def _pyproject(root: Path) -> TOMLDocument:
    """pyproject.toml as init left it (a BOM or CRLF as the user wrote them)."""
    doc, _ = tomldoc.parse((root / "pyproject.toml").read_bytes().decode("utf-8"))
    return doc
