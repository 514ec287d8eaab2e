"""Install a published release into a fresh, isolated environment, safely.

The recipe closes the dependency-confusion trap by construction:

1. find the release's files on *its* index (simple API), waiting with bounded retries
   until the version is served;
2. download the file to install (a compatible wheel, else the sdist) into an empty
   directory, checking the hash the index published;
3. `uv venv` a new environment, then `uv pip install --index-url MAIN --find-links DIR
   'PKG==X'`: the package can only come from that directory (uv prefers a find-links
   file over the main index's file of the same version), every dependency only from the
   main index. There is no `--extra-index-url`, so two indexes never compete for a name.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.tags import Tag, sys_tags
from packaging.utils import (
    canonicalize_name,
    parse_wheel_filename,
)
from packaging.version import Version

from tagship import proc
from tagship.errors import FatalError
from tagship.index import IndexFile, IndexUnreachable, file_version, project_files
from tagship.report import StepFailed

REQUEST_TIMEOUT = 10.0
MAX_DELAY = 15.0
DOWNLOAD_ATTEMPTS = 3

# Variables through which a user's uv set-up would add indexes or links behind our back;
# emptied for our uv calls (uv reads an empty value as unset), and `--no-config` drops
# uv.toml and [tool.uv] for the same reason.
_UV_INDEX_VARIABLES = (
    "UV_INDEX",
    "UV_INDEX_URL",
    "UV_DEFAULT_INDEX",
    "UV_EXTRA_INDEX_URL",
    "UV_FIND_LINKS",
    "UV_NO_INDEX",
)


class NotServed(FatalError):
    """The version did not appear on the index before the deadline."""


def uv_bin() -> str:
    """The uv that tagship depends on (its own wheel ships the binary); else uv on PATH."""
    try:
        from uv import find_uv_bin  # noqa: PLC0415 (only the commands that install pay)
    except ImportError:  # pragma: no cover - tagship always depends on uv
        return "uv"
    try:
        return str(find_uv_bin())
    except FileNotFoundError:  # pragma: no cover
        return "uv"


def uv_env() -> dict[str, str]:
    return dict.fromkeys(_UV_INDEX_VARIABLES, "")


def release_files(files: Iterable[IndexFile], version: Version) -> list[IndexFile]:
    return [f for f in files if file_version(f.filename) == version]


def choose(files: Sequence[IndexFile], supported: Iterable[Tag]) -> list[IndexFile]:
    """The wheels this interpreter can install, else the sdist, else nothing."""
    tags = set(supported)
    wheels = [
        f
        for f in files
        if f.filename.endswith(".whl") and tags & parse_wheel_filename(f.filename)[3]
    ]
    if wheels:
        return wheels
    return [f for f in files if not f.filename.endswith(".whl")][:1]


def backoff(*, first: float = 1.0, cap: float = MAX_DELAY) -> Iterator[float]:
    """Waits between attempts: doubling from `first`, at most `cap`."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


def wait_for_release(
    index_url: str,
    project: str,
    version: Version,
    *,
    timeout: float,
    on_wait: Callable[[str, float], None] = lambda _problem, _delay: None,
) -> list[IndexFile]:
    """The files of `project` `version` on the index, waiting up to `timeout` seconds.

    Indexes serve a new upload after a delay (caches, CDNs), and answer 5xx or hang now
    and then: every kind of absence is retried with backoff until the deadline (the last
    attempt is made at the deadline), then NotServed says what the last attempt saw.
    """
    deadline = time.monotonic() + timeout
    delays = backoff()
    attempts = 0
    while True:
        attempts += 1
        remaining = max(deadline - time.monotonic(), 0.1)
        try:
            files = project_files(
                index_url, project, timeout=min(REQUEST_TIMEOUT, remaining), attempts=1
            )
        except IndexUnreachable as exc:
            problem = f"the index did not answer ({_why(str(exc))})"
        else:
            found = release_files(files, version)
            if found:
                return found
            problem = f"{version} is not served yet" if files else f"no project {project!r} yet"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise NotServed(
                f"{project} {version} did not appear on {index_url} within {timeout:g} s "
                f"({attempts} attempts; last: {problem}); check that the upload succeeded, "
                "or wait longer with --timeout"
            )
        delay = min(next(delays), remaining)
        on_wait(problem, delay)
        time.sleep(delay)


