"""One shape's adoption, from a user's plain shell: the flow the corpus test and bench share.

init -> (the refusal and its fix) -> commit -> second init changes no byte -> doctor
clean -> [full shapes: a `feat:` commit, `uv lock`, `uv run cz bump --prerelease rc`
with the real pre-bump hook, `uv build` at the tag, `tagship notes`]. Every step is a
real process in `PlainShell`; a failed step raises AssertionError naming it with its
output.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.corpus.shapes import Shape
from tests.helpers import Ran
from tests.userland import PlainShell

# The cheap steps touch no index (every package comes from the warm cache); the release
# checks skip the remote index, which tests never reach.
OFFLINE = {"UV_OFFLINE": "1", "TAGSHIP_OFFLINE": "1"}
# The full shapes are adopted as users adopt: init syncs the environment and installs the
# hooks. The others skip both (`--no-install`, about a second each): what they prove is
# the adoption's files, so their doctor tolerates the missing hooks.
INIT = ("uvx", "tagship", "init", "--no-install")
INSTALLING_INIT = ("uvx", "tagship", "init")


@dataclass
class Outcome:
    """What happened to a shape, step by step."""

    shape: str
    result: str = "adopted"
    """`adopted`, or `refused, fixed` when the refusal's fix then adopted."""
    steps: list[tuple[str, float]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.steps)


def _step(
    shell: PlainShell,
    outcome: Outcome,
    name: str,
    args: list[str],
    cwd: Path,
    *,
    expect: int | None = 0,
    env: Mapping[str, str] = OFFLINE,
) -> Ran:
    """Run one step, timed; `expect` is its exit code (None: any)."""
    start = time.perf_counter()
    ran = shell.run(list(args), cwd, check=False, extra=env)
    outcome.steps.append((name, time.perf_counter() - start))
    if expect is not None and expect != ran.returncode:
        raise AssertionError(
            f"{outcome.shape}: {name} exited {ran.returncode}\n"
            f"{ran.stdout[-3000:]}\n{ran.stderr[-3000:]}"
        )
    return ran


def create(shell: PlainShell, shape: Shape, root: Path) -> None:
    """The shape's repository: its files in a first commit, its tags on later commits."""
    root.mkdir(parents=True)
    _write(root, shape.files)
    shell.git(root, "init", "--quiet", f"--initial-branch={shape.branch}")
    shell.git(root, "add", "--all")
    shell.git(root, "commit", "--quiet", "--message=feat: the project")
    for tag in shape.tags:
        shell.git(root, "commit", "--quiet", "--allow-empty", f"--message=fix: before {tag}")
        shell.git(root, "tag", "--annotate", f"--message={tag}", tag)
    shell.git(root, "commit", "--quiet", "--allow-empty", "--message=docs: after the tags")


def _write(root: Path, files: Mapping[str, str | None]) -> None:
    for name, body in files.items():
        path = root / name
        if body is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body.encode("utf-8"))


def _commit(shell: PlainShell, root: Path, message: str) -> None:
    shell.git(root, "add", "--all")
    shell.git(root, "commit", "--quiet", "--no-verify", f"--message={message}")


def adopt(
    shell: PlainShell, shape: Shape, root: Path, *, full: bool | None = None, online: bool = False
) -> Outcome:
    """Run the whole flow for `shape` in a new repository at `root`.

    `online` lets the lock, bump and build reach the package index (a backend such as
    pdm-backend that the cache may not hold); the tests stay offline.
    """
    outcome = Outcome(shape.name)
    whole = shape.full if full is None else full
    init = INSTALLING_INIT if whole else INIT
    create(shell, shape, root)
    if shape.refused is not None:
        refused = _step(shell, outcome, "init (refused)", list(INIT), root, expect=2)
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1, refused.stderr
        assert shape.refused in lines[0], refused.stderr
        assert "Traceback" not in refused.stderr
        assert shell.git(root, "status", "--porcelain") == "", "a refused init wrote files"
        _write(root, shape.fix)
        _commit(shell, root, "build: as tagship init asked")
        outcome.result = "refused, fixed"
    _step(shell, outcome, "init", list(init), root)
    _commit(shell, root, "build: adopt tagship")
    again = _step(shell, outcome, "init again", list(init), root)
    assert shell.git(root, "status", "--porcelain") == "", (
        f"second init changed files: {again.stderr}"
    )
    if shape.tagship_table:
        with (root / "pyproject.toml").open("a", encoding="utf-8", newline="") as stream:
            stream.write(f'\n[tool.tagship]\nrelease-branch = "{shape.branch}"\n')
        _commit(shell, root, "build: name the release branch")
        _step(shell, outcome, "init after [tool.tagship]", list(init), root)
        assert shell.git(root, "status", "--porcelain") == "", "init changed a settled project"
    doctor = _step(shell, outcome, "doctor", ["uvx", "tagship", "doctor"], root, expect=None)
    _doctor_clean(shape, doctor, hooks=whole)
    if whole:
        env = {"TAGSHIP_OFFLINE": "1", "UV_OFFLINE": "0"} if online else OFFLINE
        _release_candidate(shell, shape, root, outcome, env)
    return outcome


# What `init --no-install` leaves to the user: the hooks (TS410, TS411) and the lock (TS408).
_NOT_INSTALLED = ("TS410", "TS411", "TS408")


def _doctor_clean(shape: Shape, doctor: Ran, *, hooks: bool) -> None:
    tolerated = () if hooks else _NOT_INSTALLED
    failures = [
        line
        for line in doctor.stdout.splitlines() + doctor.stderr.splitlines()
        if line.startswith("FAIL") and not any(rule in line for rule in tolerated)
    ]
    assert not failures, f"{shape.name}: doctor: {failures}"


def _release_candidate(
    shell: PlainShell, shape: Shape, root: Path, outcome: Outcome, env: Mapping[str, str]
) -> None:
    assert shape.rc is not None, f"{shape.name}: a full shape names its rc tag"
    _write(root, {"FEATURE.md": "A feature.\n"})
    _commit(shell, root, "feat: a feature worth a release candidate")
    _step(shell, outcome, "uv lock", ["uv", "lock"], root, env=env)
    assert shell.git(root, "status", "--porcelain") == "", "init's uv.lock was not current"
    bump = ["uv", "run", "cz", "bump", "--prerelease", "rc", "--yes"]
    _step(shell, outcome, "cz bump rc", bump, root, env=env)
    described = shell.git(root, "describe", "--tags", "--exact-match")
    assert described == shape.rc, f"{shape.name}: bumped to {described}, expected {shape.rc}"
    added = [
        line
        for line in shell.git(root, "diff", "--unified=0", "HEAD~1", "HEAD").splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]
    # a heading naming an old tag is a back-fill; an entry (a commit message) may name one
    titles = [line for line in added if not line.startswith(("+- ", "+* "))]
    backfilled = [line for line in titles for tag in shape.tags if tag in line.split()]
    assert not backfilled, f"{shape.name}: the bump wrote sections for old tags: {backfilled}"
    _step(
        shell, outcome, "uv build", ["uv", "build", "--quiet", "--out-dir", "dist"], root, env=env
    )
    version = shape.rc[next(i for i, c in enumerate(shape.rc) if c.isdigit()) :]
    built = sorted(p.name for p in (root / "dist").iterdir() if p.suffix in (".whl", ".gz"))
    assert len(built) == 2, built
    assert all(f"-{version}" in name for name in built), built
    notes = _step(
        shell, outcome, "notes", ["uv", "run", "tagship", "notes", shape.rc], root, env=env
    )
    assert "a feature worth a release candidate" in notes.stdout, notes.stdout
