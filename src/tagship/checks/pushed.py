"""What a pre-push hook run is about: pre-commit's variables, the `git push` command line,
git's own hook input (all pure).

pre-commit (4.x, `hook_impl._pre_push_ns`) runs the pre-push stage once, for the first
pushed ref that brings new commits, and exports PRE_COMMIT_LOCAL_BRANCH and
PRE_COMMIT_REMOTE_BRANCH (the ref names of that line) and PRE_COMMIT_TO_REF (its new
commit, unless the push contains the root commit). A ref already on the remote and a
tag-only push of a pushed commit run no hook at all: CI repeats the check for that.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import NamedTuple
else:
    from tagship.records import NamedTuple

HOOK_VARIABLES = ("PRE_COMMIT_REMOTE_BRANCH", "PRE_COMMIT_TO_REF")


class Pushed(NamedTuple):
    """What the hook run pushes: a tag by name, or a commit whose tags are checked."""

    tag: str | None
    rev: str | None


def from_hook(environ: Mapping[str, str]) -> Pushed | None:
    """The pushed tag or commit, or None when not run by a pre-push hook."""
    if not any(environ.get(name) for name in HOOK_VARIABLES):
        return None
    remote = environ.get("PRE_COMMIT_REMOTE_BRANCH", "")
    if remote.startswith("refs/tags/"):
        return Pushed(tag=remote.removeprefix("refs/tags/"), rev=None)
    rev = environ.get("PRE_COMMIT_TO_REF") or environ.get("PRE_COMMIT_LOCAL_BRANCH") or None
    return Pushed(tag=None, rev=rev)


# ---- what a `git push` carries, from its command line or git's hook input (pure) -----------

ZERO = frozenset({"0" * 40, "0" * 64})
# git's global options that take the next argument as their value.
_GIT_VALUE_OPTIONS = frozenset(
    {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"}
)
# `git push` options that may take the next argument as their value.
_PUSH_VALUE_OPTIONS = frozenset({"-o", "--push-option", "--repo", "--receive-pack", "--exec"})
_ALL_BRANCHES = frozenset({"--all", "--branches"})


class PushArgs(NamedTuple):
    """What a `git push` command line asks for."""

    remote: str | None
    """The repository argument (a remote name or a URL), if given."""
    refspecs: tuple[str, ...]
    all_branches: bool = False
    """`--all` / `--branches`."""
    tags: bool = False
    """`--tags`."""
    mirror: bool = False
    delete: bool = False
    """`--delete`: every refspec removes a remote ref; nothing new is pushed."""
    config: tuple[str, ...] = ()
    """`git -c KEY=VALUE` given before `push`."""

    @property
    def default_push(self) -> bool:
        """No refspec and no flag naming refs: push.default and remote.*.push decide."""
        return not (self.refspecs or self.all_branches or self.tags or self.mirror)


# Facts here are NamedTuples, not dataclasses: this module is on the path of every cached
# push, and `dataclasses` costs its import (with `inspect`) and code compiled at each start;
# `tagship.records` gives them typing's syntax without importing `typing`.


def _subcommand(argv: list[str]) -> tuple[str | None, list[str], tuple[str, ...]]:
    """(subcommand, its arguments, `-c` values) of a git command line."""
    args = argv[1:]
    config: list[str] = []
    while args and args[0].startswith("-"):
        option = args.pop(0)
        if option in _GIT_VALUE_OPTIONS and args:
            value = args.pop(0)
            if option == "-c":
                config.append(value)
    return (args[0] if args else None), args[1:], tuple(config)


def parse_push_argv(argv: list[str]) -> PushArgs | None:
    """A `git push` command line read; None when `argv` is not one (an alias, another
    command): the caller must then assume any ref may be pushed."""
    if not argv or argv[0].rsplit("/", 1)[-1].removesuffix(".exe") != "git":
        return None
    command, args, config = _subcommand(argv)
    if command != "push":
        return None
    flags: set[str] = set()
    positional: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "--":
            positional += args
            break
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
        elif arg in _PUSH_VALUE_OPTIONS and args:
            args.pop(0)
        elif arg.startswith("--"):
            flags.add(arg.partition("=")[0])
        else:  # bundled short flags: -uf, -d
            flags.update(f"-{letter}" for letter in arg[1:])
    return PushArgs(
        remote=positional[0] if positional else None,
        refspecs=tuple(positional[1:]),
        all_branches=bool(flags & _ALL_BRANCHES),
        tags="--tags" in flags,
        mirror="--mirror" in flags,
        delete=bool(flags & {"-d", "--delete"}),
        config=config,
    )


def refspec_source(refspec: str) -> str | None:
    """The local side of a refspec (`+main:refs/heads/x` -> `main`); None for a deletion."""
    spec = refspec.removeprefix("+")
    source = spec.partition(":")[0] if ":" in spec else spec
    return source or None


def refspec_destination(refspec: str) -> str:
    spec = refspec.removeprefix("+")
    return spec.partition(":")[2] if ":" in spec else spec


class RefUpdate(NamedTuple):
    """One line of git's pre-push input: a local ref and the remote ref it updates."""

    local_ref: str
    local_sha: str
    remote_ref: str
    remote_sha: str


def parse_hook_input(text: str) -> list[RefUpdate]:
    """git's pre-push stdin (`<local ref> <local sha> <remote ref> <remote sha>` lines); a
    deletion (local sha all zeros) pushes nothing and is left out."""
    updates = []
    for line in text.splitlines():
        parts = line.rsplit(maxsplit=3)
        if len(parts) == 4 and parts[1] not in ZERO:
            updates.append(RefUpdate(*parts))
    return updates
