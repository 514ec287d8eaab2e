"""Which refs a `git push` carries, as seen from a pre-push hook that pre-commit or prek runs.

Both runners read git's pre-push input themselves and hand the hook only the first ref with
new commits (PRE_COMMIT_TO_REF, PRE_COMMIT_LOCAL_BRANCH, PRE_COMMIT_REMOTE_BRANCH); the
hook's stdin is empty. The push's own command line is still there: the hook is a
descendant of the `git push` process. So the refs come from, in order:

1. git's pre-push input, when tagship runs as the git hook itself (stdin has ref lines);
2. the `git push` command line of the nearest ancestor process, read from /proc (or `ps`),
   with its refspecs, `--all`, `--mirror`, `--tags`; a push with no refspec pushes what
   `push.default` says, which is the one ref the runner names, unless the configuration
   says `matching` or sets `remote.<name>.push`;
3. when that command line cannot be read or understood (an alias, another tool driving
   git): every local branch with commits that the remote's tracking refs lack, so that no
   pushed ref goes ungated (a few unpushed ones may be gated too).

Tags checked: the tags named by a refspec, and the tags that point at a gated commit.
"""

from __future__ import annotations

import os

from tagship import git
from tagship.checks.pushed import (
    PushArgs,
    parse_hook_input,
    parse_push_argv,
    refspec_destination,
    refspec_source,
)

# Only the interpreter's own modules here and in what this imports (no `re`, `pathlib`,
# `typing`): every cached push runs this module (see commands/prepush.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import NamedTuple

    from tagship.proc import StrPath
else:
    from tagship.records import NamedTuple

_MAX_DEPTH = 12


class PushedRef(NamedTuple):
    """A ref the push updates with new commits: gated."""

    name: str
    commit: str


class Push(NamedTuple):
    """What one pre-push run must gate and check."""

    refs: tuple[PushedRef, ...]
    tags: tuple[str, ...]
    """Tags named by the push itself (more are found at the gated commits)."""
    how: str
    """Where the refs came from, for the user and the tests."""
    known_refs: Mapping[str, str] | None = None
    """Every branch and tag with its commit, when finding the refs needed them: then the
    tags at the gated commits are known without another git process."""

    def tags_at(self, commit: str) -> list[str] | None:
        if self.known_refs is None:
            return None
        tags = (n for n, c in self.known_refs.items() if c == commit)
        return [n.removeprefix("refs/tags/") for n in tags if n.startswith("refs/tags/")]


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _proc_parent(pid: int) -> tuple[int, list[str]] | None:
    try:
        stat = _read_bytes(f"/proc/{pid}/stat").decode("utf-8", "replace")
        raw = _read_bytes(f"/proc/{pid}/cmdline")
    except OSError:
        return None
    parent = int(stat.rpartition(")")[2].split()[1])
    return parent, [arg.decode("utf-8", "replace") for arg in raw.split(b"\0") if arg]


def _ps_parent(pid: int) -> tuple[int, list[str]] | None:
    # Without /proc (macOS, BSD) `ps` knows; its command column is space-joined, which is
    # enough to find `git push` and its refspecs unless one contains a space (git refuses).
    from tagship import proc  # noqa: PLC0415 (subprocess: not where /proc is)
    from tagship.errors import FatalError  # noqa: PLC0415

    try:
        result = proc.run(["ps", "-o", "ppid=", "-o", "command=", "-p", str(pid)], check=False)
    except FatalError:  # no `ps` (Windows): the command line stays unknown
        return None
    parent, _, command = result.stdout.strip().partition(" ")
    return (int(parent), command.split()) if parent.isdigit() else None


def push_command_line() -> list[str] | None:
    """The argv of the `git push` this process descends from, or None."""
    read = _proc_parent if os.path.exists("/proc/self/stat") else _ps_parent
    pid = os.getppid()
    for _ in range(_MAX_DEPTH):
        if pid <= 1:
            return None
        found = read(pid)
        if found is None:
            return None
        pid, argv = found
        if argv and argv[0].rsplit("/", 1)[-1].removesuffix(".exe") == "git":
            return argv
    return None


