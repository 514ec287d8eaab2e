"""`tagship notes`: the changelog section of one version, as release notes."""

from __future__ import annotations

import os
import shlex
import tempfile
from pathlib import Path

from packaging.version import Version

from tagship import changelog, config
from tagship.config import Config, Index
from tagship.errors import ConfigError, FatalError
from tagship.output import emit_text
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


def try_commands(name: str, version: Version, test_index: Index, main_index: Index) -> list[str]:
    """Shell lines that install exactly `version` of `name` and show its version.

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
        f"{shlex.quote(name)} --version   # prints {version}",
    ]


def testing_block(name: str, version: Version, test_index: Index, main_index: Index) -> str:
    """The "Testing this pre-release" Markdown that follows a pre-release's notes."""
    commands = "\n".join(try_commands(name, version, test_index, main_index))
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
    if project.project_name is None:
        raise ConfigError(
            f"{project.root / 'pyproject.toml'} has no [project] name; the testing "
            "instructions of a pre-release need it"
        )
    block = testing_block(
        project.project_name,
        version,
        project.tagship.index_for(kind),
        project.tagship.indexes["pypi"],
    )
    return f"{section}\n{block}" if section else block


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file: readers never see half of it."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            # mkstemp makes the file private; give it the mode a plain open() would.
            os.fchmod(fd, 0o666 & ~_current_umask())
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise FatalError(f"cannot write {path}: {exc.strerror or exc}") from None


def notes(*, version: str, output: str | None) -> int:
    project = config.load()
    text = release_notes(project, requested_version(version, project.cz.tag_formats))
    if output is None:
        emit_text(text)
    else:
        write_atomically(Path(output), text)
    return 0
