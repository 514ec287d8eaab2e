"""pyproject.toml, edited round-trip: the version comes from tags, read by the build backend.

hatchling and uv_build projects get hatch-vcs; setuptools projects keep setuptools and get
setuptools-scm. Anything outside the edited keys keeps its bytes (tomlkit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from tomlkit.items import Array, Table

from tagship.errors import FatalError

STATIC_VERSION = re.compile(r"""^__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""", re.M)
_MANUAL = (
    "tagship init supports hatchling, uv_build and setuptools projects; for {backend!r}, "
    "make the version dynamic from git tags yourself (hatch-vcs or setuptools-scm, "
    'tag_regex "{regex}") and run tagship init again'
)


@dataclass(frozen=True)
class PyprojectChange:
    """The new pyproject.toml and what the edit found on the way."""

    text: str
    backend: str
    """`hatchling`, `setuptools` or `uv_build` (converted to hatchling)."""
    static_version: str | None
    """The version that was written in a file before, if any."""
    version_file: Path | None = None
    """A hatch `path` version file whose literal version must go too."""


def tag_regex(tag_format: str) -> str:
    """The setuptools-scm regex reading the tags commitizen writes with `tag_format`."""
    prefix, _, suffix = tag_format.replace("${version}", "$version").partition("$version")
    return f"^{re.escape(prefix)}(?P<version>.+){re.escape(suffix)}$"


def describe_command(tag_format: str) -> list[str]:
    """`git describe` matching only release tags, so other tags never set the version."""
    prefix = tag_format.split("$", 1)[0]
    pattern = f"{prefix}*" if prefix else "[0-9]*"
    return ["git", "describe", "--dirty", "--tags", "--long", "--match", pattern]


def backend_of(doc: Any) -> str:
    build = doc.get("build-system", {})
    backend = build.get("build-backend", "") if isinstance(build, dict) else ""
    return {
        "hatchling.build": "hatchling",
        "uv_build": "uv_build",
        "setuptools.build_meta": "setuptools",
    }.get(str(backend), str(backend) or "setuptools.build_meta:__legacy__")


def _table(parent: Any, key: str, *, super_table: bool = False) -> Table:
    if key not in parent:
        parent[key] = tomlkit.table(is_super_table=super_table)
    found = parent[key]
    if not isinstance(found, Table):
        raise FatalError(f"pyproject.toml: {key} must be a table; fix it and run init again")
    return found


def _string(value: str) -> Any:
    return tomlkit.string(value, literal="\\" in value)


def _set(table: Table, key: str, value: Any) -> None:
    """Set `key` unless it already holds an equal value (so its formatting survives)."""
    current = table.get(key)
    plain = getattr(current, "unwrap", lambda: current)()
    if plain != value:
        table[key] = _string(value) if isinstance(value, str) else value


def _names(requirements: Array) -> set[str]:
    names: set[str] = set()
    for item in requirements:
        try:
            names.add(canonicalize_name(Requirement(str(item)).name))
        except InvalidRequirement:
            continue
    return names


def _require(array: Array, *requirements: str) -> None:
    present = _names(array)
    for requirement in requirements:
        if canonicalize_name(Requirement(requirement).name) not in present:
            array.append(requirement)


def _version_to_dynamic(project: Table) -> str | None:
    """Remove a static `version`, putting `dynamic = ["version"]` where it was."""
    static = project.get("version")
    if static is not None:
        body = project.value.body
        position = next(i for i, (k, _) in enumerate(body) if k is not None and k.key == "version")
        project.remove("version")
        if "dynamic" not in project:
            dynamic = tomlkit.array()
            dynamic.append("version")
            project.value._insert_at(position, "dynamic", dynamic)
    if "dynamic" not in project:
        project["dynamic"] = ["version"]
    dynamic_array = project["dynamic"]
    if isinstance(dynamic_array, Array) and "version" not in dynamic_array:
        dynamic_array.append("version")
    return str(static) if static is not None else None


def _hatch_vcs(doc: Any, tool: Table, tag_format: str) -> None:
    hatch = _table(tool, "hatch", super_table=True)
    version = _table(hatch, "version")
    _set(version, "source", "vcs")
    raw = _table(version, "raw-options")
    if not raw.value.body:
        raw.add(tomlkit.comment("hatch-vcs reads exactly the tags commitizen writes (tag_format)."))
    _set(raw, "tag_regex", tag_regex(tag_format))
    _set(raw, "git_describe_command", describe_command(tag_format))
    requires = doc["build-system"]["requires"]
    _require(requires, "hatch-vcs")


def _from_uv_build(doc: Any, tool: Table, root: Path, name: str) -> str:
    """Switch the build system to hatchling; the package directory uv_build used."""
    settings = tool.get("uv", {}).get("build-backend", {})
    module = settings.get("module-name", name.replace("-", "_").replace(".", "_"))
    module_root = settings.get("module-root", "src")
    doc["build-system"]["requires"] = ["hatchling", "hatch-vcs"]
    doc["build-system"]["build-backend"] = "hatchling.build"
    package = f"{module_root}/{module}".lstrip("/") if module_root else str(module)
    if not (root / package).is_dir():
        raise FatalError(f"{package}/ not found: set tool.uv.build-backend.module-name")
    return package


def _wheel_packages(tool: Table, package: str) -> None:
    build = _table(_table(tool, "hatch", super_table=True), "build", super_table=True)
    wheel = _table(_table(build, "targets", super_table=True), "wheel")
    if "packages" not in wheel and "only-include" not in wheel:
        wheel["packages"] = [package]


def _hatch_version_file(tool: Table, root: Path) -> tuple[str | None, Path | None]:
    version = tool.get("hatch", {}).get("version", {})
    path = version.get("path") if isinstance(version, dict) else None
    if not isinstance(path, str):
        return None, None
    version.remove("path")
    found = STATIC_VERSION.search((root / path).read_text(encoding="utf-8"))
    return (found.group(1) if found else None), root / path


def _setuptools_scm(doc: Any, tool: Table, tag_format: str) -> None:
    scm = _table(tool, "setuptools_scm")
    _set(scm, "tag_regex", tag_regex(tag_format))
    _set(scm, "git_describe_command", describe_command(tag_format))
    dynamic = tool.get("setuptools", {}).get("dynamic", {})
    if isinstance(dynamic, Table) and "version" in dynamic:
        dynamic.remove("version")
    _require(doc["build-system"]["requires"], "setuptools-scm>=8")


def adopt(text: str, *, root: Path, tag_format: str) -> PyprojectChange:
    """pyproject.toml with its version taken from tags matching `tag_format`."""
    doc = tomlkit.parse(text)
    project = doc.get("project")
    if not isinstance(project, Table) or not isinstance(project.get("name"), str):
        raise FatalError("pyproject.toml has no [project] name; add one and run init again")
    backend = backend_of(doc)
    if backend not in ("hatchling", "uv_build", "setuptools"):
        raise FatalError(_MANUAL.format(backend=backend, regex=tag_regex(tag_format)))
    name = str(project["name"])
    static = _version_to_dynamic(project)
    tool = _table(doc, "tool", super_table=True)
    version_file = None
    if backend == "setuptools":
        _setuptools_scm(doc, tool, tag_format)
    else:
        package = _from_uv_build(doc, tool, root, name) if backend == "uv_build" else None
        if package is None:
            file_version, version_file = _hatch_version_file(tool, root)
            static = static or file_version
        _hatch_vcs(doc, tool, tag_format)
        if package is not None:
            _wheel_packages(tool, package)
    return PyprojectChange(tomlkit.dumps(doc), backend, static, version_file)


def strip_static_version(text: str, distribution: str) -> str:
    """A version file whose literal `__version__` now comes from the installed metadata."""
    replacement = (
        "from importlib.metadata import version as _version\n\n"
        f'__version__ = _version("{distribution}")'
    )
    return STATIC_VERSION.sub(replacement.replace("\\", "\\\\"), text, count=1)
