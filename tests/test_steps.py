from __future__ import annotations

import re

import pytest

from tagship.errors import FatalError
from tagship.gates.runner import Outcome
from tagship.gates.spec import Gate
from tagship.report import (
    Note,
    Result,
    StepFailed,
    failure_message,
    reporter,
    run_in_order,
    tail,
    timed,
)
from tagship.rules import Rule, failed, passed


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


def test_the_reporter_says_each_step_as_it_starts_and_ends(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with reporter("title", echo=True) as sink:
        run_in_order([("a", lambda: "fine"), ("b", lambda: Note("heads up")), ("c", _fail)], sink)
        sink.progress("a line from c's command\n")
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "title"
    assert lines[1] == "  ...           a"
    assert re.fullmatch(r"  ok   *\d+\.\d\ds  a: fine", lines[2])
    assert lines[3] == "  ...           b"
    assert re.fullmatch(r"  warn *\d+\.\d\ds  b: heads up", lines[4])
    assert lines[5] == "  ...           c"
    assert re.fullmatch(r"  FAIL *\d+\.\d\ds  c: exited 3", lines[6])
    assert lines[7:] == [
        "--- output of 'c':",
        "line 1",
        "line 2",
        "      | a line from c's command",
    ]


def test_quiet_reports_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with reporter("title", quiet=True) as sink:
        done = run_in_order([("a", lambda: "fine"), ("b", _fail)], sink)
    assert [r.status for r in done] == ["passed", "failed"]
    assert capsys.readouterr().err == ""


def test_findings_and_gate_outcomes_are_results_too() -> None:
    error = Rule("TS101", "tag-format", "error")
    warning = Rule("TS102", "dists", "warning")
    assert failed(error, "bad tag", "retag").result() == Result(
        "TS101 tag-format", "failed", 0.0, "bad tag; fix: retag"
    )
    assert failed(warning, "no readme", "add one").result().status == "warning"
    assert passed(error, "fine").result() == Result("TS101 tag-format", "passed", 0.0, "fine")
    outcome = Outcome(Gate("lint", "ruff check ."), "cached", 0.0, "passed on abc")
    assert outcome.result() == Result("lint", "cached", 0.0, "passed on abc")
    failure = Outcome(Gate("lint", "ruff check ."), "failed", 1.5, "exit 1", "E501")
    assert failure.result() == Result("lint", "failed", 1.5, "exit 1", "E501")
