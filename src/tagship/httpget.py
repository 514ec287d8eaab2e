"""One HTTP GET with an overall deadline and a size cap, over the standard library.

urllib's `timeout` bounds each socket operation, not the request: a server that drips a
byte a second keeps a read alive forever. Here the socket of every connection is armed
before each operation with the time left until the request's deadline, so connect,
headers and body together end by the deadline; and the body is read in chunks up to a
cap, so a 2 GB answer costs at most the cap. Proxies (`HTTPS_PROXY`, ...) and redirects
work as urllib does them.
"""

from __future__ import annotations

import http.client
import io
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import partial
from typing import Any, NoReturn

MAX_BYTES = 64 * 1024 * 1024
"""Far above the largest project page PyPI serves (a few MB), far below a memory problem."""
_CHUNK = 1 << 16


class Failed(Exception):
    """No answer: refused, reset, timed out, 5xx (retry) or another HTTP error (do not)."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


class TooLarge(Failed):
    """The answer is larger than the cap."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, retry=False)


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    url: str
    """Where the answer came from, after redirects (relative links resolve against it)."""


class _ReadTimeout(TimeoutError):
    """The deadline passed after the connection was made (requests calls it ReadTimeout)."""


class _DeadlineSocket:
    """A socket whose every operation times out at one fixed deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def _arm(self) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise _ReadTimeout("deadline passed")
        self._sock.settimeout(left)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self._arm()
        try:
            if not nbytes and not flags:  # an SSL socket reads 0 bytes when told 0
                return self._sock.recv_into(buffer)
            return self._sock.recv_into(buffer, nbytes, flags)
        except TimeoutError:
            raise _ReadTimeout("deadline passed") from None

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        self._arm()
        try:
            return self._sock.recv(bufsize, flags)
        except TimeoutError:
            raise _ReadTimeout("deadline passed") from None

    def sendall(self, data: Any, flags: int = 0) -> None:
        self._arm()
        self._sock.sendall(data, flags)

    def makefile(self, mode: str = "rb", **_: object) -> io.BufferedReader:
        # as socket.makefile does: the connection may close the socket while the response
        # is read (HTTP/1.0, `Connection: close`); the descriptor lives until the reader ends
        self._sock._io_refs += 1  # type: ignore[attr-defined]
        return io.BufferedReader(socket.SocketIO(self, "rb"))  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _Connection(http.client.HTTPConnection):
    """A connection whose socket enforces the overall deadline on every read."""

    def __init__(self, *args: Any, deadline: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self._deadline)


class _TLSConnection(_Connection, http.client.HTTPSConnection):
    """The same over TLS: HTTPSConnection.connect wraps the socket, then the deadline does."""


class _Handler(urllib.request.HTTPHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_Connection, deadline=self._deadline), req)


class _TLSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = partial(_TLSConnection, deadline=self._deadline)
        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]


def _read_capped(response: Any, max_bytes: int, url: str) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise TooLarge(f"{url} answered {int(length):,} bytes, more than the cap of {max_bytes:,}")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"{url} answered more bytes than the cap of {max_bytes:,}")
        chunks.append(chunk)
    return b"".join(chunks)


def _open(request: urllib.request.Request, deadline: float) -> Any:
    opener = urllib.request.build_opener(_Handler(deadline), _TLSHandler(deadline))
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return opener.open(request, timeout=left)


def get(
    url: str,
    *,
    deadline: float,
    accept: str,
    method: str = "GET",
    max_bytes: int = MAX_BYTES,
) -> Answer:
    """The answer to one request, whatever its status; Failed when there is none in time."""
    request = urllib.request.Request(  # noqa: S310 (the caller checked the scheme)
        url, method=method, headers={"Accept": accept, "User-Agent": "tagship"}
    )
    try:
        try:
            response = _open(request, deadline)
        except urllib.error.HTTPError as exc:
            response = exc  # an HTTP answer all the same (404, 503, ...)
        with response:
            status = response.status or 0
            if status >= 500 or status == 429:  # 429: too many requests, wait and ask again
                raise Failed(f"HTTP {status}", retry=True)
            if status >= 400 and status not in {404, 410}:
                raise Failed(f"HTTP {status}", retry=False)
            body = b"" if method == "HEAD" else _read_capped(response, max_bytes, url)
            return Answer(status, response.headers.get("Content-Type", ""), body, response.url)
    except _ReadTimeout:
        raise Failed("ReadTimeout", retry=False) from None
    except TimeoutError:
        raise Failed("ConnectTimeout", retry=False) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        _unanswered(getattr(exc, "reason", exc))
    except ValueError as exc:  # a URL urllib cannot even parse
        raise Failed(f"bad URL ({exc})", retry=False) from None


def _unanswered(reason: object) -> NoReturn:
    if isinstance(reason, TimeoutError):
        raise Failed("ConnectTimeout", retry=False) from None
    name = type(reason).__name__ if isinstance(reason, BaseException) else str(reason)
    raise Failed(name, retry=True) from None
