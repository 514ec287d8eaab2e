"""Test isolation: a private git config, the project's own tools first on PATH."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from tagship.index import LocalIndex
from tests.helpers import BIN
from tests.userland import plain_shell, tagship_wheels

T = TypeVar("T")


def pytest_configure(config: pytest.Config) -> None:
    # A shell starts background jobs with SIGINT ignored, and children inherit that: the
    # tests that interrupt tagship would then test nothing (or wait for their timeout).
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _seconds(item: pytest.Item) -> float:
    """What an end-to-end test takes (its `slow(seconds=...)` mark; 2 unsaid), 0 if not slow."""
    marks = list(item.iter_markers("slow"))
    return max((float(mark.kwargs.get("seconds", 2)) for mark in marks), default=0.0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The end-to-end tests first, the longest first, spread over the xdist workers.

    xdist's worksteal scheduler gives each worker a contiguous share of this list and lets
    an idle worker steal from the end of another's: a long test at the end of a share is
    the run's tail, and long tests in one share run one after the other. So each share
    starts with its part of the slow tests, balanced by their seconds. The slow tests of a
    module stay together (its module-scoped fixtures are made once), but for the longest
    (LONG seconds or more), which go wherever they balance best."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    items[:] = spread(items, _seconds, workers, group=_group)


LONG = 10.0


def _group(item: pytest.Item) -> str:
    return item.nodeid if _seconds(item) >= LONG else item.nodeid.split("::")[0]


def spread(
    items: list[T], seconds: Callable[[T], float], workers: int, group: Callable[[T], str] = str
) -> list[T]:
    """`items` reordered so that each of `workers` contiguous shares (as xdist cuts them)
    starts with a balanced part of the slow ones (seconds > 0), in groups, the longest
    first; the fast ones follow in their order (pure)."""
    groups: dict[str, list[T]] = {}
    for item in items:
        if seconds(item):
            groups.setdefault(group(item), []).append(item)
    weight = {key: sum(map(seconds, members)) for key, members in groups.items()}
    heaviest = sorted(groups, key=weight.__getitem__, reverse=True)
    slow = [item for key in heaviest for item in groups[key]]
    fast = [item for item in items if not seconds(item)]
    sizes, left = [], len(items)
    for share in range(workers):  # worksteal: `len(pending) // nodes_remaining` each
        sizes.append(left // (workers - share))
        left -= sizes[-1]
    parts: list[list[T]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for key in heaviest:
        emptiest = min(range(workers), key=lambda share: (loads[share], share))
        parts[emptiest] += groups[key]
        loads[emptiest] += weight[key]
    if any(len(part) > size for part, size in zip(parts, sizes, strict=True)):
        return slow + fast
    ordered: list[T] = []
    for part, size in zip(parts, sizes, strict=True):
        taken = size - len(part)
        ordered += part + fast[:taken]
        del fast[:taken]
    return ordered


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Test\n\temail = test@example.invalid\n"
        "[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n"
        "[advice]\n\tdetachedHead = false\n",
        encoding="utf-8",
    )
    saved = dict(os.environ)
    for key in list(os.environ):
        if key.startswith(("GITHUB_", "GIT_", "CZ_PRE_", "PRE_COMMIT", "TAGSHIP_")):
            del os.environ[key]
    os.environ.update(
        {
            "GIT_CONFIG_GLOBAL": str(gitconfig),
            "GIT_CONFIG_NOSYSTEM": "1",
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "NO_COLOR": "1",
            "PRE_COMMIT_HOME": str(tmp_path_factory.getbasetemp() / "pre-commit-home"),
        }
    )
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def local_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIndex]:
    """A real pypiserver on 127.0.0.1, shared by the tests of one worker."""
    with LocalIndex(tmp_path_factory.mktemp("index") / "packages") as index:
        yield index


__all__ = ["plain_shell", "tagship_wheels"]
