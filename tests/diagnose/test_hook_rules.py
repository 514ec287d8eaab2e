"""TS411's pure parts: the pre-commit config's shape, bare tools, the hook script's runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tagship.diagnose.hook_rules import Hook, bare_tool, parse_precommit, runner_problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("repos:\n  local:\n    hooks: []\n", "repos must be a list of repositories"),
        ("repos:\n  - repo: local\n    hooks: ruff\n", "repos[0].hooks must be a list of hooks"),
        ("repos:\n  - repo: local\n    hooks: {id: x}\n", "repos[0].hooks must be a list of hooks"),
        ("repos:\n  - local\n", "repos[0] must be a mapping"),
        ("repos:\n  - repo: local\n    hooks: [x]\n", "repos[0].hooks[0] must be a mapping"),
        ("- just a list\n", "repos must be a list"),
        ("repos: [\n", "invalid YAML"),
        ("", "repos must be a list"),
    ],
)
def test_a_broken_config_is_one_line_naming_the_key(text: str, problem: str) -> None:
    found = parse_precommit(text)
    assert isinstance(found, str)
    assert problem in found
    assert "\n" not in found


def test_hooks_are_read() -> None:
    text = (
        "repos:\n  - repo: local\n    hooks:\n"
        "      - {id: tagship, entry: uv run --frozen tagship pre-push, language: system}\n"
        "  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.9.0\n"
        "    hooks:\n      - id: ruff\n"
    )
    assert parse_precommit(text) == [
        Hook("local", "tagship", "uv run --frozen tagship pre-push", "system"),
        Hook("https://github.com/astral-sh/ruff-pre-commit", "ruff", "", ""),
    ]


@pytest.mark.parametrize(
    ("hook", "tool"),
    [
        (Hook("local", "commitizen", "cz check --commit-msg-file", "system"), "cz"),
        (Hook("local", "tagship-gate", "tagship gate", "system"), "tagship"),
        (Hook("local", "tagship", "uv run --frozen tagship pre-push", "system"), None),
        (Hook("local", "ruff", "ruff check", "system"), None),  # the user's own hook
        (Hook("https://example.com/x", "tagship", "", ""), None),
    ],
)
def test_bare_tool(hook: Hook, tool: str | None) -> None:
    assert bare_tool(hook) == tool


def test_runner_problem(tmp_path: Path) -> None:
    alive = f"#!/usr/bin/env bash\nINSTALL_PYTHON={sys.executable}\nARGS=(hook-impl)\n"
    assert runner_problem(alive) is None
    gone = f"INSTALL_PYTHON={tmp_path}/gone/bin/python\n"
    assert runner_problem(gone) == f"its runner {tmp_path}/gone/bin/python no longer exists"
    cached = "INSTALL_PYTHON=/home/u/.cache/uv/archive-v0/abc/bin/python\n"
    assert "uv's cache" in (runner_problem(cached) or "")
    assert runner_problem("#!/bin/sh\necho no runner here\n") is None