def may_push_more(text: str) -> bool:
    """Whether a git config file's text might set `push.default = matching`, a
    `remote.*.push` refspec, or include another file (pure; a false alarm only costs the
    one git process that asks git itself)."""
    lowered = text.lower()
    if "matching" in lowered or "[include" in lowered.replace(" ", "").replace("\t", ""):
        return True
    for line in lowered.splitlines():
        key = line.strip()
        if key.startswith("push") and key.removeprefix("push").lstrip().startswith("="):
            return True
    return False


def _config_files(common_dir: StrPath, environ: Mapping[str, str]) -> list[str]:
    home = os.path.expanduser(environ.get("HOME", "~"))
    xdg = environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    system = environ.get("GIT_CONFIG_SYSTEM")
    systems = [system] if system else list(_SYSTEM_CONFIGS)
    glob = environ.get("GIT_CONFIG_GLOBAL")
    globals_ = (
        [glob] if glob else [os.path.join(home, ".gitconfig"), os.path.join(xdg, "git", "config")]
    )
    local = [os.path.join(common_dir, name) for name in ("config", "config.worktree")]
    return [*systems, *globals_, *local]


_SYSTEM_CONFIGS = ("/etc/gitconfig", "/usr/local/etc/gitconfig", "/opt/homebrew/etc/gitconfig")


def config_may_push_more(common_dir: StrPath, environ: Mapping[str, str]) -> bool:
    """Whether git's configuration could make a refspec-less push carry more than one
    branch. A scan of the files' text, no process: only a hit asks git itself."""
    if environ.get("GIT_CONFIG_PARAMETERS") or environ.get("GIT_CONFIG_COUNT"):
        return True
    for path in _config_files(common_dir, environ):
        try:
            text = _read_bytes(path).decode("utf-8", "replace")
        except OSError:
            continue
        if may_push_more(text):
            return True
    return False


def _pushes_more(root: StrPath, remote: str, args: PushArgs, common_dir: StrPath) -> bool:
    if any("push" in item.lower() for item in args.config):
        return True
    if not config_may_push_more(common_dir, os.environ):
        return False
    import re  # noqa: PLC0415 (only a configuration that may push more pays)

    pattern = rf"^(push\.default|remote\.{re.escape(remote)}\.push)$"
    for key, value in git.config_matching(root, pattern):
        if key.endswith(".push") or value == "matching":
            return True
    return False


def _resolve(name: str, refs: Mapping[str, str], root: StrPath) -> tuple[str, str] | None:
    """(full ref name or the name itself, commit) of a refspec's source."""
    for full in (name, f"refs/heads/{name}", f"refs/tags/{name}"):
        if full in refs:
            return full, refs[full]
    commit = git.rev_parse(root, name)
    return (name, commit) if commit else None


def _from_refspecs(
    root: StrPath, args: PushArgs, refs: Mapping[str, str]
) -> tuple[list[PushedRef], list[str]]:
    wanted: list[PushedRef] = []
    tags: list[str] = []
    if args.all_branches or args.mirror:
        wanted += [PushedRef(n, c) for n, c in refs.items() if n.startswith("refs/heads/")]
    if args.tags or args.mirror:
        wanted += [PushedRef(n, c) for n, c in refs.items() if n.startswith("refs/tags/")]
    for spec in args.refspecs:
        source = refspec_source(spec)
        if source is None:  # `:dst` deletes
            continue
        if "*" in source:  # a glob refspec: every ref it matches
            prefix, _, suffix = source.partition("*")
            full = [n for n in refs if n.startswith(prefix) and n.endswith(suffix)]
            wanted += [PushedRef(n, refs[n]) for n in full]
            continue
        resolved = _resolve(source, refs, root)
        if resolved is None:
            continue  # git itself refuses the push: "src refspec does not match any"
        name, commit = resolved
        wanted.append(PushedRef(name, commit))
        if name.startswith("refs/tags/") or refspec_destination(spec).startswith("refs/tags/"):
            tags.append(name.removeprefix("refs/tags/"))
    return wanted, tags


def _every_new_branch(root: StrPath, remote: str) -> list[PushedRef]:
    new = git.new_commits_on_branches(root, remote)
    refs = git.ref_commits(root, ("refs/heads",))
    return [PushedRef(name, commit) for name, commit in refs.items() if commit in new]


