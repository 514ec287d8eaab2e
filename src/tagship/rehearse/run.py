"""One rehearsal's state and steps: the release workflow's jobs, run in the clone.

`Rehearsal` runs one release (a tag) through the workflow's steps; `--release` runs the
whole release: the rc to an embedded test index (its dependencies only from an embedded
main index), graduation with `cz bump` in the clone, the final to the main index.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tagship import git, report
from tagship.config import Config
from tagship.errors import FatalError
from tagship.index import LocalIndex
from tagship.rehearse import environment, kept
from tagship.rehearse.rehearsal import (
    GATE_TIMEOUT,
    Sandbox,
    build_argv,
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
MAIN = "pypi"


@dataclass
class Rehearsal:
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
    whole: bool = False
    """`--release`: the rc, graduation, then the final, each to its own embedded index."""
    indexes: dict[str, LocalIndex] = field(default_factory=dict)
    """The embedded indexes of a whole release, by channel (`pypi` is the main one)."""
    graduated: bool = False
    released: dict[str, str] = field(default_factory=dict)
    """tag -> release notes, for each release rehearsed."""

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
        supported = environment.supported_pythons(clone)
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
        if self.whole:
            return self._start_indexes()
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

    def _start_indexes(self) -> str:
        """A test index and a main index; the main one redirects what it does not hold to
        the real main index, so dependencies resolve as they do in CI."""
        main = self.cfg.tagship.indexes[MAIN].url
        self.owned = True
        for channel in dict.fromkeys([self.release.channel, MAIN]):
            fallback = main if channel == MAIN else None
            packages = self.sandbox.root / f"packages-{channel}"
            self.indexes[channel] = LocalIndex(packages, fallback=fallback).start()
        self.index = self.indexes[self.release.channel]
        return "; ".join(f"{name} at {index.url}" for name, index in self.indexes.items())

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
                self.step("gate", *self._gate_flags(), timeout=GATE_TIMEOUT)
            except report.StepFailed as exc:
                raise report.StepFailed(f"on Python {minor}: {exc}", exc.output) from None
        # CI builds in a checkout of its own: what the gates left in the clone (a project
        # without a .gitignore gets __pycache__/) is not in the build or the clean-tree check
        git.remove_untracked(clone, keep=(".venv",))
        ran = ", ".join(minor for minor, _ in self.pythons.gates)
        skipped = ", ".join(self.pythons.skipped)
        command = " ".join(("tagship gate", *self._gate_flags()))
        return f"{command} on Python {ran}" + (
            f"; not installed here: {skipped}" if skipped else ""
        )

    def _gate_flags(self) -> tuple[str, ...]:
        # The final's gates ran moments ago on the very same inputs (the changelog is
        # none), in graduation's pre-bump hook: their recorded passes stand. CI reruns them.
        return () if self.graduated else ("--no-cache",)

    def build(self) -> str:
        run_step(build_argv(self.sandbox), self.sandbox, on_line=self.sink.progress)
        self.files = dists(self.sandbox)
        return ", ".join(p.name for p in self.files)

    def check(self) -> str:
        self.step("check", self.tag, "--dist", str(self.sandbox.dist), "--index", self.local.url)
        return f"tagship check {self.tag} --dist dist/ --index {self.local.url}"

    def upload(self) -> str:
        run_step(upload_argv(self.files, self.local), self.sandbox, loopback=True)
        return f"uv publish of {len(self.files)} files to {self.local.upload_url}"

    def verify(self) -> str:
        main = ("--main-index", self.indexes[MAIN].url) if self.whole else ()
        index = self.local.url
        self.step("verify", self.version, "--index", index, *main, "--timeout", VERIFY_TIMEOUT)
        deps = f"; dependencies from {main[1]}" if main else ""
        return f"{self.version} installs from {index} and runs{deps}"

    def write_notes(self) -> str:
        target = self.sandbox.root / "notes.md"
        self.step("notes", self.tag, "--output", str(target))
        self.notes = target.read_text(encoding="utf-8")
        self.released[self.tag] = self.notes
        return f"{len(self.notes.splitlines())} lines of release notes for {self.tag}"

    def graduate(self) -> str:
        """`cz bump` in the clone, as the user graduates the rc: commitizen writes the
        changelog, commits and tags; its pre-bump hooks run as they do for the user."""
        rc = self.tag
        # commitizen bumps on the release branch, as the user does (the clone is detached).
        git.branch_here(self.sandbox.clone, self.cfg.tagship.release_branch)
        argv = [uv_path(), "run", "--no-sync", "--no-config", "cz", "bump", "--yes"]
        # The pre-bump checks stay off the real indexes; the final's check step asks the
        # embedded main index whether the version is burned.
        run_step(
            argv,
            self.sandbox,
            tagship_env=self.tagship_env,
            on_line=self.sink.progress,
            extra={"TAGSHIP_OFFLINE": "1"},
            timeout=GATE_TIMEOUT,
        )
        head = git.head(self.sandbox.clone)
        tags = head_release_tags(self.sandbox.clone, self.cfg, head or "HEAD")
        if head is None or not tags:
            raise FatalError("cz bump made no release tag in the clone")
        # What `git push --follow-tags` does before CI sees the final: the remote's
        # release branch holds the bump commit (the clone's remote, never the user's).
        branch = self.cfg.tagship.release_branch
        git.update_ref(self.sandbox.clone, f"refs/remotes/origin/{branch}", head)
        final = max(tags, key=lambda tag: tags[tag])
        self.release = classify(final, self.cfg)
        if self.release.channel not in self.indexes:
            raise FatalError(f"{final} goes to {self.release.channel}, which has no index here")
        self.index = self.indexes[self.release.channel]
        self.version, self.files, self.graduated = "", [], True
        shutil.rmtree(self.sandbox.dist, ignore_errors=True)
        return f"cz bump: {rc} -> {final}, on {head[:12]} (pushed to the clone's origin/{branch})"

    def run(self) -> list[report.Result]:
        workflow = [
            ("route", self.route),
            ("gate", self.gate),
            ("build", self.build),
            ("check", self.check),
            ("upload", self.upload),
            ("verify", self.verify),
            ("notes", self.write_notes),
        ]
        plan = [("clone", self.clone), ("environment", self.environment)]
        plan += [("index", self.start_index), *workflow]
        if self.whole:
            plan += [("graduate", self.graduate)]
            plan += [(f"final {name}", action) for name, action in workflow]
        return report.run_in_order(plan, self.sink)

    def finish(self) -> None:
        if self.owned:
            for index in {id(i): i for i in [*self.indexes.values(), self.index] if i}.values():
                index.stop()
        self.sandbox.remove()
