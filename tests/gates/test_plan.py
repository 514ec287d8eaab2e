from __future__ import annotations

import pytest

from tagship.gates.plan import longest_first
from tagship.gates.spec import Gate

LINT, TYPES, TESTS = (Gate(name, "true") for name in ("lint", "types", "tests"))


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        ({"lint": 0.1, "types": 2.0, "tests": 3.0}, [TESTS, TYPES, LINT]),
        ({"lint": 0.1, "types": None, "tests": 3.0}, [TYPES, TESTS, LINT]),  # never passed
        ({"lint": 0.0, "types": 0.0, "tests": 0.0}, [LINT, TYPES, TESTS]),  # ties: as configured
        ({}, [LINT, TYPES, TESTS]),
    ],
)
def test_the_longest_gate_starts_first(
    seconds: dict[str, float | None], expected: list[Gate]
) -> None:
    assert longest_first([LINT, TYPES, TESTS], seconds) == expected
