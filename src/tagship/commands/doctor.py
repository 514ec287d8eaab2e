"""`tagship doctor` (being built: see its issue)."""

from __future__ import annotations

from tagship.errors import FatalError


def doctor(**_: object) -> int:
    raise FatalError("tagship doctor is not available yet")
