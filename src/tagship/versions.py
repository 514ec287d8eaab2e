"""Tag <-> PEP 440 version, and what kind of release a version is.

Versions are `packaging.version.Version`; the kind comes from its `.pre`, `.dev`, `.post`
and `.local` parts. The only pattern of our own is the one that strips the text around
`$version` in commitizen's `tag_format`.
"""

from __future__ import annotations

import functools
import re
from typing import Literal, NamedTuple, get_args

from packaging.version import InvalidVersion, Version

from tagship.errors import FatalError

Kind = Literal["alpha", "beta", "rc", "dev", "final", "post"]
KINDS: tuple[Kind, ...] = get_args(Kind)
PRERELEASE_KINDS: frozenset[Kind] = frozenset({"alpha", "beta", "rc", "dev"})

_PRE_KINDS: dict[str, Kind] = {"a": "alpha", "b": "beta", "rc": "rc"}

# commitizen's tag_format placeholders (both `$name` and `${name}` spellings).
_PLACEHOLDERS = {
    "version": r"(?P<version>.+?)",
    "major": r"(?P<major>[0-9]+)",
    "minor": r"(?P<minor>[0-9]+)",
    "patch": r"(?P<patch>[0-9]+)",
    "prerelease": r"(?P<prerelease>.*?)",
    "devrelease": r"(?P<devrelease>.*?)",
}
_PLACEHOLDER = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


@functools.lru_cache(maxsize=64)
def _compiled(template: str) -> re.Pattern[str]:
    """The pattern of a tag_format, built once: check parses every tag of the repository."""
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        name = match.group(1) or match.group(2)
        parts.append(re.escape(template[position : match.start()]))
        parts.append(_PLACEHOLDERS.get(name, re.escape(match.group(0))))
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


class TagError(FatalError):
    """A string that is not a release tag under the configured formats."""


class TagFormat(NamedTuple):
    """One commitizen `tag_format` template, such as `v$version` or `pkg-v$version`."""

    template: str
    """The template as written in the config."""

    def _pattern(self) -> re.Pattern[str]:
        return _compiled(self.template)

    def version_text(self, tag: str) -> str | None:
        """The version part of `tag` (not yet validated), or None if the text around differs."""
        match = self._pattern().fullmatch(tag)
        if match is None:
            return None
        found = match.groupdict()
        if found.get("version") is not None:
            return found["version"]
        if found.get("major") is None:
            return None
        release = f"{found['major']}.{found.get('minor') or 0}.{found.get('patch') or 0}"
        return release + (found.get("prerelease") or "") + (found.get("devrelease") or "")

    def render(self, version: str) -> str:
        """The tag for `version` (written with `$version` / `${version}`)."""
        return self.template.replace("${version}", version).replace("$version", version)

    def example(self) -> str:
        return self.render("1.2.3")


def parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None
    except ValueError:  # a part longer than int() converts (4,300 digits): no version
        return None


def kind_of(version: Version) -> Kind:
    """The release kind; a dev release of a pre-release (`1.0rc1.dev2`) is `dev`."""
    if version.is_devrelease:
        return "dev"
    if version.pre is not None:
        return _PRE_KINDS[version.pre[0]]
    if version.is_postrelease:
        return "post"
    return "final"


def strip_ref(ref: str) -> str:
    """`refs/tags/v1.0` -> `v1.0`; a branch ref is refused."""
    if ref.startswith("refs/tags/"):
        return ref.removeprefix("refs/tags/")
    if ref.startswith(("refs/heads/", "refs/remotes/", "refs/pull/")):
        raise TagError(f"{ref!r} is a branch ref, not a tag; release workflows run on tag pushes")
    return ref


def _shown(text: str) -> str:
    """A user's string in a one-line message: quoted, and cut when it is very long."""
    return repr(text if len(text) <= 60 else text[:40] + "..." + text[-12:])


def tag_version(tag: str, formats: tuple[TagFormat, ...]) -> Version:
    """The PEP 440 version that `tag` spells under the first format it matches.

    Refuses (TagError) a tag that matches no format, whose version is not PEP 440, or that
    carries a local version (indexes reject those).
    """
    if not tag.strip():
        raise TagError("empty tag; pass a tag such as " + formats[0].example())
    if tag != tag.strip():
        # Version() would strip it and accept a tag git cannot even hold.
        raise TagError(
            f"tag {_shown(tag)} has surrounding whitespace; pass the tag as git spells it"
        )
    for tag_format in formats:
        text = tag_format.version_text(tag)
        if text is None:
            continue
        version = parse_version(text)
        if version is None:
            raise TagError(
                f"tag {_shown(tag)}: {_shown(text)} is not a PEP 440 version "
                f"(expected for example {tag_format.example()} or {tag_format.render('1.2.3rc1')})"
            )
        if version.local is not None:
            raise TagError(
                f"tag {_shown(tag)} carries a local version ({version}); package indexes refuse "
                f"local versions, tag {tag_format.render(version.public)} instead"
            )
        return version
    shown = ", ".join(repr(f.template) for f in formats)
    raise TagError(
        f"tag {_shown(tag)} does not match tag_format {shown}; expected for example "
        f"{formats[0].example()}"
    )


def release_tags(tags: list[str], formats: tuple[TagFormat, ...]) -> dict[str, Version]:
    """The tags that are valid release tags, with their versions; others are ignored."""
    found: dict[str, Version] = {}
    for tag in tags:
        try:
            found[tag] = tag_version(tag, formats)
        except TagError:
            continue
    return found


def printed_versions(text: str) -> list[Version]:
    """The versions `text` names: words like `1.2`, `v0.2.0rc1` (pure; `3` is no version)."""
    found = []
    for raw in text.split():
        word = raw.strip(",;:()[]'\"")
        if "." in word and word.lstrip("vV")[:1].isdigit():
            candidate = parse_version(word)
            if candidate is not None:
                found.append(candidate)
    return found


def printed_version(text: str, version: Version) -> bool:
    """Whether `text` names `version` (in any PEP 440 spelling, `v` prefix allowed)."""
    return version in printed_versions(text) or parse_version(text.strip()) == version
