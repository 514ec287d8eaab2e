"""Doctor rule TS428: a workflow init wrote is exactly what init writes now (issue 13).

Any edit of a generated workflow could be a tampering (`curl ... | sh` before the build, a
gate replaced by `true`, a token in `env`), so a difference is an error, shown as the
first changed lines; a project that keeps its own workflows opts out with
`[tool.tagship] generate-workflow = false` and gets the invariants instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from tagship.config import Config
from tagship.rules import Finding, Rule, failed, passed, skipped
from tagship.workflow import MARKER

CURRENT = Rule("TS428", "workflow-current", "error")
_OPT_OUT = "[tool.tagship] generate-workflow = false"
_DIFF_LINES = 6


def short_diff(expected: str, actual: str) -> str:
    """The first changed lines, `-` what init writes, `+` what the file has (pure)."""
    lines = [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True), n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    shown = [f"       {line}" for line in lines[:_DIFF_LINES]]
    if len(lines) > _DIFF_LINES:
        shown.append(f"       ... ({len(lines) - _DIFF_LINES} more changed lines)")
    return "\n".join(shown)


@dataclass(frozen=True)
class Generated:
    """One workflow file as the project has it and as init would write it."""

    path: Path
    text: str | None
    """None: the file does not exist."""
    expected: str

    @property
    def ours(self) -> bool:
        return self.text is not None and self.text.startswith(MARKER)


def current(config: Config, files: list[Generated]) -> Finding:
    if not config.tagship.generate_workflow:
        return skipped(CURRENT, f"{_OPT_OUT}: the project keeps its own workflows")
    marked = [file for file in files if file.ours]
    for file in marked:
        if file.text != file.expected:
            return failed(
                CURRENT,
                f"{file.path} differs from what tagship init writes for this project:\n"
                + short_diff(file.expected, file.text or ""),
                f"run `tagship init --force` (or set {_OPT_OUT} to keep your edits)",
            )
    if not marked:
        return skipped(CURRENT, "not written by tagship init: the invariants are checked")
    return passed(CURRENT, ", ".join(str(file.path) for file in marked) + " as init writes them")
