"""Test isolation: a private git config, the project's own tools first on PATH."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from tagship.index import LocalIndex
from tests.helpers import BIN
from tests.userland import plain_shell, tagship_wheels


def pytest_configure(config: pytest.Config) -> None:
    # A shell starts background jobs with SIGINT ignored, and children inherit that: the
    # tests that interrupt tagship would then test nothing (or wait for their timeout).
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The end-to-end tests first: with xdist, a long test started last is the run's tail."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
