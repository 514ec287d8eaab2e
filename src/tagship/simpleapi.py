"""The simple repository API's project page, parsed strictly (pure).

PEP 691 JSON (`application/vnd.pypi.simple.v1+json`) is read with `json`; PEP 503 HTML
(pypiserver, devpi, Artifactory, ...) with the standard library's HTML tokenizer, which
costs nothing at import (pypi-simple pulls requests, pydantic and BeautifulSoup: 0.4 s
for a 5 ms request to a local index). Anything else is refused with a one-line reason:
a login page, `text/plain`, malformed JSON, an API major version this client does not
know (PEP 629: a client must not guess at an unknown major version).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin

from packaging.version import Version

from tagship.errors import FatalError

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPES = frozenset({"application/vnd.pypi.simple.v1+html", "text/html"})
ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
KNOWN_MAJOR = 1
# What a distribution file on an index may be called (PyPI has served all of these).
DIST_SUFFIXES = (
    ".whl",
    ".tar.gz",
    ".zip",
    ".tar.bz2",
    ".tar.xz",
    ".tgz",
    ".tar",
    ".egg",
    ".exe",
    ".msi",
    ".rpm",
    ".dmg",
)


class NotAnIndex(FatalError):
    """The index answered, but not with a simple API project page."""


@dataclass(frozen=True)
class IndexFile:
    """One file an index serves for a project."""

    filename: str
    version: str | None
    """The version the file name spells (wheels and sdists; None for other files)."""
    url: str
    digests: Mapping[str, str] = field(default_factory=dict)
    """Hash algorithm -> hex digest, as the index published them (`sha256`, ...)."""


def file_version(filename: str) -> Version | None:
    """The version a wheel or sdist file name spells; None for any other file."""
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


def file_version_text(filename: str) -> str | None:
    version = file_version(filename)
    return None if version is None else str(version)


def _check_api_version(version: object, url: str) -> None:
    if version is None:
        return  # PEP 503 pages need not say; PEP 691 pages must (checked by the caller)
    major = str(version).split(".", 1)[0]
    if not major.isdigit():
        raise NotAnIndex(f"{url} answered api-version {version!r}, which is not a version")
    if int(major) != KNOWN_MAJOR:
        raise NotAnIndex(
            f"{url} answered simple API version {version}; tagship reads version "
            f"{KNOWN_MAJOR}.x: use an index URL that serves PEP 691/503 version 1"
        )


def _json_file(entry: object, url: str) -> IndexFile:
    if not isinstance(entry, dict):
        raise NotAnIndex(f"{url}: malformed PEP 691 JSON (a file entry is not an object)")
    name, href, hashes = entry.get("filename"), entry.get("url"), entry.get("hashes", {})
    if not isinstance(name, str) or not isinstance(href, str) or not isinstance(hashes, dict):
        raise NotAnIndex(f"{url}: malformed PEP 691 JSON (a file lacks filename, url or hashes)")
    if not all(isinstance(v, str) for v in hashes.values()):
        raise NotAnIndex(f"{url}: malformed PEP 691 JSON (a hash is not a string)")
    return IndexFile(name, file_version_text(name), urljoin(url, href), dict(hashes))


def parse_json(body: bytes, url: str) -> list[IndexFile]:
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NotAnIndex(f"{url}: malformed PEP 691 JSON ({exc})") from None
    except RecursionError:
        raise NotAnIndex(f"{url}: malformed PEP 691 JSON (nested too deeply)") from None
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
        raise NotAnIndex(f"{url}: malformed PEP 691 JSON (no meta object)")
    version = data["meta"].get("api-version")
    if version is None:
        raise NotAnIndex(f"{url}: malformed PEP 691 JSON (no meta.api-version)")
    _check_api_version(version, url)
    files = data.get("files")
    if not isinstance(files, list):
        raise NotAnIndex(f"{url}: malformed PEP 691 JSON (no files list)")
    return [_json_file(entry, url) for entry in files]


class _Anchors(HTMLParser):
    """The anchors of a PEP 503 page, and the signs of a page that is not one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str]] = []
        self.api_version: str | None = None
        self.form = False
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            self._href, self._text = values.get("href") or "", []
        elif tag in {"form", "input"}:
            self.form = True
        elif tag == "meta" and values.get("name") == "pypi:repository-version":
            self.api_version = values.get("content") or ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.anchors.append((self._href, "".join(self._text).strip()))
            self._href = None


def _html_file(href: str, text: str, url: str) -> IndexFile:
    link, fragment = urldefrag(urljoin(url, href))
    name = text or link.rsplit("/", 1)[-1]
    if not name.lower().endswith(DIST_SUFFIXES):
        raise NotAnIndex(
            f"{url} answered an HTML page with a link that is no distribution file "
            f"({name[:40]!r}): not a simple API page; check the index URL"
        )
    algorithm, _, digest = fragment.partition("=")
    digests = {algorithm: digest} if algorithm and digest else {}
    return IndexFile(name, file_version_text(name), link, digests)


def parse_html(body: bytes, url: str, charset: str = "utf-8") -> list[IndexFile]:
    if b"\0" in body:  # no HTML page holds a NUL byte: a compressed or binary body
        raise NotAnIndex(f"{url} answered binary data as HTML, not a simple API page")
    parser = _Anchors()
    try:
        parser.feed(body.decode(charset, errors="replace"))
        parser.close()
    except LookupError:  # an unknown charset
        raise NotAnIndex(f"{url}: unknown charset {charset!r}") from None
    if parser.form:
        raise NotAnIndex(
            f"{url} answered an HTML page with a form (a login page?), not a simple API "
            "page: check the index URL and its credentials"
        )
    _check_api_version(parser.api_version, url)
    return [_html_file(href, text, url) for href, text in parser.anchors]


def parse_page(body: bytes, content_type: str, url: str) -> list[IndexFile]:
    """The files of a project page, from its body and Content-Type header."""
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower()
    if mime == JSON_TYPE:
        return parse_json(body, url)
    if mime in HTML_TYPES:
        key, _, value = params.strip().partition("=")
        charset = value.strip().strip('"') if key.strip().lower() == "charset" else "utf-8"
        return parse_html(body, url, charset or "utf-8")
    raise NotAnIndex(
        f"{url} answered {mime or 'no content type'}, not a simple API page "
        "(PEP 691 JSON or PEP 503 HTML); check the index URL"
    )
