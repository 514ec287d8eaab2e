"""`tagship doctor`: is everything consistent, and what to register on PyPI and TestPyPI.

Rules run on the engine shared with `check` (rules.py); exit 0 when no error-level rule
fails (warnings allowed), else 1.
"""

from __future__ import annotations

from pathlib import Path

from tagship import config as configuration
from tagship import git, output, rules
from tagship.diagnose import (
    ci_rules,
    environment_rules,
    hook_rules,
    project_rules,
    repo_rules,
    tag_rules,
    trusted,
    workflow_rules,
)


def doctor(*, as_json: bool) -> int:
    config = configuration.load(git.toplevel(Path.cwd()))
    checks = [
        *project_rules.checks(config),
        (hook_rules.HOOK_TOOLS, lambda: hook_rules.hook_tools(config)),
        (environment_rules.GATE_TOOLS, lambda: environment_rules.gate_tools(config)),
        *tag_rules.checks(config),
        *workflow_rules.checks(config),
        *ci_rules.checks(config),
        *repo_rules.checks(config),
    ]
    findings = [rules.evaluate(rule, check) for rule, check in checks]
    url = git.remote_url(config.root)
    remote = trusted.parse_remote(url) if url else None
    publishers = trusted.publishers(config, remote) if remote else []
    if as_json:
        output.emit_json(
            {
                "rules": [finding.as_dict() for finding in findings],
                "trusted_publishers": [publisher.as_dict() for publisher in publishers],
            }
        )
        return 1 if any(finding.blocks for finding in findings) else 0
    code = rules.report(findings, as_json=False)
    if publishers:
        output.info("\nTrusted Publishers to register (pending publishers for a new project):")
        for publisher in publishers:
            output.info(trusted.describe(publisher))
    return code
