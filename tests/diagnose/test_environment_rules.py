"""TS413's pure parts: what `uv sync --locked` installs, a gate's tool, where else it is."""

from __future__ import annotations

from typing import Any

import pytest

from tagship.diagnose.environment_rules import elsewhere, gate_tool, locked_environment
from tagship.gates.spec import Gate

LOCK: dict[str, Any] = {
    "package": [
        {
            "name": "app",
            "source": {"editable": "."},
            "dependencies": [{"name": "requests"}],
            "optional-dependencies": {"lint": [{"name": "ruff"}]},
            "dev-dependencies": {"dev": [{"name": "pytest-cov"}], "typing": [{"name": "mypy"}]},
        },
        {"name": "requests", "dependencies": [{"name": "idna"}]},
        {"name": "idna"},
        {"name": "pytest-cov", "dependencies": [{"name": "coverage", "extra": ["toml"]}]},
        {"name": "coverage", "optional-dependencies": {"toml": [{"name": "tomli"}]}},
        {"name": "tomli"},
        {"name": "ruff"},
        {"name": "mypy"},
    ]
}


def test_the_locked_environment_is_dependencies_and_default_groups() -> None:
    assert locked_environment(LOCK, {}) == {"requests", "idna", "pytest-cov", "coverage", "tomli"}
    with_typing = {"tool": {"uv": {"default-groups": ["dev", "typing"]}}}
    assert "mypy" in locked_environment(LOCK, with_typing)
    assert locked_environment({"package": [{"name": "x"}]}, {}) == frozenset()


def test_in_a_workspace_the_environment_is_the_root_projects() -> None:
    member = {"name": "aaa-lib", "source": {"editable": "packages/aaa-lib"}}
    lock = {"package": [member, *LOCK["package"]]}
    assert locked_environment(lock, {"project": {"name": "App"}}) == locked_environment(LOCK, {})
    assert locked_environment(lock, {}) == locked_environment(LOCK, {})  # the one at "."


@pytest.mark.parametrize(
    ("run", "tool"),
    [
        ("ruff check .", "ruff"),
        ("uv run --frozen mypy src", "mypy"),
        ("python -m pytest -q", "pytest"),
        ("make lint", None),
        ("./scripts/check.sh", None),
        ("cz check", "commitizen"),
        ("sh -c 'echo \"unbalanced'", None),
    ],
)
def test_gate_tool(run: str, tool: str | None) -> None:
    assert gate_tool(Gate("g", run)) == tool


def test_elsewhere_names_the_place_ci_does_not_install() -> None:
    pyproject = {
        "project": {"optional-dependencies": {"lint": ["ruff>=0.9"]}},
        "tool": {"poetry": {"group": {"typing": {"dependencies": {"mypy": "^1"}}}}},
    }
    repos = ["local", "https://github.com/pre-commit/mirrors-prettier"]
    assert elsewhere("ruff", pyproject, repos) == "only in the optional extra 'lint'"
    assert elsewhere("mypy", pyproject, repos) == "only in the poetry group 'typing'"
    hook = "https://github.com/asottile/black-pre-commit-mirror"
    assert elsewhere("black", {}, [hook]) == f"only in the pre-commit hook repository {hook}"
    assert elsewhere("pytest", pyproject, repos) is None
