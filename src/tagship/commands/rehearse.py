"""`tagship rehearse`: the release workflow, locally, against an embedded index.

A throwaway clone of HEAD (tagged there if needed) goes through the workflow's steps in
order, in the environment CI builds (`uv sync --locked`): route, gates (on each supported
Python installed here), build, check, upload, verify, notes. Each step is reported as it
starts and ends. The index is a pypiserver on loopback, stopped at the end (also on
failure, Ctrl-C or SIGTERM: every step's process group is stopped first) unless `--keep`.
The user's repository is only read.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from tagship import config, git, output, proc, report
from tagship.config import Config
from tagship.errors import ConfigError, FatalError
from tagship.index import LocalIndex
from tagship.rehearse import environment, kept
from tagship.rehearse.rehearsal import (
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
    uv_path,
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
    sink: report.Reporter
    index: LocalIndex | None = None
    pythons: environment.Pythons | None = None
    tagship_env: Path | None = None
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

    def step(self, *args: str, timeout: float = 600.0) -> str:
        """stdout of `tagship ARGS` run from tagship's environment in the clone."""
        argv = tagship_argv(*args)
        env = self.tagship_env
        return run_step(
            argv, self.sandbox, timeout=timeout, tagship_env=env, on_line=self.sink.progress
        ).stdout

    def environment(self) -> str:
        """tagship's environment from the lock, as CI's `uv sync --locked` makes it."""
        clone, env = self.sandbox.clone, self.sandbox.child_env()
        requires = environment.requires_python(clone)
        supported = environment.supported_pythons(requires)
        self.pythons = environment.choose_pythons(
            supported, environment.list_pythons(uv_path(), env, clone)
        )
        if not self.pythons.gates:
            raise FatalError(
                f"none of the Pythons the project supports ({', '.join(supported)}) is "
                "installed here; install one (uv python install 3.X) to rehearse its gates"
            )
        # With one Python for everything, tagship and the gates share the clone's .venv.
        shared = [minor for minor, _ in self.pythons.gates] == [self.pythons.tagship]
        self.tagship_env = clone / ".venv" if shared else self.sandbox.tagship_env
        environment.sync(
            uv_path(),
            clone,
            env,
            python=self.pythons.tagship,
            environment=self.tagship_env,
            on_line=self.sink.progress,
        )
        if not environment.has_tagship(self.tagship_env):
            raise FatalError(
                "tagship is not in the project's locked environment, where CI runs it "
                "(`uv run --no-sync tagship`): add it to the dev group, "
                "uv add --dev \"tagship; python_version >= '3.11'\", and commit uv.lock"
            )
        skipped = ", ".join(self.pythons.skipped)
        gates = ", ".join(minor for minor, _ in self.pythons.gates)
        return f"uv sync --locked: tagship on Python {self.pythons.tagship}, gates on {gates}" + (
            f"; skipped (not installed here): {skipped}" if skipped else ""
        )

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
        found = json.loads(self.step("route", self.tag, "--json"))
        self.version = found["version"]
        return f"{self.tag}: {found['kind']} {self.version} -> {found['channel']}"

    def gate(self) -> str:
        """The gates on each Python, the project's `.venv` rebuilt from the lock for each."""
        assert self.pythons is not None  # noqa: S101 (the environment step ran)
        clone, env = self.sandbox.clone, self.sandbox.child_env()
        for minor, python in self.pythons.gates:
            self.sink.progress(f"Python {minor}: uv sync --locked")
            if self.tagship_env != clone / ".venv":
                environment.sync(uv_path(), clone, env, python=python, on_line=self.sink.progress)
            try:
                self.step("gate", "--no-cache", timeout=GATE_TIMEOUT)
            except report.StepFailed as exc:
                raise report.StepFailed(f"on Python {minor}: {exc}", exc.output) from None
        ran = ", ".join(minor for minor, _ in self.pythons.gates)
        skipped = ", ".join(self.pythons.skipped)
        return f"tagship gate --no-cache on Python {ran}" + (
            f"; not installed here: {skipped}" if skipped else ""
        )

    def build(self) -> str:
        run_step(build_argv(self.sandbox), self.sandbox, on_line=self.sink.progress)
        self.files = dists(self.sandbox)
        return ", ".join(p.name for p in self.files)

    def check(self) -> str:
        self.step("check", self.tag, "--dist", str(self.sandbox.dist), "--index", self.local.url)
        return f"tagship check {self.tag} --dist dist/ --index {self.local.url}"

    def upload(self) -> str:
        run_step(upload_argv(self.files, self.local), self.sandbox)
        return f"uv publish of {len(self.files)} files to {self.local.upload_url}"

    def verify(self) -> str:
        self.step("verify", self.version, "--index", self.local.url, "--timeout", VERIFY_TIMEOUT)
        return f"{self.version} installs and runs"

    def write_notes(self) -> str:
        target = self.sandbox.root / "notes.md"
        self.step("notes", self.tag, "--output", str(target))
        self.notes = target.read_text(encoding="utf-8")
        return f"{len(self.notes.splitlines())} lines of release notes"

    def run(self) -> list[report.Result]:
        return report.run_in_order(
            [
                ("clone", self.clone),
                ("environment", self.environment),
                ("index", self.start_index),
                ("route", self.route),
                ("gate", self.gate),
                ("build", self.build),
                ("check", self.check),
                ("upload", self.upload),
                ("verify", self.verify),
                ("notes", self.write_notes),
            ],
            self.sink,
        )

    def finish(self) -> None:
        if self.owned and self.index is not None:
            self.index.stop()
        self.sandbox.remove()


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


def rehearse(*, tag: str | None, keep: bool, as_json: bool, stop: bool = False) -> int:
    root = git.toplevel(Path.cwd())
    if stop:
        return _stop(root, tag, keep)
    cfg = config.load(root)
    release, head, tag_it = _prepare(root, cfg, tag)
    title = f"rehearsal of {release.tag} ({release.kind} {release.version} -> {release.channel})"
    with _sigterm_as_interrupt(), report.reporter(title, quiet=as_json) as sink:
        rehearsal = _Rehearsal(root, cfg, release, head, tag_it, keep, Sandbox.create(), sink)
        try:
            done = rehearsal.run()
        finally:
            with proc.signals_deferred():  # a second Ctrl-C must not leave the clone behind
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


def _summary(rehearsal: _Rehearsal, done: list[report.Result]) -> dict[str, object]:
    index = rehearsal.index
    version = rehearsal.version or str(rehearsal.release.version)
    kept_index = index is not None and not rehearsal.owned
    differences = (
        ci_differences(rehearsal.release, rehearsal.cfg, index, version, rehearsal.pythons)
        if index
        else {}
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
    }


def _report(rehearsal: _Rehearsal, done: list[report.Result], *, as_json: bool) -> int:
    summary = _summary(rehearsal, done)
    failure = report.first_failure(done)
    if as_json:
        output.emit_json(summary)
    else:
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
    output.success(f"rehearsal of {rehearsal.tag} passed in {summary['seconds']} s")
    return 0
