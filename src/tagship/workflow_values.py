"""The values from a project's config that go into a generated workflow, made inert.

Two defences, both applied to every value the generator emits (issue 13): each value
must match a strict grammar (so no newline, quote, `${{` or glob character can reach the
YAML, where GitHub would read it as structure or as an expression), and each is written
as a double-quoted YAML scalar with every special character escaped (so even a value the
grammar let through could not add a key, a step or a job). config.py validates the same
values at load; this module checks again where they are emitted, because a spec can be
built from a TagshipConfig that never went through load.
"""

from __future__ import annotations

import json
import re

from tagship.errors import ConfigError

# GitHub job ids: the channel name becomes `publish-NAME`, `verify-NAME`, `--index NAME`
# (so it never starts with `-`, which would make it an option).
_JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# Environment names as GitHub and PyPI's Trusted Publisher form take them, minus anything
# YAML, a shell or an expression could read: letters, digits, `._-` and inner spaces.
_ENVIRONMENT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._ -]{0,253}[A-Za-z0-9._-])?")
# An upload URL: http(s), a host, an optional port and a plain path; no query, fragment,
# quote, brace, `$` or whitespace.
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%+@/-]*)?")
# A branch or tag-prefix as a workflow filter takes it literally: git's ref rules, minus
# the filter's pattern characters (`*`, `?`, `+`, `[`, `!`).
_REF_PART = re.compile(r"[A-Za-z0-9._/-]*")
_PYTHON = re.compile(r"3\.[0-9]{1,2}")
# A commitizen tag_format: literal text and `$name` / `${name}` variables, nothing else.
_TAG_FORMAT = re.compile(r"(?:[A-Za-z0-9._/-]|\$[a-z_]+|\$\{[a-z_]+\})*")
_COMMAND = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/=-]*")
# Characters YAML treats as line breaks or that editors hide; escaped in every scalar.
_INVISIBLE = {"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}


def scalar(value: str) -> str:
    """`value` as a double-quoted YAML scalar: it always parses back to exactly `value`."""
    # A JSON string is a valid YAML double-quoted scalar: quotes, backslashes and control
    # characters come out escaped; YAML's own extra line breaks are escaped on top.
    quoted = json.dumps(value, ensure_ascii=False)
    for char, escape in _INVISIBLE.items():
        quoted = quoted.replace(char, escape)
    return quoted


def _refuse(what: str, value: str, allowed: str) -> ConfigError:
    return ConfigError(f"{what} {value!r} cannot go into a workflow: {allowed}")


def channel(name: str) -> str:
    if not _JOB_ID.fullmatch(name):
        raise _refuse("index name", name, "start with a letter or digit; use '_' and '-'")
    return name


def environment(name: str) -> str:
    if not _ENVIRONMENT.fullmatch(name):
        raise _refuse(
            "[tool.tagship.environments] name",
            name,
            "start with a letter or digit; then letters, digits, '.', '_', '-', inner spaces",
        )
    return name


def upload_url(url: str) -> str:
    if not _URL.fullmatch(url):
        raise _refuse(
            "upload-url", url, "write an http(s) URL with a plain path (no quotes, spaces, $)"
        )
    return url


def _ref_part(what: str, value: str) -> str:
    parts = value.split("/")
    broken = (
        not _REF_PART.fullmatch(value)
        or value.startswith("-")
        or ".." in value
        or any(part.startswith(".") or part.endswith(".lock") for part in parts)
    )
    if broken:
        raise _refuse(what, value, "use letters, digits, '.', '_', '-' and '/' as git allows")
    return value


def branch(name: str) -> str:
    if not name or name.endswith(("/", ".")) or "//" in name:
        raise _refuse("release-branch", name, "name one branch, like main")
    return _ref_part("release-branch", name)


def tag_prefix(tag_format: str) -> str:
    """The text of `tag_format` before its first variable, checked as a literal tag filter."""
    if not _TAG_FORMAT.fullmatch(tag_format):
        raise _refuse(
            "tag_format", tag_format, "write text and $version (letters, digits, '.', '_', '-')"
        )
    return _ref_part("tag_format prefix", tag_format.split("$", 1)[0])


def command(line: str) -> str:
    if not _COMMAND.fullmatch(line):
        raise _refuse("CI command", line, "use a plain command such as `make check`")
    return line


def python(version: str) -> str:
    if not _PYTHON.fullmatch(version):
        raise _refuse("Python version", version, "write MAJOR.MINOR, like 3.12")
    return version
