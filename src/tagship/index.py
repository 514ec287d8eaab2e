"""Package indexes: what an index serves (simple API), and the embedded local index.

The client speaks PEP 691 JSON with PEP 503 HTML as fallback (pypi-simple); every request
has a timeout and bounded retries. The local index is a real pypiserver on 127.0.0.1 and a
free port, with uploads open and overwrite off, like PyPI.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from packaging.utils import canonicalize_name
from packaging.version import Version

from tagship import proc
from tagship.errors import FatalError


class IndexUnreachable(FatalError):
    """The index did not answer (down, slow, or 5xx) within the retries."""


@dataclass(frozen=True)
class IndexFile:
    """One file an index serves for a project."""

    filename: str
    version: str | None
    """The version pypi-simple read from the file name (not normalized)."""
    url: str
    digests: Mapping[str, str] = field(default_factory=dict)
    """Hash algorithm -> hex digest, as the index published them (`sha256`, ...)."""


def project_files(
    index_url: str,
    project: str,
    *,
    timeout: float = 10.0,
    attempts: int = 3,
    backoff: float = 0.5,
) -> list[IndexFile]:
    """The files `index_url` serves for `project` ([] when it has no such project)."""
    import requests  # noqa: PLC0415 (heavy: only the commands that talk to an index pay)
    from pypi_simple import NoSuchProjectError, PyPISimple  # noqa: PLC0415

    problem = ""
    for attempt in range(attempts):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            with PyPISimple(endpoint=index_url) as client:
                page = client.get_project_page(canonicalize_name(project), timeout=timeout)
        except NoSuchProjectError:
            return []
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            problem = f"HTTP {status}"
            if status < 500:
                break
        except requests.RequestException as exc:
            problem = type(exc).__name__
        else:
            return [IndexFile(p.filename, p.version, p.url, p.digests) for p in page.packages]
    raise IndexUnreachable(
        f"index {index_url} did not answer for {project!r} ({problem}, {attempts} attempts); "
        "check the URL and your network, or pass --offline to skip this"
    )


def file_version(filename: str) -> Version | None:
    """The version a wheel or sdist file name spells; None for any other file (pure)."""
    # packaging.tags (imported by these helpers) is costly: only online commands pay for it.
    from packaging.utils import (  # noqa: PLC0415
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class LocalIndex:
    """pypiserver on loopback serving `packages`; a context manager that always stops it."""

    host = "127.0.0.1"

    def __init__(self, packages: Path, *, port: int | None = None) -> None:
        self.packages = packages
        self.port = port or free_port(self.host)
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
                "--disable-fallback",
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
