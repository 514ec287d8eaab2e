"""Doctor rules on `.github/workflows/release.yml` and `ci.yml`: tagship's security invariants.

A workflow marked as written by init must be exactly what init writes for this project
now (TS428, an error: any edit could be the tampering of issue 13). A project that keeps
its own workflows (`[tool.tagship] generate-workflow = false`, or files init did not
write) gets the invariants instead (workflow_invariants.py). Parsing is separate from the
rules: each rule takes the loaded workflow (a plain mapping) and returns one Finding.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tagship import proc
from tagship.config import Config, read_toml
from tagship.diagnose import workflow_invariants as invariants
from tagship.diagnose.workflow_current import CURRENT, Generated, current
from tagship.diagnose.workflow_invariants import jobs as _jobs
from tagship.diagnose.workflow_invariants import publishes as _publishes
from tagship.diagnose.workflow_invariants import steps as _steps
from tagship.errors import FatalError
from tagship.files import read_text
from tagship.rules import Finding, Rule, failed, passed, skipped
from tagship.workflow import WorkflowSpec, ci_yml, release_yml
from tagship.workflow_project import project_spec

EXISTS = Rule("TS420", "workflow-exists", "error")
TRIGGERS = Rule("TS421", "workflow-triggers", "error")
PERMISSIONS = Rule("TS422", "workflow-permissions", "error")
PINS = Rule("TS423", "workflow-pins", "error")
CHECKOUT = Rule("TS424", "workflow-checkout", "error")
RUN_EXPRESSIONS = Rule("TS425", "workflow-run-expressions", "error")
ENVIRONMENTS = Rule("TS426", "workflow-environments", "error")
ZIZMOR = Rule("TS427", "workflow-zizmor", "error")
CI = Rule("TS453", "ci-workflow", "error")

WORKFLOWS = Path(".github/workflows")
WORKFLOW = WORKFLOWS / "release.yml"
CI_WORKFLOW = WORKFLOWS / "ci.yml"
_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
_FIX = "run `tagship init --force` to regenerate the workflow, or fix it by hand"
# Triggers that run a workflow with write access on code from a fork.
_DANGEROUS_TRIGGERS = ("pull_request_target", "workflow_run")

Workflow = Mapping[str, Any]


def load(text: str, name: Path = WORKFLOW) -> Workflow:
    from ruamel.yaml import YAML  # noqa: PLC0415 (doctor only)
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise FatalError(f"{name}: invalid YAML ({detail})") from None
    if not isinstance(data, dict):
        raise FatalError(f"{name}: not a mapping")
    return data


def _uses(job: Mapping[str, Any]) -> list[str]:
    return [str(step["uses"]) for step in _steps(job) if "uses" in step]


def _releases(job: Mapping[str, Any]) -> bool:
    return any("gh release" in str(step.get("run", "")) for step in _steps(job))


def _on(workflow: Workflow) -> Any:
    raw: Any = workflow
    return raw.get("on", raw.get(True))  # YAML 1.1 readers turn `on` into True


def triggers(workflow: Workflow, tag_glob: str) -> Finding:
    on = _on(workflow)
    tags = on.get("push", {}).get("tags") if isinstance(on, dict) else None
    if not tags or tag_glob not in tags:
        return failed(TRIGGERS, f"does not run on pushed tags {tag_glob!r}", _FIX)
    return passed(TRIGGERS, f"runs on pushed tags {tag_glob!r}")


def permissions(workflow: Workflow) -> Finding:
    if workflow.get("permissions") != {}:
        return failed(PERMISSIONS, "top-level permissions are not {}", "set `permissions: {}`")
    for name, job in _jobs(workflow).items():
        granted = job.get("permissions")
        if not isinstance(granted, dict):
            return failed(PERMISSIONS, f"job {name} has no explicit permissions", _FIX)
        if granted.get("id-token") == "write" and not _publishes(job):
            return failed(
                PERMISSIONS, f"job {name} gets id-token: write but publishes nothing", _FIX
            )
        if granted.get("contents") == "write" and not _releases(job):
            return failed(
                PERMISSIONS, f"job {name} gets contents: write but is no release job", _FIX
            )
        if _publishes(job) and set(granted.items()) != {("id-token", "write")}:
            return failed(PERMISSIONS, f"publish job {name} must have only id-token: write", _FIX)
    return passed(PERMISSIONS, "least privilege: {} at the top, id-token only where publishing")


def pins(workflow: Workflow) -> Finding:
    for name, job in _jobs(workflow).items():
        for use in _uses(job):
            if not use.startswith("./") and not _PINNED.match(use):
                return failed(
                    PINS,
                    f"job {name} uses {use!r}, not pinned to a full SHA",
                    "pin OWNER/REPO@<sha>",
                )
    return passed(PINS, "every action pinned to a full commit SHA")


def checkout(workflow: Workflow) -> Finding:
    for name, job in _jobs(workflow).items():
        for step in _steps(job):
            if not str(step.get("uses", "")).startswith("actions/checkout@"):
                continue
            inputs = step.get("with") or {}
            if inputs.get("fetch-depth") != 0 or inputs.get("persist-credentials") is not False:
                return failed(
                    CHECKOUT,
                    f"job {name}: checkout without fetch-depth: 0 and persist-credentials: false",
                    "hatch-vcs needs the full history; the token must not stay on disk",
                )
    return passed(CHECKOUT, "full history, no persisted credentials")


def run_expressions(workflow: Workflow) -> Finding:
    for name, job in _jobs(workflow).items():
        for step in _steps(job):
            if "${{" in str(step.get("run", "")):
                return failed(
                    RUN_EXPRESSIONS,
                    f"job {name}: a run block contains ${{{{ }}}} (script injection)",
                    "pass the value through env: and use it as a quoted variable",
                )
    return passed(RUN_EXPRESSIONS, "no expression inside run blocks")


def environments(workflow: Workflow, spec: WorkflowSpec) -> Finding:
    expected = {channel.name: channel.environment for channel in spec.channels}
    for name, job in _jobs(workflow).items():
        if not _publishes(job):
            continue
        environment = job.get("environment")
        environment = environment.get("name") if isinstance(environment, dict) else environment
        if environment not in expected.values():
            return failed(
                ENVIRONMENTS,
                f"publish job {name} runs in environment {environment!r}",
                f"use one of {', '.join(sorted(expected.values()))} (the Trusted Publisher's)",
            )
    return passed(ENVIRONMENTS, f"publish jobs run in {', '.join(sorted(expected.values()))}")


def zizmor_bin(root: Path) -> str:
    """zizmor from tagship's own environment or the project's (the dev group has it), so
    that doctor audits whether or not a virtualenv is active; else from PATH."""
    for directory in (Path(sys.executable).parent, root / ".venv" / "bin"):
        if (directory / "zizmor").is_file():
            return str(directory / "zizmor")
    return "zizmor"


def zizmor(root: Path) -> Finding:
    files = [str(root / path) for path in (WORKFLOW, CI_WORKFLOW) if (root / path).is_file()]
    argv = [zizmor_bin(root), "--offline", "--persona", "auditor", "--no-progress", *files]
    try:
        result = proc.run(argv, cwd=root, check=False, timeout=120)
    except proc.ProcessError:
        return skipped(ZIZMOR, "zizmor not installed")
    if result.returncode == 0:
        return passed(ZIZMOR, "zizmor --offline --persona auditor: no findings")
    first = next((line for line in result.stdout.splitlines() if line.strip()), "findings")
    return failed(ZIZMOR, f"zizmor: {first}", f"run `zizmor {' '.join(argv[1:5])} {WORKFLOWS}`")


def ci_workflow(text: str | None) -> Finding:
    if text is None:
        return skipped(CI, f"no {CI_WORKFLOW}")
    on = _on(load(text, CI_WORKFLOW))
    names = [on] if isinstance(on, str) else list(on or [])
    dangerous = [name for name in _DANGEROUS_TRIGGERS if name in names]
    if dangerous:
        return failed(
            CI,
            f"{CI_WORKFLOW} runs on {dangerous[0]}: code from a fork runs with this repository's"
            " secrets and token",
            "trigger on pull_request instead",
        )
    return passed(CI, f"{CI_WORKFLOW} runs on no fork-privileged trigger")


def _spec(config: Config) -> WorkflowSpec:
    pyproject_path = config.root / "pyproject.toml"
    pyproject = read_toml(pyproject_path) if pyproject_path.is_file() else {}
    return project_spec(config.root, config.cz.tag_format, config.tagship, pyproject)


Check = tuple[Rule, Callable[[], Finding]]


def _failing(rule: Rule, message: str, fix: str) -> Check:
    return (rule, lambda: failed(rule, message, fix))


def checks(config: Config) -> list[Check]:
    try:
        spec = _spec(config)
        text = read_text(config.root / WORKFLOW)
        ci_text = read_text(config.root / CI_WORKFLOW)
    except FatalError as exc:
        return [_failing(EXISTS, str(exc), "fix the problem above and run `tagship doctor` again")]
    if text is None:
        return [_failing(EXISTS, f"no {WORKFLOW}", "run `tagship init`")]
    try:
        workflow = load(text)
    except FatalError as exc:
        return [_failing(EXISTS, str(exc), "fix the YAML, or `tagship init --force`")]
    files = [
        Generated(WORKFLOW, text, release_yml(spec)),
        Generated(CI_WORKFLOW, ci_text, ci_yml(spec)),
    ]
    return [
        (EXISTS, lambda: passed(EXISTS, str(WORKFLOW))),
        (TRIGGERS, lambda: triggers(workflow, spec.tag_glob)),
        (PERMISSIONS, lambda: permissions(workflow)),
        (PINS, lambda: pins(workflow)),
        (CHECKOUT, lambda: checkout(workflow)),
        (RUN_EXPRESSIONS, lambda: run_expressions(workflow)),
        (ENVIRONMENTS, lambda: environments(workflow, spec)),
        (invariants.STEPS, lambda: invariants.blocking_steps(workflow)),
        (invariants.SECRETS, lambda: invariants.no_secrets(workflow)),
        (invariants.DOWNLOADS, lambda: invariants.no_downloads(workflow)),
        (ZIZMOR, lambda: zizmor(config.root)),
        (CURRENT, lambda: current(config, files)),
        (CI, lambda: ci_workflow(ci_text)),
    ]
