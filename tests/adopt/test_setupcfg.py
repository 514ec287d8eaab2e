"""setup.cfg's [metadata] version goes; every other byte stays."""

from __future__ import annotations

import pytest

from tagship.adopt.setupcfg import without_version


@pytest.mark.parametrize(
    ("text", "kept", "static"),
    [
        (
            "[metadata]\nname = pkg\nversion = 1.2.0\nauthor = A  \n\n[options]\nversion = x\n",
            "[metadata]\nname = pkg\nauthor = A  \n\n[options]\nversion = x\n",
            "1.2.0",
        ),
        ("[metadata]\r\nversion = attr: pkg.__version__\r\n", "[metadata]\r\n", None),
        ("[metadata]\nversion =\n    file: VERSION\nname = p\n", "[metadata]\nname = p\n", None),
        ("[options]\npackages = find:\n", "[options]\npackages = find:\n", None),
    ],
)
def test_without_version(text: str, kept: str, static: str | None) -> None:
    change = without_version(text)
    assert (change.text, change.static_version) == (kept, static)
    assert without_version(change.text).text == change.text
