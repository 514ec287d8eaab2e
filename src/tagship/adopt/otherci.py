"""The project's own workflows: one that already publishes tags, and the project's own CI.

tagship's release.yml publishes every tag: pre-releases to TestPyPI, finals to PyPI. A
workflow of the project's that also publishes on a tag push would publish every rc a
second time, to PyPI, so init and doctor refuse it. A project that has its own CI keeps it:
init adds no second CI workflow beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tagship.workflow import MARKER

WORKFLOWS = Path(".github/workflows")
_PUBLISH_ACTION = "pypa/gh-action-pypi-publish"
_PUBLISH_COMMANDS = re.compile(
    r"\b(?:twine\s+upload|uv\s+publish|poetry\s+publish|flit\s+publish|pdm\s+publish"
    r"|hatch\s+publish)\b"
)


@dataclass(frozen=True)
class Publisher:
    """A workflow that publishes to an index when a tag is pushed."""

    path: str
    """The workflow file, relative to the project root."""
    how: str
    """What publishes: the action, or the command."""


def _triggers(workflow: Mapping[Any, Any]) -> Mapping[str, Any]:
    # YAML 1.1 readers turn the key `on` into True; accept both spellings.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {str(event): None for event in on}
    return on if isinstance(on, Mapping) else {}


def on_tags(workflow: Mapping[Any, Any]) -> bool:
    """Whether a tag push (or a release made from a tag) starts the workflow."""
    triggers = _triggers(workflow)
    if "release" in triggers:
        return True
    if "push" not in triggers:
        return False
    push = triggers["push"]
    if not isinstance(push, Mapping):
        return True  # `on: push` runs for tags too
    if "tags" in push or "tags-ignore" in push:
        return True
    # a branch filter alone runs for no tag at all (GitHub's push filters)
    return not any(key in push for key in ("branches", "branches-ignore"))


def _steps(workflow: Mapping[Any, Any]) -> Iterator[Mapping[str, Any]]:
    for job in (workflow.get("jobs") or {}).values():
        if isinstance(job, Mapping):
            yield from (s for s in job.get("steps") or [] if isinstance(s, Mapping))


def publishes(workflow: Mapping[Any, Any]) -> str | None:
    """The step that uploads to an index, if any."""
    for step in _steps(workflow):
        uses = str(step.get("uses") or "")
        if uses.startswith(_PUBLISH_ACTION):
            return uses.split("@", maxsplit=1)[0]
        found = _PUBLISH_COMMANDS.search(str(step.get("run") or ""))
        if found:
            return " ".join(found.group(0).split())
    return None


def is_ci(workflow: Mapping[Any, Any]) -> bool:
    """Whether the workflow runs on pushes or pull requests (the project's own CI)."""
    return any(event in _triggers(workflow) for event in ("push", "pull_request"))


def parse(text: str) -> Mapping[Any, Any]:
    """A workflow file's top-level mapping (empty when unreadable: not ours to judge)."""
    from ruamel.yaml import YAML  # noqa: PLC0415 (only where YAML is read)
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        loaded = YAML(typ="safe").load(text)
    except YAMLError:
        return {}
    return loaded if isinstance(loaded, Mapping) else {}


def foreign(workflows: Mapping[str, str]) -> dict[str, Mapping[Any, Any]]:
    """The workflows tagship did not write, parsed."""
    return {path: parse(text) for path, text in workflows.items() if not text.startswith(MARKER)}


def publishers(workflows: Mapping[str, str]) -> list[Publisher]:
    """Every workflow not written by tagship that publishes when a tag is pushed."""
    found: list[Publisher] = []
    for path, workflow in sorted(foreign(workflows).items()):
        how = publishes(workflow)
        if how is not None and on_tags(workflow):
            found.append(Publisher(path, how))
    return found


def has_own_ci(workflows: Mapping[str, str]) -> bool:
    return any(is_ci(workflow) for workflow in foreign(workflows).values())


def read(root: Path) -> dict[str, str]:
    """The text of every workflow file of the project, by relative path."""
    directory = root / WORKFLOWS
    found: dict[str, str] = {}
    for path in sorted(directory.glob("*.y*ml")) if directory.is_dir() else []:
        if not path.is_file():
            continue  # a FIFO or a directory: no workflow (reading a FIFO would hang)
        try:
            found[(WORKFLOWS / path.name).as_posix()] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return found


def publishing_workflows(root: Path) -> list[Publisher]:
    return publishers(read(root))


def describe(publisher: Publisher) -> str:
    return (
        f"{publisher.path} already publishes when a tag is pushed ({publisher.how}): beside "
        "tagship's release.yml it would publish every rc a second time, to PyPI; remove its "
        "publishing step (tagship's release.yml publishes each tag to its index), then run "
        "init again"
    )
