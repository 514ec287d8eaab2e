from __future__ import annotations

import pytest

from tagship.versions import TagError, TagFormat, kind_of, strip_ref, tag_version

V = (TagFormat("v$version"),)


@pytest.mark.parametrize(
    ("tag", "version", "kind"),
    [
        ("v1.2.3", "1.2.3", "final"),
        ("v0.2.0rc0", "0.2.0rc0", "rc"),
        ("v0.2.0-rc1", "0.2.0rc1", "rc"),
        ("v0.2.0-rc.1", "0.2.0rc1", "rc"),
        ("v1.0.0-beta1", "1.0.0b1", "beta"),
        ("v1.0.0-alpha1", "1.0.0a1", "alpha"),
        ("v1.0.0-alpha.0", "1.0.0a0", "alpha"),
        ("v1.0.0a0", "1.0.0a0", "alpha"),
        ("v1.0.0rc1", "1.0.0rc1", "rc"),
        ("v1.0.0.dev3", "1.0.0.dev3", "dev"),
        ("v1.0.0rc1.dev2", "1.0.0rc1.dev2", "dev"),
        ("v1.0.0.post1", "1.0.0.post1", "post"),
        ("v1.0.0-1", "1.0.0.post1", "post"),
    ],
)
def test_tag_version_normalizes_every_spelling(tag: str, version: str, kind: str) -> None:
    parsed = tag_version(tag, V)
    assert str(parsed) == version
    assert kind_of(parsed) == kind


@pytest.mark.parametrize(
    ("template", "tag", "version"),
    [
        ("$version", "1.2.3", "1.2.3"),
        ("release-$version", "release-1.2.3rc1", "1.2.3rc1"),
        ("pkg-v${version}", "pkg-v2.0.0", "2.0.0"),
        ("v$major.$minor.$patch$prerelease", "v1.2.3rc1", "1.2.3rc1"),
    ],
)
def test_any_text_around_version(template: str, tag: str, version: str) -> None:
    assert str(tag_version(tag, (TagFormat(template),))) == version


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("", "empty tag"),
        ("   ", "empty tag"),
        ("1.2.3", "does not match tag_format 'v$version'"),
        ("vnext", "is not a PEP 440 version"),
        ("v1.2.3+local.1", "local version"),
        ("v1.0.0$(touch pwned)", "is not a PEP 440 version"),
        ("v1.0;rm -rf /", "is not a PEP 440 version"),
        ("v1.0`id`", "is not a PEP 440 version"),
    ],
)
def test_refused_tags(tag: str, message: str) -> None:
    with pytest.raises(TagError) as caught:
        tag_version(tag, V)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_legacy_format_is_tried_after_the_current_one() -> None:
    formats = (TagFormat("v$version"), TagFormat("release-$version"))
    assert str(tag_version("release-1.0.0", formats)) == "1.0.0"


def test_strip_ref() -> None:
    assert strip_ref("refs/tags/v1.0") == "v1.0"
    assert strip_ref("v1.0") == "v1.0"
    with pytest.raises(TagError, match="branch ref"):
        strip_ref("refs/heads/main")


def test_render_round_trips() -> None:
    assert TagFormat("pkg-v${version}").render("1.0rc1") == "pkg-v1.0rc1"
