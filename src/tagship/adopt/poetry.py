"""poetry's legacy `[tool.poetry]` metadata, moved to the PEP 621 `[project]` uv needs.

uv, hatchling and every PEP 517 front end read `[project]`; poetry < 2 kept the same facts
in its own table with its own constraint syntax (`^1.2`, `~1.2`, `python = "^3.9"`). The
move is what `poetry` 2 and `migrate-to-uv` do: each key it understands leaves
`[tool.poetry]` and lands in `[project]` or `[dependency-groups]`; a key it does not know
stays where it was, so nothing of the user's is dropped. What PEP 621 cannot say for a
package bound for PyPI (a git, path or url dependency, a `||` constraint) is refused with
the key named. The constraint conversion is pure and table-tested.
"""

from __future__ import annotations

import re
from typing import Any

import tomlkit
from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.version import InvalidVersion, Version
from tomlkit.items import Table

from tagship.adopt import backends, tomldoc
from tagship.errors import ConfigError

_URLS = {"homepage": "Homepage", "repository": "Repository", "documentation": "Documentation"}
_COPIED = ("name", "version", "description", "keywords", "classifiers")
_DIRECT = ("git", "path", "url", "develop", "source")
_OPERATOR = re.compile(r"^(~=|===|==|!=|<=|>=|<|>|=|\^|~)?\s*(.*)$")
_PERSON = re.compile(r"^\s*(?P<name>[^<]*?)\s*(?:<(?P<email>[^>]+)>)?\s*$")


class Refused(ValueError):
    """A poetry value PEP 621 cannot express; the message names it."""


def is_legacy(doc: Any) -> bool:
    """Whether the metadata lives in `[tool.poetry]` only (no PEP 621 `[project]`)."""
    poetry = tomldoc.get(doc, "tool", "poetry")
    return "project" not in doc and tomldoc.is_table(poetry) and "name" in poetry


def _bumped(release: tuple[int, ...], index: int) -> str:
    parts = [*release[:index], release[index] + 1]
    return ".".join(str(part) for part in parts + [0] * (len(release) - len(parts)))


def _release(text: str) -> tuple[int, ...]:
    try:
        return Version(text).release
    except InvalidVersion:
        raise Refused(f"{text!r} is not a version") from None


def _one(constraint: str) -> list[str]:
    """One poetry constraint (`^1.2`, `~1.2`, `1.2.*`, `>=1,<2` part) as PEP 440 clauses."""
    found = _OPERATOR.match(constraint.strip())
    operator, version = (found.group(1) or "", found.group(2)) if found else ("", "")
    if version in ("", "*"):
        if operator:
            raise Refused(f"{constraint!r} has an operator and no version")
        return []
    if operator == "^":
        release = _release(version)
        index = next((i for i, part in enumerate(release) if part), len(release) - 1)
        return [f">={version}", f"<{_bumped(release, index)}"]
    if operator == "~":
        release = _release(version)
        return [f">={version}", f"<{_bumped(release, min(1, len(release) - 1))}"]
    if operator in ("", "="):
        operator = "=="
    if not version.endswith(".*"):
        _release(version)
    return [f"{operator}{version}"]


def specifier(constraint: str) -> str:
    """A poetry version constraint as a PEP 440 specifier (`^1.2` -> `>=1.2,<2`)."""
    if "|" in constraint:
        raise Refused(f"{constraint!r} is a union (||), which PEP 440 cannot express")
    # poetry separates clauses with commas or spaces, and allows a space after the operator
    joined = re.sub(r"(~=|===|==|!=|<=|>=|<|>|=|\^|~)\s+", r"\1", constraint.strip())
    clauses = [clause for part in re.split(r"[\s,]+", joined) if part for clause in _one(part)]
    return ",".join(clauses)


