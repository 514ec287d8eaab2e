"""Every file `tagship init` would write, computed before anything is written.

Computing the whole plan first is what makes init all-or-nothing: a conflict or a broken
file stops it before the first byte changes, and `--dry-run` shows the same plan as a diff.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tomlkit.exceptions import TOMLKitError

from tagship import files, git, readers
from tagship.adopt import (
    changelogs,
    cz,
    otherci,
    poetry,
    precommit,
    pyproject,
    setupcfg,
    tags,
    tomldoc,
    tooling,
    transaction,
)
from tagship.adopt.cz import Conflict
from tagship.config import load_tagship
from tagship.errors import ConfigError, FatalError
from tagship.workflow import MARKER, ci_yml, release_yml
from tagship.workflow_project import project_spec

CHANGELOG = (
    "# Changelog\n\n"
    "All notable changes to this project, written by commitizen (`cz bump`) from the\n"
    "conventional commit messages.\n"
)
WORKFLOWS = Path(".github/workflows")


@dataclass(frozen=True)
class FileChange:
    """One file's content before and after init (`old` None: the file is new)."""

    path: Path
    old: str | None
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class Plan:
    root: Path
    changes: tuple[FileChange, ...]
    conflicts: tuple[Conflict, ...]
    tag_format: str
    static_version: str | None
    """The version a file held before init, to be tagged if no tag has it."""

    @property
    def pending(self) -> tuple[FileChange, ...]:
        return tuple(change for change in self.changes if change.changed)


def _read(path: Path) -> str | None:
    """The file's text with its line endings as they are (CRLF stays CRLF)."""
    return files.read_text(path)


def _workflows(
    root: Path, pyproject_text: str, tag_format: str
) -> tuple[list[FileChange], list[Conflict]]:
    document = tomldoc.plain(tomldoc.parse(pyproject_text)[0])
    table = tomldoc.get(document, "tool", "tagship")
    tagship = load_tagship(root / "pyproject.toml", table if isinstance(table, dict) else {})
    changes: list[FileChange] = []
    conflicts: list[Conflict] = []
    if not tagship.generate_workflow:
        return changes, conflicts  # the project keeps its own; doctor checks them
    existing = otherci.read(root)
    spec = project_spec(root, tag_format, tagship, document)
    for name, text in (("release.yml", release_yml(spec)), ("ci.yml", ci_yml(spec))):
        path = root / WORKFLOWS / name
        # `release.yaml` is the same workflow to a reader: the project's, or ours renamed
        path = (
            path
            if path.exists() or not path.with_suffix(".yaml").exists()
            else path.with_suffix(".yaml")
        )
        old = _read(path)
        ours = old is None or old.startswith(MARKER)
        if name == "ci.yml" and (not ours or (old is None and otherci.has_own_ci(existing))):
            continue  # the project's own CI stays the project's, and stays alone
        if not ours:
            conflicts.append(
                Conflict(
                    f"{path.relative_to(root).as_posix()} was not written by tagship",
                    "rename it (tagship writes release.yml), or --force to replace it",
                )
            )
        changes.append(FileChange(path, old, text))
    return changes, conflicts


@contextmanager
def _parsing(path: Path) -> Iterator[None]:
    """A file tomlkit or ruamel cannot read is a configuration error naming the file."""
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415 (only where YAML is read)

    try:
        yield
    except (TOMLKitError, YAMLError, ValueError, RecursionError) as exc:
        detail = " ".join(str(exc).split()) or "nested too deeply"
        raise ConfigError(f"{path.name}: cannot parse ({detail}); fix the file") from None


def build(root: Path, *, hook_runner: str | None = None) -> Plan:
    """The plan for the project at `root` (a git work tree with a pyproject.toml)."""
    with _parsing(root / "pyproject.toml"):
        return _build(root, hook_runner)


