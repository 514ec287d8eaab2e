from __future__ import annotations

from typing import Any

import pytest
from packaging.version import Version

from tagship.checks import scm
from tagship.checks.scm import Described, ScmSettings

HATCH = ScmSettings("[tool.hatch.version]", tag_regex=r"^v(?P<version>.+)$")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v1.5.0-0-g4060507", Described("v1.5.0", 0, "g4060507", dirty=False)),
        ("v1.15.1rc1-37-g9bd1298-dirty", Described("v1.15.1rc1", 37, "g9bd1298", dirty=True)),
        ("release-2-0-3-gabc-1-gdeadbee", Described("release-2-0-3-gabc", 1, "gdeadbee", False)),
        ("v2.0.0", Described("v2.0.0", 0, None, dirty=False)),
        ("v2.0.0-dirty", Described("v2.0.0", 0, None, dirty=True)),
    ],
)
def test_parse_describe(text: str, expected: Described) -> None:
    assert scm.parse_describe(text) == expected


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        ({}, None),
        ({"tool": {"hatch": {"version": {"source": "code"}}}}, None),
        ({"tool": {"hatch": {"version": {"source": "vcs"}}}}, ScmSettings("[tool.hatch.version]")),
        (
            {
                "tool": {
                    "hatch": {
                        "version": {
                            "source": "vcs",
                            "raw-options": {
                                "tag_regex": "^v(?P<version>.+)$",
                                "git_describe_command": ["git", "describe", "--match", "v*"],
                                "local_scheme": "no-local-version",
                            },
                        }
                    }
                }
            },
            ScmSettings(
                "[tool.hatch.version]",
                describe=("git", "describe", "--match", "v*"),
                tag_regex="^v(?P<version>.+)$",
                local_scheme="no-local-version",
            ),
        ),
        (
            {"tool": {"hatch": {"version": {"source": "vcs", "tag-pattern": "^r(.+)$"}}}},
            ScmSettings("[tool.hatch.version]", tag_regex="^r(.+)$"),
        ),
        (
            {"tool": {"setuptools_scm": {"git_describe_command": "git describe --tags"}}},
            ScmSettings("[tool.setuptools_scm]", describe=("git", "describe", "--tags")),
        ),
        ({"tool": {"poetry-dynamic-versioning": {"enable": False}}}, None),
        (
            {"tool": {"poetry-dynamic-versioning": {"enable": True, "pattern-prefix": "pkg-"}}},
            ScmSettings(
                "[tool.poetry-dynamic-versioning]",
                describe=(*scm.DEFAULT_DESCRIBE[:-1], "pkg-v*"),
                tag_regex=scm.DUNAMAI_PRESETS["default"].replace("^", "^pkg-"),
                version_scheme="dunamai",
            ),
        ),
        (
            {
                "tool": {
                    "poetry-dynamic-versioning": {"enable": True, "pattern": "default-unprefixed"}
                }
            },
            ScmSettings(
                "[tool.poetry-dynamic-versioning]",
                describe=(*scm.DEFAULT_DESCRIBE[:-1], "*[0-9]*"),
                tag_regex=scm.DUNAMAI_PRESETS["default-unprefixed"],
                version_scheme="dunamai",
            ),
        ),
    ],
)
def test_scm_settings(pyproject: dict[str, Any], expected: ScmSettings | None) -> None:
    assert scm.scm_settings(pyproject) == expected


@pytest.mark.parametrize(
    ("tag", "regex", "expected"),
    [
        ("v1.2.3", scm.DEFAULT_TAG_REGEX, Version("1.2.3")),
        ("pkg-v1.2.3rc1", scm.DEFAULT_TAG_REGEX, Version("1.2.3rc1")),
        ("v1.2.3", r"^v(?P<version>.+)$", Version("1.2.3")),
        ("1.2.3", r"^v(?P<version>.+)$", None),
        ("vnot-a-version", r"^v(?P<version>.+)$", None),
        ("v0.2.0rc0", scm.DUNAMAI_PRESETS["default"], Version("0.2.0rc0")),
        ("v1.0.0.post1", scm.DUNAMAI_PRESETS["default"], Version("1.0.0.post1")),
        ("v1.0.0.dev3", scm.DUNAMAI_PRESETS["default"], Version("1.0.0.dev3")),
        ("v2!1.0", scm.DUNAMAI_PRESETS["default"], Version("2!1.0")),
        ("1.0.0", scm.DUNAMAI_PRESETS["default"], None),
        ("1.0.0b1", scm.DUNAMAI_PRESETS["default-unprefixed"], Version("1.0.0b1")),
        ("v1", "^v(unclosed", None),
    ],
)
def test_tag_to_version(tag: str, regex: str, expected: Version | None) -> None:
    assert scm.tag_to_version(tag, regex) == expected


@pytest.mark.parametrize(
    ("regex", "prefix"),
    [
        (scm.DUNAMAI_PRESETS["default"], "v"),
        (scm.DUNAMAI_PRESETS["default-unprefixed"], ""),
        (r"^pkg\-v(?P<version>.+)$", "pkg-v"),
        (r"^release/(?P<base>\d+)$", "release/"),
        (r"^a.b", "a"),
        (r"(?P<version>.+)", ""),
    ],
)
def test_the_literal_prefix_of_a_tag_pattern_is_its_describe_glob(regex: str, prefix: str) -> None:
    assert scm.literal_prefix(regex) == prefix


@pytest.mark.parametrize(
    ("described", "settings", "expected"),
    [
        (Described("v0.2.0", 0, "gabc1234", False), HATCH, "0.2.0"),
        (Described("v0.2.0rc0", 0, "gabc1234", False), HATCH, "0.2.0rc0"),
        (Described("v0.2.0", 0, "gabc1234", True), HATCH, "0.2.1.dev0+gabc1234.d20260102"),
        (Described("v0.2.0", 3, "gabc1234", False), HATCH, "0.2.1.dev3+gabc1234"),
        (Described("v0.2.0rc1", 2, "gabc1234", False), HATCH, "0.2.0rc2.dev2+gabc1234"),
        (Described("v1.0.0.dev0", 2, "gabc1234", False), HATCH, "1.0.0.dev2+gabc1234"),
        (None, HATCH, "0.1.dev7+gfeed000"),
        (
            Described("v0.2.0", 3, "gabc1234", False),
            ScmSettings("x", tag_regex=HATCH.tag_regex, local_scheme="no-local-version"),
            "0.2.1.dev3",
        ),
        (
            Described("v0.2.0", 3, "gabc1234", False),
            ScmSettings("x", tag_regex=HATCH.tag_regex, version_scheme="post-release"),
            "a dev version after 0.2.0 (post-release)",
        ),
        (
            Described("release-1", 0, "gabc1234", False),
            HATCH,
            "none (tag 'release-1' does not match tag_regex '^v(?P<version>.+)$')",
        ),
    ],
)
def test_predict(described: Described | None, settings: ScmSettings, expected: str) -> None:
    got = scm.predict(described, settings, commits=7, node="gfeed000", today="20260102")
    assert got == expected
