"""TS108: the version is not on its index yet (an index never takes a file name twice)."""

from __future__ import annotations

from packaging.version import Version

from tagship import output
from tagship.checks.target import Target
from tagship.config import Config
from tagship.errors import ConfigError
from tagship.rules import Finding, Rule, failed, passed, skipped

NOT_BURNED = Rule("TS108", "not-burned", "error")


def index_url(choice: str | None, config: Config) -> str | None:
    """`--index` as a configured index name or a URL (None: the index of the tag's channel)."""
    if choice is None:
        return None
    if choice in config.tagship.indexes:
        return config.tagship.indexes[choice].url
    if choice.startswith(("https://", "http://")):
        return choice
    known = ", ".join(sorted(config.tagship.indexes))
    raise ConfigError(f"--index {choice!r} is neither a URL nor a configured index ({known})")


def file_version(filename: str) -> Version | None:
    """The version a dist file name spells, None for other files (pure)."""
    from packaging.utils import (  # noqa: PLC0415 (it imports packaging.tags: online only)
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


def not_burned(target: Target, url: str | None, *, offline: bool) -> Finding:
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
    from tagship.index import IndexUnreachable, project_files  # noqa: PLC0415 (online only)

    try:
        files = project_files(url, name)
    except IndexUnreachable as exc:
        return failed(
            NOT_BURNED,
            str(exc),
            "retry when the index answers, or pass --offline (TAGSHIP_OFFLINE=1) to skip",
        )
    taken = [f.filename for f in files if file_version(f.filename) == version]
    if taken:
        return failed(
            NOT_BURNED,
            f"{name} {version} is already on {url} ({', '.join(taken[:2])})",
            "an index never accepts a file name twice: release a new version (cz bump)",
        )
    return passed(NOT_BURNED, f"{name} {version} is not on {url} yet")
