"""`check --pre-bump` after its fast rules: the gates, then one build and the dist rules.

What CI would refuse is refused before the tag exists: the gates run on the commit being
released, the dists are built once (the version commitizen is about to tag, given to the
build backend as its pretend version: the tag does not exist yet), and exactly the rules
of `check --dist` run on them, with the same severities.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from tagship import proc
from tagship.bumping import CHANGELOG_VARIABLE
from tagship.checks.target import Target
from tagship.errors import FatalError
from tagship.rules import Finding, Rule, evaluate, failed, passed

GATES = Rule("TS113", "gates", "error")
BUILD = Rule("TS114", "build", "error")
BUILD_TIMEOUT = 900.0
# Each backend's way to be told the version when git cannot say it yet.
_PRETEND = (
    "SETUPTOOLS_SCM_PRETEND_VERSION",
    "PDM_BUILD_SCM_VERSION",
    "POETRY_DYNAMIC_VERSIONING_BYPASS",
)


def run_gates(root: Path) -> Finding:
    """The project's gates, through the gate command (its cache, worktree and display)."""
    from tagship.commands.gate import gate  # noqa: PLC0415 (only a bump pays for the gates)

    # check, not the gate, says what becomes of the changelog cz wrote (it may remove it)
    written = os.environ.pop(CHANGELOG_VARIABLE, None)
    try:
        code = gate(rev=None, no_cache=False, jobs=None, only=None, explain=False, as_json=False)
    finally:
        if written is not None:
            os.environ[CHANGELOG_VARIABLE] = written
    if code == 0:
        return passed(GATES, "the gates passed on the commit being released")
    return failed(GATES, "a gate failed (see above)", "fix it, commit, then bump again")


def _uv() -> str:
    from tagship.verify.install import uv_bin  # noqa: PLC0415

    return uv_bin()


def build(target: Target, out: Path) -> Finding:
    assert target.release is not None  # noqa: S101 (the caller skips non-releases)
    version = str(target.release.version)
    env = dict.fromkeys(_PRETEND, version)
    try:
        proc.run(
            [_uv(), "build", "--quiet", "--out-dir", out],
            cwd=target.root,
            env=env,
            timeout=BUILD_TIMEOUT,
        )
    except proc.ProcessError as exc:
        tail = " ".join((exc.stderr or exc.stdout).strip().splitlines()[-2:])
        return failed(BUILD, f"uv build failed: {tail or exc}", "uv build here shows why")
    return passed(BUILD, f"uv build made the dists of {version}")


def build_and_check(target: Target, dist_checks: Callable[[Path], list[Finding]]) -> list[Finding]:
    """Build once into a temporary folder, then the `--dist` rules on it."""
    if target.release is None:
        return []
    out = Path(tempfile.mkdtemp(prefix="tagship-dists-"))
    try:
        built = evaluate(BUILD, lambda: build(target, out))
        return [built, *([] if built.blocks else dist_checks(out))]
    except FatalError as exc:
        return [failed(BUILD, str(exc), "uv build here shows why")]
    finally:
        shutil.rmtree(out, ignore_errors=True)
