"""TS108: the version is not on its index yet (an index never takes a file name twice)."""

from __future__ import annotations

from tagship import output
from tagship.checks.target import Target
from tagship.rules import Finding, Rule, failed, passed, skipped

NOT_BURNED = Rule("TS108", "not-burned", "error")


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
    from tagship.index import (  # noqa: PLC0415 (urllib, requests: only online checks pay)
        IndexUnreachable,
        file_version,
        project_files,
    )

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
