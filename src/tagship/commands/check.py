"""`tagship check` (being built: see its issue)."""

from __future__ import annotations

from tagship.errors import FatalError


def check(**_: object) -> int:
    raise FatalError("tagship check is not available yet")
