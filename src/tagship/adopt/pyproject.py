"""pyproject.toml, edited round-trip: the version comes from tags, read by the build backend.

Backends with a tag-version mechanism that `uv build` runs keep it: setuptools gets
setuptools-scm, pdm-backend its `scm` source, hatchling hatch-vcs. The others (uv_build,
poetry-core, flit_core) switch to hatchling + hatch-vcs, taking along what the old
backend held (its package directory, flit's docstring description); backends.py has
the per-backend edits. Anything outside the edited keys keeps its bytes (tomldoc).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tagship.adopt import backends, tomldoc
from tagship.adopt.backends import describe_command, describe_pattern, require, tag_regex
from tagship.errors import ConfigError

__all__ = [
    "STATIC_VERSION",
    "PyprojectChange",
    "adopt",
    "describe_command",
    "describe_pattern",
    "require",
    "strip_static_version",
    "tag_regex",
]

STATIC_VERSION = re.compile(r"""^__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""", re.M)


@dataclass(frozen=True)
class PyprojectChange:
    """The new pyproject.toml and what the edit found on the way."""

    text: str
    backend: str
    """The backend found (`hatchling`, `setuptools`, `uv_build`, `pdm`, `poetry`, `flit`)."""
    static_version: str | None
    """The version that was written in a file before, if any."""
    version_file: Path | None = None
    """A module whose literal `__version__` must now come from the installed metadata."""
    name: str = ""
    """The distribution name."""


def describe_match(doc: Any) -> str | None:
    """The `--match` glob of the project's own `git describe` settings, if it has one."""
    for keys in (
        ("tool", "hatch", "version", "raw-options", "git_describe_command"),
        ("tool", "setuptools_scm", "git_describe_command"),
    ):
        command = tomldoc.plain(tomldoc.get(doc, *keys))
        if isinstance(command, str):
            command = command.split()
        if isinstance(command, list) and "--match" in command[:-1]:
            return str(command[command.index("--match") + 1])
    tag_filter = tomldoc.get(doc, "tool", "pdm", "version", "tag_filter")
    return str(tag_filter) if isinstance(tag_filter, str) else None


def project_name(doc: Any) -> str:
    project = doc.get("project")
    if not tomldoc.is_table(project):
        raise ConfigError(backends.no_project_message(doc))
    name = project.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(
            'pyproject.toml: [project] has no name; add name = "…" and run init again'
        )
    return str(name)


def adopt(text: str, *, root: Path, tag_format: str) -> PyprojectChange:
    """pyproject.toml with its version taken from tags matching `tag_format`."""
    doc, layout = tomldoc.parse(text)
    name = project_name(doc)
    edit = backends.adopt(doc, root=root, name=name, tag_format=tag_format)
    static = edit.static_version
    module = edit.version_file or version_module(root, doc, name)
    if module is not None and static is None:
        found = STATIC_VERSION.search(module.read_text(encoding="utf-8"))
        static = found.group(1) if found else None
    if edit.backend == "poetry-dynamic-versioning" and static == "0.0.0":
        static = None  # its placeholder, substituted at build time: no version to tag
    return PyprojectChange(tomldoc.dump(doc, layout), edit.backend, static, module, name)


def version_module(root: Path, doc: Any, name: str) -> Path | None:
    """The package's `__init__.py` (or single module) if it holds a literal `__version__`."""
    module = backends.module_name(doc, name)
    for candidate in (
        f"src/{module}/__init__.py",
        f"{module}/__init__.py",
        f"src/{module}.py",
        f"{module}.py",
    ):
        path = root / candidate
        if path.is_file() and STATIC_VERSION.search(path.read_text(encoding="utf-8")):
            return path
    return None


def strip_static_version(text: str, distribution: str) -> str:
    """A version file whose literal `__version__` now comes from the installed metadata."""
    replacement = (
        "from importlib.metadata import version as _version\n\n"
        f'__version__ = _version("{distribution}")'
    )
    return STATIC_VERSION.sub(replacement.replace("\\", "\\\\"), text, count=1)
