"""Strict grammars for configuration values that reach a generated workflow or a process.

Each function is pure: it takes the value and returns what is wrong with it (a phrase
that completes "... is refused: "), or None when it is acceptable. config.py names the
file and the key around the phrase. The grammars are deliberately narrower than what
GitHub or git would accept: a value that passes can be pasted into YAML, a `key=value`
line or an argv item and mean only itself (no newline, no quote, no `${{`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Patterns are compiled by re (and cached there) when first used: route's start-up checks
# only the tag format.
# GitHub environment names: letters, digits and `_.-` (GitHub also allows spaces; we do
# not, so that a name is one word everywhere it is shown or written).
_ENVIRONMENT = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}"
# An index name is a workflow job id and a `--index` word: GitHub job ids start with a
# letter or `_` and hold letters, digits, `-` and `_`.
_INDEX_NAME = r"[A-Za-z_][A-Za-z0-9_-]{0,99}"
# http(s), a host (name, IPv4 or [IPv6]), an optional port, then a path of plain URL
# characters: no whitespace, quotes, backslash, braces, `$`, `;`, `&`, `|`, `<`, `>`.
_URL = (
    r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
    r"(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%/+=:@,!-]*)?"
)
# Characters that mean something to a shell, YAML or a GitHub expression.
_UNSAFE = frozenset("'\"`\\")
# git check-ref-format: no control characters, space, ~ ^ : ? * [ \ anywhere.
_REF_FORBIDDEN = frozenset(" ~^:?*[\\")
_PLACEHOLDER = r"\$(?:\{(\w+)\}|(\w+))"  # the same as tagship.versions'
_PARTS = ("major", "minor", "patch")
_OPTIONAL_PARTS = ("prerelease", "devrelease")
_EXAMPLE = {"version": "1.2.3", "major": "1", "minor": "2", "patch": "3"} | dict.fromkeys(
    _OPTIONAL_PARTS, ""
)


def _has_control(text: str) -> bool:
    return any(ord(char) < 0x20 or ord(char) == 0x7F for char in text)


def _unsafe(text: str) -> str | None:
    """Line breaks, quotes, backslashes and GitHub expressions: never in any value."""
    if _has_control(text) or "\u2028" in text or "\u2029" in text or "\x85" in text:
        return "it contains a line break or a control character"
    quote = next((char for char in text if char in _UNSAFE), None)
    if quote is not None:
        return f"it contains {quote!r}"
    if "${{" in text:
        return "it contains a GitHub expression '${{'"
    return None


def _ref_rules(name: str) -> Iterator[tuple[bool, str]]:
    bad = next((char for char in name if char in _REF_FORBIDDEN), None)
    yield bad is not None, f"git refuses {bad!r} in a ref name"
    yield (
        name == "@" or "@{" in name or ".." in name or "//" in name,
        "git refuses '@', '@{', '..' and '//' in a ref name",
    )
    yield (
        name.startswith("/") or name.endswith(("/", ".")),
        "a ref name cannot start with '/' or end with '/' or '.'",
    )
    yield (
        any(part.startswith(".") or part.endswith(".lock") for part in name.split("/")),
        "no part of a ref name may start with '.' or end with '.lock'",
    )


def ref_name(name: str) -> str | None:
    """git check-ref-format's rules for one ref name (`main`, `release/1.x`, `v1.0.0`)."""
    if not name:
        return "it is empty"
    if problem := _unsafe(name):
        return problem
    return next((message for broken, message in _ref_rules(name) if broken), None)


def branch_name(name: str) -> str | None:
    """A branch name git would create (`git check-ref-format --branch`)."""
    if name.startswith("-"):
        return "a branch name cannot start with '-'"
    return ref_name(name)


def environment_name(name: str) -> str | None:
    if problem := _unsafe(name):
        return problem
    if not re.fullmatch(_ENVIRONMENT, name):
        return "a GitHub environment name here is letters, digits, '_', '.' or '-'"
    return None


def index_name(name: str) -> str | None:
    if not re.fullmatch(_INDEX_NAME, name):
        return "an index name is a letter or '_', then letters, digits, '_' or '-'"
    return None


def url(text: str) -> str | None:
    if problem := _unsafe(text):
        return problem
    if not re.fullmatch(_URL, text):
        return "it must be an http:// or https:// URL of plain characters (no spaces, $, ;, &)"
    return None


def _placeholders(template: str) -> list[str]:
    return [match.group(1) or match.group(2) for match in re.finditer(_PLACEHOLDER, template)]


def tag_format_placeholders(template: str) -> str | None:
    """Exactly one `$version` (or `${version}`), or `$major`, `$minor`, `$patch` once each."""
    if "$$" in template:  # string.Template's escape: commitizen writes a literal `$` there
        return "it holds $$, a literal $ to commitizen ($$version is no version); write $version"
    names = _placeholders(template)
    versions = names.count("version")
    if versions > 1:
        return "it holds $version more than once; write it once, e.g. v$version"
    if versions == 1:
        if any(name in (*_PARTS, *_OPTIONAL_PARTS) for name in names):
            return "it mixes $version with $major/$minor/$patch; use one or the other"
        return None
    counts = [names.count(name) for name in (*_PARTS, *_OPTIONAL_PARTS)]
    if counts[:3] == [1, 1, 1] and all(count <= 1 for count in counts[3:]):
        return None
    return "it needs exactly one $version (e.g. v$version)"


def tag_format(template: str) -> str | None:
    """The tag_format that goes into the workflow's tag filter: safe, and a valid tag."""
    if problem := _unsafe(template):
        return problem
    if problem := tag_format_placeholders(template):
        return problem
    unknown = sorted(set(_placeholders(template)) - set(_EXAMPLE))
    if unknown:
        return f"${unknown[0]} is not one of commitizen's placeholders"
    example = re.sub(_PLACEHOLDER, lambda m: _EXAMPLE[m.group(1) or m.group(2)], template)
    if problem := ref_name(example):
        return f"its tags would be refused by git ({example!r}: {problem})"
    return None


# Unquoted (or double-quoted: the shell expands these there too) text that only a shell
# would understand. verify runs a smoke command as one argv, without a shell, so `a && b`
# would run `a` with the arguments `&&` and `b`, and pass.
_SHELL_OPERATORS = ("&&", "||", ">>", "$(", "|", "&", ";", "<", ">", "`")


def _unquoted_operator(command: str) -> str | None:
    quote = ""
    position = 0
    while position < len(command):
        char = command[position]
        if quote == "'":
            quote = "" if char == "'" else quote
        elif char == "\\":
            position += 1  # the next character is literal (also inside double quotes)
        elif char == '"':
            quote = "" if quote else '"'
        elif char == "'" and not quote:
            quote = "'"
        else:
            rest = command[position:]
            for operator in _SHELL_OPERATORS:
                if rest.startswith(operator) and (not quote or operator in ("$(", "`")):
                    return operator
        position += 1
    return None


def command_argv(command: str) -> tuple[str, ...] | str:
    """A smoke command split into argv as a POSIX shell would, or what is wrong with it."""
    import shlex  # noqa: PLC0415 (only a project with smoke commands pays for it)

    if not command.strip():
        return "it is empty"
    if _has_control(command.replace("\t", " ")):
        return "it contains a line break or a control character"
    operator = _unquoted_operator(command)
    if operator is not None:
        return (
            f"{operator!r} is shell syntax, and smoke commands run without a shell; "
            "run one command; put a pipeline in a script"
        )
    try:
        return tuple(shlex.split(command))
    except ValueError as exc:
        return f"it cannot be split into words ({exc})"
