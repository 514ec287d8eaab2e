"""The dev group gets every tool the hooks and gates run, once, where CI installs it."""

from __future__ import annotations

from typing import Any

import pytest
import tomlkit

from tagship.adopt import devgroup

BARE = '[project]\nname = "x"\nrequires-python = ">=3.9"\n'
ALL = (devgroup.TAGSHIP, "commitizen", "pre-commit", "ruff", "mypy", "pytest")


def _dev(text: str, **kwargs: Any) -> tuple[list[str], tuple[str, ...], str]:
    doc = tomlkit.parse(text)
    added = devgroup.adopt(doc, name=str(doc["project"]["name"]), pins={}, **kwargs)
    dumped = tomlkit.dumps(doc)
    return [str(item) for item in tomlkit.parse(dumped)["dependency-groups"]["dev"]], added, dumped


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BARE, list(ALL)),
        # what an earlier init wrote: tagship gets its Python marker, nothing twice
        (
            BARE + '\n[dependency-groups]\ndev = ["commitizen", "pre-commit", "tagship"]\n',
            ["commitizen", "pre-commit", devgroup.TAGSHIP, "ruff", "mypy", "pytest"],
        ),
        # any spelling of a present name counts; versions stay the user's
        (
            BARE + '\n[dependency-groups]\ndev = ["Commitizen>=4", "pre_commit", "RUFF==0.9"]\n',
            ["Commitizen>=4", "pre_commit", "RUFF==0.9", devgroup.TAGSHIP, "mypy", "pytest"],
        ),
        # included groups and uv's legacy dev-dependencies are the dev group too
        (
            BARE + '\n[dependency-groups]\nlint = ["ruff", "mypy"]\n'
            'dev = [{include-group = "lint"}]\n\n[tool.uv]\ndev-dependencies = ["pytest>=8"]\n',
            ["{'include-group': 'lint'}", devgroup.TAGSHIP, "commitizen", "pre-commit"],
        ),
        # a gate tool only an extra or a poetry group holds comes to the dev group too
        (
            BARE + '[project.optional-dependencies]\ntest = ["pytest>=8.1", "coverage"]\n'
            '\n[tool.poetry.group.lint.dependencies]\nmypy = "^1.10"\n',
            [devgroup.TAGSHIP, "commitizen", "pre-commit", "ruff", "mypy", "pytest>=8.1"],
        ),
    ],
)
def test_each_tool_is_added_once(text: str, expected: list[str]) -> None:
    dev, _, dumped = _dev(text)
    assert dev == expected
    again = tomlkit.parse(dumped)
    assert devgroup.adopt(again, name="x", pins={}) == ()


def test_the_project_itself_is_never_its_own_dev_dependency() -> None:
    dev, _, _ = _dev(BARE.replace('"x"', '"pytest"'))
    assert "pytest" not in dev


def test_prek_projects_get_prek_not_pre_commit() -> None:
    dev, added, _ = _dev(BARE, runner="prek")
    assert "prek" in dev
    assert "pre-commit" not in dev
    assert added == tuple(dev)


def test_hook_repos_pin_the_versions() -> None:
    repos = [
        ("https://github.com/astral-sh/ruff-pre-commit", "v0.11.2"),
        ("https://github.com/pre-commit/mirrors-mypy.git", "v1.15.0"),
        ("https://github.com/pre-commit/pre-commit-hooks", "v5.0.0"),
        ("https://github.com/commitizen-tools/commitizen", "not-a-version"),
    ]
    pins = devgroup.pins_from_hook_repos(repos)
    assert pins == {"ruff": "0.11.2", "mypy": "1.15.0"}
    doc = tomlkit.parse(BARE)
    devgroup.adopt(doc, name="x", pins=pins)
    dev = [str(item) for item in doc["dependency-groups"]["dev"]]
    assert dev[3:5] == ["ruff==0.11.2", "mypy==1.15.0"]
