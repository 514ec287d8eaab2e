"""Generate the GitHub Actions workflows tagship writes: `release.yml` and `ci.yml`.

The output is plain text assembled from fixed blocks, so the same spec always gives the
same bytes (tagship's own workflows are products of this module, and a test compares
them). Every value that comes from the project's config is checked against a strict
grammar and written as a quoted, escaped scalar (workflow_values.py), so no value can add
a key, a step, a job or a trigger. Every tool runs inside the project's locked
environment (`uv sync --locked`, then `uv run --no-sync ...`): the gates once per Python
the project supports, tagship's own steps on a Python tagship supports (it is in the dev
group under `python_version >= '3.11'`). No value ever appears as `${{ }}` inside a
`run:` block: values reach scripts through `env:`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tagship import workflow_values as values
from tagship.config import TagshipConfig
from tagship.pins import uses
from tagship.versions import KINDS

MARKER = "# Written by tagship init"
HEADER = (
    f"{MARKER}: change [tool.tagship] in pyproject.toml and run `tagship init` again\n"
    "# rather than editing this file (init refuses to overwrite a workflow it did not write;\n"
    "# `tagship doctor` fails when this file differs from what init writes).\n"
)
PYPI_UPLOAD_URL = "https://upload.pypi.org/legacy/"
RUN = "uv run --no-sync"
DEFAULT_PYTHON = "3.12"
# Where the gates job keeps tagship's own environment (under the runner's temporary
# directory), apart from the project's `.venv` on the Python under test, which may be one
# tagship does not run on.
TAGSHIP_ENV = "tagship-env"


@dataclass(frozen=True)
class Channel:
    """One publish target: an index with its GitHub environment."""

    name: str
    """The index name `tagship route` prints as `channel`."""
    environment: str
    """The GitHub environment of its publish job (named in the Trusted Publisher)."""
    upload_url: str
    """Where the publish action uploads."""


@dataclass(frozen=True)
class WorkflowSpec:
    """Everything about a project that shapes its workflows."""

    tag_glob: str
    """The `on.push.tags` pattern matching the project's release tags."""
    channels: tuple[Channel, ...]
    branch: str = "main"
    """The release branch CI runs on when pushed."""
    ci_command: str | None = None
    """The CI check command (`make check`); None runs the gates in the environment."""
    pythons: tuple[str, ...] = (DEFAULT_PYTHON,)
    """The Pythons the gates run on (one job each), oldest first."""
    tagship_python: str = DEFAULT_PYTHON
    """The Python tagship's own steps (route, check, notes, verify) run on."""


def tag_glob(tag_format: str) -> str:
    """The tag filter for a commitizen tag_format: the text before the version, then `*`."""
    prefix = values.tag_prefix(tag_format)
    return f"{prefix}*" if prefix else "[0-9]*"


def spec_for(
    tag_format: str,
    tagship: TagshipConfig,
    *,
    ci_command: str | None = None,
    pythons: tuple[str, ...] = (DEFAULT_PYTHON,),
    tagship_python: str = DEFAULT_PYTHON,
) -> WorkflowSpec:
    channels: list[Channel] = []
    for kind in KINDS:
        name = values.channel(tagship.channels[kind])
        if any(channel.name == name for channel in channels):
            continue
        environment = values.environment(tagship.environment(name))
        upload = values.upload_url(tagship.indexes[name].upload_url)
        channels.append(Channel(name, environment, upload))
    return WorkflowSpec(
        tag_glob=tag_glob(tag_format),
        channels=tuple(channels),
        branch=values.branch(tagship.release_branch),
        ci_command=values.command(ci_command) if ci_command is not None else None,
        pythons=tuple(values.python(python) for python in pythons),
        tagship_python=values.python(tagship_python),
    )


def _expr(text: str) -> str:
    return "${{ " + text + " }}"


def _indent(lines: Iterable[str], spaces: int) -> list[str]:
    pad = " " * spaces
    return [pad + line if line else line for line in lines]


def _checkout() -> list[str]:
    return [
        "- name: Check out the repository with its full history and tags",
        f"  uses: {uses('actions/checkout')}",
        "  with:",
        "    fetch-depth: 0",
        "    persist-credentials: false",
    ]


def _setup_uv() -> list[str]:
    return [
        "- name: Set up uv",
        f"  uses: {uses('astral-sh/setup-uv')}",
        "  with:",
        "    # Release artifacts are never built from a cache another workflow can write.",
        "    enable-cache: false",
    ]


