"""`tagship rehearse` (being built: see its issue)."""

from __future__ import annotations

from tagship.errors import FatalError


def rehearse(**_: object) -> int:
    raise FatalError("tagship rehearse is not available yet")
