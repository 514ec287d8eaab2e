"""What `check` knows about the repository, read once: a few git processes, not one per rule.

A check in a repository of 100,000 commits and 10,000 tags must cost what the tags cost:
every ref comes from one `for-each-ref`, HEAD and the top level from one `rev-parse`,
and the refs that contain a tagged commit from one `for-each-ref --contains` (git walks
only the history newer than that commit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from packaging.version import Version

from tagship import git
from tagship.versions import TagFormat, release_tags


@dataclass(frozen=True)
class RepoFacts:
    """The repository's state at the start of the check."""

    root: Path
    shallow: bool
    head: str | None
    """HEAD's commit; None before the first commit."""
    branch: str | None
    """HEAD's branch (`main`); None on a detached HEAD."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tag name -> the commit it points at (annotated tags peeled)."""
    branches: Mapping[str, str] = field(default_factory=dict)
    """`refs/heads/...` and `refs/remotes/...` -> commit."""
    upstreams: Mapping[str, str] = field(default_factory=dict)
    """`refs/heads/X` -> its upstream ref, where one is configured."""
    annotated: frozenset[str] = frozenset()
    """The tags that are annotated (git describe without --tags sees only these)."""
    dates: Mapping[str, int] = field(default_factory=dict)
    """Commit -> its committer date, for every commit a ref points at."""
    _versions: dict[tuple[TagFormat, ...], dict[str, Version]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def release_tags(self, formats: tuple[TagFormat, ...]) -> dict[str, Version]:
        """The release tags and their versions (parsed once: there may be 10,000)."""
        if formats not in self._versions:
            self._versions[formats] = release_tags(list(self.tags), formats)
        return self._versions[formats]

    def tags_at(self, commit: str) -> list[str]:
        return [name for name, at in self.tags.items() if at == commit]

    def containing(self, commit: str, refs: tuple[str, ...]) -> frozenset[str]:
        """Which of `refs` (full names) have `commit` in their history (tags by name)."""
        return _containing(self.root, commit, refs) if refs else frozenset()

    def changed(self) -> tuple[str, ...]:
        """Changed and untracked paths of the work tree (asked once)."""
        return tuple(path for _, path in _status(self.root))

    def tracked_changes(self) -> bool:
        """Whether a tracked file differs from HEAD (what `git describe --dirty` sees)."""
        return any(code != "??" for code, _ in _status(self.root))


@cache
def _status(root: Path) -> tuple[tuple[str, str], ...]:
    return tuple(git.status_codes(root))


@cache
def _containing(root: Path, commit: str, refs: tuple[str, ...]) -> frozenset[str]:
    found = git.refs_containing(root, commit, list(refs))
    return frozenset(ref.removeprefix("refs/tags/") for ref in found)


def read(cwd: Path) -> RepoFacts:
    root, shallow, head, branch = git.where(cwd)
    tags: dict[str, str] = {}
    branches: dict[str, str] = {}
    upstreams: dict[str, str] = {}
    annotated: set[str] = set()
    dates: dict[str, int] = {}
    for ref, commit, is_annotated, upstream, date in git.ref_table(root) if head else []:
        if ref.startswith("refs/tags/"):
            tags[ref.removeprefix("refs/tags/")] = commit
            if is_annotated:
                annotated.add(ref.removeprefix("refs/tags/"))
        else:
            branches[ref] = commit
        if upstream:
            upstreams[ref] = upstream
        dates[commit] = date
    short = branch.removeprefix("refs/heads/") if branch else None
    return RepoFacts(
        root.resolve(),
        shallow,
        head,
        short,
        tags,
        branches,
        upstreams,
        frozenset(annotated),
        dates,
    )