def _checkout_and_sync() -> list[str]:
    return [
        *_checkout(),
        *_setup_uv(),
        "- name: Install the project's locked environment",
        "  run: uv sync --locked",
    ]


def _tagship_env(spec: WorkflowSpec) -> list[str]:
    """The job-level `env:` that puts tagship's steps on a Python tagship runs on."""
    return ["  env:", f"    UV_PYTHON: {values.scalar(spec.tagship_python)}"]


def _gates_job(spec: WorkflowSpec) -> list[str]:
    """The gates once per supported Python: the project's `.venv` on that Python (the
    gates' tools), tagship from a second copy of the same lock on a Python it runs on."""
    matrix = ", ".join(values.scalar(python) for python in spec.pythons)
    steps = [
        *_checkout(),
        "- name: Set up the Python under test",
        f"  uses: {uses('actions/setup-python')}",
        "  with:",
        f"    python-version: {_expr('matrix.python')}",
        *_setup_uv(),
        "- name: Install the project's locked environment on the Python under test",
        "  run: uv sync --locked",
        "- name: Install tagship from the same lock, on a Python tagship runs on",
        "  env:",
        f"    UV_PROJECT_ENVIRONMENT: {_expr('runner.temp')}/{TAGSHIP_ENV}",
        f"    UV_PYTHON: {values.scalar(spec.tagship_python)}",
        "  run: uv sync --locked",
        # Started by path, so that no uv variable of tagship's environment reaches the
        # gates: they find the `.venv` on the Python under test.
        "- name: Run the quality gates",
        "  run: |",
        f'    "$RUNNER_TEMP/{TAGSHIP_ENV}/bin/tagship" gate --no-cache',
    ]
    return [
        "gates:",
        f"  name: Quality gates on Python {_expr('matrix.python')}",
        "  runs-on: ubuntu-latest",
        "  permissions:",
        "    contents: read # check out the repository",
        "  strategy:",
        "    matrix:",
        f"      python: [{matrix}]",
        "  env:",
        f"    UV_PYTHON: {_expr('matrix.python')}",
        "  steps:",
        *_indent(steps, 4),
    ]


def _dist_transfer(action: str) -> list[str]:
    verb = "Upload" if action == "upload" else "Download"
    lines = [
        f"- name: {verb} the dists",
        f"  uses: {uses(f'actions/{action}-artifact')}",
        "  with:",
        "    name: dist",
        "    path: dist/",
    ]
    return [*lines, "    if-no-files-found: error"] if action == "upload" else lines


def _build_job(spec: WorkflowSpec) -> list[str]:
    outputs = ["version", "kind", "prerelease", "channel"]
    steps = [
        *_checkout_and_sync(),
        "- name: Route the tag (version, kind, channel)",
        "  id: route",
        f"  run: {RUN} tagship route --github-output",
        "- name: Build the sdist and the wheel",
        "  run: uv build",
        "- name: Check the dists against the tag",
        f"  run: {RUN} tagship check --dist dist/",
        *_dist_transfer("upload"),
    ]
    return [
        "build:",
        "  name: Build and check the dists",
        "  runs-on: ubuntu-latest",
        "  permissions:",
        "    contents: read # check out the repository",
        *_tagship_env(spec),
        "  outputs:",
        *[f"    {key}: {_expr(f'steps.route.outputs.{key}')}" for key in outputs],
        "  steps:",
        *_indent(steps, 4),
    ]


def _publish_job(channel: Channel) -> list[str]:
    steps = [*_dist_transfer("download"), f"- name: {values.scalar('Publish to ' + channel.name)}"]
    steps.append(f"  uses: {uses('pypa/gh-action-pypi-publish')}")
    if channel.upload_url != PYPI_UPLOAD_URL:
        steps += ["  with:", f"    repository-url: {values.scalar(channel.upload_url)}"]
    return [
        f"publish-{channel.name}:",
        f"  name: {values.scalar('Publish to ' + channel.name)}",
        "  # One build, published once: only after the gates passed on every Python.",
        "  needs: [build, gates]",
        f"  if: needs.build.outputs.channel == '{channel.name}'",
        "  runs-on: ubuntu-latest",
        f"  environment: {values.scalar(channel.environment)}",
        "  permissions:",
        "    id-token: write # Trusted Publishing and PEP 740 attestations",
        "  steps:",
        *_indent(steps, 4),
    ]


