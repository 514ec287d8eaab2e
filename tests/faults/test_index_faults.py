"""A misbehaving index on 127.0.0.1 against the index client, `check` and `verify`'s wait.

Each way an index can misbehave is a path prefix of one real HTTP server: it drips, it
answers without end, it answers 404 for everything, a login page, text/plain, broken or
unknown-version PEP 691 JSON, or only legacy files. None may hang, pass, or trace back.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tagship.index import IndexUnreachable, NotAnIndex, project_files
from tests.commands.checking import check_json, released
from tests.helpers import tagship

LOGIN = b"""<!DOCTYPE html><html><body><h1>Sign in</h1>
<form method="post" action="/login"><input name="user"><input type="password" name="pw">
</form></body></html>"""
LINKS = b"""<!DOCTYPE html><html><body><a href="/about">About us</a></body></html>"""
LEGACY = b"""<!DOCTYPE html><html><body>
<a href="/f/fault_pkg-0.1.0-py2.7.egg#sha256=00">fault_pkg-0.1.0-py2.7.egg</a>
<a href="/f/fault-pkg-0.1.0.tar.bz2#sha256=00">fault-pkg-0.1.0.tar.bz2</a>
</body></html>"""
JSON_TYPE = "application/vnd.pypi.simple.v1+json"


class _Faulty(BaseHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _drip(self, data: bytes) -> None:
        try:
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client gave up: what it must do
            return

    def _huge(self, *, declared: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if declared:
            self.send_header("Content-Length", str(2 * 1024**3))
        self.end_headers()
        chunk = b"<!-- padding -->" * 4096
        try:
            for _ in range(100_000):
                self.wfile.write(chunk)
        except OSError:
            return

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        mode = self.path.strip("/").split("/")[0]
        answers: dict[str, Callable[[], None]] = {
            "drip-head": lambda: self._drip(b"HTTP/1.1 200 OK\r\n" * 100),
            "drip-body": self._drip_body,
            "huge": lambda: self._huge(declared=False),
            "huge-declared": lambda: self._huge(declared=True),
            "missing": lambda: self._send(404, "text/html", b"<h1>Not Found</h1>"),
            "login": lambda: self._send(200, "text/html; charset=utf-8", LOGIN),
            "links": lambda: self._send(200, "text/html", LINKS),
            "plain": lambda: self._send(200, "text/plain", b"fault_pkg-0.1.0.tar.gz\n"),
            "badjson": lambda: self._send(200, JSON_TYPE, b'{"meta": {"api-version": "1.0"'),
            "deepjson": lambda: self._send(200, JSON_TYPE, b"[" * 200_000 + b"]" * 200_000),
            "wrongjson": lambda: self._send(200, JSON_TYPE, b'{"meta": {"api-version": "1.0"}}'),
            "apiv2": lambda: self._send(200, JSON_TYPE, _api("2.0")),
            "legacy": self._legacy,
            "loop": lambda: self._redirect(self.path),
            "no-location": lambda: self._send(302, "text/html", b""),
            "no-content": lambda: self._send(204, "text/html", b""),
            "binary": lambda: self._send(200, "text/html", gzip.compress(b"<a>x</a>" * 99)),
        }
        answers.get(mode, lambda: self._send(500, "text/plain", b"no such mode"))()

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _drip_body(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self._drip(b" " * 100_000)

    def _legacy(self) -> None:
        if self.path.rstrip("/").endswith("simple"):  # the index's own root exists
            self._send(200, "text/html", b"<html></html>")
        else:
            self._send(200, "text/html", LEGACY)


def _api(version: str) -> bytes:
    return json.dumps({"meta": {"api-version": version}, "files": []}).encode()


@pytest.fixture(scope="module")
def faulty() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Faulty)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _url(base: str, mode: str) -> str:
    return f"{base}/{mode}/simple/"


@pytest.mark.parametrize(
    ("mode", "error", "words"),
    [
        ("drip-head", IndexUnreachable, "ReadTimeout"),
        ("drip-body", IndexUnreachable, "ReadTimeout"),
        ("huge", NotAnIndex, "than the cap of"),
        ("huge-declared", NotAnIndex, "than the cap of"),
        ("missing", NotAnIndex, "404 even for its own root"),
        ("login", NotAnIndex, "a form (a login page?)"),
        ("links", NotAnIndex, "no distribution file ('About us')"),
        ("plain", NotAnIndex, "answered text/plain"),
        ("badjson", NotAnIndex, "malformed PEP 691 JSON"),
        ("deepjson", NotAnIndex, "malformed PEP 691 JSON (nested too deeply)"),
        ("wrongjson", NotAnIndex, "no files list"),
        ("apiv2", NotAnIndex, "simple API version 2.0"),
        ("loop", NotAnIndex, "answered HTTP 302, not a simple API page"),
        ("no-location", NotAnIndex, "answered HTTP 302, not a simple API page"),
        ("no-content", NotAnIndex, "answered HTTP 204, not a simple API page"),
        ("binary", NotAnIndex, "answered binary data as HTML"),
    ],
)
def test_client_refuses_in_time(faulty: str, mode: str, error: type[Exception], words: str) -> None:
    started = time.monotonic()
    with pytest.raises(error) as caught:
        project_files(_url(faulty, mode), "fault-pkg", timeout=1.0, max_bytes=1 << 20)
    assert time.monotonic() - started < 2.5
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_legacy_files_are_read(faulty: str) -> None:
    files = project_files(_url(faulty, "legacy"), "fault-pkg", timeout=2.0)
    assert [f.filename for f in files] == ["fault_pkg-0.1.0-py2.7.egg", "fault-pkg-0.1.0.tar.bz2"]
    assert files[0].digests == {"sha256": "00"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return released(tmp_path_factory.mktemp("faults") / "repo", name="fault-pkg")


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("drip-body", "ReadTimeout"),
        ("missing", "404 even for its own root"),
        ("login", "login page"),
        ("plain", "text/plain"),
        ("badjson", "malformed PEP 691 JSON"),
        ("deepjson", "nested too deeply"),
        ("apiv2", "simple API version 2.0"),
        ("legacy", "fault-pkg 0.1.0 is already on"),
        ("loop", "answered HTTP 302"),
        ("no-content", "answered HTTP 204"),
        ("binary", "binary data as HTML"),
    ],
)
def test_check_never_says_not_burned(repo: Path, faulty: str, mode: str, words: str) -> None:
    started = time.monotonic()
    args = ("v0.1.0", "--index", _url(faulty, mode), "--timeout", "1.5")
    ran, results = check_json(repo, *args, offline=False)
    assert time.monotonic() - started < 6
    finding = results["not-burned"]
    assert (ran.returncode, finding["status"]) == (1, "failed"), finding
    assert words in finding["message"]


@pytest.mark.parametrize(
    ("mode", "words"),
    [("drip-head", "did not appear"), ("login", "login"), ("deepjson", "nested too deeply")],
)
def test_verify_wait_ends(repo: Path, faulty: str, mode: str, words: str) -> None:
    started = time.monotonic()
    ran = tagship(repo, "verify", "v0.1.0", "--index", _url(faulty, mode), "--timeout", "1.5")
    assert time.monotonic() - started < 8
    assert ran.returncode == 1, ran.stderr
    assert "Traceback" not in ran.stderr
    assert words in ran.stderr
