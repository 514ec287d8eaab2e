"""`tagship verify` against real indexes: a real pypiserver, and tiny faulty HTTP servers."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tagship.index import LocalIndex
from tests.dists import (
    CRASHING_INIT,
    IMPOSTOR_INIT,
    LYING_INIT,
    build_sample,
    shared_dir,
    upload,
)
from tests.helpers import CZ_TOML, Ran, tagship, write

pytestmark = pytest.mark.slow

# uv's template script: it starts, but prints the same greeting whatever its arguments.
HELLO_INIT = """\
def main() -> None:
    print("Hello from vfy-hello!")
"""

# A script that leaves a child holding its stdout (a daemon, a pager) and exits.
HOLDER_INIT = """\
import subprocess, sys
from importlib.metadata import version


def main() -> None:
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(90)", "vfy-holder-child"])
    print(version("vfy-holder"))
"""


def checkout(path: Path, name: str, extra: str = "") -> Path:
    """What verify reads from the project's checkout: its name, tag format, smoke config."""
    write(
        path,
        {
            "pyproject.toml": f'[project]\nname = "{name}"\n{extra}',
            ".cz.toml": CZ_TOML.format(scheme="pep440", tag_format="v$version"),
        },
    )
    return path


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory, local_index: LocalIndex) -> LocalIndex:
    """The sample releases of this module on the worker's local index (uploaded once per
    worker, as the index is: a second upload of a file is refused)."""
    root = shared_dir(tmp_path_factory, "verify-dists")
    upload(local_index, build_sample(root, "vfy-good", "v1.0.0rc1"))
    upload(local_index, build_sample(root, "vfy-sdist", "v0.5.0", kinds=("--sdist",)))
    upload(local_index, build_sample(root, "vfy-crash", "v1.0.0", init=CRASHING_INIT))
    upload(local_index, build_sample(root, "vfy-liar", "v1.0.0", init=LYING_INIT))
    upload(local_index, build_sample(root, "vfy-hello", "v1.0.0", init=HELLO_INIT))
    upload(local_index, build_sample(root, "vfy-holder", "v1.0.0", init=HOLDER_INIT))
    return local_index


def verify(cwd: Path, *args: str) -> Ran:
    return tagship(cwd, "verify", *args)


def step_statuses(ran: Ran) -> dict[str, str]:
    return {step["name"]: step["status"] for step in json.loads(ran.stdout)["steps"]}


@pytest.mark.slow(seconds=5)
def test_verify_installs_and_runs_a_wheel(tmp_path: Path, served: LocalIndex) -> None:
    project = checkout(tmp_path, "vfy-good")
    ran = verify(project, "v1.0.0-rc1", "--index", served.url, "--json")
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    assert (report["ok"], report["version"], report["index_url"]) == (True, "1.0.0rc1", served.url)
    assert report["main_index_url"] == "https://pypi.org/simple/"
    assert step_statuses(ran) == {
        "wait for the index": "passed",
        "download": "passed",
        "environment": "passed",
        "install": "passed",
        "metadata": "passed",
        "script vfy-good --version": "passed",
        "import vfy_good": "passed",
    }
    assert report["steps"][1]["detail"] == "vfy_good-1.0.0rc1-py3-none-any.whl (hash checked)"
    assert report["steps"][5]["detail"] == "1.0.0rc1"
    assert "vfy-good 1.0.0rc1 installs and runs" in ran.stderr


def test_verify_installs_an_sdist_only_release(tmp_path: Path, served: LocalIndex) -> None:
    project = checkout(tmp_path, "vfy-sdist")
    ran = verify(project, "0.5.0", "--index", served.url)
    assert ran.returncode == 0, ran.stderr
    assert "download: vfy_sdist-0.5.0.tar.gz (hash checked)" in ran.stderr
    assert "script vfy-sdist --version: 0.5.0" in ran.stderr


def test_a_crashing_entry_point_fails_naming_the_step(tmp_path: Path, served: LocalIndex) -> None:
    project = checkout(tmp_path, "vfy-crash")
    ran = verify(project, "v1.0.0", "--index", served.url)
    assert ran.returncode == 1
    assert ran.stderr.splitlines()[-1] == (
        "error: verify failed at step 'script vfy-crash --version': exited 1"
    )
    assert "RuntimeError: boom: the entry point is broken" in ran.stderr
    assert "ok   " in ran.stderr  # the import still ran and passed: one failure hides nothing