def _verify_job(spec: WorkflowSpec, channel: Channel) -> list[str]:
    steps = [
        *_checkout_and_sync(),
        "- name: Install the published version and smoke-test it",
        "  env:",
        f"    VERSION: {_expr('needs.build.outputs.version')}",
        f'  run: {RUN} tagship verify "$VERSION" --index {channel.name}',
    ]
    return [
        f"verify-{channel.name}:",
        f"  name: {values.scalar(f'Verify the {channel.name} release installs and runs')}",
        f"  needs: [build, publish-{channel.name}]",
        "  runs-on: ubuntu-latest",
        "  permissions:",
        "    contents: read # check out the repository",
        *_tagship_env(spec),
        "  steps:",
        *_indent(steps, 4),
    ]


def _release_job(spec: WorkflowSpec) -> list[str]:
    verifies = [f"verify-{channel.name}" for channel in spec.channels]
    verified = " || ".join(f"needs.{job}.result == 'success'" for job in verifies)
    steps = [
        *_checkout_and_sync(),
        *_dist_transfer("download"),
        "- name: Cut the release notes from the changelog",
        "  env:",
        f"    TAG: {_expr('github.ref_name')}",
        f'  run: {RUN} tagship notes "$TAG" --output notes.md',
        "- name: Create the GitHub release with the dists",
        "  env:",
        f"    GH_TOKEN: {_expr('github.token')}",
        f"    TAG: {_expr('github.ref_name')}",
        f"    PRERELEASE: {_expr('needs.build.outputs.prerelease')}",
        "  run: |",
        "    flags=()",
        '    if [ "$PRERELEASE" = "true" ]; then flags+=(--prerelease); fi',
        '    gh release create "$TAG" --verify-tag --title "$TAG" --notes-file notes.md \\',
        '      "${flags[@]}" dist/*',
    ]
    return [
        "github-release:",
        "  name: GitHub release with notes and dists",
        f"  needs: [build, {', '.join(verifies)}]",
        "  # Only one verify job runs for a tag; the others are skipped, not failed.",
        f"  if: {_expr(f'!cancelled() && ({verified})')}",
        "  runs-on: ubuntu-latest",
        "  permissions:",
        "    contents: write # create the release and attach the dists",
        *_tagship_env(spec),
        "  steps:",
        *_indent(steps, 4),
    ]


def _document(top: list[str], jobs: list[list[str]]) -> str:
    lines = [*top, "", "jobs:"]
    for index, job in enumerate(jobs):
        lines += ([""] if index else []) + _indent(job, 2)
    return HEADER + "\n".join(lines) + "\n"


def release_yml(spec: WorkflowSpec) -> str:
    jobs: list[list[str]] = [_gates_job(spec), _build_job(spec)]
    jobs += [_publish_job(channel) for channel in spec.channels]
    jobs += [_verify_job(spec, channel) for channel in spec.channels]
    jobs.append(_release_job(spec))
    top = [
        "name: release",
        "",
        "on:",
        "  push:",
        "    tags:",
        f"      - {values.scalar(spec.tag_glob)}",
        "",
        "permissions: {}",
        "",
        "# One release per tag at a time; never cancel a release half-published.",
        "concurrency:",
        f"  group: release-{_expr('github.ref')}",
        "  cancel-in-progress: false",
    ]
    return _document(top, jobs)


def _command_job(command: str) -> list[str]:
    steps = [*_checkout(), *_setup_uv(), f"- name: {values.scalar(command)}"]
    steps.append(f"  run: {values.scalar(command)}")
    return [
        "check:",
        f"  name: {values.scalar(command)}",
        "  runs-on: ubuntu-latest",
        "  permissions:",
        "    contents: read # check out the repository",
        "  steps:",
        *_indent(steps, 4),
    ]


def ci_yml(spec: WorkflowSpec) -> str:
    job = _command_job(spec.ci_command) if spec.ci_command else _gates_job(spec)
    top = [
        "name: ci",
        "",
        "on:",
        "  push:",
        f"    branches: [{values.scalar(spec.branch)}]",
        "  pull_request:",
        "",
        "permissions: {}",
        "",
        "concurrency:",
        f"  group: ci-{_expr('github.ref')}",
        "  cancel-in-progress: true",
    ]
    return _document(top, [job])