def python_marker(constraint: str) -> str:
    """A poetry `python = "…"` constraint as an environment marker."""
    markers = []
    for clause in specifier(constraint).split(","):
        if not clause:
            continue
        found = _OPERATOR.match(clause)
        operator, version = (found.group(1), found.group(2)) if found else ("", clause)
        variable = "python_full_version" if version.count(".") >= 2 else "python_version"
        markers.append(f'{variable} {operator} "{version}"')
    return " and ".join(markers)


def _marker(spec: dict[str, Any]) -> str:
    parts = [python_marker(str(spec["python"]))] if "python" in spec else []
    if "platform" in spec:
        parts.append(f'sys_platform == "{spec["platform"]}"')
    if "markers" in spec:
        parts.append(str(spec["markers"]))
    parts = [part for part in parts if part]
    return " and ".join(f"({part})" if " or " in part else part for part in parts)


def requirement(name: str, spec: Any) -> list[str]:
    """A poetry dependency entry as PEP 508 requirements (a list form gives several)."""
    if isinstance(spec, list):
        return [line for entry in spec for line in requirement(name, entry)]
    table = spec if isinstance(spec, dict) else {"version": str(spec)}
    direct = next((key for key in _DIRECT if key in table), None)
    if direct is not None:
        raise Refused(
            f"dependency {name!r} is a {direct} dependency, which a package on PyPI cannot "
            "have; give it a version constraint"
        )
    extras = ",".join(str(extra) for extra in table.get("extras", []))
    line = name + (f"[{extras}]" if extras else "") + specifier(str(table.get("version", "*")))
    marker = _marker(table)
    return [f"{line}; {marker}" if marker else line]


def _person(text: str) -> dict[str, str]:
    found = _PERSON.match(text)
    name, email = (found.group("name"), found.group("email")) if found else (text, None)
    person = {"name": name} if name else {}
    return {**person, "email": email} if email else person


def _license(text: str) -> Any:
    try:
        return canonicalize_license_expression(text)
    except InvalidLicenseExpression:
        return {"text": text}


def _dependencies(poetry: Any, project: Any) -> dict[str, list[str]]:
    """`dependencies` and `requires-python`; the optional ones, by name, for the extras."""
    table = poetry.get("dependencies") or {}
    required: list[str] = []
    optional: dict[str, list[str]] = {}
    for name, spec in list(table.items()):
        if name == "python":
            project["requires-python"] = specifier(str(spec))
        elif isinstance(spec, dict) and spec.get("optional"):
            optional[name.lower()] = requirement(name, spec)
            continue  # an optional dependency in no extra stays, unused, where it was
        else:
            required += requirement(name, tomldoc.plain(spec))
        del table[name]
    if required:
        project["dependencies"] = _array(required)
    return optional


def _extras(poetry: Any, project: Any, optional: dict[str, list[str]]) -> None:
    extras = poetry.get("extras")
    if not extras:
        return
    table = tomlkit.table()
    for extra, names in extras.items():
        table[extra] = _array(
            [line for name in names for line in optional.get(str(name).lower(), [str(name)])]
        )
    project["optional-dependencies"] = table
    deps = poetry.get("dependencies") or {}
    for name in [n for n in deps if n.lower() in optional]:
        del deps[name]
    del poetry["extras"]


def _groups(poetry: Any) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    if "dev-dependencies" in poetry:
        for name, spec in tomldoc.plain(poetry["dev-dependencies"]).items():
            groups.setdefault("dev", []).extend(requirement(name, spec))
        del poetry["dev-dependencies"]
    for group, body in list((poetry.get("group") or {}).items()):
        for name, spec in tomldoc.plain(body.get("dependencies") or {}).items():
            groups.setdefault(group, []).extend(requirement(name, spec))
        if "dependencies" in body:
            del body["dependencies"]
        body.pop("optional", None)  # uv installs only `dev` by default, poetry's own rule
        if not body:
            del poetry["group"][group]
    if "group" in poetry and not poetry["group"]:
        del poetry["group"]
    return groups


