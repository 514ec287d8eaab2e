"""`tagship pre-push` as the one pre-push hook, under real pre-commit and real prek.

A bare remote, real pushes, real gates; the hook is the `repo: local` entry init writes,
with `tagship` taken from the test suite's environment (PATH) instead of `uv run`.
"""

from __future__ import annotations

import shlex
import stat
from pathlib import Path

import pytest

from tests.helpers import BIN, Ran, commit, git, link_project_env, run, sample_project

pytestmark = pytest.mark.slow

HOOKS = """\
repos:
  - repo: local
    hooks:
      - id: tagship
        name: tagship pre-push
        entry: tagship pre-push
        language: system
        pass_filenames: false
        always_run: true
        verbose: true
        stages: [pre-push]
"""
RUNNERS = ("pre-commit", "prek")


def _table(log: Path) -> str:
    """One cheap gate that fails on a `BAD` marker in src/ and logs each real run."""
    logged = shlex.quote(str(log))
    return (
        "\n[tool.tagship.gates]\n"
        f'lint = "! grep -rq BAD src && echo \\"$(git rev-parse HEAD)\\" >> {logged}"\n'
    )


def _push(repo: Path, *args: str, env: dict[str, str] | None = None) -> Ran:
    done = run(["git", "push", "--quiet", *args], repo, check=False, env=env)
    return Ran(done.returncode, "", done.stdout + done.stderr)


def _remote_refs(repo: Path) -> dict[str, str]:
    lines = git(repo, "ls-remote", "origin").splitlines()
    return {ref: sha for sha, ref in (line.split("\t") for line in lines)}


def _hooked(tmp_path: Path, runner: str, hooks: str = HOOKS) -> tuple[Path, Path]:
    log = tmp_path / "runs.log"
    repo = link_project_env(sample_project(tmp_path / "repo", extra_pyproject=_table(log)))
    commit(repo, "chore: hooks", {".pre-commit-config.yaml": hooks, "CHANGELOG.md": ""})
    git(tmp_path, "init", "--quiet", "--bare", "remote.git")
    git(repo, "remote", "add", "origin", str(tmp_path / "remote.git"))
    git(repo, "push", "--quiet", "--no-verify", "origin", "main")
    run([BIN / runner, "install", "--hook-type", "pre-push"], repo)
    return repo, log


@pytest.fixture(params=RUNNERS)
def hooked(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, Path]:
    return _hooked(tmp_path, request.param)


def test_every_pushed_ref_with_new_commits_is_gated(hooked: tuple[Path, Path]) -> None:
    repo, _ = hooked
    before = _remote_refs(repo)
    commit(repo, "feat: good", {"src/sample_pkg/good.py": "VALUE = 1\n"})
    git(repo, "switch", "--quiet", "-c", "bad")
    commit(repo, "feat: bad", {"src/sample_pkg/bad.py": "BAD = 1\n"})
    git(repo, "switch", "--quiet", "main")
    ran = _push(repo, "origin", "main", "bad:refs/heads/bad2")
    assert ran.returncode != 0, ran.stderr
    assert "gate lint failed" in ran.stderr
    assert "gating 2 refs (refs/heads/main, refs/heads/bad)" in ran.stderr
    assert _remote_refs(repo) == before  # nothing landed, the good ref neither
    # The good ref alone goes, and its pass is then a cache hit.
    assert _push(repo, "origin", "main").returncode == 0
    ran = _push(repo, "origin", "main:refs/heads/copy")
    assert ran.returncode == 0, ran.stderr


def test_an_alias_pushes_what_its_expansion_says(tmp_path: Path) -> None:
    """git runs an alias of push as a child `git push`: its command line is the one read."""
    repo, log = _hooked(tmp_path, "pre-commit")  # the runner plays no part here
    git(repo, "config", "alias.send", "push --quiet")
    git(repo, "switch", "--quiet", "-c", "bad")
    commit(repo, "feat: bad", {"src/sample_pkg/bad.py": "BAD = 1\n"})
    git(repo, "switch", "--quiet", "main")
    commit(repo, "feat: good", {"src/sample_pkg/good.py": "VALUE = 1\n"})
    done = run(["git", "send", "origin", "main"], repo, check=False)
    assert done.returncode == 0, done.stdout + done.stderr  # bad is not pushed, not gated
    assert log.read_text().split() == [git(repo, "rev-parse", "main")]
    done = run(["git", "send", "origin", "main", "bad"], repo, check=False)
    assert done.returncode != 0


