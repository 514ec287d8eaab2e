"""`[tool.tagship]` of pyproject.toml: parsed and validated once, into immutable records.

Every key is known: an unknown key (`release_branch`) is an error naming the key and the
one meant; every value has a type and, where it reaches a generated workflow or a
process, a strict grammar (tagship.grammar). A project with no table gets the defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from tagship import grammar
from tagship.errors import ConfigError
from tagship.versions import KINDS, Kind

if TYPE_CHECKING:
    from os import PathLike

    from tagship.gatetable import GateSettings

TABLE = "[tool.tagship]"


class Index(NamedTuple):
    """A package index: where to upload, and its simple repository API."""

    name: str
    """The name channels refer to (`pypi`, `testpypi`, or one of the user's)."""
    url: str
    """The simple repository API (PEP 503/691) URL, ending in `/`."""
    upload_url: str
    """The legacy upload API URL that `uv publish` and the publish action use."""


MAIN_INDEX = "pypi"
DEFAULT_INDEXES = {
    "pypi": Index("pypi", "https://pypi.org/simple/", "https://upload.pypi.org/legacy/"),
    "testpypi": Index("testpypi", "https://test.pypi.org/simple/", "https://test.pypi.org/legacy/"),
}
DEFAULT_CHANNELS: dict[Kind, str] = {
    "alpha": "testpypi",
    "beta": "testpypi",
    "rc": "testpypi",
    "dev": "testpypi",
    "final": "pypi",
    "post": "pypi",
}
DEFAULT_ENVIRONMENTS = {"testpypi": "release-test", "pypi": "release"}


def default_environment(channel: str) -> str:
    """The GitHub environment of a channel's publish job when the config names none.

    The one place that knows it: the workflow, doctor's Trusted Publisher values and
    rehearse's report all ask here (`release-NAME` for a channel of the user's).
    """
    return DEFAULT_ENVIRONMENTS.get(channel, f"release-{channel}")


class Smoke(NamedTuple):
    """One smoke entry of `[tool.tagship.smoke]` (or of the `smoke = [...]` list)."""

    name: str
    """A console script's name (the entry replaces or skips its `--version` probe), or
    the name of an extra command."""
    argv: tuple[str, ...]
    """The command, split as a POSIX shell would (it runs without one); empty for
    `NAME = false`."""
    command: str
    """The command as written ("" for `NAME = false`)."""

    @property
    def skip(self) -> bool:
        """`NAME = false`: no probe for the console script NAME."""
        return not self.argv


class TagshipConfig(NamedTuple):
    """`[tool.tagship]` of pyproject.toml, with defaults filled in."""

    release_branch: str = "main"
    """The branch releases are cut from."""
    channels: Mapping[Kind, str] = MappingProxyType(DEFAULT_CHANNELS)
    """Which index each kind of release goes to."""
    indexes: Mapping[str, Index] = MappingProxyType(DEFAULT_INDEXES)
    environments: Mapping[str, str] = MappingProxyType(DEFAULT_ENVIRONMENTS)
    """The GitHub environment of each channel's publish job (ask `environment()`)."""
    smoke: Mapping[str, Smoke] = MappingProxyType({})
    """verify's smoke entries, by name, in the order written."""
    gates: tuple[GateSettings, ...] | None = None
    """`[tool.tagship.gates]`, validated; None: the default gates."""
    allow_final_without_rc: bool = False
    """A final may ship a tree its last rc did not (a hotfix straight to PyPI)."""
    generate_workflow: bool = True
    """release.yml is tagship's output (doctor compares it); false: the project's own."""
    raw: Mapping[str, Any] = MappingProxyType({})
    """The whole table as read."""

    def index_for(self, kind: Kind) -> Index:
        return self.indexes[self.channels[kind]]

    def environment(self, channel: str) -> str:
        """The GitHub environment of `channel`'s publish job."""
        return self.environments.get(channel) or default_environment(channel)

    def index_url(self, name_or_url: str) -> str:
        """`--index` given as a configured index name or an http(s) URL: its simple API URL."""
        if name_or_url in self.indexes:
            return self.indexes[name_or_url].url
        if grammar.url(name_or_url) is None:
            return name_or_url.rstrip("/") + "/"
        known = ", ".join(sorted(self.indexes))
        raise ConfigError(
            f"--index {name_or_url!r} is neither a configured index ({known}) nor an http(s) URL"
        )


class _Table:
    """Reads one table of the file; every message names the file and the key."""

    def __init__(self, path: str | PathLike[str], where: str, table: Mapping[str, Any]) -> None:
        self.path = path
        self.where = where
        self.table = table

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: {self.where} {key}: {problem}")

    def known_keys(self, keys: tuple[str, ...]) -> None:
        for key in self.table:
            if key not in keys:
                raise self.fail(
                    key, f"unknown key{_did_you_mean(key, keys)}; keys are " + ", ".join(keys)
                )

    def typed(self, key: str, kind: type, default: Any) -> Any:
        value = self.table.get(key, default)
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
            raise self.fail(key, f"must be {_TYPE_NAMES[kind]}, not {_shown(value)}")
        return value

    def checked(self, key: str, value: str, rule: Callable[[str], str | None]) -> str:
        problem = rule(value)
        if problem is not None:
            raise self.fail(key, f"{value!r} is refused: {problem}")
        return value

    def sub(self, key: str) -> _Table:
        return _Table(self.path, f"[tool.tagship.{key}]", self.typed(key, dict, {}))


_TYPE_NAMES: dict[type, str] = {
    str: "a string",
    bool: "true or false",
    dict: "a table",
    list: "a list",
}


def _shown(value: Any) -> str:
    kind = {str: "a string", bool: "a boolean", dict: "a table", list: "a list"}
    return f"{kind.get(type(value), type(value).__name__)} ({str(value)[:40]!r})"


def _did_you_mean(key: str, keys: tuple[str, ...]) -> str:
    if key.replace("_", "-") in keys:
        return f" (did you mean {key.replace('_', '-')}?)"
    import difflib  # noqa: PLC0415 (only a typo pays for it)

    close = difflib.get_close_matches(key, keys, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


KEYS = (
    "release-branch",
    "channels",
    "indexes",
    "environments",
    "smoke",
    "gates",
    "allow-final-without-rc",
    "generate-workflow",
)
_INDEX_KEYS = ("url", "upload-url")


def _index(table: _Table, name: str) -> Index:
    table.checked(name, name, grammar.index_name)
    spec = _Table(table.path, f"[tool.tagship.indexes.{name}]", table.typed(name, dict, {}))
    spec.known_keys(_INDEX_KEYS)
    if "url" not in spec.table:
        raise spec.fail("url", 'is missing; write url = "<simple API URL>"')
    url = spec.checked("url", spec.typed("url", str, ""), grammar.url)
    upload = spec.checked("upload-url", spec.typed("upload-url", str, url), grammar.url)
    return Index(name, url.rstrip("/") + "/", upload)


def _indexes(table: _Table) -> dict[str, Index]:
    indexes = dict(DEFAULT_INDEXES)
    section = table.sub("indexes")
    for name in section.table:
        indexes[name] = _index(section, name)
    return indexes


def _channels(table: _Table, indexes: Mapping[str, Index]) -> dict[Kind, str]:
    channels = dict(DEFAULT_CHANNELS)
    section = table.sub("channels")
    section.known_keys(KINDS)
    for kind in KINDS:
        if kind in section.table:
            channel = section.typed(kind, str, "")
            if channel not in indexes:
                known = ", ".join(sorted(indexes))
                raise section.fail(kind, f"{channel!r} names no index; known: {known}")
            channels[kind] = channel
    return channels


def _environments(table: _Table, indexes: Mapping[str, Index]) -> dict[str, str]:
    environments = dict(DEFAULT_ENVIRONMENTS)
    section = table.sub("environments")
    for channel in section.table:
        if channel not in indexes:
            known = ", ".join(sorted(indexes))
            raise section.fail(channel, f"names no index; known: {known}")
        name = section.typed(channel, str, "")
        environments[channel] = section.checked(channel, name, grammar.environment_name)
    return environments


def _smoke_entry(table: _Table, name: str, value: Any, key: str | None = None) -> Smoke:
    key = name if key is None else key
    if value is False:
        return Smoke(name, (), "")
    if not isinstance(value, str):
        raise table.fail(key, f"must be a command string or false, not {_shown(value)}")
    argv = grammar.command_argv(value)
    if isinstance(argv, str):
        raise table.fail(key, f"{value!r} is refused: {argv}")
    return Smoke(name, argv, value)


def _smoke(table: _Table) -> dict[str, Smoke]:
    """`smoke = ["cmd", ...]` (each command its own name) or a table of name = "cmd"|false."""
    value = table.table.get("smoke", [])
    if isinstance(value, dict):
        section = table.sub("smoke")
        return {name: _smoke_entry(section, str(name), item) for name, item in value.items()}
    commands = table.typed("smoke", list, [])
    if not all(isinstance(command, str) for command in commands):
        raise table.fail("smoke", "must be a list of command strings, or a table")
    return {command: _smoke_entry(table, command, command, "smoke") for command in commands}


def _gates(table: _Table) -> tuple[GateSettings, ...] | None:
    if "gates" not in table.table:
        return None
    from tagship.gatetable import parse_gates  # noqa: PLC0415 (only a table pays for it)

    return parse_gates(table.table["gates"], f"{table.path}: [tool.tagship.gates]")


def load_tagship(path: str | PathLike[str], table: Mapping[str, Any]) -> TagshipConfig:
    """Validate `[tool.tagship]` read from `path` (the path only names it in messages)."""
    top = _Table(path, TABLE, table)
    top.known_keys(KEYS)
    indexes = _indexes(top)
    branch = top.checked(
        "release-branch", top.typed("release-branch", str, "main"), grammar.branch_name
    )
    return TagshipConfig(
        release_branch=branch,
        channels=_channels(top, indexes),
        indexes=indexes,
        environments=_environments(top, indexes),
        smoke=_smoke(top),
        gates=_gates(top),
        allow_final_without_rc=top.typed("allow-final-without-rc", bool, False),
        generate_workflow=top.typed("generate-workflow", bool, True),
        raw=table,
    )
