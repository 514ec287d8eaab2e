"""pre-commit config adoption: round-trip, the user's bytes kept, idempotent."""

from __future__ import annotations

import re

import pytest

from tagship.adopt import precommit

COMMENTED = """\
# Our hooks. Do not reorder: ruff must run before mypy.
default_install_hook_types: [pre-commit]  # commit only, for now

repos:
  # formatting first
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.11.0  # keep in sync with pyproject
    hooks:
      - id: ruff
        args: ['--fix']   # single quotes on purpose
      - id: ruff-format
  - repo: local
    hooks:
      - id: mypy
        name: mypy
        entry: mypy
        language: system
        types: [python]

# trailing comment
"""


def test_comments_order_and_quotes_survive() -> None:
    new = precommit.adopt(COMMENTED)
    lines = COMMENTED.splitlines()
    # Every original line is still there, in order (only hook types and hooks are added).
    found = iter(new.splitlines())
    for line in lines:
        if line.startswith("default_install_hook_types"):
            continue
        assert any(candidate == line for candidate in found), line
    # The edited line keeps its comment (ruamel may re-space it).
    assert re.search(
        r"^default_install_hook_types: \[pre-commit, commit-msg, pre-push\] +# commit only",
        new,
        re.MULTILINE,
    )
    assert new.index("id: mypy") < new.index("id: commitizen") < new.index("id: tagship-gate")
    assert precommit.adopt(new) == new


@pytest.mark.parametrize(
    "text",
    [
        (
            "repos:\n-   repo: local\n    hooks:\n    -   id: a\n        name: a\n"
            "        entry: a\n        language: system\n"
        ),
        (
            "repos:\n- repo: local\n  hooks:\n  - id: a\n    name: a\n    entry: a\n"
            "    language: system\n"
        ),
    ],
)
def test_the_files_own_indentation_is_kept(text: str) -> None:
    new = precommit.adopt(text)
    assert new.startswith("default_install_hook_types: [pre-commit, commit-msg, pre-push]\n")
    assert text.split("\n", 1)[1] in new
    assert precommit.adopt(new) == new


def test_a_missing_file_gets_the_three_hooks() -> None:
    new = precommit.adopt(None)
    assert new.count("- id:") == 3
    assert "entry: cz check --allow-abort --commit-msg-file" in new
    assert new.count("stages: [pre-push]") == 2


def test_existing_hook_ids_are_not_added_twice() -> None:
    text = (
        "repos:\n  - repo: https://github.com/commitizen-tools/commitizen\n    rev: v4.8.0\n"
        "    hooks:\n      - id: commitizen\n"
    )
    new = precommit.adopt(text)
    assert new.count("id: commitizen") == 1
    assert "id: tagship-check" in new
