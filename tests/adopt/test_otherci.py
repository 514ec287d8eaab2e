"""Other workflows: one that publishes tags is found; the project's own CI is seen."""

from __future__ import annotations

import pytest

from tagship.adopt import otherci

STEP_PYPA = "    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n"
STEP_TWINE = (
    "    steps:\n      - run: |\n          python -m build\n          twine  upload dist/*\n"
)


def _workflow(on: str, steps: str) -> str:
    return f"name: x\non: {on}\njobs:\n  publish:\n    runs-on: ubuntu-latest\n{steps}"


@pytest.mark.parametrize(
    ("on", "steps", "how"),
    [
        ("\n  push:\n    tags: ['v*']", STEP_PYPA, "pypa/gh-action-pypi-publish"),
        ("\n  release:\n    types: [published]", STEP_TWINE, "twine upload"),
        ("push", "    steps:\n      - run: uv publish --trusted-publishing always\n", "uv publish"),
        (
            "[push, pull_request]",
            "    steps:\n      - run: poetry publish --build\n",
            "poetry publish",
        ),
        (
            "\n  push:\n    tags-ignore: ['x']",
            "    steps:\n      - run: flit publish\n",
            "flit publish",
        ),
        ("\n  push:\n    tags: ['*']", "    steps:\n      - run: pdm publish\n", "pdm publish"),
        ("\n  push:\n    branches: [main]", STEP_PYPA, None),  # branch pushes only
        ("workflow_dispatch", STEP_PYPA, None),  # by hand only
        ("\n  push:\n    tags: ['v*']", "    steps:\n      - run: uv build\n", None),
    ],
)
def test_a_workflow_publishing_tags_is_found(on: str, steps: str, how: str | None) -> None:
    found = otherci.publishers({".github/workflows/publish.yml": _workflow(on, steps)})
    assert found == ([otherci.Publisher(".github/workflows/publish.yml", how)] if how else [])


def test_tagships_own_workflow_and_unreadable_files_are_not_judged() -> None:
    ours = "# Written by tagship init: ...\n" + _workflow("push", STEP_PYPA)
    workflows = {"a.yml": ours, "b.yml": "on: [push\n", "c.yml": "- a list\n"}
    assert otherci.publishers(workflows) == []
    assert not otherci.has_own_ci(workflows)


@pytest.mark.parametrize(
    ("on", "own"),
    [("pull_request", True), ("[push]", True), ("schedule", False), ("release", False)],
)
def test_the_projects_own_ci_is_seen(on: str, own: bool) -> None:
    steps = "    steps:\n      - run: pytest\n"
    assert otherci.has_own_ci({".github/workflows/tests.yaml": _workflow(on, steps)}) is own
