"""The pieces of `tagship rehearse`: which tag, the throwaway clone, the CI steps.

Every step of the chain is the command the release workflow runs, started as a
subprocess in the clone (`uv run --no-sync tagship gate --no-cache`, `uv build`, ...) in
the environment CI builds (see `environment`), so a rehearsal exercises exactly what CI
runs; what truly differs (the index, OIDC, the cache, the runner) `ci_differences` says.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from tagship import git, proc
from tagship.config import Config
from tagship.errors import ConfigError, FatalError
from tagship.index import LocalIndex
from tagship.rehearse.environment import (
    FOREIGN_VARIABLES,
    Pythons,
    callers_virtualenvs,
    without_virtualenvs,
)
from tagship.release import Release
from tagship.report import StepFailed
from tagship.versions import release_tags

STEP_TIMEOUT = 600.0
GATE_TIMEOUT = 3600.0  # the gates have their own timeouts; this only stops a runaway


def choose_tag(
    explicit: str | None,
    head: str,
    tag_commits: Mapping[str, str],
    head_tags: Mapping[str, Version],
    example: str,
) -> tuple[str, bool]:
    """The tag to rehearse and whether the clone must be tagged with it (pure).

    An explicit tag already on another commit is refused: a released tag never moves.
    Without one, HEAD's release tag is used (the highest, if several).
    """
    if explicit is not None:
        commit = tag_commits.get(explicit)
        if commit is None:
            return explicit, True
        if commit != head:
            raise FatalError(
                f"tag {explicit!r} already points at {commit[:12]}, not HEAD ({head[:12]}); "
                "a release tag never moves: rehearse a new version instead"
            )
        return explicit, False
    if not head_tags:
        raise ConfigError(
            f"HEAD has no release tag; pass the tag to rehearse, e.g. tagship rehearse {example}"
        )
    return max(head_tags, key=lambda tag: head_tags[tag]), False


def head_release_tags(root: Path, cfg: Config, head: str) -> dict[str, Version]:
    return release_tags(git.tags_at(root, head), cfg.cz.tag_formats)


@dataclass(frozen=True)
class Sandbox:
    """A temporary directory holding the clone, the dists and the children's temp files."""

    root: Path

    @property
    def clone(self) -> Path:
        return self.root / "clone"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def packages(self) -> Path:
        return self.root / "packages"

    @property
    def tagship_env(self) -> Path:
        """tagship's own environment, apart from the clone's `.venv` under test."""
        return self.root / "tagship-env"

    @classmethod
    def create(cls) -> Sandbox:
        sandbox = cls(Path(tempfile.mkdtemp(prefix="tagship-rehearse-")))
        sandbox.tmp.mkdir()
        return sandbox

    def child_env(self) -> dict[str, str]:
        # The children's temporary files live in the sandbox, so that nothing survives
        # it even when a child is killed before it could clean up. The rehearsal's index
        # is on loopback: check must ask it even where TAGSHIP_OFFLINE=1 keeps remote
        # indexes out, or a burned version would pass.
        # No virtualenv of the caller is on the children's PATH: their tools come from the
        # environments the rehearsal builds, as in CI.
        tmp = str(self.tmp)
        return {
            "TMPDIR": tmp,
            "TEMP": tmp,
            "TMP": tmp,
            "TAGSHIP_OFFLINE": "0",
            "PATH": without_virtualenvs(os.environ.get("PATH", ""), callers_virtualenvs()),
        }

    def remove(self) -> None:
        # A child killed by an interrupt may still be writing for a moment: retry.
        for _ in range(10):
            shutil.rmtree(self.root, ignore_errors=True)
            if not self.root.exists():
                return
            time.sleep(0.2)
        shutil.rmtree(self.root)


def make_clone(root: Path, sandbox: Sandbox, head: str, tag: str, *, tag_it: bool) -> str:
    git.clone_like_ci(root, sandbox.clone, head)
    # The clone has no identity when the user's is only in the repository's config; it
    # needs one to tag, and to graduate (`cz bump` commits).
    for key, fallback in (("user.name", "tagship rehearse"), ("user.email", "rehearse@invalid")):
        if git.config_value(sandbox.clone, key) is None:
            git.set_config(sandbox.clone, key, git.config_value(root, key) or fallback)
    if tag_it:
        git.create_tag(sandbox.clone, tag, "HEAD", message=f"rehearsal of {tag}")
        return f"clone of HEAD {head[:12]}, tagged {tag} there only"
    return f"clone of HEAD {head[:12]} at {tag}"


def tagship_argv(*args: str) -> list[str]:
    """The CLI as CI runs it: from the project's locked environment (`run_step` says which)."""
    return [uv_path(), "run", "--no-sync", "--no-config", "tagship", *args]


