"""The store's JSON reader: json.loads's answers for what the store writes, ValueError for
anything else (the caller then trusts nothing and the gates run again)."""

from __future__ import annotations

import json

import pytest

from tagship.gates import store


@pytest.mark.parametrize(
    "text",
    [
        '{"version":2,"passes":{"k":{"gate":"lint","commit":"c","seconds":1.5,"at":17}}}',
        ' \n{"heads": [["CHANGELOG.md", null]], "memo": {}}\r\n',
        '{"a": "\\u00e9\\n", "b": [true, false, -0.5e3, 12345678901234567890]}',
        "[]",
    ],
)
def test_what_json_reads_is_read_the_same(text: str) -> None:
    assert store.loads(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    ["", "   ", '{"a": 1} {"b": 2}', '{"a": 1', '\ufeff{"a": 1}', '{"a": NaN}', "{'a': 1}"],
)
def test_anything_else_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (any ValueError: the store is ignored)
        store.loads(text)
