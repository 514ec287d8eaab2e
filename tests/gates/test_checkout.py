from __future__ import annotations

import pytest

from tagship.gates.checkout import requested_rev


@pytest.mark.parametrize(
    ("rev", "environ", "expected"),
    [
        (None, {}, ("HEAD", "HEAD")),
        ("v1.0", {"PRE_COMMIT_TO_REF": "abc"}, ("v1.0", "--rev")),
        (
            None,
            {"PRE_COMMIT_TO_REF": "abc", "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/x"},
            ("abc", "PRE_COMMIT_TO_REF"),
        ),
        # a push that includes the root commit: pre-commit names only the local ref
        (
            None,
            {"PRE_COMMIT_LOCAL_BRANCH": "refs/heads/x"},
            ("refs/heads/x", "PRE_COMMIT_LOCAL_BRANCH"),
        ),
        (None, {"PRE_COMMIT_TO_REF": ""}, ("HEAD", "HEAD")),
    ],
)
def test_requested_rev_priority(
    rev: str | None, environ: dict[str, str], expected: tuple[str, str]
) -> None:
    assert requested_rev(rev, environ) == expected
