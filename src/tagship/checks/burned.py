"""TS108: the version is not on its index yet (an index never takes a file name twice).

Every file of the version burns it, not only wheels and sdists: PyPI still serves the
`.egg`, `.tar.bz2` and `.zip` uploads of old releases, and refuses a new upload of a
version it has seen.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from tagship import output
from tagship.checks.target import Target
from tagship.rules import Finding, Rule, failed, passed, skipped

NOT_BURNED = Rule("TS108", "not-burned", "error")
DEFAULT_TIMEOUT = 20.0
"""Seconds for the whole question, retries included."""
_SUFFIXES = (".tar.gz", ".tar.bz2", ".tar.xz", ".tar.Z", ".tgz", ".tar", ".zip", ".egg")


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def burned_version(filename: str, project: str) -> Version | None:
    """The version of `project` a file of its index page spells, any format (pure)."""
    if filename.endswith(".whl"):
        parts = filename.split("-")
        return _version(parts[1]) if len(parts) >= 5 else None
    suffix = next((s for s in _SUFFIXES if filename.endswith(s)), None)
    if suffix is None:
        return None
    stem = filename.removesuffix(suffix)
    if suffix == ".egg":  # name-version-pyX.Y[-platform].egg, name with `_` for `-`
        parts = stem.split("-")
        return _version(parts[1]) if len(parts) >= 2 else None
    # name-version: the name may hold dashes, so find where the project's name ends
    wanted = canonicalize_name(project)
    for at in (i for i, char in enumerate(stem) if char == "-"):
        if canonicalize_name(stem[:at]) == wanted:
            return _version(stem[at + 1 :])
    return None


def _served(url: str, name: str, timeout: float) -> list[str] | Finding:
    """The file names `url` serves for `name`, or the failed finding saying why not."""
    from tagship.index import (  # noqa: PLC0415 (urllib, sockets: only online checks pay)
        IndexUnreachable,
        NotAnIndex,
        project_files,
    )

    try:
        return [f.filename for f in project_files(url, name, timeout=timeout)]
    except IndexUnreachable as exc:
        fix = "retry when the index answers, or pass --offline (TAGSHIP_OFFLINE=1) to skip"
        return failed(NOT_BURNED, str(exc), fix)
    except NotAnIndex as exc:
        fix = "point [tool.tagship.indexes] (or --index) at the index's simple API"
        return failed(NOT_BURNED, str(exc), fix)


def not_burned(
    target: Target, url: str | None, *, offline: bool, timeout: float = DEFAULT_TIMEOUT
) -> Finding:
    if target.release is None:
        return skipped(NOT_BURNED, "the tag is not a release tag (see TS101)")
    if offline:
        output.warn("not-burned skipped (--offline / TAGSHIP_OFFLINE): the index was not asked")
        return skipped(NOT_BURNED, "offline: the index was not asked")
    name = target.config.project_name
    if name is None:
        return skipped(NOT_BURNED, "no [project] name in pyproject.toml")
    url = url or target.release.index.url
    version = target.release.version
    files = _served(url, name, timeout)
    if isinstance(files, Finding):
        return files
    taken = [f for f in files if burned_version(f, name) == version]
    if taken:
        return failed(
            NOT_BURNED,
            f"{name} {version} is already on {url} ({', '.join(taken[:2])})",
            "an index never accepts a file name twice: release a new version (cz bump)",
        )
    return passed(NOT_BURNED, f"{name} {version} is not on {url} yet")
