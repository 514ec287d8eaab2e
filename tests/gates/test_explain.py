from __future__ import annotations

import pytest

from tagship.gates.cache import LastPass, Pass
from tagship.gates.explain import environment_changes, input_changes, reason
from tagship.gates.spec import Gate


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        ({"a": "1"}, {"a": "1"}, []),
        ({"a": "1"}, {"a": "2"}, ["modified a"]),
        ({"a": "1"}, {"a": "1", "b": "2"}, ["added b"]),
        ({"a": "1", "b": "2"}, {"b": "2"}, ["removed a"]),
        (
            {"a": "1", "b": "1", "c": "1", "d": "1", "e": "1"},
            {"a": "2", "b": "2", "c": "2", "d": "2", "e": "1", "f": "1"},
            ["modified a, b, c and 1 more", "added f"],
        ),
    ],
)
def test_input_changes(before: dict[str, str], now: dict[str, str], expected: list[str]) -> None:
    assert input_changes(before, now) == expected


ENV = {"python": "3.11.7", "platform": "linux-x86_64", "distributions": ["ruff==1"], "locks": []}


def test_environment_changes_name_what_moved() -> None:
    now = {**ENV, "python": "3.12.1", "distributions": ["ruff==2"]}
    assert environment_changes(ENV, now) == [
        "python 3.11.7 -> 3.12.1",
        "installed distributions +ruff==2, -ruff==1",
    ]


GATE = Gate("lint", "ruff check .")


def test_reason_for_each_case() -> None:
    hit = Pass("lint", "a" * 40, 0.5, 0.0)
    last = LastPass("k", "ruff check src", [], ENV, {"a.py": "1"})

    def why(**kw: object) -> str:
        args: dict[str, object] = {
            "inputs": {"a.py": "2"},
            "environment": ENV,
            "hit": None,
            "last": last,
            "no_cache": False,
        }
        return reason(GATE, **{**args, **kw})  # type: ignore[arg-type]

    assert why(no_cache=True) == "ran: --no-cache"
    assert why(hit=hit) == (
        "skipped: passed on aaaaaaaaaaaa with the same command, environment and 1 input files"
    )
    assert why(last=None) == "ran: no pass recorded for this gate yet"
    assert why() == "ran: command changed from 'ruff check src'; modified a.py"