def test_an_entry_point_printing_another_version_fails(tmp_path: Path, served: LocalIndex) -> None:
    project = checkout(tmp_path, "vfy-liar")
    ran = verify(project, "1.0.0", "--index", served.url, "--json")
    assert ran.returncode == 1
    assert step_statuses(ran)["script vfy-liar --version"] == "failed"
    assert ran.stderr.strip() == (
        "error: verify failed at step 'script vfy-liar --version': "
        "printed '9.9.9', not the version 1.0.0"
    )


def test_a_failing_smoke_command_fails_naming_it(tmp_path: Path, served: LocalIndex) -> None:
    smoke = '[tool.tagship]\nsmoke = ["vfy-good --version", "python -c \'raise SystemExit(3)\'"]\n'
    project = checkout(tmp_path, "vfy-good", smoke)
    ran = verify(project, "v1.0.0rc1", "--index", served.url, "--json")
    assert ran.returncode == 1
    statuses = step_statuses(ran)
    assert statuses["smoke vfy-good --version"] == "passed"
    assert statuses["smoke python -c 'raise SystemExit(3)'"] == "failed"
    assert "at step 'smoke python -c 'raise SystemExit(3)'': exited 3" in ran.stderr


def test_smoke_commands_named_in_a_table_are_reported_by_name(
    tmp_path: Path, served: LocalIndex
) -> None:
    smoke = (
        "[tool.tagship.smoke]\n"
        'version = "vfy-good --version"\n'
        "broken = \"python -c 'import vfy_good.nothing_here'\"\n"
    )
    project = checkout(tmp_path, "vfy-good", smoke)
    ran = verify(project, "v1.0.0rc1", "--index", served.url, "--json")
    assert ran.returncode == 1
    statuses = step_statuses(ran)
    assert (statuses["smoke version"], statuses["smoke broken"]) == ("passed", "failed")
    assert "at step 'smoke broken': exited 1" in ran.stderr


def test_a_version_that_never_appears_fails_after_the_timeout(
    tmp_path: Path, served: LocalIndex
) -> None:
    project = checkout(tmp_path, "vfy-good")
    start = time.monotonic()
    ran = verify(project, "v3.0.0", "--index", served.url, "--timeout", "1")
    elapsed = time.monotonic() - start
    assert ran.returncode == 1
    assert "did not appear on" in ran.stderr
    assert re.search(r"within 1 s \(\d+ attempts; last: 3.0.0 is not served yet\)", ran.stderr)
    assert 1 <= elapsed < 10


class _Faulty(http.server.BaseHTTPRequestHandler):
    """Answers every request with a 500, or never answers at all."""

    hang = threading.Event()
    released = threading.Event()
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.hang.is_set():
            self.released.wait(30)
            return
        self.send_error(500, "index on fire")

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def faulty() -> Iterator[tuple[str, type[_Faulty]]]:
    class Handler(_Faulty):
        hang = threading.Event()
        released = threading.Event()
        requests: ClassVar[list[str]] = []

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/simple/", Handler
    Handler.released.set()
    server.shutdown()
    server.server_close()


def test_an_index_answering_500_is_retried_then_fails(
    tmp_path: Path, faulty: tuple[str, type[_Faulty]]
) -> None:
    url, handler = faulty
    ran = verify(checkout(tmp_path, "vfy-good"), "1.0", "--index", url, "--timeout", "2")
    assert ran.returncode == 1
    assert "last: the index did not answer (HTTP 500)); check that the upload" in ran.stderr
    attempts = re.search(r"\((\d+) attempts;", ran.stderr)
    assert attempts is not None
    assert len(handler.requests) == int(attempts.group(1)) >= 2
    assert set(handler.requests) == {"/simple/vfy-good/"}
    assert "Traceback" not in ran.stderr


