"""The pre-push hook entry init writes, from a plain shell: a push whose content already
passed starts the project's own tagship without uv; anything else is handed to `uv run`.

A logging `uv` first on PATH (it records its arguments, then runs the real uv) tells the
two apart; everything else is real: `uvx tagship init`, pre-commit, the gates, the push.
"""

from __future__ import annotations

import shlex
from dataclasses import replace
from pathlib import Path

import pytest

from tagship.adopt.precommit import PRE_PUSH_ENTRY
from tests.userland import PlainShell

PASSED = "quality gates and release checks of the pushed refs (tagship pre-push)..."
SOURCE = 'def main() -> None:\n    print("Hello from app!")\n'


def _logging_uv(shell: PlainShell, folder: Path, log: Path) -> PlainShell:
    folder.mkdir()
    real = shell.bin / "uv"
    wrapper = folder / "uv"
    wrapper.write_text(
        f'#!/bin/sh\necho "$*" >> {shlex.quote(str(log))}\nexec {shlex.quote(str(real))} "$@"\n'
    )
    wrapper.chmod(0o755)
    return replace(shell, env={**shell.env, "PATH": f"{folder}:{shell.env['PATH']}"})


@pytest.mark.slow(seconds=8)
def test_a_cached_push_starts_no_uv_and_any_other_syncs_first(
    plain_shell: PlainShell, tmp_path: Path
) -> None:
    log = tmp_path / "uv.log"
    sh = _logging_uv(plain_shell, tmp_path / "logging-bin", log)
    remote, project = tmp_path / "remote.git", tmp_path / "app"
    sh.run(["git", "init", "--quiet", "--bare", remote], tmp_path)
    sh.run(["uv", "init", "--quiet", "--package", "--name", "app", project], tmp_path)
    sh.git(project, "remote", "add", "origin", str(remote))
    sh.run(["uvx", "tagship", "init"], project)
    assert f"entry: {PRE_PUSH_ENTRY}\n" in (project / ".pre-commit-config.yaml").read_text()
    sh.git(project, "add", "--all")
    sh.git(project, "commit", "--quiet", "--message", "feat: a new app")
    first = sh.run(["git", "push", "origin", "master"], project, timeout=600)
    assert "run --frozen tagship pre-push" in log.read_text()  # a miss: uv ran the gates
    assert PASSED in first.stdout + first.stderr

    changelog = project / "CHANGELOG.md"
    changelog.write_text(changelog.read_text() + "\nA line nobody's gate reads.\n")
    sh.git(project, "commit", "--quiet", "--all", "--message", "docs: a changelog line")
    log.write_text("")  # the commit-msg hook's `uv run cz check`
    cached = sh.run(["git", "push", "origin", "master"], project, timeout=600)
    assert PASSED in cached.stdout + cached.stderr
    assert log.read_text() == ""  # the environment's tagship answered alone: a cache hit

    # A pass that no hook's sync preceded (a gate run by hand, from whatever the environment
    # holds) does not answer the uv-less hook: uv syncs first, then the passes replay.
    (project / "src" / "app" / "__init__.py").write_text(SOURCE + "\n\nVALUE = 1\n")
    sh.git(project, "commit", "--quiet", "--all", "--message", "feat: a value")
    sh.run([project / ".venv" / "bin" / "tagship", "gate"], project, timeout=600)
    log.write_text("")
    handed = sh.run(["git", "push", "origin", "master"], project, timeout=600)
    assert log.read_text().splitlines() == ["run --frozen tagship pre-push"]
    assert PASSED in handed.stdout + handed.stderr
    assert sh.git(remote, "rev-parse", "master") == sh.git(project, "rev-parse", "HEAD")
