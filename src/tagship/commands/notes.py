"""`tagship notes`: the changelog section of one version, as release notes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from packaging.version import Version

from tagship import changelog, config
from tagship.config import MAIN_INDEX, Config, Index
from tagship.files import write_atomic
from tagship.output import emit_text, warn
from tagship.versions import (
    PRERELEASE_KINDS,
    TagError,
    TagFormat,
    kind_of,
    parse_version,
    strip_ref,
    tag_version,
)


def requested_version(text: str, formats: tuple[TagFormat, ...]) -> Version:
    """A version in any spelling (`0.2.0-rc1`, `v0.2.0rc1`) or a tag under `formats`."""
    name = strip_ref(text)
    version = parse_version(name)
    if version is not None:
        return version
    try:
        return tag_version(name, formats)
    except TagError as exc:
        raise TagError(f"{exc} (or pass a version such as 1.2.3)") from None


def _quoted(word: str) -> str:
    """Always in single quotes (a requirement may hold `<` or `>` one day), safely."""
    quoted = shlex.quote(word)
    return quoted if quoted.startswith("'") else f"'{word}'"


def _import_name(root: Path, name: str) -> str:
    """The import name of a library: its package under src/ or the root when one matches
    the project name, else the only one there, else the project name made importable."""
    wanted = re.sub(r"[-_.]+", "_", name).lower()
    for base in (root / "src", root):
        if (base / wanted).is_dir() or (base / f"{wanted}.py").is_file():
            return wanted
    found = sorted(path.parent.name for path in (root / "src").glob("*/__init__.py"))
    return found[0] if len(found) == 1 else wanted


def _probe(project: Config, name: str, version: Version) -> str:
    """The line that shows the installed pre-release works: the project's own console
    script (the one named like the project, else the first), as verify probes it; an
    import check for a library without one."""
    wanted = re.sub(r"[-_.]+", "-", name).lower()
    scripts = sorted(project.scripts, key=lambda s: re.sub(r"[-_.]+", "-", s).lower() != wanted)
    for script in scripts:
        smoke = project.tagship.smoke.get(script)
        if smoke is None:
            return f"{shlex.quote(script)} --version   # prints {version}"
        if not smoke.skip:
            return shlex.join(smoke.argv)
    statement = f"import {_import_name(project.root, name)}"
    return f"python -c {shlex.quote(statement)}"


def try_commands(
    name: str, version: Version, test_index: Index, main_index: Index, probe: str | None = None
) -> list[str]:
    """Shell lines that install exactly `version` of `name`, then run `probe` (default:
    `name --version`).

    The package is downloaded only from the test index, and installed with every
    dependency only from the main index: `--extra-index-url` would let either index serve
    either name (dependency confusion).
    """
    venv = f"try-{name}"
    activate = shlex.quote(f"{venv}/bin/activate")
    dist = shlex.quote(f"{venv}/dist")
    requirement = _quoted(f"{name}=={version}")
    test_url = shlex.quote(test_index.url)
    main_url = shlex.quote(main_index.url)
    return [
        f"python -m venv {shlex.quote(venv)} && . {activate}",
        f"pip download --no-deps --index-url {test_url} --dest {dist} {requirement}",
        f"pip install --index-url {main_url} --find-links {dist} {requirement}",
        probe or f"{shlex.quote(name)} --version   # prints {version}",
    ]


def trial_block(
    name: str, version: Version, test_index: Index, main_index: Index, probe: str
) -> str:
    """The "Testing this pre-release" Markdown that follows a pre-release's notes."""
    commands = "\n".join(try_commands(name, version, test_index, main_index, probe))
    return (
        "### Testing this pre-release\n\n"
        f"This is a pre-release on {test_index.name}. To try it in a fresh virtual "
        f"environment, with {name} taken only from {test_index.name} and every dependency "
        f"only from {main_index.name}:\n\n"
        f"```sh\n{commands}\n```\n"
    )


def release_notes(project: Config, version: Version) -> str:
    """The section of `version`, followed by the testing block for a pre-release."""
    section = changelog.read_section(project, version)
    kind = kind_of(version)
    if kind not in PRERELEASE_KINDS:
        return section
    name = project.project_name
    if name is None:
        warn(
            f"{project.root / 'pyproject.toml'} has no [project] name: the notes have no "
            "testing instructions; add the name to give them"
        )
        return section
    block = trial_block(
        name,
        version,
        project.tagship.index_for(kind),
        project.tagship.indexes[MAIN_INDEX],
        _probe(project, name, version),
    )
    return f"{section}\n{block}"


def notes(*, version: str, output: str | None) -> int:
    project = config.load()
    text = release_notes(project, requested_version(version, project.cz.tag_formats))
    if output is None:
        emit_text(text)
    else:
        write_atomic(Path(output), text)
    return 0