def _why(message: str) -> str:
    """`HTTP 503` or `ReadTimeout` out of IndexUnreachable's message."""
    match = re.search(r"\(([^()]*?), \d+ attempts?\)", message)
    return match.group(1) if match else message


def _digest(path: Path, algorithm: str) -> str:
    hasher = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def check_hash(path: Path, file: IndexFile) -> str:
    """The algorithm checked; FatalError when the file differs or no hash is published."""
    usable = [a for a in ("sha256", "sha384", "sha512") if a in file.digests]
    if not usable:
        raise FatalError(
            f"the index publishes no sha256 for {file.filename}; tagship will not install a "
            "file it cannot check: use an index that serves hashes (PEP 503)"
        )
    algorithm = usable[0]
    if _digest(path, algorithm) != file.digests[algorithm].lower():
        raise FatalError(
            f"{file.filename}: downloaded file does not match the index's {algorithm}; "
            "the download was corrupted or the index is serving something else"
        )
    return algorithm


def download(file: IndexFile, directory: Path, *, timeout: float = 60.0) -> Path:
    """Fetch `file` into `directory` with bounded retries, and check its hash."""
    target = directory / file.filename
    problem = ""
    for attempt in range(DOWNLOAD_ATTEMPTS):
        if attempt:
            time.sleep(2**attempt)
        try:
            with urllib.request.urlopen(file.url, timeout=timeout) as response:  # noqa: S310
                partial = target.with_suffix(target.suffix + ".part")
                with partial.open("wb") as handle:
                    while chunk := response.read(1 << 20):
                        handle.write(chunk)
            partial.replace(target)
            break
        except (urllib.error.URLError, OSError) as exc:
            problem = str(getattr(exc, "reason", exc))
    else:
        raise FatalError(
            f"could not download {file.url} ({problem}, {DOWNLOAD_ATTEMPTS} attempts); "
            "check the index and your network"
        )
    check_hash(target, file)
    return target


@dataclass(frozen=True)
class Environment:
    """A fresh virtual environment made by uv."""

    path: Path

    @property
    def bin(self) -> Path:
        return self.path / ("Scripts" if os.name == "nt" else "bin")

    @property
    def python(self) -> Path:
        return self.bin / ("python.exe" if os.name == "nt" else "python")

    def run_env(self) -> dict[str, str]:
        """Variables that make commands run inside this environment."""
        return {
            "VIRTUAL_ENV": str(self.path),
            "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONNOUSERSITE": "1",
        }


def create_environment(path: Path) -> Environment:
    """A new environment on the interpreter tagship runs on (its wheel tags were chosen
    for this interpreter)."""
    proc.run(
        [uv_bin(), "venv", "--quiet", "--no-config", "--python", sys.executable, path],
        env=uv_env(),
        timeout=120,
    )
    return Environment(path)


def install_command(
    python: Path | str, project: str, version: Version, links: Path | str, main_index: str
) -> list[str]:
    """The one uv command of the recipe (the package from `links`, dependencies from main)."""
    return [
        uv_bin(),
        "pip",
        "install",
        "--no-config",
        "--python",
        str(python),
        "--index-url",
        main_index,
        "--index-strategy",
        "first-index",
        "--find-links",
        str(links),
        f"{canonicalize_name(project)}=={version}",
    ]


def install(env: Environment, project: str, version: Version, links: Path, main: str) -> str:
    """Install `project==version` into `env`; uv's report of what it installed."""
    result = proc.run(
        install_command(env.python, project, version, links, main),
        env=uv_env(),
        cwd=links.parent,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise StepFailed(
            f"uv pip install exited {result.returncode}", result.stdout + result.stderr
        )
    return result.stderr + result.stdout


def supported_tags() -> list[Tag]:
    """The wheel tags the environment's interpreter (this one) accepts."""
    return list(sys_tags())
