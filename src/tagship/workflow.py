"""Generate the GitHub Actions workflows tagship writes: `release.yml` and `ci.yml`.

The output is plain text assembled from fixed blocks, so the same spec always gives the
same bytes (tagship's own workflows are products of this module, and a test compares
them). Every tool runs inside the project's environment (`uv sync --locked`, then
`uv run --no-sync ...`), where `tagship init` put tagship as a dev dependency. No value
ever appears as `${{ }}` inside a `run:` block: values reach scripts through `env:`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tagship.config import TagshipConfig
from tagship.errors import ConfigError
from tagship.pins import uses
from tagship.versions import KINDS

MARKER = "# Written by tagship init"
HEADER = (
    f"{MARKER}: change [tool.tagship] in pyproject.toml and run `tagship init` again\n"
    "# rather than editing this file (init refuses to overwrite a workflow it did not write).\n"
)
PYPI_UPLOAD_URL = "https://upload.pypi.org/legacy/"
RUN = "uv run --no-sync"
_JOB_ID = re.compile(r"^[A-Za-z0-9_-]+$")


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


def tag_glob(tag_format: str) -> str:
    """The tag filter for a commitizen tag_format: the text before the version, then `*`."""
    prefix = tag_format.split("$", 1)[0]
    return f"{prefix}*" if prefix else "[0-9]*"


def spec_for(
    tag_format: str, tagship: TagshipConfig, *, ci_command: str | None = None
) -> WorkflowSpec:
    channels: list[Channel] = []
    for kind in KINDS:
        name = tagship.channels[kind]
        if any(channel.name == name for channel in channels):
            continue
        if not _JOB_ID.match(name):
            raise ConfigError(f"index name {name!r} cannot name a workflow job; use [A-Za-z0-9_-]")
        environment = tagship.environment(name)
        channels.append(Channel(name, environment, tagship.indexes[name].upload_url))
    return WorkflowSpec(tag_glob(tag_format), tuple(channels), tagship.release_branch, ci_command)


def _expr(text: str) -> str:
    return "${{ " + text + " }}"


def _indent(lines: Iterable[str], spaces: int) -> list[str]:
    pad = " " * spaces
    return [pad + line if line else line for line in lines]


def _checkout_and_sync(*, sync: bool = True) -> list[str]:
    lines = [
        "- name: Check out the repository with its full history and tags",
        f"  uses: {uses('actions/checkout')}",
        "  with:",
        "    fetch-depth: 0",
        "    persist-credentials: false",
        "- name: Set up uv",
        f"  uses: {uses('astral-sh/setup-uv')}",
        "  with:",
        "    # Release artifacts are never built from a cache another workflow can write.",
        "    enable-cache: false",
    ]
    if sync:
        lines += ["- name: Install the project's locked environment", "  run: uv sync --locked"]
    return lines


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


def _build_job() -> list[str]:
    outputs = ["version", "kind", "prerelease", "channel"]
    steps = [
        *_checkout_and_sync(),
        "- name: Route the tag (version, kind, channel)",
        "  id: route",
        f"  run: {RUN} tagship route --github-output",
        "- name: Run the quality gates",
        f"  run: {RUN} tagship gate --no-cache",
        "- name: Build the sdist and the wheel",
        "  run: uv build",
        "- name: Check the dists against the tag",
        f"  run: {RUN} tagship check --dist dist/",
        *_dist_transfer("upload"),
    ]
    return [
        "build:",
        "  name: Build, gate and check the dists",
        "  runs-on: ubuntu-latest",
        "  permissions:",
        "    contents: read # check out the repository",
        "  outputs:",
        *[f"    {key}: {_expr(f'steps.route.outputs.{key}')}" for key in outputs],
        "  steps:",
        *_indent(steps, 4),
    ]


def _publish_job(channel: Channel) -> list[str]:
    steps = [*_dist_transfer("download"), f"- name: Publish to {channel.name}"]
    steps.append(f"  uses: {uses('pypa/gh-action-pypi-publish')}")
    if channel.upload_url != PYPI_UPLOAD_URL:
        steps += ["  with:", f"    repository-url: {channel.upload_url}"]
    return [
        f"publish-{channel.name}:",
        f"  name: Publish to {channel.name}",
        "  needs: build",
        f"  if: needs.build.outputs.channel == '{channel.name}'",
        "  runs-on: ubuntu-latest",
        f"  environment: {channel.environment}",
        "  permissions:",
        "    id-token: write # Trusted Publishing and PEP 740 attestations",
        "  steps:",
        *_indent(steps, 4),
    ]


def _verify_job(channel: Channel) -> list[str]:
    steps = [
        *_checkout_and_sync(),
        "- name: Install the published version and smoke-test it",
        "  env:",
        f"    VERSION: {_expr('needs.build.outputs.version')}",
        f'  run: {RUN} tagship verify "$VERSION" --index {channel.name}',
    ]
    return [
        f"verify-{channel.name}:",
        f"  name: Verify the {channel.name} release installs and runs",
        f"  needs: [build, publish-{channel.name}]",
        "  runs-on: ubuntu-latest",
        "  permissions:",
        "    contents: read # check out the repository",
        "  steps:",
        *_indent(steps, 4),
    ]


def _release_job(channels: tuple[Channel, ...]) -> list[str]:
    verifies = [f"verify-{channel.name}" for channel in channels]
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
        "  steps:",
        *_indent(steps, 4),
    ]


def release_yml(spec: WorkflowSpec) -> str:
    jobs: list[list[str]] = [_build_job()]
    jobs += [_publish_job(channel) for channel in spec.channels]
    jobs += [_verify_job(channel) for channel in spec.channels]
    jobs.append(_release_job(spec.channels))
    lines = [
        "name: release",
        "",
        "on:",
        "  push:",
        "    tags:",
        f'      - "{spec.tag_glob}"',
        "",
        "permissions: {}",
        "",
        "# One release per tag at a time; never cancel a release half-published.",
        "concurrency:",
        f"  group: release-{_expr('github.ref')}",
        "  cancel-in-progress: false",
        "",
        "jobs:",
    ]
    for index, job in enumerate(jobs):
        lines += ([""] if index else []) + _indent(job, 2)
    return HEADER + "\n".join(lines) + "\n"


def ci_yml(spec: WorkflowSpec) -> str:
    if spec.ci_command:
        steps = [*_checkout_and_sync(sync=False), f"- name: {spec.ci_command}"]
        steps.append(f"  run: {spec.ci_command}")
    else:
        steps = [*_checkout_and_sync(), "- name: Run the quality gates"]
        steps.append(f"  run: {RUN} tagship gate --no-cache")
    lines = [
        "name: ci",
        "",
        "on:",
        "  push:",
        f"    branches: [{spec.branch}]",
        "  pull_request:",
        "",
        "permissions: {}",
        "",
        "concurrency:",
        f"  group: ci-{_expr('github.ref')}",
        "  cancel-in-progress: true",
        "",
        "jobs:",
        "  check:",
        "    name: Quality gates",
        "    runs-on: ubuntu-latest",
        "    permissions:",
        "      contents: read # check out the repository",
        "    steps:",
        *_indent(steps, 6),
    ]
    return HEADER + "\n".join(lines) + "\n"
