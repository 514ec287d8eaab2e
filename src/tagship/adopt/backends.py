"""Per-backend edits of pyproject.toml that make the version come from git tags.

Kept, because `uv build` runs their tag-version mechanism: hatchling (hatch-vcs),
setuptools (setuptools-scm), pdm-backend (its `scm` source), poetry-dynamic-versioning's
wrapper of poetry-core (dunamai reads the tags). Switched to hatchling +
hatch-vcs, because they have none: uv_build, poetry-core, flit_core. A switch carries the
settings the old backend held: the package directory (uv_build's module-root, poetry's
`packages`, flit's module) and flit's description, which flit read from the docstring.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from tagship.adopt import tomldoc
from tagship.checks.scm import DUNAMAI_VERSION, dunamai_pattern, tag_to_version
from tagship.errors import ConfigError

KNOWN = {
    "hatchling.build": "hatchling",
    "uv_build": "uv_build",
    "setuptools.build_meta": "setuptools",
    "setuptools.build_meta:__legacy__": "setuptools",
    "pdm.backend": "pdm",
    "poetry.core.masonry.api": "poetry",
    "poetry_dynamic_versioning.backend": "poetry-dynamic-versioning",
    "flit_core.buildapi": "flit",
}
_COMMENT = "hatch-vcs reads exactly the tags commitizen writes (tag_format)."


def tag_regex(tag_format: str) -> str:
    """The setuptools-scm regex reading the tags commitizen writes with `tag_format`."""
    prefix, _, suffix = tag_format.replace("${version}", "$version").partition("$version")
    return f"^{re.escape(prefix)}(?P<version>.+){re.escape(suffix)}$"


def describe_pattern(tag_format: str) -> str:
    """The `git describe --match` glob of the release tags (`v*`, `[0-9]*`, `pkg-v*`)."""
    prefix = tag_format.split("$", 1)[0]
    return f"{prefix}*" if prefix else "[0-9]*"


def describe_command(tag_format: str) -> list[str]:
    """`git describe` matching only release tags, so other tags never set the version."""
    return [
        "git",
        "describe",
        "--dirty",
        "--tags",
        "--long",
        "--match",
        describe_pattern(tag_format),
    ]


def _names(requirements: Any) -> set[str]:
    names: set[str] = set()
    for item in requirements:
        try:
            names.add(canonicalize_name(Requirement(str(item)).name))
        except InvalidRequirement:
            continue
    return names


def require(array: Any, *requirements: str) -> None:
    """Append each requirement whose project `array` does not name yet."""
    present = _names(array)
    for requirement in requirements:
        if canonicalize_name(Requirement(requirement).name) not in present:
            array.append(requirement)


@dataclass(frozen=True)
class BackendEdit:
    backend: str
    static_version: str | None
    version_file: Path | None


def backend_of(doc: Any) -> str:
    """The backend's short name; a project with no build-system is legacy setuptools."""
    backend = tomldoc.get(doc, "build-system", "build-backend")
    if backend is None:
        return "setuptools"
    if str(backend) not in KNOWN:
        supported = ", ".join(sorted(set(KNOWN.values())))
        raise ConfigError(
            f"pyproject.toml: build-backend {str(backend)!r} is not one tagship adopts "
            f'({supported}); switch to hatchling (requires = ["hatchling"], '
            'build-backend = "hatchling.build") and run init again'
        )
    return KNOWN[str(backend)]


def no_project_message(doc: Any) -> str:
    """Why a pyproject.toml without [project] is refused, and the change that fixes it."""
    if tomldoc.is_table(tomldoc.get(doc, "tool", "poetry")):
        return (
            "pyproject.toml: neither [project] nor poetry's [tool.poetry] has a name; add "
            'name = "…" to [tool.poetry] (init moves it to [project]) and run init again'
        )
    return (
        "pyproject.toml has no [project] table (uv needs the metadata there); move name, "
        "version and dependencies from setup.cfg/setup.py to [project] (`uvx ini2toml "
        "setup.cfg` prints it) and run init again"
    )


def module_name(doc: Any, name: str) -> str:
    """The import name of the package, as the backend would find it."""
    for keys in (
        ("tool", "flit", "module", "name"),
        ("tool", "uv", "build-backend", "module-name"),
    ):
        found = tomldoc.get(doc, *keys)
        if isinstance(found, str):
            return found
    return name.replace("-", "_").replace(".", "_").lower()


def _set(table: Any, key: str, value: Any) -> None:
    """Set `key` unless it already holds an equal value (so its formatting survives)."""
    if tomldoc.plain(table.get(key)) != value:
        table[key] = (
            tomlkit.string(value, literal="\\" in value) if isinstance(value, str) else value
        )


