"""tagship: tag-driven releases for Python packages."""

from __future__ import annotations

from tagship.errors import ConfigError, FatalError

__all__ = ["ConfigError", "FatalError"]
