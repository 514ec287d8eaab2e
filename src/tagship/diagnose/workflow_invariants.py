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
# A file downloaded, then run: `curl -o i.sh URL && sh i.sh`, `wget URL; bash i.sh`.
_DOWNLOAD = re.compile(r"\b(?:curl|wget)\b")
_RUNS_A_FILE = re.compile(
    r"(?:^|[;&|(]|\bthen\b|\bdo\b)\s*(?:sudo\s+)?"
    r"(?:(?:\S*/)?(?:ba|da|z|k)?sh\s+[^-\s]|(?:\S*/)?python3?\s+[^-\s]|source\s|\.\s+\S|\./\S)",
    re.MULTILINE,
)
# GitHub's own `bash` and `sh` stop at the first failing command (`-e`); a custom
# `shell: bash {0}` does not, and the script's status is its last command's.
_STOPPING_SHELLS = frozenset({"bash", "sh"})
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


def _shell(workflow: Workflow, job: Job, step: Mapping[str, Any]) -> str | None:
    """The step's `shell`: its own, else the job's or the workflow's `defaults.run`."""
    if "shell" in step:
        return str(step["shell"])
    for holder in (job, workflow):
        defaults = holder.get("defaults")
        run = defaults.get("run") if isinstance(defaults, dict) else None
        if isinstance(run, dict) and "shell" in run:
            return str(run["shell"])
    return None


def _keeps_going(shell: str | None, run: str, pattern: re.Pattern[str]) -> bool:
    """Whether a command after the tagship line decides the step's status."""
    if shell is None or shell.strip() in _STOPPING_SHELLS:
        return False
    options = [word for word in shell.split() if word.startswith("-") and not word.startswith("--")]
    if any("e" in option for option in options):
        return False
    found = pattern.search(run)
    after = run[found.end() :].split("\n", 1)[1:] if found else []
    return any(
        line.strip() and not line.strip().startswith("#") for line in "".join(after).splitlines()
    )


def _why_not_blocking(
    workflow: Workflow, job: Job, step: Mapping[str, Any], pattern: re.Pattern[str]
) -> str | None:
    shell = _shell(workflow, job, step)
    if _keeps_going(shell, str(step.get("run", "")), pattern):
        return f"runs under `shell: {shell}`, which goes on after a failure (no -e)"
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
                why = _why_not_blocking(workflow, job, step, pattern)
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
        # `secrets.X`, `secrets['X']`, `toJSON(secrets)`: any use in an expression; and a
        # reusable workflow's `secrets: inherit`
        expression = re.search(r"\$\{\{[^}]*\bsecrets\b", text)
        if expression or re.search(r"\bsecrets\s*[.\[]", text) or path.endswith(".secrets"):
            return failed(
                SECRETS,
                f"{path} uses a secret: Trusted Publishing needs none, and a token can leak",
                "remove it; publish through the Trusted Publisher (id-token: write)",
            )
    return passed(SECRETS, "no secrets: publishing goes through Trusted Publishing")


def no_downloads(workflow: Workflow) -> Finding:
    for name, job in jobs(workflow).items():
        for step in steps(job):
            run = str(step.get("run", ""))
            if _PIPED_SHELL.search(run) or (_DOWNLOAD.search(run) and _RUNS_A_FILE.search(run)):
                return failed(
                    DOWNLOADS,
                    f"job {name} runs a downloaded script (curl/wget into a shell)",
                    "install tools from the lock (uv sync --locked) or a pinned action",
                )
    return passed(DOWNLOADS, "no downloaded script is run")
