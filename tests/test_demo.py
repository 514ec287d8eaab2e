from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import run

DEMO = Path(__file__).parents[1] / "demo" / "demo.py"


@pytest.mark.slow
def test_demo_releases_routes_and_notes_each_tag(tmp_path: Path, tagship_wheels: Path) -> None:
    # `tagship init` syncs the project's environment: its dev-group tagship is this checkout
    ran = run([sys.executable, DEMO], tmp_path, env={"UV_FIND_LINKS": str(tagship_wheels)})
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

    lines = ran.stdout.splitlines()
    # both releases rehearsed end to end, the final one installed and run, then refused
    for prefix in (
        "  rehearsal of v0.1.0rc0 passed in ",
        "  rehearsal of v0.1.0 passed in ",
        "  error: rehearse failed at step 'check': FAIL TS108 not-burned: hello-tagship 0.1.0",
        "  stopped the kept index on port ",
    ):
        assert any(line.startswith(prefix) for line in lines), prefix
    version = next(i for i, line in enumerate(lines) if line.endswith("/hello-tagship --version"))
    assert lines[version + 1 : version + 4] == [
        "  0.1.0",
        f"{lines[version][: -len(' --version')]}",
        "  Hello, world, and welcome!",
    ]