def run_step(
    argv: Sequence[str | Path],
    sandbox: Sandbox,
    *,
    timeout: float = STEP_TIMEOUT,
    tagship_env: Path | None = None,
    on_line: Callable[[str], None] | None = None,
    extra: Mapping[str, str] | None = None,
    loopback: bool = False,
) -> proc.Result:
    """Run one step's command in the clone, in its own process group (stopped whole on
    Ctrl-C), its stderr streamed to `on_line`; StepFailed (with its output) when it fails.
    `tagship_env` is the environment `uv run` takes tagship from. A `loopback` step talks
    only to the rehearsal's own indexes: uv's offline mode, which refuses loopback too,
    is lifted for it, so that a rehearsal works offline."""
    env = {**sandbox.child_env(), **(extra or {})}
    if tagship_env is not None:
        env["UV_PROJECT_ENVIRONMENT"] = str(tagship_env)
    unset = [name for name in FOREIGN_VARIABLES if name not in env]
    result = proc.run_group(
        argv,
        cwd=sandbox.clone,
        env=env,
        timeout=timeout,
        on_line=on_line,
        unset=[*unset, "UV_OFFLINE"] if loopback else unset,
    )
    if result.returncode != 0:
        text = result.stdout + result.stderr
        raise StepFailed(failure_line(text) or f"exit {result.returncode}", text)
    return result


def failure_line(text: str) -> str:
    """The line of a failed command's output that says what failed (pure).

    tagship's own commands end with `error: ...`; check and doctor print `FAIL <rule>`
    lines followed by their fix; other tools are best summed up by their last line.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    if errors:
        return errors[-1].removeprefix("error:").strip()
    fails = [line for line in lines if line.startswith("FAIL")]
    if fails:
        return fails[0]
    return lines[-1] if lines else ""


def uv_path() -> str:
    """The uv tagship runs its children with (its own, see `install.uv_bin`)."""
    from tagship.verify.install import uv_bin  # noqa: PLC0415 (packaging.tags is slow to import)

    return uv_bin()


def build_argv(sandbox: Sandbox) -> list[str | Path]:
    return [uv_path(), "build", "--no-config", "--out-dir", sandbox.dist]


def dists(sandbox: Sandbox) -> list[Path]:
    return sorted(p for p in sandbox.dist.iterdir() if p.name.endswith((".whl", ".tar.gz")))


def upload_argv(files: Sequence[Path], index: LocalIndex) -> list[str | Path]:
    """`uv publish` with the real upload protocol; `--check-url` makes a rerun after an
    interrupted upload skip the files already there instead of uploading them twice."""
    return [
        uv_path(),
        "publish",
        "--no-config",
        "--trusted-publishing",
        "never",
        "--publish-url",
        index.upload_url,
        "--check-url",
        index.url,
        # The rehearsal index has no accounts; uv still wants a pair to send.
        "--username",
        "rehearse",
        "--password",
        "rehearse",
        *files,
    ]


def ci_differences(
    release: Release, cfg: Config, index: LocalIndex, version: str, pythons: Pythons | None
) -> dict[str, tuple[str, str]]:
    """For each step that truly differs in CI: (what the rehearsal did, what CI does)."""
    channel = release.channel
    real = cfg.tagship.indexes[channel]
    environment = cfg.tagship.environment(channel)
    publish = (
        f"pypa/gh-action-pypi-publish to {real.upload_url} with Trusted Publishing "
        f"(OIDC, no token) and PEP 740 attestations, in the GitHub environment '{environment}'"
    )
    prerelease = " --prerelease" if release.prerelease else ""
    differences = {
        "runner": (
            "a clone of HEAD on this machine",
            "actions/checkout of the pushed tag (fetch-depth: 0) on a fresh ubuntu-latest runner",
        ),
        "cache": (
            "uv sync --locked and uv build with your (warm) uv cache",
            "the same commands without any cache (enable-cache: false)",
        ),
        "index": (f"a local pypiserver at {index.url}", f"the {channel} index, {real.url}"),
        "upload": (
            f"uv publish to {index.upload_url}",
            publish,
        ),
        "verify": (
            f"tagship verify {version} --index {index.url}",
            f"tagship verify {version} --index {channel}",
        ),
        "notes": (
            f"tagship notes {release.tag}",
            f"gh release create {release.tag} --notes-file notes.md{prerelease} dist/*",
        ),
    }
    if pythons is not None and pythons.skipped:
        here = ", ".join(minor for minor, _ in pythons.gates) or "none"
        differences["pythons"] = (
            f"the gates on Python {here} (not installed here: {', '.join(pythons.skipped)})",
            "the gates on every Python the project supports (a matrix job each)",
        )
    return differences
