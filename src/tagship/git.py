"""Every git query tagship makes: small functions returning Python values.

Tag names and revisions are always passed as argv items after `--` or as option
values, never through a shell.

Queries run through `proc.query` with `git -C`, and `pathlib` is imported only by the
functions that return a Path: a cached push asks git twice and imports neither `pathlib`
nor `subprocess` (see commands/prepush.py).
"""

from __future__ import annotations

import os

from tagship import proc
from tagship.errors import FatalError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from tagship.proc import StrPath


def _path(text: str) -> Path:
    from pathlib import Path  # noqa: PLC0415 (see the docstring)

    return Path(text)


class NotARepository(FatalError):
    """The directory is not inside a git work tree."""


def _git(cwd: StrPath, *args: str, check: bool = True) -> proc.Result:
    return proc.query(["git", "-C", os.fspath(cwd), *args], check=check)


def _z(output: str) -> list[str]:
    return [item for item in output.split("\0") if item]


def toplevel(cwd: StrPath) -> Path:
    result = _git(cwd, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise NotARepository(
            f"{cwd} is not inside a git repository; run tagship from your project's checkout"
        )
    return _path(result.stdout.strip())


def common_dir(cwd: StrPath) -> Path:
    """The directory shared by all worktrees (`.git` of the main checkout)."""
    out = _git(cwd, "rev-parse", "--path-format=absolute", "--git-common-dir").stdout
    return _path(out.strip())


def common_dir_at_top(top: StrPath) -> str | None:
    """`common_dir` of a work tree's top directory, read from its `.git` entry as git does
    (gitrepository-layout: a directory, or a `gitdir:` file whose target may hold a
    `commondir` file); None when `top` has no `.git` entry. A hook saves a process."""
    dot_git = os.path.join(top, ".git")
    try:
        if os.path.isdir(dot_git):
            git_dir = dot_git
        else:
            text = _read(dot_git)
            if not text.startswith("gitdir: "):
                return None
            git_dir = os.path.join(top, text.removeprefix("gitdir: ").strip())
        common = os.path.join(git_dir, "commondir")
        if os.path.isfile(common):
            return os.path.realpath(os.path.join(git_dir, _read(common).strip()))
        return os.path.realpath(git_dir)
    except OSError:
        return None


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as file:
        return file.read()


def rev_parse(cwd: StrPath, rev: str) -> str | None:
    """The full commit id `rev` points to, or None when it names no commit."""
    result = _git(
        cwd,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{rev}^{{commit}}",
        check=False,
    )
    return result.stdout.strip() or None if result.returncode == 0 else None


def head(cwd: StrPath) -> str | None:
    """The commit at HEAD, or None in a repository with no commit yet."""
    return rev_parse(cwd, "HEAD")


def tags(cwd: StrPath) -> list[str]:
    """Every tag name in the repository."""
    return _git(cwd, "tag", "--list").stdout.splitlines()


def tags_at(cwd: StrPath, rev: str) -> list[str]:
    """The tags that point (directly or through an annotated tag) at `rev`."""
    return _git(cwd, "tag", "--list", "--points-at", rev).stdout.splitlines()


def tag_commits(cwd: StrPath) -> dict[str, str]:
    """Each tag mapped to the commit it points at, in one call."""
    out = _git(
        cwd,
        "for-each-ref",
        "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)",
        "refs/tags",
    ).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, obj, peeled = line.split("\0")
        found[name] = peeled or obj
    return found


def is_shallow(cwd: StrPath) -> bool:
    return _git(cwd, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"


def status_codes(cwd: StrPath) -> list[tuple[str, str]]:
    """(XY status code, path) of every changed and untracked path (not ignored)."""
    out = _git(cwd, "status", "--porcelain=v1", "-z", "--untracked-files=normal").stdout
    found: list[tuple[str, str]] = []
    skip = False
    for entry in _z(out):
        if skip:  # the source path of a rename follows its target
            skip = False
            continue
        found.append((entry[:2], entry[3:]))
        skip = entry[0] in "RC"
    return found


def remove_untracked(cwd: StrPath, *, keep: tuple[str, ...] = ()) -> None:
    """Delete the untracked files git does not ignore (what a run left), except `keep`."""
    excludes = [f"--exclude=/{path}" for path in keep]
    _git(cwd, "clean", "-ffdq", *excludes)


def status_porcelain(cwd: StrPath) -> list[str]:
    """Changed and untracked paths (not ignored), one entry per path."""
    out = _git(cwd, "status", "--porcelain=v1", "-z", "--untracked-files=normal").stdout
    entries = _z(out)
    paths: list[str] = []
    skip = False
    for entry in entries:
        if skip:  # the source path of a rename follows its target
            skip = False
            continue
        paths.append(entry[3:])
        skip = entry[0] in "RC"
    return paths


def is_ancestor(cwd: StrPath, ancestor: str, descendant: str) -> bool:
    result = _git(cwd, "merge-base", "--is-ancestor", ancestor, descendant, check=False)
    return result.returncode == 0


def branch_exists(cwd: StrPath, ref: str) -> bool:
    result = _git(cwd, "show-ref", "--verify", "--quiet", ref, check=False)
    return result.returncode == 0


def remotes(cwd: StrPath) -> list[str]:
    return _git(cwd, "remote").stdout.split()


def remote_url(cwd: StrPath, remote: str = "origin") -> str | None:
    result = _git(cwd, "remote", "get-url", "--", remote, check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def ls_tree(cwd: StrPath, rev: str, pathspecs: list[str] | None = None) -> dict[str, str]:
    """Path -> blob id for every file of `rev` matching `pathspecs`, without reading files."""
    args = ["ls-tree", "-r", "-z", "--full-tree", rev]
    if pathspecs:
        args += ["--", *pathspecs]
    found: dict[str, str] = {}
    for entry in _z(_git(cwd, *args).stdout):
        meta, path = entry.split("\t", 1)
        found[path] = meta.split()[2]
    return found


def create_tag(cwd: StrPath, name: str, rev: str = "HEAD", *, message: str | None = None) -> None:
    """An annotated tag (a lightweight one only when message is None and annotated is off)."""
    _git(cwd, "tag", "--annotate", f"--message={message or name}", "--end-of-options", name, rev)


def clone_like_ci(source: Path, dest: Path, commit: str) -> None:
    """A clone of `source` in `dest` with every branch and tag, detached at `commit`.

    The same shape as actions/checkout with `fetch-depth: 0`: init, fetch all heads and
    tags, check out the commit. `HEAD` is fetched too, so a detached HEAD that no branch
    contains is still there. Nothing in `source` is written (a fetch only reads).
    """
    dest.mkdir(parents=True, exist_ok=True)
    _git(dest, "init", "--quiet")
    _git(dest, "remote", "add", "origin", str(source))
    _git(
        dest,
        "fetch",
        "--quiet",
        "--no-recurse-submodules",
        "origin",
        "+refs/heads/*:refs/remotes/origin/*",
        "+refs/tags/*:refs/tags/*",
        "HEAD",
    )
    _git(dest, "checkout", "--quiet", "--detach", commit)


def update_ref(cwd: StrPath, ref: str, commit: str) -> None:
    _git(cwd, "update-ref", "--", ref, commit)


def branch_here(cwd: StrPath, branch: str) -> None:
    """Create (or reset) `branch` at HEAD and switch to it."""
    _git(cwd, "checkout", "--quiet", "-B", branch, "--")


def config_value(cwd: StrPath, key: str) -> str | None:
    result = _git(cwd, "config", "--get", key, check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def set_config(cwd: StrPath, key: str, value: str) -> None:
    _git(cwd, "config", "--local", key, value)


def describe(cwd: StrPath, args: list[str], rev: str | None = None) -> str | None:
    """`git describe ARGS [REV]` output, or None when no tag matches (git exits non-zero)."""
    tail = ["--end-of-options", rev] if rev else []
    result = _git(cwd, "describe", *args, *tail, check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def count_commits(cwd: StrPath, rev: str) -> int:
    return int(_git(cwd, "rev-list", "--count", "--end-of-options", rev).stdout.strip())


def current_branch(cwd: StrPath) -> str | None:
    """The checked-out branch (`main`), or None on a detached HEAD."""
    result = _git(cwd, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def refs(cwd: StrPath, prefix: str) -> list[str]:
    """Every ref name under `prefix` (such as `refs/remotes/`), in one call."""
    return _git(cwd, "for-each-ref", "--format=%(refname)", prefix).stdout.splitlines()


def file_at(cwd: StrPath, rev: str, path: str) -> str | None:
    """The text of `path` in commit `rev`, or None when it has no such file."""
    result = _git(cwd, "cat-file", "blob", f"{rev}:{path}", check=False)
    return result.stdout if result.returncode == 0 else None


def commit_paths(cwd: StrPath, message: str, paths: list[Path]) -> None:
    """Commit exactly `paths` (new ones added first), skipping hooks: tagship's own commit."""
    names = [str(path) for path in paths]
    _git(cwd, "add", "--", *names)
    _git(cwd, "commit", "--quiet", "--no-verify", f"--message={message}", "--", *names)


def hooks_dir(cwd: StrPath) -> Path:
    """Where git looks for hooks (core.hooksPath honoured)."""
    out = _git(cwd, "rev-parse", "--path-format=absolute", "--git-path", "hooks").stdout
    return _path(out.strip())


_EMPTY_TREES = {
    40: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    64: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
}


def empty_tree(cwd: StrPath, like: str | None = None) -> str:
    """The id of the empty tree in this repository's object format (sha1 or sha256); known
    without a process when `like` is an object id of the same repository."""
    if like is not None and len(like) in _EMPTY_TREES:
        return _EMPTY_TREES[len(like)]
    out = proc.run(["git", "hash-object", "-t", "tree", "--stdin"], cwd=cwd, stdin="").stdout
    return out.strip()


def tree_blobs(cwd: StrPath, rev: str, pathspecs: list[str]) -> dict[str, str]:
    """Path -> blob id for the files of `rev` matching git pathspecs (globs and `:!` too).

    `ls-tree` takes only literal prefixes; a diff of the empty tree against `rev` takes full
    pathspec magic and still reads no file contents.
    """
    empty = empty_tree(cwd, rev if len(rev) in _EMPTY_TREES else None)
    args = ["diff-tree", "-r", "-z", "--no-renames", empty, rev, "--", *pathspecs]
    entries = _z(_git(cwd, *args).stdout)
    # Each entry is ':000000 100644 <zeros> <blob> A' followed by its path.
    return {path: meta.split()[3] for meta, path in zip(entries[::2], entries[1::2], strict=True)}


def read_text(cwd: StrPath, rev: str, path: str) -> str:
    """The contents of text file `path` in commit `rev`."""
    return _git(cwd, "cat-file", "blob", f"{rev}:{path}").stdout


def worktree_add(cwd: StrPath, path: Path, rev: str, *, reason: str | None = None) -> None:
    """A detached checkout of `rev` at `path`, sharing this repository's objects; locked
    with `reason` when given (so that its owner can be told from other worktrees)."""
    lock = ["--lock", f"--reason={reason}"] if reason else []
    _git(cwd, "worktree", "add", "--detach", "--quiet", *lock, "--", str(path), rev)


def worktree_remove(cwd: StrPath, path: Path) -> None:
    """Remove a worktree made by `worktree_add` (and git's record of it), even if edited or
    locked (`--force` twice)."""
    _git(cwd, "worktree", "remove", "--force", "--force", "--", str(path), check=False)
    _git(cwd, "worktree", "prune")


def remote_head(cwd: StrPath, remote: str = "origin") -> str | None:
    """The branch `remote`'s HEAD names (`main` for refs/remotes/origin/HEAD -> origin/main)."""
    ref = f"refs/remotes/{remote}/HEAD"
    result = _git(cwd, "symbolic-ref", "--quiet", "--short", ref, check=False)
    name = result.stdout.strip() if result.returncode == 0 else ""
    return name.removeprefix(f"{remote}/") or None


def where(cwd: StrPath) -> tuple[Path, bool, str | None, str | None]:
    """The top level, shallowness, HEAD's commit and HEAD's branch ref, in one call.

    The branch is None on a detached HEAD; the commit is None before the first commit.
    """
    args = ["rev-parse", "--show-toplevel", "--is-shallow-repository"]
    result = _git(cwd, *args, "HEAD", "--symbolic-full-name", "HEAD", check=False)
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) != 4:
        top = toplevel(cwd)  # not a repository: the one-line error; else no commit yet
        branch = _git(top, "symbolic-ref", "--quiet", "HEAD", check=False).stdout.strip()
        return top, is_shallow(top), None, branch or None
    folder, shallow, commit, branch = lines
    return _path(folder), shallow == "true", commit, None if branch == "HEAD" else branch


def ref_table(cwd: StrPath) -> list[tuple[str, str, bool, str, int]]:
    """(ref, the commit it points at, annotated?, its upstream ref, the commit's date) for
    every tag and branch, in one call."""
    fields = "%(refname) %(objectname) %(*objectname) %(upstream) %(committerdate:unix)"
    out = _git(
        cwd,
        "for-each-ref",
        "--format=" + fields.replace(" ", "%00") + "%00%(*committerdate:unix)",
        "refs/tags/",
        "refs/heads/",
        "refs/remotes/",
    ).stdout
    table: list[tuple[str, str, bool, str, int]] = []
    for line in out.splitlines():
        ref, obj, peeled, upstream, date, peeled_date = line.split("\0")
        stamp = peeled_date or date
        table.append((ref, peeled or obj, bool(peeled), upstream, int(stamp) if stamp else 0))
    return table


def refs_containing(cwd: StrPath, commit: str, patterns: list[str]) -> list[str]:
    """The refs among `patterns` whose history contains `commit`, in one call."""
    args = ["for-each-ref", f"--contains={commit}", "--format=%(refname)", *patterns]
    return _git(cwd, *args).stdout.splitlines()


def changed_paths(cwd: StrPath, old: str, new: str) -> list[str]:
    """The paths whose content differs between two commits."""
    args = ["diff-tree", "-r", "-z", "--no-renames", "--name-only", old, new]
    return _z(_git(cwd, *args).stdout)


def worktrees(cwd: StrPath) -> list[tuple[str, str | None]]:
    """(path, lock reason or None) of every worktree but the main one."""
    out = _git(cwd, "worktree", "list", "--porcelain", "-z").stdout
    found: list[tuple[str, str | None]] = []
    for record in out.split("\0\0"):
        fields = [f for f in record.split("\0") if f]
        if not fields or not fields[0].startswith("worktree "):
            continue
        lock = next((f for f in fields if f == "locked" or f.startswith("locked ")), None)
        found.append((fields[0][9:], None if lock is None else lock[7:]))
    return found[1:]


def worktree_state(cwd: StrPath) -> tuple[list[str], list[str]]:
    """(changed or untracked paths, ignored paths) of the work tree, in one call.

    An ignored directory is one entry ending in `/`, its contents unlisted."""
    args = ["status", "--porcelain=v1", "-z", "--untracked-files=normal", "--ignored=matching"]
    changed: list[str] = []
    ignored: list[str] = []
    skip = False
    for entry in _z(_git(cwd, *args).stdout):
        if skip:  # the source path of a rename follows its target
            skip = False
            continue
        (ignored if entry.startswith("!!") else changed).append(entry[3:])
        skip = entry[0] in "RC"
    return changed, ignored


def hidden_from_status(cwd: StrPath) -> list[str]:
    """Tracked paths whose work-tree edits `git status` does not show: marked
    `--assume-unchanged` (a lowercase tag in `ls-files -v`) or `--skip-worktree` (`S`)."""
    entries = _z(_git(cwd, "ls-files", "-v", "-z").stdout)
    return [e[2:] for e in entries if e[:1].islower() or e[:1] == "S"]


def ref_commits(
    cwd: StrPath, prefixes: tuple[str, ...] = ("refs/heads", "refs/tags")
) -> dict[str, str]:
    """Each full ref name under `prefixes` mapped to its commit (tags peeled), in one call."""
    out = _git(
        cwd, "for-each-ref", "--format=%(refname)%00%(objectname)%00%(*objectname)", *prefixes
    ).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, obj, peeled = line.split("\0")
        found[name] = peeled or obj
    return found


def has_new_commits(cwd: StrPath, commit: str, remote: str) -> bool:
    """Whether `commit` has history that no remote-tracking ref of `remote` holds."""
    args = ["rev-list", "--max-count=1", commit, "--not", f"--remotes={remote}"]
    return bool(_git(cwd, *args, check=False).stdout.strip())


def new_commits_on_branches(cwd: StrPath, remote: str) -> set[str]:
    """The commits of local branches that no remote-tracking ref of `remote` holds."""
    return set(_git(cwd, "rev-list", "--branches", "--not", f"--remotes={remote}").stdout.split())


def config_matching(cwd: StrPath, pattern: str) -> list[tuple[str, str]]:
    """(key, value) of every configuration entry whose key matches the regex `pattern`."""
    result = _git(cwd, "config", "--null", "--get-regexp", pattern, check=False)
    pairs = []
    for entry in _z(result.stdout):
        key, _, value = entry.partition("\n")
        pairs.append((key, value))
    return pairs


def restore_from_head(cwd: StrPath, path: str) -> None:
    """Put the work tree's copy of `path` back as HEAD has it, byte for byte."""
    _git(cwd, "restore", "--source=HEAD", "--worktree", "--", path)
