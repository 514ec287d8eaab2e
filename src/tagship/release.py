"""A release tag classified: its version, kind and channel (pure, given the config)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from packaging.version import Version

from tagship.readers import ReleaseSettings
from tagship.settings import Index
from tagship.versions import PRERELEASE_KINDS, Kind, TagError, kind_of, strip_ref, tag_version

if TYPE_CHECKING:
    from tagship.config import Config

OFFLINE_VARIABLE = "TAGSHIP_OFFLINE"


class Release(NamedTuple):
    """What a release tag means for publishing.

    (A NamedTuple, like the config records: `dataclasses` imports `inspect`, about 10 ms
    of CPU on `route`'s start-up, which runs in every release job and hook.)"""

    tag: str
    """The tag as git spells it (no `refs/tags/`)."""
    version: Version
    """Its normalized PEP 440 version."""
    kind: Kind
    """alpha, beta, rc, dev, final or post."""
    channel: str
    """The index this kind of release goes to (`testpypi`, `pypi`, ...)."""
    index: Index  # type: ignore[assignment]  # hides tuple.index, which no one calls here
    """That channel's index."""

    @property
    def prerelease(self) -> bool:
        return self.kind in PRERELEASE_KINDS

    def as_dict(self) -> dict[str, object]:
        return {
            "tag": self.tag,
            "version": str(self.version),
            "base_version": self.version.base_version,
            "kind": self.kind,
            "prerelease": self.prerelease,
            "channel": self.channel,
            "index_url": self.index.url,
        }


def tag_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The tag a GitHub Actions run was triggered by, if any."""
    environ = os.environ if environ is None else environ
    if environ.get("GITHUB_REF_TYPE", "tag") == "tag" and environ.get("GITHUB_REF_NAME"):
        return environ["GITHUB_REF_NAME"]
    ref = environ.get("GITHUB_REF")
    return ref or None


def classify(tag: str, config: Config | ReleaseSettings) -> Release:
    """Classify `tag` (a `refs/tags/` prefix is accepted); TagError if it is no release tag."""
    name = strip_ref(tag)
    version = tag_version(name, config.tag_formats)
    kind = kind_of(version)
    channel = config.tagship.channels[kind]
    return Release(name, version, kind, channel, config.tagship.indexes[channel])


def require_tag(explicit: str | None) -> str:
    tag = explicit if explicit is not None else tag_from_environment()
    if tag is None:
        raise TagError("no tag given and GITHUB_REF_NAME/GITHUB_REF are not set; pass a tag")
    return tag


def offline(flag: bool = False) -> bool:
    """`--offline`, or TAGSHIP_OFFLINE=1 in the environment (air-gapped machines, hooks)."""
    return flag or os.environ.get(OFFLINE_VARIABLE, "").lower() in {"1", "true", "yes", "on"}
