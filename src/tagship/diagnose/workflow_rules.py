"""Doctor rules on `.github/workflows/release.yml`: tagship's security invariants.

Parsing is separate from the rules: each rule takes the loaded workflow (a plain mapping)
and returns one Finding, so broken workflows are tested as data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tagship import proc
from tagship.config import Config
from tagship.errors import FatalError
from tagship.rules import Finding, Rule, failed, passed, skipped
from tagship.workflow import MARKER, release_yml, spec_for

EXISTS = Rule("TS420", "workflow-exists", "error")
TRIGGERS = Rule("TS421", "workflow-triggers", "error")
PERMISSIONS = Rule("TS422", "workflow-permissions", "error")
PINS = Rule("TS423", "workflow-pins", "error")
CHECKOUT = Rule("TS424", "workflow-checkout", "error")
RUN_EXPRESSIONS = Rule("TS425", "workflow-run-expressions", "error")
ENVIRONMENTS = Rule("TS426", "workflow-environments", "error")
ZIZMOR = Rule("TS427", "workflow-zizmor", "error")
CURRENT = Rule("TS428", "workflow-current", "warning")

WORKFLOW = Path(".github/workflows/release.yml")
PUBLISH_ACTION = "pypa/gh-action-pypi-publish"
_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
_FIX = "run `tagship init --force` to regenerate the workflow, or fix it by hand"

Workflow = Mapping[str, Any]


def load(text: str) -> Workflow:
    from ruamel.yaml import YAML  # noqa: PLC0415 (doctor only)
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise FatalError(f"{WORKFLOW}: invalid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise FatalError(f"{WORKFLOW}: not a mapping")
    return data


def _jobs(workflow: Workflow) -> dict[str, Mapping[str, Any]]:
    jobs = workflow.get("jobs")
    return (
        {str(k): v for k, v in jobs.items() if isinstance(v, dict)}
        if isinstance(jobs, dict)
        else {}
    )


def _steps(job: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from (step for step in job.get("steps") or [] if isinstance(step, dict))


def _uses(job: Mapping[str, Any]) -> list[str]:
    return [str(step["uses"]) for step in _steps(job) if "uses" in step]


def _publishes(job: Mapping[str, Any]) -> bool:
    return any(use.startswith(PUBLISH_ACTION + "@") for use in _uses(job))


def _releases(job: Mapping[str, Any]) -> bool:
    return any("gh release" in str(step.get("run", "")) for step in _steps(job))


def triggers(workflow: Workflow, tag_glob: str) -> Finding:
    raw: Any = workflow
    on = raw.get("on", raw.get(True))  # YAML 1.1 readers turn `on` into True
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


def environments(workflow: Workflow, expected: Mapping[str, str]) -> Finding:
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


def zizmor(root: Path) -> Finding:
    argv = ["zizmor", "--offline", "--persona", "auditor", "--no-progress", str(root / WORKFLOW)]
    try:
        result = proc.run(argv, cwd=root, check=False, timeout=120)
    except proc.ProcessError:
        return skipped(ZIZMOR, "zizmor not installed")
    if result.returncode == 0:
        return passed(ZIZMOR, "zizmor --offline --persona auditor: no findings")
    first = next((line for line in result.stdout.splitlines() if line.strip()), "findings")
    return failed(ZIZMOR, f"zizmor: {first}", f"run `{' '.join(argv[:-1])} {WORKFLOW}`")


def current(config: Config, text: str) -> Finding:
    if not text.startswith(MARKER):
        return skipped(CURRENT, "not written by tagship init")
    if text != release_yml(spec_for(config.cz.tag_format, config.tagship)):
        return failed(CURRENT, "differs from what tagship init writes now", "run `tagship init`")
    return passed(CURRENT, "as tagship init writes it")


def checks(config: Config) -> list[tuple[Rule, Callable[[], Finding]]]:
    path = config.root / WORKFLOW
    if not path.is_file():
        return [(EXISTS, lambda: failed(EXISTS, f"no {WORKFLOW}", "run `tagship init`"))]
    text = path.read_text(encoding="utf-8")
    try:
        workflow = load(text)
    except FatalError as exc:
        broken = str(exc)
        return [(EXISTS, lambda: failed(EXISTS, broken, "fix the YAML, or `tagship init --force`"))]
    glob = spec_for(config.cz.tag_format, config.tagship).tag_glob
    return [
        (EXISTS, lambda: passed(EXISTS, str(WORKFLOW))),
        (TRIGGERS, lambda: triggers(workflow, glob)),
        (PERMISSIONS, lambda: permissions(workflow)),
        (PINS, lambda: pins(workflow)),
        (CHECKOUT, lambda: checkout(workflow)),
        (RUN_EXPRESSIONS, lambda: run_expressions(workflow)),
        (
            ENVIRONMENTS,
            lambda: environments(
                workflow,
                {ch: config.tagship.environment(ch) for ch in config.tagship.channels.values()},
            ),
        ),
        (ZIZMOR, lambda: zizmor(config.root)),
        (CURRENT, lambda: current(config, text)),
    ]
