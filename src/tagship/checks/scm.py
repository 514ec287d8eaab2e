"""What hatch-vcs / setuptools-scm would call the version, computed without building (pure).

It mirrors setuptools-scm: run the configured `git describe`, cut its output into tag,
distance, node and dirty flag, read the version out of the tag with `tag_regex`, and
apply the default `guess-next-dev` / `node-and-date` schemes when the commit is not
exactly the tag. Only "exactly the tag's version, or not" decides the rule; the
predicted string is there to show the user what a build would have produced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from packaging.version import InvalidVersion, Version

# setuptools-scm's defaults (vcs_versioning._backends._git / _config).
DEFAULT_DESCRIBE = ("git", "describe", "--dirty", "--tags", "--long", "--match", "*[0-9]*")
DEFAULT_TAG_REGEX = r"^(?:[\w-]+-)?(?P<version>[vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$"
# poetry-dynamic-versioning reads tags with dunamai's pattern: named groups `base`,
# `stage`, `revision` (and `epoch`), `v` first unless the pattern says otherwise.
DUNAMAI_VERSION = (
    r"((?P<epoch>\d+)!)?(?P<base>\d+(\.\d+)*)"
    r"([-._]?((?P<stage>[a-zA-Z]+)[-._]?(?P<revision>\d+)?))?(\+(?P<tagged_metadata>.+))?"
)
DUNAMAI_PRESETS = {
    "default": f"^v{DUNAMAI_VERSION}$",
    "default-unprefixed": f"^v?{DUNAMAI_VERSION}$",
}
_DESCRIBE_SUFFIX = re.compile(r"^(?P<tag>.+)-(?P<distance>\d+)-g(?P<node>[0-9a-f]+)$")


@dataclass(frozen=True)
class ScmSettings:
    """How the build backend turns git state into a version."""

    source: str
    """Where the settings were read, such as `[tool.hatch.version]`."""
    describe: tuple[str, ...] = DEFAULT_DESCRIBE
    """The full describe command (argv, starting with `git`)."""
    tag_regex: str = DEFAULT_TAG_REGEX
    version_scheme: str = "guess-next-dev"
    local_scheme: str = "node-and-date"


@dataclass(frozen=True)
class Described:
    """`git describe --long` output, cut into its parts."""

    tag: str
    distance: int
    node: str | None
    """`g<abbreviated sha>`."""
    dirty: bool


def _table(data: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    for key in keys:
        value = data.get(key, {})
        data = value if isinstance(value, dict) else {}
    return data


def _settings(source: str, options: Mapping[str, Any]) -> ScmSettings:
    describe = options.get("git_describe_command", DEFAULT_DESCRIBE)
    if isinstance(describe, str):
        describe = describe.split()
    return ScmSettings(
        source=source,
        describe=tuple(str(arg) for arg in describe),
        tag_regex=str(options.get("tag_regex") or DEFAULT_TAG_REGEX),
        version_scheme=str(options.get("version_scheme", "guess-next-dev")),
        local_scheme=str(options.get("local_scheme", "node-and-date")),
    )


def scm_settings(pyproject: Mapping[str, Any]) -> ScmSettings | None:
    """The settings of hatch-vcs or setuptools-scm in `pyproject`, None if neither is used."""
    hatch = _table(pyproject, "tool", "hatch", "version")
    if hatch.get("source") == "vcs":
        options = dict(_table(hatch, "raw-options"))
        if isinstance(hatch.get("tag-pattern"), str):
            options.setdefault("tag_regex", hatch["tag-pattern"])
        return _settings("[tool.hatch.version]", options)
    scm = _table(pyproject, "tool", "setuptools_scm")
    if "setuptools_scm" in _table(pyproject, "tool"):
        return _settings("[tool.setuptools_scm]", scm)
    pdm = _table(pyproject, "tool", "pdm", "version")
    if pdm.get("source") == "scm":
        return _settings("[tool.pdm.version]", _pdm_options(pdm))
    dynamic = _table(pyproject, "tool", "poetry-dynamic-versioning")
    if dynamic.get("enable") is True:
        return _dunamai_settings(dynamic)
    return None


def dunamai_pattern(options: Mapping[str, Any]) -> str:
    """The regex poetry-dynamic-versioning reads tags with (`pattern`, `pattern-prefix`)."""
    pattern = str(options.get("pattern") or "default")
    regex = DUNAMAI_PRESETS.get(pattern, pattern)
    prefix = options.get("pattern-prefix")
    if isinstance(prefix, str) and prefix and pattern in DUNAMAI_PRESETS:
        regex = regex.replace("^", "^" + prefix, 1)
    return regex


def literal_prefix(regex: str) -> str:
    """The text every match of `regex` starts with (`^pkg\\-v(...` -> `pkg-v`)."""
    body, prefix, index = regex.removeprefix("^"), "", 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body) and not body[index + 1].isalnum():
            char, index = body[index + 1], index + 1
        elif char in ".^$*+?{}[]|()":
            # a quantifier makes the character before it optional
            return prefix[:-1] if char in "?*{" else prefix
        prefix += char
        index += 1
    return prefix


def _dunamai_settings(options: Mapping[str, Any]) -> ScmSettings:
    """dunamai takes the nearest tag its pattern reads; at that tag, its version."""
    regex = dunamai_pattern(options)
    prefix = literal_prefix(regex)
    describe = (*DEFAULT_DESCRIBE[:-1], f"{prefix}*" if prefix else "*[0-9]*")
    return ScmSettings(
        source="[tool.poetry-dynamic-versioning]",
        describe=describe,
        tag_regex=regex,
        version_scheme="dunamai",
    )


def _pdm_options(pdm: Mapping[str, Any]) -> dict[str, Any]:
    """pdm-backend's scm source as setuptools-scm options (it runs the same describe)."""
    pattern = str(pdm.get("tag_filter") or "*.*")
    options: dict[str, Any] = {
        "git_describe_command": [
            "git",
            "describe",
            "--dirty",
            "--tags",
            "--long",
            "--match",
            pattern,
        ]
    }
    if isinstance(pdm.get("tag_regex"), str):
        options["tag_regex"] = pdm["tag_regex"]
    return options