def _reads(regex: object, tag_format: str) -> bool:
    """Whether a tag_regex reads the version out of the tags `tag_format` writes."""
    if not isinstance(regex, str):
        return False
    tag = tag_format.replace("${version}", "1.2.3rc1").replace("$version", "1.2.3rc1")
    try:
        found = re.search(regex, tag)
    except re.error:
        return False
    return found is not None and found.groupdict().get("version") == "1.2.3rc1"


def _matches(command: object, tag_format: str) -> bool:
    if not isinstance(command, list) or "--match" not in command[:-1]:
        return False
    tag = tag_format.replace("${version}", "1.2.3").replace("$version", "1.2.3")
    return fnmatch.fnmatchcase(tag, str(command[command.index("--match") + 1]))


def scm_options(options: Any, tag_format: str) -> None:
    """setuptools-scm's options, keeping the user's regex and describe when they fit."""
    if not _reads(tomldoc.plain(options.get("tag_regex")), tag_format):
        _set(options, "tag_regex", tag_regex(tag_format))
    if not _matches(tomldoc.plain(options.get("git_describe_command")), tag_format):
        _set(options, "git_describe_command", describe_command(tag_format))


def version_to_dynamic(project: Any) -> str | None:
    """Remove a static `version`, putting `dynamic = ["version"]` where it was."""
    static = project.get("version")
    if static is not None:
        keys = list(project.keys())
        position = keys.index("version")
        project.remove("version") if hasattr(project, "remove") else project.pop("version")
        if "dynamic" not in project:
            dynamic = tomlkit.array()
            dynamic.append("version")
            container = getattr(project, "value", None)
            if container is not None and hasattr(container, "_insert_at"):
                container._insert_at(position, "dynamic", dynamic)
            else:
                project["dynamic"] = dynamic
    if "dynamic" not in project:
        project["dynamic"] = ["version"]
    dynamic_array = project["dynamic"]
    if "version" not in [str(item) for item in dynamic_array]:
        dynamic_array.append("version")
    return str(static) if static is not None else None


def _requires(doc: Any) -> Any:
    build = tomldoc.table(doc, "build-system")
    if "requires" not in build:
        build["requires"] = tomlkit.array()
    return build["requires"]


def _hatch_vcs(doc: Any, tag_format: str) -> None:
    tool = tomldoc.table(doc, "tool", super_table=True)
    hatch = tomldoc.table(tool, "hatch", super_table=True)
    version = tomldoc.table(hatch, "version")
    for key in ("path", "pattern", "expression"):
        if key in version:
            del version[key]
    _set(version, "source", "vcs")
    created = "raw-options" not in version
    raw = tomldoc.table(version, "raw-options")
    if created:
        raw.add(tomlkit.comment(_COMMENT))  # type: ignore[attr-defined]
    scm_options(raw, tag_format)
    require(_requires(doc), "hatch-vcs")


def _to_hatchling(doc: Any) -> None:
    """The build system becomes hatchling + hatch-vcs."""
    build = tomldoc.table(doc, "build-system")
    build["requires"] = ["hatchling", "hatch-vcs"]
    build["build-backend"] = "hatchling.build"


def _wheel(doc: Any, packages: list[str], only_include: list[str]) -> None:
    """hatchling's wheel builds the files the old backend built."""
    tool = tomldoc.table(doc, "tool", super_table=True)
    hatch = tomldoc.table(tool, "hatch", super_table=True)
    build = tomldoc.table(hatch, "build", super_table=True)
    wheel = tomldoc.table(tomldoc.table(build, "targets", super_table=True), "wheel")
    if "packages" not in wheel and "only-include" not in wheel:
        if packages:
            wheel["packages"] = packages
        elif only_include:
            wheel["only-include"] = only_include


def _package_paths(root: Path, module: str, module_root: str | None) -> tuple[list[str], list[str]]:
    """Where the import package is: (`packages`, `only-include`) for hatchling's wheel."""
    roots = [module_root] if module_root is not None else ["src", ""]
    for base in roots:
        folder = f"{base}/{module}".lstrip("/") if base else module
        if (root / folder).is_dir():
            return [folder], []
        if (root / f"{folder}.py").is_file():
            return [], [f"{folder}.py"]
    where = f"{module_root}/" if module_root else "src/ or the project root"
    raise ConfigError(
        f"pyproject.toml: no package {module!r} in {where}; name it in "
        "[tool.hatch.build.targets.wheel] packages and run init again"
    )


def _poetry_packages(doc: Any) -> list[str]:
    found = tomldoc.plain(tomldoc.get(doc, "tool", "poetry", "packages")) or []
    return [
        f"{entry.get('from', '')}/{entry['include']}".lstrip("/")
        for entry in found
        if isinstance(entry, dict) and isinstance(entry.get("include"), str)
    ]


