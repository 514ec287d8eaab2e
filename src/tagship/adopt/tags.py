"""Which tag spelling a project releases with, read from its tag history (pure).

A tag is cut into a prefix and a PEP 440 version (`hatch-v1.2.0` -> `hatch-v`, `1.2.0`);
the prefix plus `$version` is its commitizen `tag_format`. The recent releases decide
the format (five ancient `v0.x` tags beside thirty bare `2.x` tags release bare tags);
older spellings of the same package stay readable as `legacy_tag_formats`. A prefix that
names a package (`hatch-v`, `cli/v`) may belong to another package of the repository:
its tags are never taken for ours, and a repository with several such families and no
way to tell ours apart is refused with the setting that decides.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from dataclasses import dataclass

from packaging.utils import canonicalize_name
from packaging.version import Version

from tagship.errors import ConfigError
from tagship.versions import parse_version

# The releases that decide the format: enough to outvote an odd tag, few enough that an
# old spelling abandoned years ago does not.
RECENT = 10
_SPLIT = re.compile(r"^(?P<prefix>.*?)(?P<version>\d.*)$")


@dataclass(frozen=True)
class Spelled:
    """A release tag cut into its prefix and version."""

    tag: str
    prefix: str
    version: Version

    @property
    def tag_format(self) -> str:
        return f"{self.prefix}$version"


@dataclass(frozen=True)
class TagHistory:
    """The tag settings init writes."""

    tag_format: str
    legacy: tuple[str, ...]
    """Older spellings of this package's releases, still read (`legacy_tag_formats`)."""


def spell(tag: str) -> Spelled | None:
    """`v1.2.0` -> (`v`, 1.2.0); None for a tag that carries no PEP 440 version."""
    found = _SPLIT.match(tag)
    if found is None:
        return None
    version = parse_version(found["version"])
    if version is None or version.local is not None:
        return None
    return Spelled(tag, found["prefix"], version)


def package_of(prefix: str) -> str | None:
    """The package a prefix names (`hatch-v` -> `hatch`), None for `v`, `V` or nothing."""
    name = re.sub(r"[-_/@.]?[vV]?$", "", prefix).strip("-_/@.")
    return _key(name) if name else None


def _key(name: str) -> str:
    """A package name compared without separators (`my-pkg` and `mypkg` tags are one)."""
    return canonicalize_name(name).replace("-", "")


def release_spellings(tags: list[str]) -> list[Spelled]:
    """Every tag that spells a release, newest version first."""
    found = [s for s in (spell(tag) for tag in tags) if s is not None]
    return sorted(found, key=lambda s: s.version, reverse=True)


def _ours(spelled: list[Spelled], name: str | None) -> list[Spelled]:
    """The tags of this package: plain ones, or those whose prefix names it."""
    own = _key(name) if name else None
    return [s for s in spelled if package_of(s.prefix) in (None, own)]


def _families(spelled: list[Spelled]) -> list[str]:
    return sorted({s.tag_format for s in spelled if package_of(s.prefix) is not None})


def from_match(pattern: str) -> str | None:
    """The tag_format a `git describe --match` glob implies (`hatch-v*` -> `hatch-v$version`)."""
    prefix = pattern.removesuffix("*").removesuffix("[0-9]")
    if any(c in prefix for c in "*?[]"):
        return None
    return f"{prefix}$version"


def choose(
    tags: list[str], *, current: str | None, legacy: tuple[str, ...], match: str | None, name: str
) -> TagHistory:
    """The tag format (and legacy formats) for a project named `name`.

    `current` is commitizen's configured `tag_format`, `legacy` its `legacy_tag_formats`,
    `match` the `--match` glob of the build backend's `git describe`, if any.
    """
    spelled = release_spellings(tags)
    if current is not None:
        chosen = current
    elif match is not None and from_match(match) is not None:
        chosen = str(from_match(match))
    else:
        chosen = _by_history(spelled, name)
    if match is not None and not fnmatch.fnmatchcase(_render(chosen, "1.2.3"), match):
        raise ConfigError(
            f"pyproject.toml: git_describe_command matches {match!r}, tags of another package "
            f"than tag_format {chosen!r}; set tag_format in commitizen's config to the spelling "
            "of this package's tags and run init again"
        )
    return TagHistory(chosen, _legacy(spelled, chosen, legacy, name))


def _render(tag_format: str, version: str) -> str:
    return tag_format.replace("${version}", version).replace("$version", version)


def _by_history(spelled: list[Spelled], name: str) -> str:
    ours = _ours(spelled, name)
    if ours:
        recent = Counter(s.tag_format for s in ours[:RECENT])
        newest = ours[0].tag_format
        best = max(recent.values())
        # a tie goes to the spelling of the newest release
        return newest if recent[newest] == best else recent.most_common(1)[0][0]
    families = _families(spelled)
    if len(families) > 1:
        shown = ", ".join(f.replace("$version", "*") for f in families[:4])
        raise ConfigError(
            f"tags of several packages ({shown}) and none named {name!r}: set tag_format "
            f'in [tool.commitizen] to this package\'s spelling (such as "{families[0]}") '
            "and run init again"
        )
    return "v$version"


def _legacy(
    spelled: list[Spelled], chosen: str, legacy: tuple[str, ...], name: str
) -> tuple[str, ...]:
    """The user's legacy formats, plus the other spellings this package's tags have used."""
    found = list(legacy)
    if package_of(chosen.split("$", 1)[0]) in (None, _key(name)):
        for s in _ours(spelled, name):
            if s.tag_format != chosen and s.tag_format not in found:
                found.append(s.tag_format)
    return tuple(found)


def newest(tags: list[str], formats: tuple[str, ...]) -> str | None:
    """The release tag with the highest version under `formats`, if any."""
    plain = {f.replace("${version}", "$version") for f in formats}
    for s in release_spellings(tags):
        if s.tag_format in plain:
            return s.tag
    return None
