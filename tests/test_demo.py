from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.helpers import run
from tests.userland import PlainShell

DEMO = Path(__file__).parents[1] / "demo" / "demo.py"


@pytest.mark.slow(seconds=17)
def test_demo_gates_then_rehearses_the_rc_and_the_final_on_two_indexes(
    tmp_path: Path, plain_shell: PlainShell
) -> None:
    # offline, from the uv cache the plain shell warmed: as `make demo` on a plane
    ran = run([sys.executable, DEMO], tmp_path, env={"UV_OFFLINE": "1"})
    assert ran.stderr == ""
    lines = ran.stdout.splitlines()
    for line in (
        "$ uv run tagship route v0.1.0rc0",
        "  version: 0.1.0rc0",
        "  hello-tagship --version   # prints 0.1.0rc0",
        "    Environment name:  release-test",
        "    Environment name:  release",
        "  error: 'refs/heads/main' is a branch ref, not a tag; release workflows run on tag pushes",  # noqa: E501
    ):
        assert line in lines, line
    # the gates ran, then came from their cache
    assert re.search(r"^  gates on \w+: 4 passed$", ran.stdout, re.MULTILINE)
    assert re.search(r"^  gates on \w+: 4 cached$", ran.stdout, re.MULTILINE)
    # the rc to the embedded test index, graduation, the final to the embedded main index
    rehearsal = ran.stdout.split("$ uv run tagship rehearse --release\n")[1].split("\n===")[0]
    test_index, main_index = re.findall(r"index: testpypi at (\S+); pypi at (\S+)", rehearsal)[0]
    assert test_index != main_index
    for expected in (
        f"upload: uv publish of 2 files to {test_index.removesuffix('simple/')}",
        f"verify: 0.1.0rc0 installs from {test_index} and runs; dependencies from {main_index}",
        "graduate: cz bump: v0.1.0rc0 -> v0.1.0, on ",
        f"final upload: uv publish of 2 files to {main_index.removesuffix('simple/')}",
        f"final verify: 0.1.0 installs from {main_index} and runs",
        "rehearsal of v0.1.0rc0 and v0.1.0 passed in ",
    ):
        assert expected in rehearsal, expected
    final_notes = rehearsal.split("release notes of v0.1.0 (the GitHub release's body):\n")[1]
    assert final_notes.startswith("    | ### Feat\n    |\n    | - greet the world\n")
    assert "  release notes of v0.1.0rc0 (the GitHub release's body):" in rehearsal
