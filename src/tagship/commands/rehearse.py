"""`tagship rehearse`: the release workflow, locally, against an embedded index.

A throwaway clone of HEAD (tagged there if needed) goes through the workflow's steps in
order, in the environment CI builds (`uv sync --locked`): route, gates (on each supported
Python installed here), build, check, upload, verify, notes. Each step is reported as it
starts and ends. The index is a pypiserver on loopback, stopped at the end (also on
failure, Ctrl-C or SIGTERM: every step's process group is stopped first) unless `--keep`.
The user's repository is only read.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from tagship import config, git, output, proc, report
from tagship.config import Config
from tagship.errors import ConfigError, FatalError
from tagship.index import LocalIndex
from tagship.rehearse import kept
from tagship.rehearse.rehearsal import Sandbox, choose_tag, ci_differences, head_release_tags
from tagship.rehearse.run import Rehearsal
from tagship.release import Release, classify


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """`kill` cleans up like Ctrl-C does: the running step's process group is stopped
    (a gate run stops its own commands first), the index stops and the clone goes."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _prepare(root: Path, cfg: Config, tag: str | None) -> tuple[Release, str, bool]:
    head = git.head(root)
    if head is None:
        raise FatalError("the repository has no commit yet; commit, then rehearse")
    example = cfg.cz.tag_formats[0].render("1.2.3rc1")
    chosen, tag_it = choose_tag(
        tag, head, git.tag_commits(root), head_release_tags(root, cfg, head), example
    )
    if git.status_porcelain(root):
        output.warn("uncommitted changes are not rehearsed: the rehearsal clones HEAD")
    return classify(chosen, cfg), head, tag_it


def _stop(root: Path, tag: str | None, keep: bool) -> int:
    """Exit 0 either way: after `--stop`, no kept index runs, which is what was asked."""
    if tag is not None or keep:
        raise ConfigError("--stop takes no tag and no --keep")
    state, stopped = kept.stop(root)
    if stopped and state is not None:
        output.info(f"stopped the kept index on port {state.port}")
    elif state is not None:
        output.info(f"no kept index was running (forgot the one last seen on port {state.port})")
    else:
        output.info("no kept index was running")
    return 0


def rehearse(
    *, tag: str | None, keep: bool, as_json: bool, stop: bool = False, whole: bool = False
) -> int:
    root = git.toplevel(Path.cwd())
    if stop:
        return _stop(root, tag, keep)
    if whole and keep:
        raise ConfigError("--release takes no --keep: its two indexes live in the clone only")
    cfg = config.load(root)
    release, head, tag_it = _prepare(root, cfg, tag)
    if whole and not release.prerelease:
        raise ConfigError(
            f"--release rehearses an rc, its graduation and the final, but {release.tag} is a "
            f"{release.kind}: cut an rc first (uv run cz bump --prerelease rc), or pass one"
        )
    title = f"rehearsal of {release.tag} ({release.kind} {release.version} -> {release.channel})"
    if whole:
        title = f"rehearsal of the release from {release.tag}: rc, graduation, final"
    with _sigterm_as_interrupt(), report.reporter(title, quiet=as_json) as sink:
        rehearsal = Rehearsal(root, cfg, release, head, tag_it, keep, Sandbox.create(), sink)
        rehearsal.whole = whole
        try:
            done = rehearsal.run()
        finally:
            with proc.signals_deferred():  # a second Ctrl-C must not leave the clone behind
                rehearsal.finish()
    return _report(rehearsal, done, as_json=as_json)


def _install_command(rehearsal: Rehearsal, index: LocalIndex) -> str:
    from packaging.utils import canonicalize_name  # noqa: PLC0415 (slow import, needed once)

    project = canonicalize_name(rehearsal.cfg.project_name or "PROJECT")
    main = rehearsal.cfg.tagship.indexes["pypi"].url
    return (
        f"uv pip install --index-url {main} --find-links {index.url}{project}/ "
        f"'{project}=={rehearsal.version or rehearsal.release.version}'"
    )


def _summary(rehearsal: Rehearsal, done: list[report.Result]) -> dict[str, object]:
    index = rehearsal.index
    version = rehearsal.version or str(rehearsal.release.version)
    kept_index = index is not None and not rehearsal.owned
    differences = (
        ci_differences(rehearsal.release, rehearsal.cfg, index, version, rehearsal.pythons)
        if index
        else {}
    )
    if rehearsal.graduated:
        differences["final gate"] = (
            "the passes graduation's pre-bump hook recorded for the same inputs, from the cache",
            "tagship gate --no-cache again, on the pushed final tag",
        )
    return {
        "tag": rehearsal.tag,
        "version": version,
        "channel": rehearsal.release.channel,
        "ok": report.first_failure(done) is None,
        "seconds": round(sum(step.seconds for step in done), 3),
        "steps": [step.as_dict() for step in done],
        "ci": {name: {"here": here, "ci": ci} for name, (here, ci) in differences.items()},
        "index": {
            "url": index.url if index else None,
            "kept": kept_index,
            "install": _install_command(rehearsal, index) if index and kept_index else None,
        },
        "notes": rehearsal.notes,
        "releases": [{"tag": tag, "notes": notes} for tag, notes in rehearsal.released.items()],
    }


def _report(rehearsal: Rehearsal, done: list[report.Result], *, as_json: bool) -> int:
    summary = _summary(rehearsal, done)
    failure = report.first_failure(done)
    if as_json:
        output.emit_json(summary)
    else:
        if rehearsal.whole:
            for tag, notes in rehearsal.released.items():
                output.info(f"release notes of {tag} (the GitHub release's body):")
                output.info(
                    "\n".join(f"  | {line}".rstrip() for line in notes.rstrip().splitlines())
                )
        ci = summary["ci"]
        assert isinstance(ci, dict)  # noqa: S101
        if ci:
            output.info("what CI does differently:")
            for name, both in ci.items():
                output.info(f"  {name}: here {both['here']};\n    in CI {both['ci']}")
    index = summary["index"]
    assert isinstance(index, dict)  # noqa: S101
    if index["kept"]:
        output.info(f"kept index: {index['url']} (stop it with: tagship rehearse --stop)")
        output.info(f"install from it: {index['install']}")
    if failure is not None:
        output.error(report.failure_message("rehearse", failure))
        return 1
    tags = " and ".join(rehearsal.released) if rehearsal.whole else rehearsal.tag
    output.success(f"rehearsal of {tags} passed in {summary['seconds']} s")
    return 0