# Run as `tagship pre-push` is, then write down every module the run imported.
_IMPORTS_LOGGED = """\
import sys
from tagship.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as log:
    log.write("\\n".join(sorted(sys.modules)))
raise SystemExit(code)
"""
# What a cached push must not import: each costs more than its two git processes.
_HEAVY = {"typing", "re", "enum", "pathlib", "subprocess", "json", "hashlib", "dataclasses"}


def _logged_entry(tmp_path: Path) -> tuple[str, Path]:
    """A hook entry that runs `tagship pre-push` with a logging `git` first on its PATH (git
    puts its own exec-path first for hooks, so the wrapper goes in after that), and writes
    the modules it imported to modules.log."""
    directory = tmp_path / "logging-bin"
    directory.mkdir()
    log = tmp_path / "git-calls.log"
    real = run(["sh", "-c", "command -v git"], tmp_path).stdout.strip()
    wrapper = directory / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {shlex.quote(str(log))}\nexec {real} "$@"\n')
    launcher = directory / "tagship-pre-push"
    code, modules = shlex.quote(_IMPORTS_LOGGED), shlex.quote(str(tmp_path / "modules.log"))
    python = shlex.quote(str(BIN / "python"))
    launcher.write_text(
        f'#!/bin/sh\nPATH={directory}:$PATH exec {python} -c {code} {modules} pre-push "$@"\n'
    )
    for script in (wrapper, launcher):
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(launcher), log


@pytest.mark.parametrize("runner", RUNNERS)
def test_a_cached_push_costs_two_git_processes(tmp_path: Path, runner: str) -> None:
    entry, calls = _logged_entry(tmp_path)
    repo, log = _hooked(
        tmp_path, runner, HOOKS.replace("entry: tagship pre-push", f"entry: {entry}")
    )
    commit(repo, "feat: good", {"src/sample_pkg/good.py": "VALUE = 1\n"})
    assert _push(repo, "origin", "main").returncode == 0
    runs = log.read_text().split()
    assert len(runs) == 1
    assert len(calls.read_text().splitlines()) > 2  # the gate ran: status, worktree checks
    calls.write_text("")
    commit(repo, "docs: changelog", {"CHANGELOG.md": "# Changelog\n"})  # nobody's input
    ran = _push(repo, "--follow-tags", "origin", "main")
    assert ran.returncode == 0, ran.stderr
    assert "cached  lint" in ran.stderr
    assert log.read_text().split() == runs  # the gate did not run again
    made = calls.read_text().splitlines()
    assert len(made) <= 2, made
    assert _remote_refs(repo)["refs/heads/main"] == git(repo, "rev-parse", "HEAD")
    imported = set((tmp_path / "modules.log").read_text().split())
    assert "tagship.gates.memo" in imported
    assert not imported & _HEAVY, sorted(imported & _HEAVY)


def test_a_pushed_release_tag_is_checked(tmp_path: Path) -> None:
    repo, _ = _hooked(tmp_path, "prek")
    commit(repo, "feat: good", {"src/sample_pkg/good.py": "VALUE = 1\n"})
    git(repo, "tag", "--annotate", "--message=v0.1.0", "v0.1.0")
    ran = _push(repo, "--follow-tags", "origin", "main", env={"TAGSHIP_OFFLINE": "1"})
    assert ran.returncode != 0
    assert "FAIL TS109 changelog" in ran.stderr  # the tag has no changelog section
    assert "refs/tags/v0.1.0" not in _remote_refs(repo)


def test_the_hook_this_repository_offers_is_the_one_pre_push_hook() -> None:
    from ruamel.yaml import YAML  # noqa: PLC0415

    root = Path(__file__).resolve().parents[2]
    (hook,) = YAML(typ="safe").load((root / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["entry"], hook["stages"]) == (
        "tagship",
        "tagship pre-push",
        ["pre-push"],
    )
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is True
