"""The values from a project's config that go into a generated workflow, made inert.

Two defences, both applied to every value the generator emits (issue 13): each value
must pass the strict grammar config.py applies at load (tagship.grammar: no newline,
quote or `${{`), checked again here because a spec can be built from a TagshipConfig
that never went through load, plus what a workflow's filter patterns add (no `*`, `?`,
`+`, `[`, `!` in a branch or a tag prefix); and each is written as a double-quoted YAML
scalar with every special character escaped, so that even a value the grammar let
through could not add a key, a step or a job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from tagship import grammar
from tagship.errors import ConfigError

# Characters a workflow's branch and tag filters read as patterns.
_FILTER = frozenset("*?+[]!")
_PYTHON = re.compile(r"3\.[0-9]{1,2}")
_COMMAND = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/=-]*")
# Characters YAML treats as line breaks or that editors hide; escaped in every scalar.
_INVISIBLE = {"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}
_UNPRINTABLE = re.compile("[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def scalar(value: str) -> str:
    """`value` as a double-quoted YAML scalar: it always parses back to exactly `value`."""
    # A JSON string is a valid YAML double-quoted scalar: quotes, backslashes and control
    # characters come out escaped; YAML's own extra line breaks are escaped on top.
    quoted = json.dumps(value, ensure_ascii=False)
    for char, escape in _INVISIBLE.items():
        quoted = quoted.replace(char, escape)
    # what YAML does not allow raw (DEL, the C1 controls, lone surrogates, U+FFFE/U+FFFF)
    return _UNPRINTABLE.sub(lambda found: f"\\u{ord(found.group()):04X}", quoted)


def _checked(what: str, value: str, rule: Callable[[str], str | None]) -> str:
    problem = rule(value)
    if problem is not None:
        raise ConfigError(f"{what} {value!r} cannot go into a workflow: {problem}")
    return value


def _literal(text: str) -> str | None:
    bad = next((char for char in text if char in _FILTER), None)
    return f"a workflow filter reads {bad!r} as a pattern" if bad else None


def channel(name: str) -> str:
    return _checked("index name", name, grammar.index_name)


def environment(name: str) -> str:
    return _checked("environment", name, grammar.environment_name)


def upload_url(url: str) -> str:
    return _checked("upload-url", url, grammar.url)


def branch(name: str) -> str:
    _checked("release-branch", name, grammar.branch_name)
    return _checked("release-branch", name, _literal)


def tag_prefix(tag_format: str) -> str:
    """The text of `tag_format` before its first placeholder, a literal tag filter."""
    _checked("tag_format", tag_format, grammar.tag_format)
    return _checked("tag_format", tag_format.split("$", 1)[0], _literal)


def command(line: str) -> str:
    return _checked(
        "CI command", line, lambda text: None if _COMMAND.fullmatch(text) else "a plain command"
    )


def python(version: str) -> str:
    return _checked(
        "Python version", version, lambda text: None if _PYTHON.fullmatch(text) else "MAJOR.MINOR"
    )