def _scripts(poetry: Any, project: Any) -> None:
    scripts = poetry.get("scripts")
    if not scripts:
        return
    table = tomlkit.table()
    for name, target in list(scripts.items()):
        reference = target if isinstance(target, str) else None
        if not isinstance(target, str):
            reference = target.get("reference") or target.get("callable")
            if target.get("type", "console") != "console" or not reference:
                continue  # a `file` script has no PEP 621 form: it stays
        table[name] = str(reference)
        del scripts[name]
    if table:
        project["scripts"] = table
    if not scripts:
        del poetry["scripts"]


def _metadata(poetry: Any, project: Any) -> None:
    for key in _COPIED:
        if key in poetry:
            project[key] = tomldoc.plain(poetry.pop(key))
    readme = tomldoc.plain(poetry.get("readme"))
    if isinstance(readme, list) and len(readme) == 1:
        readme = readme[0]
    if isinstance(readme, str):
        project["readme"] = readme
        del poetry["readme"]
    if isinstance(tomldoc.plain(poetry.get("license")), str):
        project["license"] = _license(str(poetry.pop("license")))
    for key in ("authors", "maintainers"):
        if key in poetry:
            people = tomlkit.array()
            for person in poetry.pop(key):
                entry = tomlkit.inline_table()
                entry.update(_person(str(person)))
                people.append(entry)
            project[key] = people


def _urls(poetry: Any, project: Any) -> None:
    urls = {label: str(poetry.pop(key)) for key, label in _URLS.items() if key in poetry}
    urls.update({str(k): str(v) for k, v in tomldoc.plain(poetry.pop("urls", {})).items()})
    if urls:
        project["urls"] = urls


def _entry_points(poetry: Any, project: Any) -> None:
    plugins = tomldoc.plain(poetry.pop("plugins", {}))
    if plugins:
        project["entry-points"] = plugins


def _array(lines: list[str]) -> Any:
    array = tomlkit.array()
    array.extend(lines)
    return array.multiline(len(lines) > 1)


def _place(doc: Any, key: str, value: Any) -> None:
    """`doc[key] = value`, placed before `[tool]` so the diff reads top to bottom."""
    last = value
    while last.value.body and isinstance(last.value.body[-1][1], Table):
        last = last.value.body[-1][1]
    last.add(tomlkit.nl())  # a blank line before the next table, as the file had
    body = [item_key.key if item_key else None for item_key, _ in doc.body]
    if "tool" in body:
        doc._insert_at(body.index("tool"), key, value)  # tomlkit's one positional insert
    else:
        doc[key] = value


def migrate(doc: Any) -> None:
    """Move `[tool.poetry]`'s metadata to `[project]` in `doc`, in place."""
    poetry = doc["tool"]["poetry"]
    project = tomlkit.table()
    try:
        _metadata(poetry, project)
        optional = _dependencies(poetry, project)
        _extras(poetry, project, optional)
        _urls(poetry, project)
        _scripts(poetry, project)
        _entry_points(poetry, project)
        groups = _groups(poetry)
    except Refused as exc:
        raise ConfigError(
            f"pyproject.toml [tool.poetry]: {exc}; move that key to PEP 621 [project] "
            "by hand and run init again"
        ) from None
    if "dependencies" in poetry and not poetry["dependencies"]:
        del poetry["dependencies"]
    _place(doc, "project", project)
    _dependency_groups(doc, groups)


def _dependency_groups(doc: Any, groups: dict[str, list[str]]) -> None:
    """poetry's groups as PEP 735 groups, merged into any `[dependency-groups]` there is."""
    if not groups:
        return
    if "dependency-groups" not in doc:
        table = tomlkit.table()
        for group, lines in groups.items():
            table[group] = _array(lines)
        _place(doc, "dependency-groups", table)
        return
    existing = tomldoc.table(doc, "dependency-groups")
    for group, lines in groups.items():
        if group not in existing:
            existing[group] = _array([])
        backends.require(existing[group], *lines)
