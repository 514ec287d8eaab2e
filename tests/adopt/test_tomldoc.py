"""tomldoc.spaced: a table tomlkit added is set apart by a blank line, as a person writes it."""

from __future__ import annotations

import pytest

from tagship.adopt import tomldoc

OLD = '[project]\nname = "x"\n[tool.ruff]\nfix = false\n\n[build-system]\nrequires = []\n'


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        # a new table between the user's last [tool.*] table and [build-system]
        (
            OLD.replace("\n\n[build-system]", "\n\n[tool.tagship]\nx = 1\n[build-system]"),
            OLD.replace("\n\n[build-system]", "\n\n[tool.tagship]\nx = 1\n\n[build-system]"),
        ),
        # a new table right under a key of the user's: set apart too
        (
            OLD.replace("fix = false\n", "fix = false\n[tool.hatch.version]\nsource = 'vcs'\n"),
            OLD.replace("fix = false\n", "fix = false\n\n[tool.hatch.version]\nsource = 'vcs'\n"),
        ),
        # the user's own tables without blank lines stay as they are
        (OLD, OLD),
        # a comment above a header belongs to it
        (OLD.replace("[build-system]", "# built by\n[build-system]"),) * 2,
    ],
)
def test_a_new_table_gets_a_blank_line_before_the_next(new: str, expected: str) -> None:
    assert tomldoc.spaced(OLD, new) == expected
    assert tomldoc.spaced(OLD, expected) == expected  # settled: a second pass changes nothing


def test_crlf_stays_crlf() -> None:
    old, new = OLD.replace("\n", "\r\n"), (OLD + "[tool.tagship]\r\nx = 1\r\n[a]\r\n")
    new = new.replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    assert tomldoc.spaced(old, new).endswith("[tool.tagship]\r\nx = 1\r\n\r\n[a]\r\n")