def _named(root: StrPath, environ: Mapping[str, str]) -> PushedRef | None:
    """The ref the hook runner names (the first one with new commits)."""
    name = environ.get("PRE_COMMIT_REMOTE_BRANCH") or environ.get("PRE_COMMIT_LOCAL_BRANCH", "")
    commit = environ.get("PRE_COMMIT_TO_REF") or None
    if commit is None and environ.get("PRE_COMMIT_LOCAL_BRANCH"):
        commit = git.rev_parse(root, environ["PRE_COMMIT_LOCAL_BRANCH"])
    return PushedRef(name or "HEAD", commit) if commit else None


def _unique(refs: list[PushedRef]) -> tuple[PushedRef, ...]:
    seen: dict[str, PushedRef] = {}
    for ref in refs:
        seen.setdefault(ref.commit, ref)
    return tuple(seen.values())


def _new_only(
    root: StrPath, refs: list[PushedRef], remote: str, known: str | None
) -> list[PushedRef]:
    return [r for r in refs if r.commit == known or git.has_new_commits(root, r.commit, remote)]


def _named_tags(named: PushedRef | None) -> tuple[str, ...]:
    if named is None or not named.name.startswith("refs/tags/"):
        return ()
    return (named.name.removeprefix("refs/tags/"),)


def _only_the_named(args: PushArgs, named: PushedRef | None) -> bool:
    """One plain refspec and no ref flags: the runner named its ref (the hook runs only
    when some ref brings new commits, and there is one), so nothing is left to find."""
    if named is None or len(args.refspecs) != 1 or args.all_branches or args.tags:
        return False
    return not args.mirror and "*" not in args.refspecs[0]


def _by_refspecs(root: StrPath, args: PushArgs, named: PushedRef | None, remote: str) -> Push:
    base, tags = [named] if named else [], _named_tags(named)
    if _only_the_named(args, named):
        return Push(_unique(base), tags, "the one ref the push names")
    refs = git.ref_commits(root)
    wanted, named_by_spec = _from_refspecs(root, args, refs)
    fresh = _new_only(root, wanted, remote, named.commit if named else None)
    # `--tags` and `--mirror` offer every tag; git sends those the remote lacks, which only
    # git knows: the tags with new commits stand for them (the others: see the docstring).
    new_tags = [r.name.removeprefix("refs/tags/") for r in fresh if r.name.startswith("refs/tags/")]
    every_tag = tuple(dict.fromkeys(tags + tuple(named_by_spec) + tuple(new_tags)))
    return Push(_unique(base + fresh), every_tag, "the push's refspecs", refs)


def from_runner(root: StrPath, common_dir: StrPath, environ: Mapping[str, str]) -> Push:
    """The push a pre-commit or prek pre-push run is part of."""
    named = _named(root, environ)
    remote = environ.get("PRE_COMMIT_REMOTE_NAME", "origin")
    base, tags = [named] if named else [], _named_tags(named)
    argv = push_command_line()
    args = parse_push_argv(argv) if argv else None
    if args is None:
        extra = _every_new_branch(root, remote)
        return Push(_unique(base + extra), tags, "every branch not on the remote")
    if args.delete:
        return Push(_unique(base), tags, "a delete: only the named ref")
    if not args.default_push:
        return _by_refspecs(root, args, named, remote)
    if _pushes_more(root, remote, args, common_dir):
        extra = _every_new_branch(root, remote)
        return Push(_unique(base + extra), tags, "push.default or remote.push")
    return Push(_unique(base), tags, "the one ref push.default pushes")


def from_hook_input(root: StrPath, remote: str, text: str) -> Push:
    """The push git describes on a pre-push hook's stdin (tagship run as the hook itself)."""
    updates = parse_hook_input(text)
    refs = [PushedRef(u.local_ref, u.local_sha) for u in updates]
    tags = [
        u.remote_ref.removeprefix("refs/tags/")
        for u in updates
        if u.remote_ref.startswith("refs/tags/")
    ]
    return Push(_unique(_new_only(root, refs, remote, None)), tuple(tags), "git's hook input")
