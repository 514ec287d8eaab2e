"""The user's whole day on uv's template project, timed step by step, and tagship's share.

From a plain shell (tests/userland.py: git's defaults, only uv, git and a Python on PATH,
tagship from a wheel of this checkout): `uv init --package`, `uvx tagship init`, a commit
through the commit-msg hook, the first tag, a feature, the rc, its push, a rehearsal, the
final, its push, a rehearsal. The uv cache is the caller's (warm), as on a developer's
machine after the first day.

tagship's share: the steps that are tagship's own commands (init, rehearse), plus what its
hooks add to a commit and to a push, measured as the same git command with and without
`--no-verify` on an equivalent commit. cz bump's pre-bump hooks (tagship's gates and
checks) are inside the bump steps, which are reported whole.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from tests.userland import PlainShell, build_wheel, plain_environment

from benchmarks.common import table

FEATURE = 'def main() -> None:\n    print("Hello from app!")\n\n\ndef two() -> int:\n    return 2\n'
PUSH: list[str | Path] = ["git", "push"]
TO: list[str | Path] = ["origin", "master"]
TEST = "from app import two\n\n\ndef test_two() -> None:\n    assert two() == 2\n"


class Day:
    def __init__(self, shell: PlainShell, root: Path) -> None:
        self.sh, self.root, self.project = shell, root, root / "app"
        self.rows: list[tuple[str, float, bool]] = []

    def step(self, name: str, args: list[str | Path], *, tagship: bool = False) -> float:
        cwd = self.project if self.project.exists() else self.root
        start = time.perf_counter()
        self.sh.run(args, cwd, timeout=900)
        seconds = time.perf_counter() - start
        self.rows.append((name, seconds, tagship))
        return seconds

    def commit(self, message: str, *, verify: bool = True) -> float:
        extra = [] if verify else ["--no-verify"]
        args: list[str | Path] = ["git", "commit", "--quiet", "--allow-empty", *extra, "-m"]
        return self.step(f"git commit{'' if verify else ' --no-verify'}", [*args, message])


def _hook_cost(day: Day, with_hooks: float, without: float, what: str) -> None:
    day.rows.append((f"{what}: tagship's hooks (difference)", with_hooks - without, True))


def _the_day(day: Day, remote: Path) -> None:
    sh, project = day.sh, day.project
    day.step("uv init --package", ["uv", "init", "--quiet", "--package", "--name", "app", project])
    sh.git(project, "add", "--all")
    sh.git(project, "commit", "--quiet", "-m", "feat: a new app")
    sh.git(project, "remote", "add", "origin", str(remote))
    day.step("uvx tagship init (uv sync, hooks)", ["uvx", "tagship", "init"], tagship=True)
    sh.git(project, "add", "--all")
    hooked = day.commit("build: adopt tagship")
    bare = day.commit("chore: the same commit without hooks", verify=False)
    _hook_cost(day, hooked, bare, "commit")
    day.step("uv run cz bump --yes 0.1.0", ["uv", "run", "cz", "bump", "--yes", "0.1.0"])
    day.step("git push --follow-tags", [*PUSH, "--follow-tags", *TO])
    for name, text in {"src/app/__init__.py": FEATURE, "tests/test_app.py": TEST}.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    sh.git(project, "add", "--all")
    day.commit("feat: two")
    day.step("uv run cz bump --prerelease rc", ["uv", "run", "cz", "bump", "--yes", "-pr", "rc"])
    pushed = day.step("git push --follow-tags (rc)", [*PUSH, "--follow-tags", *TO])
    day.step("uv run tagship rehearse (rc)", ["uv", "run", "tagship", "rehearse"], tagship=True)
    day.step("uv run cz bump (final)", ["uv", "run", "cz", "bump", "--yes"])
    day.step("git push --follow-tags (final)", [*PUSH, "--follow-tags", *TO])
    day.step("uv run tagship rehearse (final)", ["uv", "run", "tagship", "rehearse"], tagship=True)
    day.commit("docs: one more, to push without hooks")
    bare_push = day.step("git push --no-verify", [*PUSH, "--no-verify", *TO])
    _hook_cost(day, pushed, bare_push, "push")


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="tagship-day-") as temporary:
        root = Path(temporary)
        wheels = root / "wheels"
        wheels.mkdir()
        build_wheel(wheels)
        shell = plain_environment(root / "shell", wheels)
        # the burned-version check would ask TestPyPI and PyPI: not what the day measures
        day = Day(replace(shell, env={**shell.env, "TAGSHIP_OFFLINE": "1"}), root)
        remote = root / "remote.git"
        day.sh.run(["git", "init", "--quiet", "--bare", remote], root)
        failed = ""
        try:
            _the_day(day, remote)
        except AssertionError as exc:  # a step failed: report how far the day got
            failed = str(exc).splitlines()[0]
    steps = [row for row in day.rows if "(difference)" not in row[0]]
    total = sum(seconds for _, seconds, _ in steps)
    share = sum(seconds for _, seconds, ours in day.rows if ours)
    rows = [(name, f"{seconds:.2f}", "yes" if ours else "") for name, seconds, ours in day.rows]
    report = [
        "## The day (uv's template, plain shell, warm uv cache)\n",
        "git's default configuration (branch `master`); one run, seconds per step.\n",
        table(("step", "s", "tagship"), rows),
        f"\nwhole day: {total:.1f} s; tagship's share: {share:.1f} s "
        f"({100 * share / total:.0f} %)\n"
        if total
        else "",
    ]
    if failed:
        report.append(f"\nthe day stopped: {failed}\n")
    return "\n".join(report)
