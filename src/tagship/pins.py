"""The one table of GitHub Action pins used by every workflow tagship writes.

Seeded from the shared action-pins.toml: a full commit SHA per action, with its tag kept
as a comment after `uses:`. Updating a pin means changing it here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pin:
    """One action pinned to a commit."""

    sha: str
    """The full 40-hex commit id."""
    tag: str
    """The release tag that commit was resolved from."""


PINS: dict[str, Pin] = {
    "actions/checkout": Pin("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": Pin("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "actions/upload-artifact": Pin("043fb46d1a93c77aae656e7c1c64a875d1fc6a0a", "v7.0.1"),
    "actions/download-artifact": Pin("3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"),
    "astral-sh/setup-uv": Pin("20cfd1bf945f4377ade1205e4dbc17946fc9a30d", "v10.0.1"),
    "pypa/gh-action-pypi-publish": Pin("dc37677b2e1c63e2034f94d8a5b11f265b73ba33", "v1.14.2"),
}


def uses(action: str) -> str:
    """The `uses:` value and its comment: `OWNER/REPO@<sha> # <tag>`."""
    pin = PINS[action]
    return f"{action}@{pin.sha} # {pin.tag}"
