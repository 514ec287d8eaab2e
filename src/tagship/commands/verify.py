"""`tagship verify` (being built: see its issue)."""

from __future__ import annotations

from tagship.errors import FatalError


def verify(**_: object) -> int:
    raise FatalError("tagship verify is not available yet")
