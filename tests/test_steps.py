from __future__ import annotations

import pytest

from tagship.errors import FatalError
from tagship.report import StepFailed, failure_message, run_in_order, tail, timed


def _fail() -> str:
    raise StepFailed("exited 3", "line 1\nline 2\n")


def _fatal() -> str:
    raise FatalError("no such thing")


def test_run_in_order_skips_everything_after_the_first_failure() -> None:
    done = run_in_order([("a", lambda: "fine"), ("b", _fail), ("c", lambda: "x"), ("d", _fatal)])
    assert [(s.name, s.status, s.detail) for s in done] == [
        ("a", "passed", "fine"),
        ("b", "failed", "exited 3"),
        ("c", "skipped", "'b' failed"),
        ("d", "skipped", "'b' failed"),
    ]
    assert done[1].output == "line 1\nline 2\n"
    assert failure_message("verify", done[1]) == "verify failed at step 'b': exited 3"


def test_a_fatal_error_is_a_failed_step_and_a_bug_is_not() -> None:
    assert timed("x", _fatal).detail == "no such thing"
    with pytest.raises(ZeroDivisionError):
        timed("x", lambda: str(1 / 0))


@pytest.mark.parametrize(
    ("text", "lines", "expected"),
    [
        ("a\nb\nc\n", 5, "a\nb\nc"),
        ("a\nb\nc\n", 2, "[... 1 lines above]\nb\nc"),
        ("", 2, ""),
    ],
)
def test_tail(text: str, lines: int, expected: str) -> None:
    assert tail(text, lines) == expected