def test_a_hanging_index_is_abandoned_after_the_timeout(
    tmp_path: Path, faulty: tuple[str, type[_Faulty]]
) -> None:
    url, handler = faulty
    handler.hang.set()
    start = time.monotonic()
    ran = verify(checkout(tmp_path, "vfy-good"), "1.0", "--index", url, "--timeout", "1")
    assert ran.returncode == 1
    assert "within 1 s (1 attempts; last: the index did not answer (ReadTimeout))" in ran.stderr
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1.0", "--index", "nowhere"], "--index 'nowhere' is neither a configured index"),
        (["1.0", "--timeout", "0"], "--timeout must be positive"),
        (["not-a-version"], "'not-a-version' is neither a version nor a release tag"),
        (["1.0+local"], "has a local version"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    ran = verify(checkout(tmp_path, "vfy-good"), *args)
    assert ran.returncode in {1, 2}
    assert message in ran.stderr
    assert ran.stderr.count("\n") == 1


def test_the_package_comes_only_from_its_index_and_dependencies_only_from_the_main_index(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, served: LocalIndex
) -> None:
    """Dependency confusion: the main index also serves the same name and version (an
    impostor); verify must install the release from its own index, and its dependency
    (only on the main index) from the main index."""
    root = shared_dir(tmp_path_factory, "verify-dists")
    real = build_sample(root, "vfy-real", "v2.0.0", dependencies=["vfy-dep"])
    impostor = build_sample(root, "vfy-real", "v2.0.0", init=IMPOSTOR_INIT, variant="-impostor")
    upload(served, real)
    with LocalIndex(tmp_path / "main-packages") as main:
        upload(main, build_sample(root, "vfy-dep", "v1.0.0"))
        renamed = tmp_path / real[0].name  # the impostor's file has the very same name
        renamed.write_bytes(impostor[0].read_bytes())
        upload(main, [renamed])
        project = checkout(
            tmp_path / "checkout",
            "vfy-real",
            f'[tool.tagship.indexes.pypi]\nurl = "{main.url}"\n',
        )
        ran = verify(project, "v2.0.0", "--index", served.url, "--json")
    assert ran.returncode == 0, ran.stderr
    steps = json.loads(ran.stdout)["steps"]
    assert steps[5] == {
        "name": "script vfy-real --version",
        "status": "passed",
        "seconds": steps[5]["seconds"],
        "detail": "2.0.0",
        "output": "",
    }
    assert "impostor" not in ran.stdout + ran.stderr


def test_a_script_that_does_not_answer_version_is_a_note(
    tmp_path: Path, served: LocalIndex
) -> None:
    ran = verify(checkout(tmp_path, "vfy-hello"), "1.0.0", "--index", served.url, "--json")
    assert ran.returncode == 0, ran.stderr
    step = next(s for s in json.loads(ran.stdout)["steps"] if s["name"].startswith("script"))
    assert (step["name"], step["status"], step["detail"]) == (
        "script vfy-hello --version",
        "warning",
        (
            "starts, no version (printed 'Hello from vfy-hello!'); "
            "set its probe in [tool.tagship.smoke]"
        ),
    )


def test_smoke_entries_replace_or_skip_a_scripts_probe(tmp_path: Path, served: LocalIndex) -> None:
    smoke = (
        "[tool.tagship.smoke]\n"
        'vfy-hello = "vfy-hello greet"\n'
        "imports = \"python -c 'import vfy_hello'\"\n"
    )
    hello = verify(checkout(tmp_path / "a", "vfy-hello", smoke), "1.0.0", "--index", served.url)
    assert hello.returncode == 0, hello.stderr
    assert "  ok  " in hello.stderr
    assert "script vfy-hello: vfy-hello greet: exit 0" in hello.stderr
    assert "smoke imports: python -c 'import vfy_hello': exit 0" in hello.stderr
    skip = "[tool.tagship.smoke]\nvfy-liar = false\n"
    liar = verify(checkout(tmp_path / "b", "vfy-liar", skip), "1.0.0", "--index", served.url)
    assert liar.returncode == 0, liar.stderr  # its lying probe is not run
    assert "skip   0.00s  script vfy-liar: skipped by [tool.tagship.smoke]" in liar.stderr


def test_a_child_holding_stdout_neither_holds_verify_nor_outlives_it(
    tmp_path: Path, served: LocalIndex
) -> None:
    start = time.monotonic()
    ran = verify(checkout(tmp_path, "vfy-holder"), "1.0.0", "--index", served.url, "--json")
    elapsed = time.monotonic() - start
    assert ran.returncode == 0, ran.stderr
    assert step_statuses(ran)["script vfy-holder --version"] == "passed"
    assert elapsed < 30  # the script's timeout is 120 s
    assert _processes_mentioning("vfy-holder-child") == []


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in args:
            found.append(args)
    return found
