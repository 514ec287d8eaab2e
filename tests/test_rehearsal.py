from __future__ import annotations

import pytest
from packaging.version import Version

from tagship.errors import ConfigError, FatalError
from tagship.rehearse.rehearsal import choose_tag, failure_line

HEAD = "a" * 40
OTHER = "b" * 40


@pytest.mark.parametrize(
    ("explicit", "tags", "at_head", "expected"),
    [
        ("v1.0rc1", {}, {}, ("v1.0rc1", True)),
        ("v1.0rc1", {"v1.0rc1": HEAD}, {"v1.0rc1": "1.0rc1"}, ("v1.0rc1", False)),
        (None, {"v1.0rc1": HEAD}, {"v1.0rc1": "1.0rc1"}, ("v1.0rc1", False)),
        (
            None,
            {"v1.0rc1": HEAD, "v1.0": HEAD, "v0.9": OTHER},
            {"v1.0rc1": "1.0rc1", "v1.0": "1.0"},
            ("v1.0", False),
        ),
    ],
)
def test_choose_tag(
    explicit: str | None,
    tags: dict[str, str],
    at_head: dict[str, str],
    expected: tuple[str, bool],
) -> None:
    versions = {tag: Version(v) for tag, v in at_head.items()}
    assert choose_tag(explicit, HEAD, tags, versions, "v1.2.3rc1") == expected


def test_a_tag_on_another_commit_is_never_moved() -> None:
    with pytest.raises(FatalError, match=r"tag 'v0.9' already points at bbbbbbbbbbbb, not HEAD"):
        choose_tag("v0.9", HEAD, {"v0.9": OTHER}, {}, "v1.2.3rc1")


def test_an_untagged_head_needs_a_tag() -> None:
    with pytest.raises(ConfigError, match=r"pass the tag to rehearse, e.g. tagship rehearse v1"):
        choose_tag(None, HEAD, {"v0.9": OTHER}, {}, "v1.2.3rc1")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("progress\nerror: tagship gate: ruff failed\n", "tagship gate: ruff failed"),
        (
            "ok   TS1 a: fine\nFAIL TS2 not-burned: 1.0 is on the index\n   fix: bump\nFAIL x\n",
            "FAIL TS2 not-burned: 1.0 is on the index",
        ),
        ("Building...\nerror: Failed to build `x`\n  hint: a hint\n\n", "Failed to build `x`"),
        ("Building...\n  done\n  last words\n\n", "last words"),
        ("", ""),
    ],
)
def test_failure_line(text: str, line: str) -> None:
    assert failure_line(text) == line