def parse_describe(text: str) -> Described:
    """`v1.5.0-0-g4060507` or `v1.15.1rc1-37-g9bd1298-dirty` into its parts."""
    dirty = text.endswith("-dirty")
    text = text.removesuffix("-dirty")
    match = _DESCRIBE_SUFFIX.match(text)
    if match is None:  # `--long` missing from a custom command: a bare tag name
        return Described(text, 0, None, dirty)
    return Described(match["tag"], int(match["distance"]), "g" + match["node"], dirty)


def matched_version(match: re.Match[str]) -> str | None:
    """The version text of a tag_regex match: its `version` group (setuptools-scm), its
    only group, or dunamai's `base`, `stage` and `revision` (1.0.0, rc, 1: `1.0.0rc1`)."""
    groups = match.groupdict()
    if "base" in groups and "version" not in groups:
        if groups["base"] is None:
            return None
        epoch = f"{groups['epoch']}!" if groups.get("epoch") else ""
        stage = groups.get("stage") or ""
        revision = groups.get("revision") or ("0" if stage else "")
        return f"{epoch}{groups['base']}{stage}{revision}"
    if "version" in groups:
        return groups["version"]
    return match.group(1) if match.groups() else None


def tag_to_version(tag: str, tag_regex: str) -> Version | None:
    try:
        match = re.match(tag_regex, tag)
    except re.error:
        return None
    text = matched_version(match) if match is not None else None
    try:
        return Version(text) if text is not None else None
    except InvalidVersion:
        return None


def _guess_next(version: Version) -> str:
    # guess-next-dev: drop a `.dev0`, else add one to the last number of the public version
    public = version.public
    if version.dev is not None:
        return public.rsplit(".dev", 1)[0]
    head, number = re.fullmatch(r"(.*?)(\d+)", public).groups()  # type: ignore[union-attr]
    return f"{head}{int(number) + 1}"


def predict(
    described: Described | None, settings: ScmSettings, *, commits: int, node: str, today: str
) -> str:
    """The version a build would get (`commits`/`node` serve when no tag matched)."""
    base: Version | None = Version("0.0")
    if described is None:  # no matching tag: setuptools-scm counts from 0.0
        described = Described("0.0", commits, node, dirty=False)
    else:
        base = tag_to_version(described.tag, settings.tag_regex)
    if base is None:
        return f"none (tag {described.tag!r} does not match tag_regex {settings.tag_regex!r})"
    if described.distance == 0 and not described.dirty:
        return str(base)
    if settings.version_scheme != "guess-next-dev":
        return f"a dev version after {base} ({settings.version_scheme})"
    public = f"{_guess_next(base)}.dev{described.distance}"
    if settings.local_scheme in {"no-local-version", "no-local-version-strict"}:
        return public
    parts = [described.node or node, *([f"d{today}"] if described.dirty else [])]
    return public + "+" + ".".join(parts)
