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
        ({"lint": {"run": "x", "env": {"A": "x\0y"}}}, "lint: env must be a table of strings"),
        ({"lint": {"run": "x\0y"}}, "lint: run contains a NUL character"),
        ({"lint": {"run": "x", "inputs": ["../*"]}}, "lint: inputs '../*' is outside the"),
        ({"lint": {"run": "x", "inputs": ["/etc/*"]}}, "lint: inputs '/etc/*' is outside the"),
        ({"lint": {"run": "x", "inputs": [":(top)../"]}}, "inputs ':(top)../' is outside the"),
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
RUFF = {"ruff-check": "ruff check --no-fix .", "ruff-format": "ruff format --check ."}
EVERY = {**RUFF, "mypy": "mypy .", "pytest": "pytest"}


@pytest.mark.parametrize(
    ("pyproject", "paths", "expected"),
    [
        # every project gets the four, whatever it shows of its tools
        ({}, ["README.md"], EVERY),
        (
            {"tool": {"ruff": {"fix": True}, "mypy": {"strict": True}, "pytest": {}}},
            PKG,
            {**RUFF, "mypy": "mypy src/pkg", "pytest": "pytest"},
        ),
        ({"tool": {"mypy": {"files": ["src"]}}}, PKG, {**EVERY, "mypy": "mypy"}),
        ({}, ["mypy.ini", "pkg/__init__.py", "tests/__init__.py"], {**EVERY, "mypy": "mypy pkg"}),
        ({}, ["mypy.ini", "script.py"], EVERY),
        (
            {"tool": {"ruff": {}, "black": {}}},
            [],
            {**EVERY, "black": "black --check ."},
        ),
        (
            {"dependency-groups": {"dev": ["pytest>=8", "pytest-xdist[psutil]>=3"]}},
            [],
            {**EVERY, "pytest": "pytest -n auto"},
        ),
        (
            {"project": {"optional-dependencies": {"test": ["MyPy ; python_version>'3'"]}}},
            PKG,
            {**EVERY, "mypy": "mypy src/pkg"},
        ),
    ],
)
def test_default_gates_are_the_four_tools(
    pyproject: dict[str, Any], paths: list[str], expected: dict[str, str]
) -> None:
    commands = _commands(pyproject, paths)
    if "black" in commands:
        expected = {k: v for k, v in expected.items() if k != "ruff-format"}
    assert commands == expected


@pytest.mark.parametrize(
    ("pyproject", "paths", "gate", "reason"),
    [
        ({}, ["README.md"], "pytest", "a default gate"),
        ({}, ["tests/unit/test_core.py"], "pytest", "a tests/ directory in the repository"),
        ({"tool": {"ruff": {}}}, [], "ruff-check", "[tool.ruff] in pyproject.toml"),
        ({}, ["mypy.ini"], "mypy", "mypy.ini in the repository"),
    ],
)
def test_default_gates_say_why(
    pyproject: dict[str, Any], paths: list[str], gate: str, reason: str
) -> None:
    found = {g.name: g for g in default_gates(pyproject, paths)}[gate]
    assert found.reason == reason
    assert found.tool == ("ruff" if gate.startswith("ruff") else gate)


def test_only_pytest_treats_no_tests_as_a_pass() -> None:
    exits = {g.name: g.empty_exit for g in default_gates({}, [])}
    assert exits == {"ruff-check": None, "ruff-format": None, "mypy": None, "pytest": 5}


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
        "ruff-check": "ruff check --no-fix .",
        "ruff-format": "ruff format --check .",
        "mypy": "mypy",
        "pytest": "pytest -n auto",
    }
    makefile = (ROOT / "Makefile").read_text()  # make check never fixes either: no fix = true
    assert "fix" not in pyproject["tool"]["ruff"]
    for command in ("ruff check .", "ruff format --check .", "mypy", "pytest $(PYTEST_ARGS)"):
        assert f"$(RUN) {command}\n" in makefile
