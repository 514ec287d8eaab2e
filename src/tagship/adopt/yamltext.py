"""Positions in a YAML text, for edits that insert text instead of re-serializing a file.

A round-trip dump re-indents, re-spaces comments and drops trailing spaces; a user's file
must keep every byte that tagship does not add. So the file is composed (ruamel gives each
node its start and end offsets), and new text is spliced in at line boundaries, in the
file's own indentation and line endings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

NULL = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Edit:
    """Replace `text[start:end]` with `new` (an insertion when start == end)."""

    start: int
    end: int
    new: str


def compose(text: str) -> Node | None:
    """The node tree of `text` (None for an empty document); YAMLError when unparseable."""
    node: Node | None = YAML().compose(text)
    return node


def newline_of(text: str) -> str:
    """The file's line ending (its first one), `\\n` for a file with none."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL


def get(mapping: MappingNode, key: str) -> tuple[ScalarNode, Node] | None:
    """The key node and value node of `key` in a mapping, or None."""
    for key_node, value in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value
    return None


def scalar(mapping: MappingNode, key: str) -> str | None:
    found = get(mapping, key)
    return str(found[1].value) if found and isinstance(found[1], ScalarNode) else None


def last_leaf_end(node: Node) -> int:
    """Where the last character of `node`'s content ends (comments after it excluded).

    A block collection's own end mark lies at the next token, past trailing comments; the
    end of its last scalar (or flow collection) does not.
    """
    while isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return int(node.end_mark.index)


def line_after(text: str, offset: int) -> int:
    """The offset of the line following the one that holds `offset` (len(text) at the end)."""
    found = text.find("\n", offset)
    return len(text) if found < 0 else found + 1


def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def dash_column(text: str, item: Node) -> int:
    """The column of the `-` that introduces a block sequence item."""
    start = line_start(text, item.start_mark.index)
    prefix = text[start : item.start_mark.index]
    return prefix.rfind("-") if "-" in prefix else int(item.start_mark.column)


def insert_lines(text: str, after: int, lines: Iterable[str], newline: str) -> Edit:
    """Insert whole lines after the line that holds offset `after`."""
    at = line_after(text, after)
    body = "".join(line + newline for line in lines)
    lead = newline if at == len(text) and text and not text.endswith("\n") else ""
    return Edit(at, at, lead + body)


def apply(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; insertions at one offset keep the order they were made."""
    ordered = sorted(enumerate(edits), key=lambda pair: (pair[1].start, pair[0]), reverse=True)
    for _, edit in ordered:
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


_SPECIAL = {"", "~", "null", "true", "false", "yes", "no", "on", "off"}


def plain(value: object) -> str:
    """A YAML flow rendering of a str, bool or list of str (double-quoted where needed)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(plain(item) for item in value) + "]"
    text = str(value)
    risky = (
        text.lower() in _SPECIAL
        or text != text.strip()
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or text[0] in "-?:#&*!|>'\"%@`"
        or any(c in text for c in ",[]{}")
        or text.replace(".", "", 1).isdigit()
    )
    return json.dumps(text) if risky else text
