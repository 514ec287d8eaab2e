from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tagship.errors import ConfigError
from tagship.gates.spec import Gate, declared_requirements, default_gates, parse_gates, select

ROOT = Path(__file__).parents[2]


def test_parse_string_and_table_forms_in_order() -> None:
    gates = parse_gates(
        {
            "lint": "ruff check . && ruff format --check .",
            "tests": {
                "run": "pytest -q",
                "inputs": ["src/", "tests/", "*.toml"],
                "env": {"B": "2", "A": "1"},
                "timeout": 30,
            },
        }
    )
    assert gates == (
        Gate("lint", "ruff check . && ruff format --check ."),
        Gate("tests", "pytest -q", ("src/", "tests/", "*.toml"), (("A", "1"), ("B", "2")), 30.0),
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([], "[tool.tagship.gates] must be a table"),
        ({"lint": 3}, "lint: write a command string or a table"),
        ({"lint": {"run": ""}}, 'lint: run = "<command>" is missing or empty'),
        ({"lint": {"cmd": "x"}}, "lint: unknown key 'cmd'"),
        ({"lint": {"run": "x", "inputs": "src"}}, "lint: inputs must be a list of git pathspecs"),
        ({"lint": {"run": "x", "inputs": [""]}}, "lint: inputs must be a list"),
        ({"lint": {"run": "x", "env": {"A": 1}}}, "lint: env must be a table of strings"),
        ({"lint": {"run": "x", "timeout": 0}}, "lint: timeout must be a positive number"),
        ({"lint": {"run": "x", "timeout": True}}, "lint: timeout must be a positive"),
        ({"bad name": "x"}, "bad name: a gate name is letters"),
    ],
)
def test_parse_errors_name_the_gate_and_the_fix(table: Any, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_gates(table)
    assert message in str(raised.value)


def test_select_keeps_configured_order_and_refuses_unknown_names() -> None:
    gates = parse_gates({"a": "x", "b": "y", "c": "z"})
    assert [g.name for g in select(gates, ["c", "a"])] == ["a", "c"]
    assert select(gates, None) == gates
    with pytest.raises(ConfigError, match="--only d: no such gate; gates are a, b, c"):
        select(gates, ["d"])


def _commands(pyproject: dict[str, Any], paths: list[str]) -> dict[str, str]:
    return {gate.name: gate.run for gate in default_gates(pyproject, paths)}


PKG = ["src/pkg/__init__.py", "src/pkg/core.py"]


@pytest.mark.parametrize(
    ("pyproject", "paths", "expected"),
    [
        ({}, ["README.md"], {}),
        (
            {"tool": {"ruff": {}, "mypy": {"strict": True}, "pytest": {}}},
            PKG,
            {
                "ruff-check": "ruff check .",
                "ruff-format": "ruff format --check .",
                "mypy": "mypy src/pkg",
                "pytest": "pytest",
            },
        ),
        ({"tool": {"mypy": {"files": ["src"]}}}, PKG, {"mypy": "mypy"}),
        ({}, ["mypy.ini", "pkg/__init__.py", "tests/__init__.py"], {"mypy": "mypy pkg"}),
        ({}, ["mypy.ini", "script.py"], {"mypy": "mypy ."}),
        ({}, ["ruff.toml"], {"ruff-check": "ruff check .", "ruff-format": "ruff format --check ."}),
        (
            {"tool": {"ruff": {}, "black": {}}},
            [],
            {"ruff-check": "ruff check .", "black": "black --check ."},
        ),
        ({}, ["tests/unit/test_core.py"], {"pytest": "pytest"}),
        ({}, ["docs/test_notes.py"], {}),
        (
            {"dependency-groups": {"dev": ["pytest>=8", "pytest-xdist[psutil]>=3"]}},
            [],
            {"pytest": "pytest -n auto"},
        ),
        (
            {"project": {"optional-dependencies": {"test": ["MyPy ; python_version>'3'"]}}},
            PKG,
            {"mypy": "mypy src/pkg"},
        ),
    ],
)
def test_default_gates_follow_the_tools_the_project_uses(
    pyproject: dict[str, Any], paths: list[str], expected: dict[str, str]
) -> None:
    assert _commands(pyproject, paths) == expected


def test_declared_requirements_normalizes_names() -> None:
    pyproject = {
        "project": {"dependencies": ["Foo_Bar>=1", {"not": "a string"}]},
        "tool": {"uv": {"dev-dependencies": ["ruff==0.5"]}},
        "dependency-groups": {"dev": [{"include-group": "x"}, "  pytest"]},
    }
    assert declared_requirements(pyproject) == {"foo-bar", "ruff", "pytest"}


def test_this_repository_defaults_are_make_check() -> None:
    """tagship gates itself with no table: the defaults must be what `make check` runs."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "gates" not in pyproject["tool"].get("tagship", {})
    paths = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert _commands(pyproject, paths) == {
        "ruff-check": "ruff check .",
        "ruff-format": "ruff format --check .",
        "mypy": "mypy",
        "pytest": "pytest -n auto",
    }
    makefile = (ROOT / "Makefile").read_text()
    for command in ("ruff check .", "ruff format --check .", "mypy", "pytest $(PYTEST_ARGS)"):
        assert f"$(RUN) {command}\n" in makefile
