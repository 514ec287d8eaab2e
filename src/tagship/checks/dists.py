"""TS102: the built dists are this project at the tag's version, with valid metadata.

Metadata is read with pkginfo and validated with `packaging.metadata` (what PyPI and
`twine check` rely on); a reStructuredText description that PyPI's renderer
(readme_renderer, as twine uses it) cannot render is refused by PyPI: an error. A missing
long description or description content type PyPI accepts (uv's project template has an
empty README): a warning. Wheels are checked as PyPI checks them (wheels.py).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from packaging.metadata import InvalidMetadata, Metadata, parse_email
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from tagship.checks.target import Target
from tagship.rules import Finding, Rule, failed, passed, skipped

DISTS = Rule("TS102", "dists-match", "error")
# What PyPI accepts but a project page suffers from: a warning, in CI as before the bump.
DISTS_ADVICE = Rule("TS102", "dists-match", "warning")
_ADVICE = ("no long description", "no description content type")
# `uv build` writes a `.gitignore` (`*`) into its output folder: it belongs there.
_TOOL_FILES = frozenset({".gitignore"})


@dataclass(frozen=True)
class Dist:
    """One file of the dist folder, as far as it could be read."""

    path: Path
    kind: str
    """`wheel`, `sdist`, or `other`."""
    problems: tuple[str, ...] = ()


def _read_metadata(path: Path, kind: str) -> bytes:
    import pkginfo  # noqa: PLC0415 (only `check --dist` pays for it)

    with warnings.catch_warnings():  # pkginfo warns on metadata versions newer than it knows
        warnings.simplefilter("ignore")
        distribution = pkginfo.Wheel(str(path)) if kind == "wheel" else pkginfo.SDist(str(path))
        data = distribution.read()
    return data if isinstance(data, bytes) else str(data).encode()


def metadata_problems(data: bytes, *, name: str, version: Version) -> list[str]:
    """What is wrong with one METADATA/PKG-INFO file (pure)."""
    raw, unparsed = parse_email(data)
    problems = [f"unknown or malformed field {key!r}" for key in unparsed]
    try:
        metadata = Metadata.from_raw(raw, validate=True)
    except ExceptionGroup as group:
        return problems + [str(exc) for exc in group.exceptions]
    except InvalidMetadata as exc:
        return [*problems, str(exc)]
    if canonicalize_name(metadata.name) != canonicalize_name(name):
        problems.append(f"metadata name {metadata.name!r} is not {name!r}")
    if metadata.version != version:
        problems.append(f"metadata version {metadata.version} is not {version}")
    if not (metadata.description or "").strip():
        problems.append("no long description (set readme in [project])")
    elif not metadata.description_content_type:
        problems.append("no description content type (set readme to a .md or .rst file)")
    elif metadata.description_content_type.startswith("text/x-rst"):
        problems += _rst_problems(metadata.description or "")
    return problems


def _rst_problems(text: str) -> list[str]:
    import io  # noqa: PLC0415

    from readme_renderer.rst import render  # noqa: PLC0415 (docutils: only rst readmes pay)

    warnings_seen = io.StringIO()
    if render(text, stream=warnings_seen) is not None:
        return []
    first = next((line for line in warnings_seen.getvalue().splitlines() if line.strip()), "")
    return [f"the reStructuredText long description does not render on PyPI ({first.strip()})"]


def _name_version(path: Path) -> tuple[str, str, Version]:
    """The kind, name and version a dist file's name spells; ValueError for other files."""
    if path.name.endswith(".whl"):
        name, version, *_ = parse_wheel_filename(path.name)
        return "wheel", name, version
    if path.name.endswith(".tar.gz"):
        name, version = parse_sdist_filename(path.name)
        return "sdist", name, version
    raise ValueError("not a wheel or an sdist")


def inspect(path: Path, *, name: str, version: Version) -> Dist:
    try:
        kind, file_name, file_version = _name_version(path)
    except (InvalidWheelFilename, InvalidSdistFilename, ValueError) as exc:
        return Dist(path, "other", (str(exc),))
    problems = []
    if file_name != canonicalize_name(name) or file_version != version:
        problems.append(f"file name says {file_name} {file_version}")
    if kind == "wheel":
        from tagship.checks.wheels import wheel_problems  # noqa: PLC0415

        problems += wheel_problems(path)
    try:
        data = _read_metadata(path, kind)
    except Exception as exc:  # noqa: BLE001 (a corrupt archive of any sort is a finding)
        return Dist(path, kind, (*problems, f"unreadable: {exc}"))
    return Dist(path, kind, (*problems, *metadata_problems(data, name=name, version=version)))


def dists_match(target: Target, folder: Path) -> Finding:
    if target.release is None:
        return skipped(DISTS, "the tag is not a release tag (see TS101)")
    name = target.config.project_name
    if name is None:
        return failed(DISTS, "no [project] name in pyproject.toml", "add name = ... to [project]")
    if not folder.is_dir():
        return failed(DISTS, f"{folder} is not a folder", "uv build, then pass --dist dist/")
    version = target.release.version
    files = [p for p in sorted(folder.iterdir()) if p.name not in _TOOL_FILES]
    dists = [inspect(p, name=name, version=version) for p in files]
    errors = _listed(dists, advice=False)
    kinds = {d.kind for d in dists}
    errors += [f"no {kind}" for kind in ("wheel", "sdist") if kind not in kinds]
    if errors:
        return failed(
            DISTS,
            f"{folder}: " + " | ".join(errors),
            f"rebuild from a clean checkout of {target.tag} into an empty folder (uv build)",
        )
    advice = _listed(dists, advice=True)
    if advice:
        return failed(
            DISTS_ADVICE,
            f"{folder}: " + " | ".join(advice) + " (PyPI accepts it; the project page is bare)",
            "set readme in [project] to a README.md or README.rst with some text",
        )
    return passed(DISTS, f"{len(dists)} dist(s) of {name} {version}, metadata valid")


def _listed(dists: list[Dist], *, advice: bool) -> list[str]:
    """`file: problem; problem` for each dist, only the advice or only the errors."""
    found = []
    for dist in dists:
        chosen = [p for p in dist.problems if p.startswith(_ADVICE) == advice]
        if chosen:
            found.append(f"{dist.path.name}: {'; '.join(chosen)}")
    return found
