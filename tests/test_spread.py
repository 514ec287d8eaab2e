"""The order of the run: each xdist worker's share starts with its part of the long tests."""

from __future__ import annotations

from tests.conftest import spread

SECONDS = {"a": 17.0, "b": 16.0, "c": 13.0, "d": 7.0, "e": 7.0, "f": 1.0}


def _shares(order: list[str], workers: int) -> list[list[str]]:
    """The contiguous shares xdist's worksteal scheduler hands out first."""
    shares, left = [], list(order)
    for share in range(workers):
        size = len(left) // (workers - share)
        shares.append(left[:size])
        del left[:size]
    return shares


def test_the_long_tests_start_each_share_balanced_longest_first() -> None:
    items = [f"fast{n}" for n in range(12)] + list(SECONDS)
    order = spread(items, lambda item: SECONDS.get(item, 0.0), 3)
    assert sorted(order) == sorted(items)
    shares = _shares(order, 3)
    assert [share[0] for share in shares] == ["a", "b", "c"]
    loads = [sum(SECONDS.get(item, 0.0) for item in share) for share in shares]
    assert max(loads) - min(loads) <= 7.0
    for share in shares:  # slow before fast, the longest first
        slow = [item for item in share if item in SECONDS]
        assert share[: len(slow)] == sorted(slow, key=SECONDS.__getitem__, reverse=True)


def test_one_worker_runs_the_longest_first() -> None:
    order = spread(["fast", "f", "a", "d"], lambda item: SECONDS.get(item, 0.0), 1)
    assert order == ["a", "d", "f", "fast"]


def test_more_slow_tests_than_a_share_holds_still_runs_them_all_first() -> None:
    # balanced, the second share would hold d, e and f: three tests in a share of two
    order = spread(["f", "e", "d", "a"], lambda item: SECONDS.get(item, 0.0), 2)
    assert order == ["a", "e", "d", "f"]  # the same seconds: in collection order


def test_a_group_stays_together_in_one_share() -> None:
    seconds = {"m1::a": 2.0, "m1::b": 2.0, "m2::c": 3.0, "m3::d": 1.0}
    items = ["m1::a", "m2::c", "m1::b", "m3::d", "fast1", "fast2", "fast3", "fast4"]
    order = spread(items, lambda i: seconds.get(i, 0.0), 2, group=lambda i: i.split("::")[0])
    shares = _shares(order, 2)
    assert shares[0][:2] == ["m1::a", "m1::b"]  # the heavier group, in collection order
    assert shares[1][:2] == ["m2::c", "m3::d"]
