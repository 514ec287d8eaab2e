"""What a pre-push hook adds to `git push` when the gates already passed on the content.

A small uv project (tagship in its dev group, from this checkout, editable; one gate) is
pushed to a local bare remote. Every push carries a new commit that touches only
CHANGELOG.md, as `cz bump` makes, so the gates are cache hits; the first round only warms
the caches and is not counted. In each round the scenarios take turns, so that a machine
whose load drifts weighs on all of them alike:

- bare: `git push --no-verify`;
- floor: pre-commit with one `true` hook, the cost any pre-commit hook pays;
- pre-commit and prek each running the hook `tagship init` writes (the environment's own
  `tagship pre-push`, started without uv), and each running the entry of
  earlier inits, `uv run --frozen tagship pre-push`, to show what uv's start costs.

The hook scripts are installed once per runner and swapped in by writing the file, so no
install is timed. Targets (issue 14): through prek at most 100 ms more than a bare push;
through pre-commit at most 1.2x pre-commit's floor.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.common import BIN, WORK, table, verdict
from tagship.adopt.precommit import PRE_PUSH_ENTRY

ROUNDS = 15
ROOT = Path(__file__).resolve().parent.parent
UV_RUN = "uv run --frozen tagship pre-push"
HOOK = """\
repos:
  - repo: local
    hooks:
      - id: {id}
        name: {id}
        entry: {entry}
        language: system
        pass_filenames: false
        always_run: true
        stages: [pre-push]
"""
PYPROJECT = f"""\
[project]
name = "bench-hooks"
version = "0.1.0"
requires-python = ">=3.11"

[dependency-groups]
dev = ["tagship"]

[tool.uv]
package = false

[tool.uv.sources]
tagship = {{ path = "{ROOT}", editable = true }}

[tool.tagship.gates]
lint = "python -c pass"
"""
# name -> (runner, config file): None for a push without hooks
SCENARIOS: dict[str, tuple[str, str] | None] = {
    "bare": None,
    "floor": ("pre-commit", "floor.yaml"),
    "pre-commit": ("pre-commit", "init.yaml"),
    "prek": ("prek", "init.yaml"),
    "pre-commit, uv run": ("pre-commit", "uv-run.yaml"),
    "prek, uv run": ("prek", "uv-run.yaml"),
}


def _env() -> dict[str, str]:
    # Bytecode caching on, as on any installed machine (make exports it off for the tests).
    dropped = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return {
        **env,
        "PATH": f"{BIN}{os.pathsep}{env['PATH']}",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "PRE_COMMIT_HOME": str(WORK / "pre-commit-home"),
        "PREK_HOME": str(WORK / "prek-home"),
    }


def _run(cwd: Path, *args: str | Path) -> str:
    argv = [str(a) for a in args]
    done = subprocess.run(argv, cwd=cwd, env=_env(), check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}\n{done.stdout}{done.stderr}")
    return done.stdout


def _commit(repo: Path, message: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    _run(repo, "git", "add", "--all")
    _run(repo, "git", "commit", "--quiet", "--message", message)


def _sample(root: Path) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    repo = root / "repo"
    repo.mkdir(parents=True)
    _run(root, "git", "init", "--quiet", "--bare", "remote.git")
    _run(repo, "git", "init", "--quiet", "--initial-branch=main")
    files = {
        "pyproject.toml": PYPROJECT,
        "CHANGELOG.md": "# Changelog\n",
        ".gitignore": ".venv/\n__pycache__/\n",
        "floor.yaml": HOOK.format(id="floor", entry=json.dumps("true")),
        "init.yaml": HOOK.format(id="tagship", entry=json.dumps(PRE_PUSH_ENTRY)),
        "uv-run.yaml": HOOK.format(id="tagship", entry=json.dumps(UV_RUN)),
    }
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    _run(repo, "uv", "lock", "--quiet")
    _run(repo, "uv", "sync", "--frozen", "--quiet")
    _commit(repo, "feat: sample", {})
    _run(repo, "git", "remote", "add", "origin", root / "remote.git")
    _run(repo, "git", "push", "--quiet", "--no-verify", "origin", "main")
    return repo


def _hook_scripts(repo: Path) -> dict[tuple[str, str], str]:
    """The pre-push script each runner installs for each config file, read once."""
    scripts = {}
    hook = repo / ".git" / "hooks" / "pre-push"
    for spec in {spec for spec in SCENARIOS.values() if spec}:
        runner, config = spec
        hook.unlink(missing_ok=True)
        _run(repo, BIN / runner, "install", "--hook-type", "pre-push", "--config", config)
        scripts[spec] = hook.read_text(encoding="utf-8")
    return scripts


class _Pusher:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.revision = 0
        self.scripts = _hook_scripts(repo)
        self.hook = repo / ".git" / "hooks" / "pre-push"

    def push(self, spec: tuple[str, str] | None) -> tuple[float, float]:
        """Wall and CPU seconds (every process it started) of one changelog-only push."""
        self.revision += 1
        text = (self.repo / "CHANGELOG.md").read_text() + f"\n## v0.{self.revision}.0\n"
        _commit(self.repo, f"bump: version 0.{self.revision}.0", {"CHANGELOG.md": text})
        if spec is not None:
            self.hook.write_text(self.scripts[spec], encoding="utf-8")
        extra = ["--no-verify"] if spec is None else []
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        _run(self.repo, "git", "push", "--quiet", *extra, "origin", "main")
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _measure(pusher: _Pusher) -> dict[str, tuple[float, float]]:
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in SCENARIOS}
    for round_ in range(ROUNDS + 1):  # round 0: the gate's one real run, uv's caches
        for name, spec in SCENARIOS.items():
            timing = pusher.push(spec)
            if round_:
                samples[name].append(timing)
    return {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in samples.items()
    }


def run() -> str:
    m = _measure(_Pusher(_sample(WORK / "prepush")))
    bare, floor = m["bare"][0], m["floor"][0]
    rows = [
        (name, f"{wall * 1000:.0f}", f"{cpu * 1000:.0f}", f"+{(wall - bare) * 1000:.0f}")
        for name, (wall, cpu) in m.items()
    ]
    prek, pre_commit = m["prek"][0] - bare, m["pre-commit"][0] / floor
    return (
        "## prepush: what a cached pre-push hook adds to `git push`\n\n"
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end; medians of "
        f"{ROUNDS} pushes per scenario, the scenarios alternating, after one warm-up round; "
        "each push carries a changelog-only commit (the gates are cache hits).\n\n"
        + table(["push", "wall ms", "CPU ms", "over bare ms"], rows)
        + "\n"
        + verdict(
            f"through prek at most 100 ms over a bare push: +{prek * 1000:.0f} ms", prek <= 0.1
        )
        + verdict(
            f"through pre-commit at most 1.2x pre-commit's floor: {pre_commit:.2f}x",
            pre_commit <= 1.2,
        )
    )
