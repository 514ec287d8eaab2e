"""The tag format read from a project's tag history (pure, table-driven)."""

from __future__ import annotations

import pytest

from tagship.adopt import tags
from tagship.errors import ConfigError

ANCIENT_V = [f"v0.{minor}.0" for minor in range(5)]
RECENT_BARE = [f"2.{minor}.{patch}" for minor in range(6) for patch in range(5)]


@pytest.mark.parametrize(
    ("history", "current", "match", "chosen", "legacy"),
    [
        ([], None, None, "v$version", ()),
        (["0.1.0", "0.2.0rc1"], None, None, "$version", ()),
        (["v0.1.0", "0.0.9"], None, None, "v$version", ("$version",)),
        (ANCIENT_V + RECENT_BARE, None, None, "$version", ("v$version",)),
        (["v1.0.0", "docs-2024", "latest", "nightly"], None, None, "v$version", ()),
        (["$version"], "$version", None, "$version", ()),
        (["v0.1.0"], "$version", None, "$version", ("v$version",)),
        (
            ["hatch-v1.0.0", "hatch-v1.1.0", "hatchling-v1.2.0"],
            None,
            "hatch-v*",
            "hatch-v$version",
            (),
        ),
        (["pkg-v0.1.0", "other-v3.0.0"], None, None, "pkg-v$version", ()),
        (["mypkg-1.0", "v0.9"], None, None, "mypkg-$version", ("v$version",)),
        (["other-v3.0.0"], None, None, "v$version", ()),
        (["v2.0", "other-v3.0.0", "cli-v1.0"], None, None, "v$version", ()),
        (["V1.0", "V1.1", "v1.2"], None, None, "V$version", ("v$version",)),
    ],
)
def test_choose(
    history: list[str],
    current: str | None,
    match: str | None,
    chosen: str,
    legacy: tuple[str, ...],
) -> None:
    name = "mypkg" if "mypkg-1.0" in history else "pkg"
    found = tags.choose(history, current=current, legacy=(), match=match, name=name)
    assert (found.tag_format, found.legacy) == (chosen, legacy)


def test_several_packages_and_none_ours_is_refused_with_the_setting() -> None:
    with pytest.raises(ConfigError, match=r"tags of several packages \(api-v\*, cli-v\*\)"):
        tags.choose(["api-v1.0", "cli-v2.0"], current=None, legacy=(), match=None, name="web")
    found = tags.choose(
        ["api-v1.0", "cli-v2.0"], current="web-v$version", legacy=(), match=None, name="web"
    )
    assert found.tag_format == "web-v$version"


def test_another_packages_match_is_never_rewritten() -> None:
    with pytest.raises(ConfigError, match="git_describe_command matches 'cli-v\\*'"):
        tags.choose([], current="v$version", legacy=(), match="cli-v*", name="pkg")


def test_users_legacy_formats_are_kept_first() -> None:
    found = tags.choose(
        ["1.0", "v0.9"], current=None, legacy=("rel-$version",), match=None, name="p"
    )
    assert found.legacy == ("rel-$version", "v$version")


@pytest.mark.parametrize(
    ("tag", "prefix", "package"),
    [
        ("v1.2.0", "v", None),
        ("1.2.0", "", None),
        ("hatch-v1.2.0", "hatch-v", "hatch"),
        ("cli/v0.1", "cli/v", "cli"),
        ("My_Pkg-2.0", "My_Pkg-", "mypkg"),
    ],
)
def test_spell(tag: str, prefix: str, package: str | None) -> None:
    spelled = tags.spell(tag)
    assert spelled is not None
    assert spelled.prefix == prefix
    assert tags.package_of(spelled.prefix) == package


@pytest.mark.parametrize("tag", ["latest", "v1.0+local", "nightly-build", "v"])
def test_tags_that_spell_no_release(tag: str) -> None:
    assert tags.spell(tag) is None


def test_newest_is_by_version_under_the_given_formats() -> None:
    history = ["v0.9.0", "1.2.0", "1.10.0", "other-v9.0"]
    assert tags.newest(history, ("$version",)) == "1.10.0"
    assert tags.newest(history, ("v$version",)) == "v0.9.0"
    assert tags.newest(history, ("x$version",)) is None
