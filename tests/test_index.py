from __future__ import annotations

import http.server
import json
import ssl
import threading
from pathlib import Path

import pytest
from packaging.version import Version

from tagship.checks.burned import burned_version
from tagship.index import IndexFile, IndexUnreachable, LocalIndex, free_port, project_files
from tagship.simpleapi import JSON_TYPE, parse_page
from tests.helpers import BIN, run, sample_project


@pytest.mark.slow
def test_local_index_serves_what_uv_publish_uploaded(
    tmp_path: Path, local_index: LocalIndex
) -> None:
    project = sample_project(tmp_path / "proj", name="index-probe")
    run(["git", "tag", "-a", "-m", "v0.3.0", "v0.3.0"], project)
    run([BIN / "uv", "build", "--quiet", "--out-dir", "dist"], project)
    assert project_files(local_index.url, "index-probe") == []
    run(
        [
            BIN / "uv",
            "publish",
            "--publish-url",
            local_index.upload_url,
            "--username",
            "x",
            "--password",
            "x",
            "dist/*",
        ],
        project,
    )
    files = project_files(local_index.url, "Index_Probe")
    assert sorted(f.filename for f in files) == [
        "index_probe-0.3.0-py3-none-any.whl",
        "index_probe-0.3.0.tar.gz",
    ]
    assert {f.version for f in files} == {"0.3.0"}


def test_unreachable_index_is_a_clear_failure(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/simple/"
    with pytest.raises(IndexUnreachable, match=r"did not answer.*--offline"):
        project_files(url, "anything", timeout=1, attempts=2, backoff=0.01)


def test_local_index_stops(tmp_path: Path) -> None:
    index = LocalIndex(tmp_path / "packages").start()
    was_running = index.running
    index.stop()
    assert (was_running, index.running) == (True, False)
    with pytest.raises(IndexUnreachable):
        project_files(index.url, "x", timeout=1, attempts=1)


@pytest.mark.parametrize(
    ("filename", "version"),
    [
        ("fault_pkg-0.1.0-py3-none-any.whl", "0.1.0"),
        ("fault-pkg-0.1.0.tar.gz", "0.1.0"),
        ("fault-pkg-0.1.0.tar.bz2", "0.1.0"),
        ("Fault.Pkg-0.1.0.zip", "0.1.0"),
        ("fault_pkg-0.1.0-py2.7.egg", "0.1.0"),
        ("fault_pkg-0.1.0-py2.7-linux-x86_64.egg", "0.1.0"),
        ("fault-pkg-0.1.0rc1.tgz", "0.1.0rc1"),
        ("fault-pkg-extra-0.1.0.tar.gz", None),
        ("fault-pkg-0.1.0.exe", None),
        ("README.txt", None),
    ],
)
def test_every_file_format_burns_its_version(filename: str, version: str | None) -> None:
    expected = Version(version) if version else None
    assert burned_version(filename, "fault-pkg") == expected


def test_pep691_json_is_read_with_its_hashes() -> None:
    body = json.dumps(
        {
            "meta": {"api-version": "1.1"},
            "name": "pkg",
            "files": [{"filename": "pkg-1.0.tar.gz", "url": "../f/pkg-1.0.tar.gz", "hashes": {}}],
        }
    ).encode()
    files = parse_page(body, JSON_TYPE, "https://i.example/simple/pkg/")
    assert files == [
        IndexFile("pkg-1.0.tar.gz", "1.0", "https://i.example/simple/f/pkg-1.0.tar.gz")
    ]


def test_pep503_html_is_read_with_its_hashes() -> None:
    body = (
        b'<meta name="pypi:repository-version" content="1.0">'
        b'<a href="/p/pkg-1.0.zip#sha256=ab">pkg-1.0.zip</a>'
    )
    files = parse_page(body, "text/html; charset=utf-8", "http://i.example/simple/pkg/")
    assert files == [
        IndexFile("pkg-1.0.zip", "1.0", "http://i.example/p/pkg-1.0.zip", {"sha256": "ab"})
    ]


def test_an_https_index_is_read_through_the_deadline_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TLS wraps the socket that the deadline arms: PyPI itself is served this way."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        tmp_path,
    )  # fmt: skip
    body = b'<a href="/f/tls_pkg-1.0.tar.gz#sha256=ab">tls_pkg-1.0.tar.gz</a>'

    class Page(http.server.BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/simple/"
        files = project_files(url, "tls-pkg", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert [(f.filename, f.version, f.digests) for f in files] == [
        ("tls_pkg-1.0.tar.gz", "1.0", {"sha256": "ab"})
    ]
