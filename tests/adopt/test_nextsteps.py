"""What init says next: commands that work, never a bare tag the hooks would refuse."""

from __future__ import annotations

import shlex

import pytest

from tagship.adopt import nextsteps
from tagship.adopt.environment import uv_reason

RC = "uv run cz bump --prerelease rc"


@pytest.mark.parametrize(
    ("version", "tagged", "has_tags", "expected"),
    [
        ("0.1.0", False, False, "uv run cz bump --yes 0.1.0   # tags v0.1.0"),
        ("1.4.0.post1", False, True, "uv run cz bump --yes 1.4.0.post1   # tags v1.4.0.post1"),
        ("3.2.0.dev0", False, False, "uv run cz bump --yes 3.2.0rc0   # 3.2.0.dev0 is a place"),
        ("3.2.0.dev", False, True, RC),  # tags exist: commitizen computes the rc from them
        ("0.1.0", True, True, RC),
        (None, False, True, RC),
        (None, False, False, RC),
        ("not a version", False, False, RC),
    ],
)
def test_the_first_release_is_always_made_by_commitizen(
    version: str | None, tagged: bool, has_tags: bool, expected: str
) -> None:
    tag = f"v{version}" if version else None
    (step,) = nextsteps.first_release(version, tag=tag, tagged=tagged, has_tags=has_tags)
    assert step.startswith(expected)
    assert "git tag" not in step
    assert ".dev" not in step.split("#")[0]


def test_every_command_in_order_quoted() -> None:
    situation = nextsteps.Situation(
        written=("pyproject.toml", "odd name.txt"),
        installed=False,
        static_version="0.1.0",
        static_tag="v0.1.0",
        static_tagged=False,
        has_release_tags=False,
        runner="prek",
        branch="master",
        has_origin=False,
    )
    assert [line.split("   #")[0] for line in nextsteps.commands(situation)] == [
        "uv sync",
        "uv run --frozen prek install",
        "git add -- pyproject.toml 'odd name.txt' && git commit -m "
        + shlex.quote(nextsteps.ADOPT_MESSAGE),
        "uv run cz bump --yes 0.1.0",
        "git remote add origin git@github.com:OWNER/REPO.git",
        "git push --follow-tags origin master",
    ]


@pytest.mark.parametrize(
    ("stderr", "reason"),
    [
        (
            (
                "Using CPython 3.11\n  \u00d7 No solution found when resolving dependencies:\n"
                "  \u2570\u2500\u25b6 Because tagship was not found in the package registry, "
                "it is unusable.\n  hint: limit requires-python\n"
            ),
            "Because tagship was not found in the package registry, it is unusable.",
        ),
        ("error: No `project` table found\n", "No `project` table found"),
        ("something odd\nat the end\n", "at the end"),
        ("", "no output"),
    ],
)
def test_uv_says_why_in_one_line(stderr: str, reason: str) -> None:
    assert uv_reason(stderr) == reason
