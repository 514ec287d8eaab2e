"""What one run of `check` looks at: a release tag, its commit, and how check was called."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tagship.checks.facts import RepoFacts, read
from tagship.config import Config
from tagship.release import Release


@dataclass(frozen=True)
class Target:
    """One release being checked."""

    root: Path
    """The repository's top level."""
    config: Config
    tag: str
    """The tag as git spells it (it does not exist yet with --pre-bump)."""
    release: Release | None
    """The tag classified; None when it is not a release tag (the tag-format rule says why)."""
    commit: str | None
    """The tagged commit (HEAD with --pre-bump); None when the tag does not exist."""
    pre_bump: bool = False
    """Run from commitizen's pre_bump_hooks: the tag and its commit are about to be made."""
    pushing: bool = False
    """Run from a pre-push hook: the release branch may be on its way to the remote too."""
    allowed_changes: tuple[str, ...] = ()
    """Paths that may differ from HEAD (the changelog cz just wrote, the --dist folder)."""
    remote: str | None = None
    """The remote being pushed to (pre-push); its copy of the release branch is the one."""
    facts: RepoFacts | None = None
    """The repository, read once for every rule (read on first use when not given)."""

    @property
    def repo(self) -> RepoFacts:
        if self.facts is None:  # read once, then kept: every rule asks
            object.__setattr__(self, "facts", read(self.root))
        assert self.facts is not None  # noqa: S101 (set just above)
        return self.facts
