"""A TOML file edited round-trip whatever its layout: BOM, CRLF, split and inline tables.

tomlkit keeps the bytes it parsed, but it hands out three kinds of table (a `Table`, an
`InlineTable` for `raw-options = { … }`, and an `OutOfOrderTableProxy` when a table is
split around others: `[project]` … `[tool.ruff]` … `[project.scripts]`), and it writes
what it adds with `\\n`. Every edit of a user's TOML goes through `parse` / `dump` and
`table` here, so each layout is handled once.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import tomlkit
from tomlkit.container import OutOfOrderTableProxy
from tomlkit.items import InlineTable, Table
from tomlkit.toml_document import TOMLDocument

from tagship.errors import ConfigError

BOM = "\ufeff"
_LONE_LF = re.compile(r"(?<!\r)\n")


@dataclass(frozen=True)
class Layout:
    """What the file looked like around its content, restored when it is written back."""

    bom: bool
    crlf: bool


def parse(text: str, name: str = "pyproject.toml") -> tuple[TOMLDocument, Layout]:
    """The document and its layout; invalid TOML is a configuration error naming the file."""
    bom = text.startswith(BOM)
    body = text.removeprefix(BOM)
    try:
        return tomlkit.parse(body), Layout(bom=bom, crlf="\r\n" in body)
    except Exception as exc:  # noqa: BLE001 (tomlkit raises several unrelated types)
        detail = " ".join(str(exc).split())
        raise ConfigError(f"{name}: cannot parse ({detail}); fix the file") from None


def dump(doc: TOMLDocument, layout: Layout, name: str = "pyproject.toml") -> str:
    """The document as text in its original layout, proven valid before anyone writes it."""
    text = tomlkit.dumps(doc)
    if layout.crlf:
        text = _LONE_LF.sub("\r\n", text)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # A layout tomlkit cannot extend validly (a table defined by dotted keys, say).
        raise ConfigError(
            f"{name}: tagship's edit of this layout would not be valid TOML ({exc}); "
            "write the table with a [header] instead of dotted keys and run init again"
        ) from None
    return (BOM if layout.bom else "") + text


_HEADER = re.compile(r"\[")


def spaced(old: str, new: str) -> str:
    """`new` with a blank line before each table header that tomlkit put right under a
    line it did not follow in `old` (`[tool.tagship]`'s last key, then `[build-system]`).
    Where the user's own file has no blank line between two lines, none is added (pure)."""
    before = set(zip(old.splitlines(), old.splitlines()[1:], strict=False))
    lines = new.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in new else "\n"
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if (
            _HEADER.match(line)
            and previous.strip()
            and not previous.lstrip().startswith("#")
            and (previous.rstrip("\r\n"), line.rstrip("\r\n")) not in before
        ):
            out.append(newline)
        out.append(line)
    return "".join(out)


Mapping = MutableMapping[str, Any]


def is_table(value: object) -> bool:
    return isinstance(value, (Table, InlineTable, OutOfOrderTableProxy, TOMLDocument))


def table(parent: Mapping, key: str, *, super_table: bool = False, path: str = "") -> Mapping:
    """`parent[key]` as an editable table (any of tomlkit's kinds), created when missing.

    A super-table prints no header of its own (`[tool]` stays implicit).
    """
    if key not in parent:
        parent[key] = tomlkit.table(is_super_table=super_table)
    found = parent[key]
    if not is_table(found):
        where = f"{path}.{key}" if path else key
        raise ConfigError(
            f"pyproject.toml: {where} must be a table, not {plain(found)!r}; "
            "fix it and run init again"
        )
    result: Mapping = found
    return result


def get(parent: Any, *keys: str) -> Any:
    """The value at `keys` below `parent`, or None where any level is missing or no table."""
    value = parent
    for key in keys:
        if not is_table(value) and not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def plain(value: Any) -> Any:
    """A tomlkit item as plain Python (strings, lists, dicts)."""
    return value.unwrap() if hasattr(value, "unwrap") else value
