from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import run

DEMO = Path(__file__).parents[1] / "demo" / "demo.py"


@pytest.mark.slow
def test_demo_releases_routes_and_notes_each_tag(tmp_path: Path) -> None:
    ran = run([sys.executable, DEMO], tmp_path)
    for line in (
        "$ tagship route v0.1.0rc0",
        "  version: 0.1.0rc0",
        "$ tagship notes v0.1.0rc1",
        "  hello-tagship --version   # prints 0.1.0rc1",
        "$ tagship route v0.1.0",
        "  channel: pypi",
        "$ git commit --quiet --message 'fix: greet politely'",
        "  error: 'refs/heads/main' is a branch ref, not a tag; release workflows run on tag pushes",  # noqa: E501
    ):
        assert line in ran.stdout.splitlines(), line
    final_notes = ran.stdout.split("$ tagship notes v0.1.0\n")[1].split("\n===")[0]
    assert final_notes == "  ### Feat\n\n  - greet the world\n\n  ### Fix\n\n  - greet politely\n"
    assert ran.stderr == ""