def _flit_description(
    doc: Any, project: Any, root: Path, packages: list[str], single: list[str]
) -> None:
    """flit read the description from the module docstring; hatchling needs it written."""
    dynamic = project.get("dynamic")
    if dynamic is None or "description" not in [str(item) for item in dynamic]:
        return
    source = root / (f"{packages[0]}/__init__.py" if packages else single[0])
    docstring = ast.get_docstring(ast.parse(source.read_text(encoding="utf-8"))) or ""
    summary = " ".join(docstring.strip().split("\n\n")[0].split())
    index = [str(item) for item in dynamic].index("description")
    del dynamic[index]
    project["description"] = summary


def _hatch_path(doc: Any, root: Path) -> Path | None:
    path = tomldoc.get(doc, "tool", "hatch", "version", "path")
    return root / str(path) if isinstance(path, str) else None


def _pdm(doc: Any, root: Path, tag_format: str) -> Path | None:
    version = tomldoc.table(
        tomldoc.table(tomldoc.table(doc, "tool", super_table=True), "pdm", super_table=True),
        "version",
    )
    path = version.get("path") if version.get("source") == "file" else None
    for key in ("path", "getter"):
        if key in version:
            del version[key]
    _set(version, "source", "scm")
    if not _reads(tomldoc.plain(version.get("tag_regex")), tag_format):
        _set(version, "tag_regex", tag_regex(tag_format))
    tag = tag_format.replace("$version", "1.2.3")
    current = version.get("tag_filter")
    if not (isinstance(current, str) and fnmatch.fnmatchcase(tag, current)):
        _set(version, "tag_filter", describe_pattern(tag_format))
    return root / str(path) if isinstance(path, str) else None


def dunamai_regex(tag_format: str) -> str:
    """The poetry-dynamic-versioning `pattern` reading the tags commitizen writes."""
    prefix, _, suffix = tag_format.replace("${version}", "$version").partition("$version")
    return f"^{re.escape(prefix)}{DUNAMAI_VERSION}{re.escape(suffix)}$"


def _dynamic_versioning(doc: Any, tag_format: str) -> None:
    """poetry-dynamic-versioning on, reading exactly commitizen's tags as PEP 440."""
    tool = tomldoc.table(doc, "tool", super_table=True)
    options = tomldoc.table(tool, "poetry-dynamic-versioning")
    _set(options, "enable", True)
    _set(options, "style", "pep440")
    tag = tag_format.replace("${version}", "1.2.3rc1").replace("$version", "1.2.3rc1")
    if str(tag_to_version(tag, dunamai_pattern(tomldoc.plain(options)))) != "1.2.3rc1":
        _set(options, "pattern", dunamai_regex(tag_format))
        if "pattern-prefix" in options:
            del options["pattern-prefix"]
    for key in ("format", "format-jinja"):  # another version than the tag's (`{base}` alone)
        if key in options:
            del options[key]
    poetry = tomldoc.table(tool, "poetry")
    if "version" not in poetry and "name" not in poetry:
        poetry["version"] = "0.0.0"  # the placeholder poetry-core's PEP 621 mode requires


def _setuptools(doc: Any, root: Path, tag_format: str) -> None:
    tool = tomldoc.table(doc, "tool", super_table=True)
    scm = tomldoc.table(tool, "setuptools_scm")
    scm_options(scm, tag_format)
    dynamic = tomldoc.get(tool, "setuptools", "dynamic")
    if tomldoc.is_table(dynamic) and "version" in dynamic:
        del dynamic["version"]
    require(_requires(doc), "setuptools-scm>=8")


def adopt(doc: Any, *, root: Path, name: str, tag_format: str) -> BackendEdit:
    """Edit `doc` in place so that its backend reads the version from tags."""
    backend = backend_of(doc)
    project = doc["project"]
    static = version_to_dynamic(project)
    version_file: Path | None = None
    if backend == "setuptools":
        _setuptools(doc, root, tag_format)
    elif backend == "pdm":
        version_file = _pdm(doc, root, tag_format)
    elif backend == "hatchling":
        version_file = _hatch_path(doc, root)
        _hatch_vcs(doc, tag_format)
    elif backend == "poetry-dynamic-versioning":
        _dynamic_versioning(doc, tag_format)
    else:
        module = module_name(doc, name)
        module_root = tomldoc.get(doc, "tool", "uv", "build-backend", "module-root")
        packages = _poetry_packages(doc) if backend == "poetry" else []
        single: list[str] = []
        if not packages:
            default_root = "src" if backend == "uv_build" else None
            packages, single = _package_paths(
                root, module, str(module_root) if module_root is not None else default_root
            )
        if backend == "flit":
            _flit_description(doc, project, root, packages, single)
        _to_hatchling(doc)
        _hatch_vcs(doc, tag_format)
        _wheel(doc, packages, single)
    return BackendEdit(backend, static, version_file)
