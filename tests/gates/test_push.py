"""Which refs a push carries: its command line (pure) and what the hook finds in git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship.checks.pushed import (
    PushArgs,
    RefUpdate,
    parse_hook_input,
    parse_push_argv,
    refspec_source,
)
from tagship.gates.push import config_may_push_more, from_hook_input, from_runner
from tests.helpers import commit, git, sample_project


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["git", "push"], PushArgs(None, ())),
        (["/usr/bin/git", "push", "--follow-tags"], PushArgs(None, ())),
        (
            ["git", "push", "origin", "main", "bad:refs/heads/bad2"],
            PushArgs("origin", ("main", "bad:refs/heads/bad2")),
        ),
        (
            ["git", "-C", "repo", "-c", "push.default=matching", "push", "-u", "origin"],
            PushArgs("origin", (), config=("push.default=matching",)),
        ),
        (
            ["git", "push", "-o", "ci.skip", "--repo", "up", "--all", "fork"],
            PushArgs("fork", (), all_branches=True),
        ),
        (["git", "push", "--mirror", "backup"], PushArgs("backup", (), mirror=True)),
        (["git", "push", "--tags", "origin"], PushArgs("origin", (), tags=True)),
        (["git", "push", "-fd", "origin", "old"], PushArgs("origin", ("old",), delete=True)),
        (["git", "push", "origin", "--", "-weird-branch"], PushArgs("origin", ("-weird-branch",))),
        (["git", "send", "origin"], None),  # an alias: git runs `git push` as a child
        (["git"], None),
        (["python", "push"], None),
        ([], None),
    ],
)
def test_parse_push_argv(argv: list[str], expected: PushArgs | None) -> None:
    assert parse_push_argv(argv) == expected


def test_default_push_is_a_push_without_refspecs_or_ref_flags() -> None:
    assert PushArgs("origin", ()).default_push
    assert not PushArgs("origin", ("main",)).default_push
    assert not PushArgs("origin", (), tags=True).default_push


@pytest.mark.parametrize(
    ("refspec", "source"),
    [("main", "main"), ("+main:refs/heads/x", "main"), (":gone", None), ("HEAD~1:x", "HEAD~1")],
)
def test_refspec_source(refspec: str, source: str | None) -> None:
    assert refspec_source(refspec) == source


def test_parse_hook_input_skips_deletions() -> None:
    sha, zero = "a" * 40, "0" * 40
    text = (
        f"refs/heads/main {sha} refs/heads/main {zero}\n"
        f"(delete) {zero} refs/heads/old {sha}\n"
        f"refs/tags/v1 {sha} refs/tags/v1 {zero}\n"
    )
    assert parse_hook_input(text) == [
        RefUpdate("refs/heads/main", sha, "refs/heads/main", zero),
        RefUpdate("refs/tags/v1", sha, "refs/tags/v1", zero),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[user]\n\tname = x\n", False),
        ("[push]\n\tdefault = matching\n", True),
        ('[remote "origin"]\n\tpush = refs/heads/*\n', True),
        ("[include]\n\tpath = other\n", True),
        ("[push]\n\tfollowTags = true\n", False),
    ],
)
def test_config_may_push_more(tmp_path: Path, text: str, expected: bool) -> None:
    (tmp_path / "config").write_text(text)
    environ = {"HOME": str(tmp_path / "home"), "GIT_CONFIG_SYSTEM": "/nonexistent"}
    assert config_may_push_more(tmp_path, environ) is expected
    assert config_may_push_more(tmp_path, {**environ, "GIT_CONFIG_COUNT": "1"}) is True


def _two_branches(tmp_path: Path) -> tuple[Path, str, str]:
    repo = sample_project(tmp_path / "repo")
    git(tmp_path, "init", "--quiet", "--bare", "remote.git")
    git(repo, "remote", "add", "origin", str(tmp_path / "remote.git"))
    git(repo, "push", "--quiet", "--no-verify", "origin", "main")
    commit(repo, "feat: one", {"a.txt": "1\n"})
    main = git(repo, "rev-parse", "HEAD")
    git(repo, "switch", "--quiet", "-c", "side")
    commit(repo, "feat: two", {"b.txt": "2\n"})
    side = git(repo, "rev-parse", "HEAD")
    git(repo, "switch", "--quiet", "main")
    return repo, main, side


def test_without_a_push_command_line_every_new_branch_is_gated(tmp_path: Path) -> None:
    # No `git push` among this test's ancestors: the command line cannot be read.
    repo, main, side = _two_branches(tmp_path)
    environ = {
        "PRE_COMMIT_TO_REF": main,
        "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main",
        "PRE_COMMIT_REMOTE_NAME": "origin",
    }
    push = from_runner(repo, repo / ".git", environ)
    assert push.how == "every branch not on the remote"
    assert {ref.commit for ref in push.refs} == {main, side}


def test_git_hook_input_gates_refs_with_new_commits_only(tmp_path: Path) -> None:
    repo, main, side = _two_branches(tmp_path)
    pushed = git(repo, "rev-parse", "origin/main")
    zero = "0" * 40
    text = (
        f"refs/heads/main {main} refs/heads/main {pushed}\n"
        f"refs/heads/side {side} refs/heads/side {zero}\n"
        f"refs/heads/old {pushed} refs/heads/old {zero}\n"  # nothing new: not gated
    )
    push = from_hook_input(repo, "origin", text)
    assert [ref.commit for ref in push.refs] == [main, side]


def test_tags_offered_by_tags_flag_count_only_with_new_commits(tmp_path: Path) -> None:
    from tagship.gates.push import PushedRef, _by_refspecs  # noqa: PLC0415

    repo, main, side = _two_branches(tmp_path)
    git(repo, "tag", "v0.0.1", "origin/main")  # an old tag: its commit is on the remote
    git(repo, "tag", "v0.1.0", main)
    git(repo, "tag", "v0.2.0", side)
    named = PushedRef("refs/heads/main", main)
    push = _by_refspecs(repo, PushArgs("origin", (), tags=True), named, "origin")
    assert sorted(push.tags) == ["v0.1.0", "v0.2.0"]
    push = _by_refspecs(repo, PushArgs("origin", ("main", "v0.0.1")), named, "origin")
    assert push.tags == ("v0.0.1",)  # named explicitly: checked
    assert push.tags_at(main) == ["v0.1.0"]