def _build(root: Path, hook_runner: str | None) -> Plan:
    pyproject_path = root / "pyproject.toml"
    old_pyproject = _read(pyproject_path)
    if old_pyproject is None:
        raise FatalError(f"no pyproject.toml in {root}; tagship adopts Python packages")
    base = _migrated(old_pyproject)
    doc = tomldoc.parse(base)[0]
    name = pyproject.project_name(doc)
    all_tags = git.tags(root)
    cz_path = cz.locate(root, base)
    in_pyproject = cz_path == pyproject_path
    old_cz = base if in_pyproject else _read(cz_path)
    with _parsing(cz_path):
        current = cz.read_table(cz_path, old_cz)
    # a format that could not be written back (a line break) is named where it is
    readers.tag_formats(cz_path.relative_to(root).as_posix(), current)
    history = tags.choose(
        all_tags,
        current=_string(current.get("tag_format")),
        legacy=tuple(str(f) for f in current.get("legacy_tag_formats", [])),
        match=pyproject.describe_match(doc),
        name=name,
    )
    adopted = pyproject.adopt(base, root=root, tag_format=history.tag_format)
    changelog = _changelog(root, current, all_tags, history)
    cfg_changes, cfg_static = _setup_cfg(root, adopted.backend)
    static = adopted.static_version or cfg_static
    unversioned = ["pyproject.toml"]
    if adopted.version_file is not None:
        unversioned.append(adopted.version_file.relative_to(root).as_posix())
    wanted = cz.Wanted(
        tag_format=history.tag_format,
        legacy=_legacy(root, changelog, all_tags, history),
        changelog_file=changelog.path,
        changelog_format=changelog.format,
        start_rev=_start_rev(root, changelog, all_tags, history),
        static_version=static,
        unversioned=tuple(unversioned),
        major_zero=cz.major_zero(static or _string(current.get("version"))),
        tags=tuple(all_tags),
    )
    cz_change = cz.adopt(cz_path, adopted.text if in_pyproject else old_cz, wanted)
    static = static or cz_change.stored_version
    new_pyproject = cz_change.text if in_pyproject else adopted.text
    new_pyproject = tooling.adopt(root, new_pyproject, _read(root / precommit.FILE), hook_runner)
    new_pyproject = tomldoc.spaced(old_pyproject, new_pyproject)
    changes = [FileChange(pyproject_path, old_pyproject, new_pyproject)]
    if not in_pyproject:
        changes.append(FileChange(cz_path, old_cz, cz_change.text))
    changes += cfg_changes
    if adopted.version_file is not None:
        old = _read(adopted.version_file) or ""
        changes.append(
            FileChange(adopted.version_file, old, pyproject.strip_static_version(old, name))
        )
    hooks_path = root / ".pre-commit-config.yaml"
    old_hooks = _read(hooks_path)
    with _parsing(hooks_path):
        changes.append(FileChange(hooks_path, old_hooks, precommit.adopt(old_hooks)))
    workflow_changes, workflow_conflicts = _workflows(root, new_pyproject, history.tag_format)
    changes += workflow_changes
    if not changelog.exists:
        changes.append(FileChange(root / changelog.path, None, CHANGELOG))
    return Plan(
        root,
        tuple(changes),
        (*cz_change.conflicts, *workflow_conflicts),
        history.tag_format,
        static,
    )


def _migrated(text: str) -> str:
    """The text every edit starts from: poetry's legacy metadata moved to [project]."""
    doc, layout = tomldoc.parse(text)
    if not poetry.is_legacy(doc):
        return text
    poetry.migrate(doc)
    return tomldoc.dump(doc, layout)


def _setup_cfg(root: Path, backend: str) -> tuple[list[FileChange], str | None]:
    """setup.cfg's version removed (setuptools reads it before setuptools-scm)."""
    path = root / "setup.cfg"
    old = _read(path) if backend == "setuptools" else None
    if old is None:
        return [], None
    change = setupcfg.without_version(old)
    return [FileChange(path, old, change.text)], change.static_version


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _changelog(
    root: Path, current: dict[str, object], all_tags: list[str], history: tags.TagHistory
) -> changelogs.ChangelogSettings:
    configured = _string(current.get("changelog_file"))
    found = changelogs.find(root, configured)
    text = _read(found) if found is not None else None
    return changelogs.settings(root, configured, text)


def _legacy(
    root: Path,
    changelog: changelogs.ChangelogSettings,
    all_tags: list[str],
    history: tags.TagHistory,
) -> tuple[str, ...]:
    """The legacy formats of the tags, and the spelling the changelog's titles use."""
    text = _read(root / changelog.path) or ""
    versions = [str(s.version) for s in tags.release_spellings(all_tags)]
    extra = changelogs.heading_formats(text, history.tag_format, versions)
    return (*history.legacy, *(f for f in extra if f not in history.legacy))


def _start_rev(
    root: Path,
    changelog: changelogs.ChangelogSettings,
    all_tags: list[str],
    history: tags.TagHistory,
) -> str | None:
    """The newest release, where the changelog names no release (or is new): no back-fill."""
    newest = tags.newest(all_tags, (history.tag_format, *history.legacy))
    if newest is None:
        return None
    text = _read(root / changelog.path) or ""
    versions = [str(s.version) for s in tags.release_spellings(all_tags)]
    return None if changelogs.names_a_release(text, versions) else newest


def diff(plan: Plan) -> str:
    """A unified diff of every pending change, paths relative to the project root."""
    chunks: list[str] = []
    for change in plan.pending:
        name = change.path.relative_to(plan.root).as_posix()
        chunks += difflib.unified_diff(
            (change.old or "").splitlines(keepends=True),
            change.new.splitlines(keepends=True),
            fromfile=f"a/{name}" if change.old is not None else "/dev/null",
            tofile=f"b/{name}",
        )
    return "".join(chunks)


def write(plan: Plan, *, step: transaction.Step | None = None) -> None:
    """Write every pending change, all or nothing (see adopt/transaction.py)."""
    transaction.replace_all([(change.path, change.new) for change in plan.pending], step=step)
