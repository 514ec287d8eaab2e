"""`tagship gate` (being built: see its issue)."""

from __future__ import annotations

from tagship.errors import FatalError


def gate(**_: object) -> int:
    raise FatalError("tagship gate is not available yet")
