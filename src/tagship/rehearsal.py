"""The pieces of `tagship rehearse`: which tag, the throwaway clone, the CI steps.

Every step of the chain is the command the release workflow runs, started as a
subprocess in the clone (`python -m tagship gate --no-cache`, `uv build`, ...), so a
rehearsal exercises exactly what CI runs; only the index differs, and `ci_differences`
says how.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from tagship import git, proc
from tagship.config import Config
from tagship.errors import ConfigError, FatalError
from tagship.index import LocalIndex
from tagship.release import Release
from tagship.steps import StepFailed
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
        tmp = str(self.tmp)
        return {"TMPDIR": tmp, "TEMP": tmp, "TMP": tmp, "TAGSHIP_OFFLINE": "0"}

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
    if tag_it:
        # The clone has no identity when the user's is only in the repository's config.
        for key, fallback in (
            ("user.name", "tagship rehearse"),
            ("user.email", "rehearse@invalid"),
        ):
            if git.config_value(sandbox.clone, key) is None:
                git.set_config(sandbox.clone, key, git.config_value(root, key) or fallback)
        git.create_tag(sandbox.clone, tag, "HEAD", message=f"rehearsal of {tag}")
        return f"clone of HEAD {head[:12]}, tagged {tag} there only"
    return f"clone of HEAD {head[:12]} at {tag}"


def tagship_argv(*args: str) -> list[str]:
    """The CLI, as CI runs it, on the interpreter running this rehearsal."""
    return [sys.executable, "-m", "tagship", *args]


def run_step(
    argv: Sequence[str | Path], sandbox: Sandbox, *, timeout: float = STEP_TIMEOUT
) -> proc.Result:
    """Run one step's command in the clone; StepFailed (with its output) when it fails."""
    result = proc.run(
        argv, cwd=sandbox.clone, env=sandbox.child_env(), check=False, timeout=timeout
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


def _uv() -> str:
    from tagship.install import uv_bin  # noqa: PLC0415 (packaging.tags is slow to import)

    return uv_bin()


def build_argv(sandbox: Sandbox) -> list[str | Path]:
    return [_uv(), "build", "--no-config", "--out-dir", sandbox.dist]


def dists(sandbox: Sandbox) -> list[Path]:
    return sorted(p for p in sandbox.dist.iterdir() if p.name.endswith((".whl", ".tar.gz")))


def upload_argv(files: Sequence[Path], index: LocalIndex) -> list[str | Path]:
    """`uv publish` with the real upload protocol; `--check-url` makes a rerun after an
    interrupted upload skip the files already there instead of uploading them twice."""
    return [
        _uv(),
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
    release: Release, cfg: Config, index: LocalIndex, version: str
) -> dict[str, tuple[str, str]]:
    """For each step that differs in CI: (what the rehearsal did, what CI does)."""
    channel = release.channel
    real = cfg.tagship.indexes[channel]
    environment = cfg.tagship.environment(channel)
    prerelease = " --prerelease" if release.prerelease else ""
    publish = (
        f"pypa/gh-action-pypi-publish to {real.upload_url} with Trusted Publishing "
        f"(OIDC, no token) and PEP 740 attestations, in the GitHub environment '{environment}'"
    )
    github_release = (
        f"tagship notes {release.tag} --output notes.md, then gh release create "
        f"{release.tag} --notes-file notes.md{prerelease} dist/*"
    )
    return {
        "clone": (
            "a clone of HEAD in a temporary directory",
            "actions/checkout of the pushed tag with fetch-depth: 0",
        ),
        "index": (
            f"a local pypiserver at {index.url}",
            f"the {channel} index, {real.url}",
        ),
        "gate": (
            "tagship gate --no-cache with the tools on your PATH",
            "tagship gate --no-cache in the project's locked environment (uv sync --locked)",
        ),
        "build": (
            "uv build with your uv cache",
            "uv build on a fresh runner, without any cache (enable-cache: false)",
        ),
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
            github_release,
        ),
    }
