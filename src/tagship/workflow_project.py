"""The workflow spec of a project: what init writes and what doctor compares against.

One function, `project_spec`, serves both (so a workflow init wrote is exactly what
doctor expects); the Pythons the gates run on come from `requires-python` and the
`Programming Language :: Python :: 3.X` classifiers, limited to what GitHub's
setup-python serves on its Linux runners.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from tagship.config import TagshipConfig
from tagship.errors import ConfigError
from tagship.workflow import DEFAULT_PYTHON, WorkflowSpec, spec_for

# The CPython minors actions/setup-python serves on ubuntu-latest (24.04: 3.8 is not
# built for it). Extend when a new minor is released.
SERVED = ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
TAGSHIP_FLOOR = (3, 11)
_CLASSIFIER = "Programming Language :: Python :: "


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


def _allowed(specifier: SpecifierSet, version: str) -> bool:
    # A minor is supported when some release of it is: `>=3.9.2` still allows 3.9.
    return any(specifier.contains(f"{version}.{patch}") for patch in (0, 99))


def supported_pythons(requires_python: str | None, classifiers: Iterable[str]) -> tuple[str, ...]:
    """The served Pythons a project supports, oldest first (pure)."""
    try:
        specifier = SpecifierSet(requires_python or "")
    except InvalidSpecifier:
        raise ConfigError(
            f"pyproject.toml: requires-python {requires_python!r} is not a version specifier"
        ) from None
    allowed = [version for version in SERVED if _allowed(specifier, version)]
    listed = {c.removeprefix(_CLASSIFIER).strip() for c in classifiers if c.startswith(_CLASSIFIER)}
    classified = [version for version in allowed if version in listed]
    if classified:
        return tuple(classified)
    if requires_python is None:
        return (DEFAULT_PYTHON,)
    if not allowed:
        raise ConfigError(
            f"pyproject.toml: requires-python {requires_python!r} allows none of the Pythons "
            f"GitHub's setup-python serves ({SERVED[0]}-{SERVED[-1]}); widen it"
        )
    return tuple(allowed)


def tagship_python(pythons: tuple[str, ...]) -> str:
    """The oldest supported Python tagship runs on: its steps share the project's lock."""
    for version in pythons:
        if _minor(version) >= TAGSHIP_FLOOR:
            return version
    raise ConfigError(
        f"the project supports Python {', '.join(pythons)} only; tagship runs on "
        f"{'.'.join(map(str, TAGSHIP_FLOOR))}+: allow a newer Python in requires-python"
    )


def ci_command(root: Path) -> str | None:
    """`make check` when the project's Makefile has a check target: CI runs what you run."""
    try:
        makefile = (root / "Makefile").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    has_check = any(line.startswith("check:") for line in makefile.splitlines())
    return "make check" if has_check else None


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def project_spec(
    root: Path, tag_format: str, tagship: TagshipConfig, pyproject: Mapping[str, Any]
) -> WorkflowSpec:
    """The spec of the project at `root` from its (already parsed) pyproject.toml."""
    project = pyproject.get("project")
    project = project if isinstance(project, Mapping) else {}
    requires = project.get("requires-python")
    pythons = supported_pythons(
        requires if isinstance(requires, str) else None, _strings(project.get("classifiers"))
    )
    return spec_for(
        tag_format,
        tagship,
        ci_command=ci_command(root),
        pythons=pythons,
        tagship_python=tagship_python(pythons),
    )
