"""The rule engine shared by `check` and `doctor`: each rule yields one Finding.

A rule is a function returning a Finding; one that raises FatalError is reported as a
failure of that rule (its message kept), so one broken fact never hides the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from tagship import output
from tagship.errors import FatalError
from tagship.report import Result
from tagship.report import Status as ResultStatus

Level = Literal["error", "warning"]
Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class Rule:
    """A rule's identity: stable across releases, so users can look it up."""

    id: str
    """Stable ID such as `TS101`."""
    name: str
    """Short name such as `tag-format`."""
    level: Level
    """Whether a failure stops the release (error) or only warns."""


@dataclass(frozen=True)
class Finding:
    """The result of one rule."""

    rule: Rule
    status: Status
    message: str
    """One line: what was found."""
    fix: str = ""
    """One line: what to do about it (empty when it passed)."""

    @property
    def blocks(self) -> bool:
        return self.status == "failed" and self.rule.level == "error"

    def result(self) -> Result:
        """This finding in the one result model every command reports with: a failed
        warning-level rule is a warning; the fix follows the message."""
        status: ResultStatus = "warning" if self.failed_warning else self.status
        detail = f"{self.message}; fix: {self.fix}" if self.fix else self.message
        return Result(f"{self.rule.id} {self.rule.name}", status, 0.0, detail)

    @property
    def failed_warning(self) -> bool:
        return self.status == "failed" and self.rule.level == "warning"

    def as_dict(self) -> dict[str, str]:
        return {
            **asdict(self.rule),
            "status": self.status,
            "message": self.message,
            "fix": self.fix,
        }


def passed(rule: Rule, message: str) -> Finding:
    return Finding(rule, "passed", message)


def failed(rule: Rule, message: str, fix: str) -> Finding:
    return Finding(rule, "failed", message, fix)


def skipped(rule: Rule, why: str) -> Finding:
    return Finding(rule, "skipped", why)


def evaluate(rule: Rule, check: Callable[[], Finding]) -> Finding:
    try:
        return check()
    except FatalError as exc:
        return failed(rule, str(exc), "fix the problem above and run again")


def _line(finding: Finding) -> str:
    mark = {"passed": "ok  ", "skipped": "skip", "failed": "FAIL" if finding.blocks else "warn"}
    text = f"{mark[finding.status]} {finding.rule.id} {finding.rule.name}: {finding.message}"
    return text + (f"\n       fix: {finding.fix}" if finding.fix else "")


def report(findings: Iterable[Finding], *, as_json: bool) -> int:
    """Print the findings (JSON on stdout, or one line each on stderr); the exit code."""
    findings = list(findings)
    if as_json:
        output.emit_json([finding.as_dict() for finding in findings])
    else:
        for finding in findings:
            output.info(_line(finding))
    return 1 if any(finding.blocks for finding in findings) else 0
