"""pre-commit config adoption: tagship's lines inserted, every byte of the user's kept."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, cast

import pytest
from pre_commit.clientlib import load_config  # type: ignore[import-untyped]

from tagship.adopt import precommit
from tagship.errors import ConfigError

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
FOUR = (
    "repos:\n-   repo: local\n    hooks:\n    -   id: a   \n        name: a\n"
    "        entry: a\n        language: system\n"
)
FLAT = (
    "repos:\n- repo: local\n  hooks:\n  - id: a\n    name: a\n    entry: a\n    language: system\n"
)
BLOCK_TYPES = (
    "default_install_hook_types:\n    - pre-commit\n    - pre-push\n"
    "repos:\n  - repo: local\n    hooks:\n      - {id: a, name: a, entry: a, language: system}\n"
)
NO_FINAL_NEWLINE = (
    "repos:\n  - repo: local\n    hooks:\n      - id: a\n        name: a\n"
    "        entry: a\n        language: system"
)
CASES = {
    "commented": COMMENTED,
    "four-space": FOUR,
    "flat": FLAT,
    "crlf": COMMENTED.replace("\n", "\r\n"),
    "block-types": BLOCK_TYPES,
    "no-final-newline": NO_FINAL_NEWLINE,
    "empty-repos": "# nothing yet\nrepos: []   # add some\n",
    "null-repos": "repos:\n",
    "no-repos": "minimum_pre_commit_version: '3.2.0'\n",
    "empty": "",
}


def _loaded(tmp_path: Path, text: str) -> dict[str, Any]:
    """The config as the real pre-commit reads and validates it."""
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_bytes(text.encode())
    return cast("dict[str, Any]", load_config(str(path)))


def _hook(config: dict[str, Any], hook_id: str) -> dict[str, Any]:
    hooks: list[dict[str, Any]] = [
        hook for repo in config["repos"] for hook in repo["hooks"] if hook["id"] == hook_id
    ]
    assert len(hooks) == 1, hook_id
    return hooks[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_tagships_hooks_are_inserted_and_every_other_byte_stays(tmp_path: Path, name: str) -> None:
    old = CASES[name]
    new = precommit.adopt(old)
    if name == "empty-repos":  # `[]` must go: the list is now written as a block
        assert new.startswith("# nothing yet\n")
        assert "\nrepos:   # add some\n  - repo: local\n" in new
    elif name == "no-final-newline":  # the last line gets its line ending
        assert old + "\n" in new
    else:
        old_lines, new_lines = old.splitlines(True), new.splitlines(True)
        diff = difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes()
        for op, start, end, _, _ in diff:  # only the hook types' flow list may grow
            assert op in ("equal", "insert") or all(
                line.startswith("default_install_hook_types: [") for line in old_lines[start:end]
            ), (op, old_lines[start:end])
    if "\r\n" in old:
        assert new.count("\n") == new.count("\r\n")
    config = _loaded(tmp_path, new)
    assert _hook(config, "commitizen")["entry"] == (
        "uv run --frozen cz check --allow-abort --commit-msg-file"
    )
    tagship = _hook(config, "tagship")
    entry = (
        "sh -c 'test -x .venv/bin/tagship && export TAGSHIP_SYNC_ON_MISS=1 && "
        "exec .venv/bin/tagship pre-push; exec uv run --frozen tagship pre-push'"
    )
    assert (tagship["entry"], tagship["stages"]) == (entry, ["pre-push"])
    assert set(precommit.HOOK_TYPES) <= set(config["default_install_hook_types"])
    assert precommit.adopt(new) == new


@pytest.mark.parametrize(
    ("text", "stages"),
    [
        (COMMENTED, ["pre-commit"]),  # the user's hooks ran at commit only
        (BLOCK_TYPES, ["pre-commit", "pre-push"]),
        (FLAT, ["pre-commit"]),
        (FLAT.replace("repos:", "default_stages: [manual]\nrepos:"), ["manual"]),
    ],
)
def test_the_users_hooks_keep_the_stages_they_ran_at(
    tmp_path: Path, text: str, stages: list[str]
) -> None:
    config = _loaded(tmp_path, precommit.adopt(text))
    assert config["default_stages"] == stages


def test_all_hook_types_already_installed_leaves_the_stages_alone(tmp_path: Path) -> None:
    text = "default_install_hook_types: [pre-commit, commit-msg, pre-push]\n" + FLAT
    config = _loaded(tmp_path, precommit.adopt(text))
    assert "default_stages" not in precommit.adopt(text)
    assert _hook(config, "tagship")["stages"] == ["pre-push"]


def test_hooks_an_earlier_tagship_wrote_are_replaced(tmp_path: Path) -> None:
    old = (
        "default_install_hook_types: [pre-commit, commit-msg, pre-push]\n"
        "repos:\n  - repo: local\n    hooks:\n"
        "      - id: commitizen\n        name: c\n"
        "        entry: cz check --allow-abort --commit-msg-file\n"
        "        language: system\n        stages: [commit-msg]\n"
        "      - id: tagship-gate\n        name: g\n        entry: tagship gate\n"
        "        language: system\n        stages: [pre-push]\n"
        "      - id: ruff\n        name: ruff\n        entry: ruff check\n"
        "        language: system\n"
        "      - id: tagship-check\n        name: c\n        entry: tagship check\n"
        "        language: system\n        stages: [pre-push]\n"
    )
    new = precommit.adopt(old)
    config = _loaded(tmp_path, new)
    assert [hook["id"] for hook in config["repos"][0]["hooks"]] == ["commitizen", "tagship", "ruff"]
    assert _hook(config, "commitizen")["entry"].startswith("uv run --frozen cz check")
    assert precommit.adopt(new) == new


def test_the_previous_pre_push_entry_is_upgraded_in_place(tmp_path: Path) -> None:
    current = precommit.adopt("")
    old = current.replace(precommit.PRE_PUSH_ENTRY, "uv run --frozen tagship pre-push")
    assert old != current
    assert precommit.adopt(old) == current
    assert _hook(_loaded(tmp_path, current), "tagship")["entry"] == precommit.PRE_PUSH_ENTRY


def test_existing_hook_ids_are_not_added_twice() -> None:
    text = (
        "repos:\n  - repo: https://github.com/commitizen-tools/commitizen\n    rev: v4.8.0\n"
        "    hooks:\n      - id: commitizen\n"
    )
    new = precommit.adopt(text)
    assert new.count("id: commitizen") == 1
    assert "id: tagship\n" in new


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("repos:\n  local:\n    hooks: []\n", "`repos` must be a list of repositories"),
        ("repos:\n  - repo: local\n    hooks: ruff\n", "with a list of `hooks`"),
        ("- a\n- b\n", "is not a mapping"),
        ("default_install_hook_types: pre-push\nrepos: []\n", "must be a list of hook types"),
        # pre-commit keeps the last `repos`: the hooks init added would never run
        ("repos: []\nrepos: []\n", "invalid YAML .*duplicate key"),
        ("repos:\n  - repo: local\n    hooks:\n      - 5\n", r"hooks\[0\] must be a mapping"),
    ],
)
def test_shapes_pre_commit_refuses_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        precommit.adopt(text)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(".pre-commit-config.yaml: ")
