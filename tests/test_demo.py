from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import run

DEMO = Path(__file__).parents[1] / "demo" / "demo.py"


@pytest.mark.slow
def test_demo_gates_rehearses_and_installs_an_rc_and_its_final(tmp_path: Path) -> None:
    ran = run([sys.executable, DEMO], tmp_path)
    lines = ran.stdout.splitlines()
    for line in (
        "$ uv run tagship route v0.1.0rc0",
        "  version: 0.1.0rc0",
        "  hello-tagship --version   # prints 0.1.0rc0",
        "$ uv run tagship route v0.1.0",
        "  channel: pypi",
        "  gates on " + ran.stdout.split("  gates on ")[1].split(":")[0] + ": 4 passed",
        "    Environment name:  release-test",
        "    Environment name:  release",
        "  error: 'refs/heads/main' is a branch ref, not a tag; release workflows run on tag pushes",  # noqa: E501
    ):
        assert line in lines, line
    # the gates ran, then came from their cache
    assert any(line.startswith("  cached  pytest (passed on ") for line in lines)
    final_notes = ran.stdout.split("$ uv run tagship notes v0.1.0\n")[1].split("\n===")[0]
    assert final_notes == "  ### Feat\n\n  - greet the world\n"
    assert ran.stderr == ""
    # the rc and the final, each rehearsed end to end against its own embedded index
    rc_index = _index_of(lines, "rehearsal of v0.1.0rc0 (rc 0.1.0rc0 -> testpypi)")
    final_index = _index_of(lines, "rehearsal of v0.1.0 (final 0.1.0 -> pypi)")
    assert rc_index != final_index
    for prefix in (
        "  rehearsal of v0.1.0rc0 passed in ",
        "  rehearsal of v0.1.0 passed in ",
        "  stopped the kept index on port ",
    ):
        assert any(line.startswith(prefix) for line in lines), prefix
    version = next(i for i, line in enumerate(lines) if line.endswith("/hello-tagship --version"))
    assert lines[version + 1 : version + 4] == [
        "  0.1.0",
        f"{lines[version][: -len(' --version')]}",
        "  Hello, world!",
    ]


def _index_of(lines: list[str], title: str) -> str:
    """The URL of the index the rehearsal titled `title` uploaded to."""
    start = lines.index(f"  {title}")
    upload = next(line for line in lines[start:] if "  upload: uv publish of" in line)
    return upload.rsplit(" to ", 1)[1]
