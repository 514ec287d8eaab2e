"""Package indexes: what an index serves (simple API), and the embedded local index.

The client speaks PEP 691 JSON with PEP 503 HTML as fallback (simpleapi.py, over the
standard library's HTTP client: httpget.py); every call has an overall deadline, a size
cap and bounded retries. The local index is a real pypiserver on 127.0.0.1 and a
free port, with uploads open and overwrite off, like PyPI.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from urllib.parse import urljoin

from packaging.utils import canonicalize_name

from tagship import httpget, proc
from tagship.errors import FatalError
from tagship.simpleapi import ACCEPT, IndexFile, NotAnIndex, file_version, parse_page

__all__ = [
    "IndexFile",
    "IndexUnreachable",
    "LocalIndex",
    "NotAnIndex",
    "file_version",
    "free_port",
    "project_files",
]


class IndexUnreachable(FatalError):
    """The index did not answer (down, slow, or 5xx) within the retries."""


def project_files(
    index_url: str,
    project: str,
    *,
    timeout: float = 20.0,
    attempts: int = 3,
    backoff: float = 0.5,
    max_bytes: int = httpget.MAX_BYTES,
) -> list[IndexFile]:
    """The files `index_url` serves for `project` ([] when it has no such project).

    `timeout` is the deadline of the whole call, retries included: an index that drips a
    byte a second cannot hold it longer. An answer that is not a simple API page raises
    NotAnIndex at once (retrying would get the same page).
    """
    deadline = time.monotonic() + timeout
    url = urljoin(index_url, canonicalize_name(project) + "/")
    problem = ""
    for attempt in range(attempts):
        if attempt:
            time.sleep(min(backoff * 2 ** (attempt - 1), max(deadline - time.monotonic(), 0)))
        try:
            answer = httpget.get(url, deadline=deadline, max_bytes=max_bytes, accept=ACCEPT)
        except httpget.TooLarge as exc:
            raise NotAnIndex(str(exc)) from None
        except httpget.Failed as exc:
            problem = exc.reason
            if not exc.retry:
                break
            continue
        if answer.status in {404, 410}:
            _index_exists(index_url, deadline)
            return []
        _page_status(answer, url)
        return parse_page(answer.body, answer.content_type, answer.url)
    raise IndexUnreachable(
        f"index {index_url} did not answer for {project!r} ({problem}, {attempts} attempts); "
        "check the URL and your network, or pass --offline to skip this"
    )


def _page_status(answer: httpget.Answer, url: str) -> None:
    """Only a 200 is a page: a redirect that led nowhere (a loop, no Location, another
    scheme) or a 204 holds no project, and is not "this version is not there"."""
    if answer.status != 200:
        raise NotAnIndex(
            f"{url} answered HTTP {answer.status}, not a simple API page; check the index URL"
        )


def _index_exists(index_url: str, deadline: float) -> None:
    """A 404 for the project means "no such project" only if the index itself is there."""
    try:
        answer = httpget.get(index_url, deadline=deadline, method="HEAD", accept=ACCEPT)
    except httpget.Failed as exc:
        raise IndexUnreachable(
            f"index {index_url} has no page for the project and did not answer for itself "
            f"({exc.reason}); check the URL, or pass --offline to skip this"
        ) from None
    if answer.status in {404, 410}:
        raise NotAnIndex(
            f"index {index_url} answers {answer.status} even for its own root: not a "
            "simple API URL (it usually ends in /simple/); check the URL"
        )
    _page_status(answer, index_url)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class LocalIndex:
    """pypiserver on loopback serving `packages`; a context manager that always stops it."""

    host = "127.0.0.1"

    def __init__(
        self, packages: Path, *, port: int | None = None, fallback: str | None = None
    ) -> None:
        self.packages = packages
        self.port = port or free_port(self.host)
        self.fallback = fallback
        """Where a project this index does not hold is redirected (else: not found)."""
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The simple API, for installers."""
        return f"{self.base_url}/simple/"

    @property
    def upload_url(self) -> str:
        """The legacy upload API, for `uv publish`."""
        return f"{self.base_url}/"

    def start(self, *, wait: float = 30.0) -> LocalIndex:
        self.packages.mkdir(parents=True, exist_ok=True)
        log_file = self.packages.parent / f"pypiserver-{self.port}.log"
        self._process = proc.spawn(
            [
                sys.executable,
                "-m",
                "pypiserver",
                "run",
                "--host",
                self.host,
                "--port",
                str(self.port),
                # open uploads, no passwords: loopback only, a rehearsal index
                "--authenticate",
                ".",
                "--passwords",
                ".",
                *(("--fallback-url", self.fallback) if self.fallback else ("--disable-fallback",)),
                "--health-endpoint",
                "/health",
                str(self.packages),
            ],
            log_file=log_file,
        )
        self._wait_ready(wait, log_file)
        return self

    def _wait_ready(self, wait: float, log_file: Path) -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            assert self._process is not None  # noqa: S101 (set by start)
            if self._process.poll() is not None:
                tail = log_file.read_text(errors="replace").strip().splitlines()[-1:]
                raise FatalError(f"the local index did not start: {' '.join(tail)}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/health", timeout=1):  # noqa: S310
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise FatalError(f"the local index on port {self.port} did not answer in {wait:g} s")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    @property
    def pid(self) -> int | None:
        """The server's process id while this object runs it."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> LocalIndex:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
