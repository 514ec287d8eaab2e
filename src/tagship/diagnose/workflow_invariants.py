"""What every release workflow must keep, generated or not (issue 13: tampering).

A workflow the project writes itself (`generate-workflow = false`, or one init did not
write) is not compared with the generator's output; these invariants are checked
instead: the gate, dist-check and verify steps exist and a failure of each stops the
release, publishing waits for the gates and the dist check, no secret is used (Trusted
Publishing needs none), and nothing is downloaded and run by a shell. Pure functions of
the loaded workflow, so every tampering is tested as data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from tagship.rules import Finding, Rule, failed, passed

STEPS = Rule("TS450", "workflow-steps", "error")
SECRETS = Rule("TS451", "workflow-secrets", "error")
DOWNLOADS = Rule("TS452", "workflow-downloads", "error")
PUBLISH_ACTION = "pypa/gh-action-pypi-publish"

Workflow = Mapping[str, Any]
Job = Mapping[str, Any]

# A command line that runs tagship's step: `tagship gate`, `uv run ... tagship gate`,
# `"$RUNNER_TEMP/tagship-env/bin/tagship" gate`; a mention in `echo` is no step.
_LAUNCH = r'^\s*(?:uv run(?: --[\w-]+(?:[ =][\w.-]+)?)* |"?\$?[\w{}./-]*/)?tagship"? '
REQUIRED = {
    "gate": re.compile(_LAUNCH + r"gate\b", re.MULTILINE),
    "check": re.compile(_LAUNCH + r"check --dist\b", re.MULTILINE),
    "verify": re.compile(_LAUNCH + r"verify\b", re.MULTILINE),
}
# What turns a failing command into a passing step.
_SWALLOWED = re.compile(r"\|\|\s*(?:true|:|exit 0)\b|\bset \+e\b|;\s*(?:true|:)\s*$", re.MULTILINE)
_PIPED_SHELL = re.compile(
    r"\b(?:curl|wget)\b[^\n]*\|\s*(?:sudo\s+)?(?:\S*/)?(?:ba|da|z|k)?sh\b"
    r"|\b(?:curl|wget)\b[^\n]*\|\s*(?:sudo\s+)?(?:\S*/)?python3?\b"
    r"|(?:<|\$)\(\s*(?:curl|wget)\b"
)
_FIX_OWN = "restore the step as `tagship init` writes it (see `tagship init --dry-run --force`)"


def jobs(workflow: Workflow) -> dict[str, Job]:
    found = workflow.get("jobs")
    if not isinstance(found, dict):
        return {}
    return {str(name): job for name, job in found.items() if isinstance(job, dict)}


def steps(job: Job) -> Iterator[Mapping[str, Any]]:
    found = job.get("steps")
    yield from (step for step in found if isinstance(step, dict)) if isinstance(found, list) else ()


def publishes(job: Job) -> bool:
    return any(str(step.get("uses", "")).startswith(PUBLISH_ACTION + "@") for step in steps(job))


def _needs(job: Job) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else [str(n) for n in needs or []]


def _ancestors(all_jobs: Mapping[str, Job], name: str) -> set[str]:
    seen: set[str] = set()
    todo = _needs(all_jobs.get(name, {}))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += _needs(all_jobs.get(current, {}))
    return seen


def _why_not_blocking(job: Job, step: Mapping[str, Any]) -> str | None:
    for where, holder in (("step", step), ("job", job)):
        if holder.get("continue-on-error", False) is not False:
            return f"its {where} has continue-on-error"
    for where, holder in (("step", step), ("job", job)):
        if "if" in holder:
            return f"its {where} runs only if {holder['if']!r}"
    if _SWALLOWED.search(str(step.get("run", ""))):
        return "its command ignores a failure (`|| true`, `set +e`, ...)"
    return None


def blocking_steps(workflow: Workflow) -> Finding:
    all_jobs = jobs(workflow)
    holders: dict[str, set[str]] = {}
    for what, pattern in REQUIRED.items():
        for name, job in all_jobs.items():
            for step in steps(job):
                if not pattern.search(str(step.get("run", ""))):
                    continue
                why = _why_not_blocking(job, step)
                if why:
                    return failed(STEPS, f"job {name}: the `tagship {what}` step {why}", _FIX_OWN)
                holders.setdefault(what, set()).add(name)
        if what not in holders:
            return failed(STEPS, f"no step runs `tagship {what}`", _FIX_OWN)
    for name, job in all_jobs.items():
        if not publishes(job):
            continue
        before = _ancestors(all_jobs, name)
        for what in ("gate", "check"):
            if not holders[what] & before:
                return failed(
                    STEPS,
                    f"publish job {name} does not wait for the `tagship {what}` job",
                    f"add {sorted(holders[what])[0]} to its `needs:`",
                )
        if not any(name in _ancestors(all_jobs, verify) for verify in holders["verify"]):
            return failed(
                STEPS,
                f"no `tagship verify` job follows publish job {name}",
                f"add a verify job with `needs: [{name}]`",
            )
    return passed(STEPS, "gate, dist check and verify run, and each failure stops the release")


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def no_secrets(workflow: Workflow) -> Finding:
    for path, text in _strings(workflow, ""):
        if re.search(r"\bsecrets\s*[.\[]", text):
            return failed(
                SECRETS,
                f"{path} uses a secret: Trusted Publishing needs none, and a token can leak",
                "remove it; publish through the Trusted Publisher (id-token: write)",
            )
    return passed(SECRETS, "no secrets: publishing goes through Trusted Publishing")


def no_downloads(workflow: Workflow) -> Finding:
    for name, job in jobs(workflow).items():
        for step in steps(job):
            if _PIPED_SHELL.search(str(step.get("run", ""))):
                return failed(
                    DOWNLOADS,
                    f"job {name} runs a downloaded script (curl/wget into a shell)",
                    "install tools from the lock (uv sync --locked) or a pinned action",
                )
    return passed(DOWNLOADS, "no downloaded script is run")
