"""`tagship rehearse`: the release workflow, locally, against an embedded index.

A throwaway clone of HEAD (tagged there if needed) goes through the workflow's steps in
order: route, gate, build, check, upload, verify, notes. The index is a pypiserver on
loopback, stopped at the end (also on failure, Ctrl-C or SIGTERM) unless `--keep`. The
user's repository is only read.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from tagship import config, git, kept, output, steps
from tagship.config import Config
from tagship.errors import ConfigError, FatalError
from tagship.index import LocalIndex
from tagship.rehearsal import (
    GATE_TIMEOUT,
    Sandbox,
    build_argv,
    choose_tag,
    ci_differences,
    dists,
    head_release_tags,
    make_clone,
    run_step,
    tagship_argv,
    upload_argv,
)
from tagship.release import Release, classify

VERIFY_TIMEOUT = "60"


@dataclass
class _Rehearsal:
    """The state that flows from one step to the next."""

    root: Path
    cfg: Config
    release: Release
    head: str
    tag_it: bool
    keep: bool
    sandbox: Sandbox
    index: LocalIndex | None = None
    owned: bool = False
    """Whether this run started the index and must stop it."""
    version: str = ""
    notes: str = ""
    files: list[Path] = field(default_factory=list)

    @property
    def tag(self) -> str:
        return self.release.tag

    @property
    def local(self) -> LocalIndex:
        assert self.index is not None  # noqa: S101 (the index step ran)
        return self.index

    def clone(self) -> str:
        return make_clone(self.root, self.sandbox, self.head, self.tag, tag_it=self.tag_it)

    def start_index(self) -> str:
        """A kept index is used while it answers, and restarted on its packages if not."""
        state = kept.load(self.root)
        if state is not None and kept.answers(state.index()):
            self.index = state.index()
            return f"the kept index at {self.local.url}"
        keeping = self.keep or state is not None
        if state is not None:
            packages = Path(state.packages)
        elif self.keep:
            packages = kept.directory(self.root) / "packages"
        else:
            packages = self.sandbox.packages
        self.index = LocalIndex(packages).start()
        self.owned = not keeping
        if keeping:
            assert self.index.pid is not None  # noqa: S101 (just started)
            kept.save(self.root, kept.KeptIndex(self.index.port, self.index.pid, str(packages)))
        return f"pypiserver at {self.local.url}" + (" (kept)" if keeping else "")

    def route(self) -> str:
        found = json.loads(run_step(tagship_argv("route", self.tag, "--json"), self.sandbox).stdout)
        self.version = found["version"]
        return f"{self.tag}: {found['kind']} {self.version} -> {found['channel']}"

    def gate(self) -> str:
        run_step(tagship_argv("gate", "--no-cache"), self.sandbox, timeout=GATE_TIMEOUT)
        return "tagship gate --no-cache"

    def build(self) -> str:
        run_step(build_argv(self.sandbox), self.sandbox)
        self.files = dists(self.sandbox)
        return ", ".join(p.name for p in self.files)

    def check(self) -> str:
        argv = ["check", self.tag, "--dist", str(self.sandbox.dist), "--index", self.local.url]
        run_step(tagship_argv(*argv), self.sandbox)
        return f"tagship check {self.tag} --dist dist/ --index {self.local.url}"

    def upload(self) -> str:
        run_step(upload_argv(self.files, self.local), self.sandbox)
        return f"uv publish of {len(self.files)} files to {self.local.upload_url}"

    def verify(self) -> str:
        argv = ["verify", self.version, "--index", self.local.url, "--timeout", VERIFY_TIMEOUT]
        run_step(tagship_argv(*argv), self.sandbox)
        return f"{self.version} installs and runs"

    def write_notes(self) -> str:
        target = self.sandbox.root / "notes.md"
        run_step(tagship_argv("notes", self.tag, "--output", str(target)), self.sandbox)
        self.notes = target.read_text(encoding="utf-8")
        return f"{len(self.notes.splitlines())} lines of release notes"

    def run(self) -> list[steps.Step]:
        return steps.run_in_order(
            [
                ("clone", self.clone),
                ("index", self.start_index),
                ("route", self.route),
                ("gate", self.gate),
                ("build", self.build),
                ("check", self.check),
                ("upload", self.upload),
                ("verify", self.verify),
                ("notes", self.write_notes),
            ]
        )

    def finish(self) -> None:
        if self.owned and self.index is not None:
            self.index.stop()
        self.sandbox.remove()


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """`kill` cleans up like Ctrl-C does: the index stops and the clone goes.

    When tagship leads its process group (a job started from a shell), SIGTERM becomes a
    Ctrl-C of the whole job: the step running now gets SIGINT too and cleans up after
    itself (a gate stops its commands) before this process removes everything. Otherwise
    the group is someone else's, and only this process is interrupted.
    """

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpgrp(), signal.SIGINT)  # arrives here too: KeyboardInterrupt
            return
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
    if tag is not None or keep:
        raise ConfigError("--stop takes no tag and no --keep")
    stopped = kept.stop(root)
    output.info(f"stopped the kept index on port {stopped.port}" if stopped else "no kept index")
    return 0


def rehearse(*, tag: str | None, keep: bool, as_json: bool, stop: bool = False) -> int:
    root = git.toplevel(Path.cwd())
    if stop:
        return _stop(root, tag, keep)
    cfg = config.load(root)
    release, head, tag_it = _prepare(root, cfg, tag)
    with _sigterm_as_interrupt():
        rehearsal = _Rehearsal(root, cfg, release, head, tag_it, keep, Sandbox.create())
        try:
            done = rehearsal.run()
        finally:
            rehearsal.finish()
    return _report(rehearsal, done, as_json=as_json)


def _install_command(rehearsal: _Rehearsal, index: LocalIndex) -> str:
    from packaging.utils import canonicalize_name  # noqa: PLC0415 (slow import, needed once)

    project = canonicalize_name(rehearsal.cfg.project_name or "PROJECT")
    main = rehearsal.cfg.tagship.indexes["pypi"].url
    return (
        f"uv pip install --index-url {main} --find-links {index.url}{project}/ "
        f"'{project}=={rehearsal.version or rehearsal.release.version}'"
    )


def _summary(rehearsal: _Rehearsal, done: list[steps.Step]) -> dict[str, object]:
    index = rehearsal.index
    version = rehearsal.version or str(rehearsal.release.version)
    kept_index = index is not None and not rehearsal.owned
    differences = ci_differences(rehearsal.release, rehearsal.cfg, index, version) if index else {}
    return {
        "tag": rehearsal.tag,
        "version": version,
        "channel": rehearsal.release.channel,
        "ok": steps.first_failure(done) is None,
        "seconds": round(sum(step.seconds for step in done), 3),
        "steps": [step.as_dict() for step in done],
        "ci": {name: {"here": here, "ci": ci} for name, (here, ci) in differences.items()},
        "index": {
            "url": index.url if index else None,
            "kept": kept_index,
            "install": _install_command(rehearsal, index) if index and kept_index else None,
        },
        "notes": rehearsal.notes,
    }


def _report(rehearsal: _Rehearsal, done: list[steps.Step], *, as_json: bool) -> int:
    summary = _summary(rehearsal, done)
    failure = steps.first_failure(done)
    if as_json:
        output.emit_json(summary)
    else:
        release = rehearsal.release
        steps.report(
            f"rehearsal of {release.tag} ({release.kind} {release.version} -> {release.channel})",
            done,
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
        output.error(steps.failure_message("rehearse", failure))
        return 1
    output.success(f"rehearsal of {rehearsal.tag} passed in {summary['seconds']} s")
    return 0
