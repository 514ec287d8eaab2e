"""`tagship init` (being built: see its issue)."""

from __future__ import annotations

from tagship.errors import FatalError


def init(**_: object) -> int:
    raise FatalError("tagship init is not available yet")
