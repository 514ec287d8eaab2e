from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from tagship import changelog
from tagship.changelog import find_section, heading_version, versions_in
from tagship.checks.changelog import changelog as ts109
from tagship.checks.target import Target
from tagship.config import load
from tagship.release import classify
from tagship.versions import TagFormat
from tests.helpers import CZ_TOML, write

COMMITIZEN = """\
## Unreleased

### Feat

- not released yet

## v0.2.0 (2025-01-15)

### Feat

- graduation: mentions 0.1.0 and v0.2.0rc1 in body text

### Fix

- a bug

## v0.2.0rc1 (2025-01-10)

### Fix

- a bug

## 0.2.0rc0 (2025-01-08)

### Feat

- something

## v0.1.0 (2025-01-01)

- first release
"""

KEEP_A_CHANGELOG = """\
# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

- work in progress

## [0.2.0] - 2025-01-15

### Added

- a thing

## [0.2.0-rc.1](https://example.org/compare/v0.1.0...v0.2.0-rc.1) - 2025-01-10

### Fixed

- a bug

## [0.1.0] - 2025-01-01

- first

[unreleased]: https://example.org/compare/v0.2.0...HEAD
[0.2.0]: https://example.org/compare/v0.1.0...v0.2.0
[0.1.0]: https://example.org/releases/tag/v0.1.0
"""


@pytest.mark.parametrize(
    ("text", "version", "section"),
    [
        (COMMITIZEN, "0.2.0", "### Feat\n\n- graduation: mentions 0.1.0 and v0.2.0rc1 in body"),
        (COMMITIZEN, "v0.2.0", "### Feat\n\n- graduation"),
        (COMMITIZEN, "0.2.0rc1", "### Fix\n\n- a bug\n"),
        (COMMITIZEN, "0.2.0-rc1", "### Fix\n\n- a bug\n"),
        (COMMITIZEN, "0.2.0-rc.1", "### Fix\n\n- a bug\n"),
        (COMMITIZEN, "0.2rc0", "### Feat\n\n- something\n"),
        (COMMITIZEN, "0.1", "- first release\n"),
        (KEEP_A_CHANGELOG, "0.2.0", "### Added\n\n- a thing\n"),
        (KEEP_A_CHANGELOG, "0.2.0rc1", "### Fixed\n\n- a bug\n"),
        (KEEP_A_CHANGELOG, "v0.1.0", "- first\n"),
    ],
)
def test_find_section(text: str, version: str, section: str) -> None:
    found = find_section(text, version)
    assert found is not None
    assert found.startswith(section)


def test_section_stops_at_the_next_heading_of_same_level_and_keeps_sub_headings() -> None:
    assert find_section(COMMITIZEN, "0.2.0") == (
        "### Feat\n\n- graduation: mentions 0.1.0 and v0.2.0rc1 in body text\n\n"
        "### Fix\n\n- a bug\n"
    )


def test_last_section_drops_keep_a_changelog_compare_links() -> None:
    assert find_section(KEEP_A_CHANGELOG, "0.1.0") == "- first\n"


def test_section_runs_to_a_higher_level_heading() -> None:
    text = "# 2.x\n\n## 2.0.0\n\n### Fix\n\n- x\n\n# 1.x\n\n## 1.0.0\n\n- y\n"
    assert find_section(text, "2.0.0") == "### Fix\n\n- x\n"
    assert find_section(text, "1.0.0") == "- y\n"


@pytest.mark.parametrize(
    ("text", "version"),
    [
        (COMMITIZEN, "0.3.0"),
        (COMMITIZEN, "0.2.0rc2"),
        (COMMITIZEN, "not a version"),
        (KEEP_A_CHANGELOG, "Unreleased"),
        ("Release 1.0.0 is the first.\n\n1.0.0\n\n- body line naming 1.0.0\n", "1.0.0"),
        ("```\n## 1.0.0\n```\n", "1.0.0"),
        ("~~~~md\n## 1.0.0\n~~~\n~~~~\n", "1.0.0"),
        ("    ## 1.0.0 (indented code)\n", "1.0.0"),
        ("#1.0.0 is no heading\n", "1.0.0"),
        ("## Fixes for 1.0.0\n", "1.0.0"),
        ("", "1.0.0"),
    ],
)
def test_no_section(text: str, version: str) -> None:
    assert find_section(text, version) is None


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("## v1.0.0 (2025-01-15)\r\n\r\n- crlf\r\n\r\n## v0.9.0\r\n", "- crlf\n"),
        ("\ufeff## v1.0.0 (2025-01-15)\n\n- bom\n", "- bom\n"),
        ("## v1.0.0 (2025-01-15)   \n\n- trailing spaces\n", "- trailing spaces\n"),
        ("## v1.0.0\t\n- tab\n", "- tab\n"),
        ("## v1.0.0 ##\n- closing hashes\n", "- closing hashes\n"),
        ("   ## 1.0.0\n- three spaces of indent\n", "- three spaces of indent\n"),
        ("## 1.0.0\r- old mac line breaks\r", "- old mac line breaks\n"),
        ("## 1.0.0\n- keeps\x0cform feeds,\u2028separators\n", "- keeps\x0cform feeds,\u2028sep"),
        ("## v1.0.0\n", ""),
        ("## v1.0.0\n\n## v0.9.0\n- older\n", ""),
        ("## 1.0.0\n```\n## not a heading\n```\n- after\n## 0.9\n", "```\n## not a heading\n```"),
        ("## 1.0.0\n- line with hard break  \n- next\n", "- line with hard break  \n- next\n"),
        ("## 1.0.0\n\nsee [docs][d]\n\n[d]: https://example.org\n", "see [docs][d]\n\n[d]: https"),
    ],
)
def test_odd_files(text: str, section: str) -> None:
    found = find_section(text, "1.0.0")
    assert found is not None
    assert found.startswith(section)


def test_first_of_duplicate_sections_wins() -> None:
    assert find_section("## 1.0\n- new\n## 1.0.0\n- old\n", "1.0.0") == "- new\n"


@pytest.mark.parametrize(
    ("title", "version"),
    [
        ("v0.2.0 (2025-01-15)", "0.2.0"),
        ("0.2.0rc1 (2025-01-15)", "0.2.0rc1"),
        ("v0.2.0-rc.1 (2025-01-15)", "0.2.0rc1"),
        ("V1.0.0-beta1", "1.0.0b1"),
        ("[0.2.0] - 2025-01-15", "0.2.0"),
        ("[v0.2.0](https://example.org) - 2025-01-15", "0.2.0"),
        ("1.0.0.post1", "1.0.0.post1"),
        ("1.0.0.dev3", "1.0.0.dev3"),
        ("[Unreleased]", None),
        ("Unreleased", None),
        ("Fix", None),
        ("[0.2.0", None),
        ("2025-01-15", None),
        ("", None),
    ],
)
def test_heading_version(title: str, version: str | None) -> None:
    found = heading_version(title)
    assert (str(found) if found else None) == version


def test_heading_version_under_a_tag_format() -> None:
    formats = (TagFormat("pkg-v$version"),)
    assert heading_version("pkg-v1.2.0rc1 (2025-01-15)", formats) == Version("1.2.0rc1")
    assert heading_version("pkg-v1.2.0rc1 (2025-01-15)") is None
    assert find_section("## pkg-v1.2.0 (2025-01-15)\n- x\n", "1.2.0", formats) == "- x\n"


@pytest.mark.parametrize(
    ("text", "versions"),
    [
        (COMMITIZEN, ["0.2.0", "0.2.0rc1", "0.2.0rc0", "0.1.0"]),
        (KEEP_A_CHANGELOG, ["0.2.0", "0.2.0rc1", "0.1.0"]),
        ("## 1.0\n## 1.0.0\n", ["1.0"]),
        ("", []),
        ("# Changelog\n\nNothing released.\n", []),
    ],
)
def test_versions_in(text: str, versions: list[str]) -> None:
    assert versions_in(text) == versions


def _project(root: Path, changelog_file: str | None = None) -> Path:
    cz = CZ_TOML.format(scheme="pep440", tag_format="v$version")
    if changelog_file:
        cz += f'changelog_file = "{changelog_file}"\n'
    write(root, {".cz.toml": cz})
    return root


def test_read_section_uses_the_configured_changelog_file(tmp_path: Path) -> None:
    _project(tmp_path, "docs/HISTORY.md")
    write(tmp_path, {"docs/HISTORY.md": "## v1.0.0 (2025-01-15)\n\n- x\n"})
    assert changelog.read_section(load(tmp_path), Version("1.0.0")) == "- x\n"


def test_read_section_names_the_versions_it_has(tmp_path: Path) -> None:
    _project(tmp_path)
    write(tmp_path, {"CHANGELOG.md": COMMITIZEN})
    with pytest.raises(changelog.MissingSection) as caught:
        changelog.read_section(load(tmp_path), Version("0.3.0"))
    assert str(caught.value) == (
        "CHANGELOG.md has no section for 0.3.0; it has 0.2.0, 0.2.0rc1, 0.2.0rc0, 0.1.0"
    )


def test_read_section_of_an_empty_file(tmp_path: Path) -> None:
    _project(tmp_path)
    write(tmp_path, {"CHANGELOG.md": ""})
    with pytest.raises(changelog.MissingSection, match="it has no version sections"):
        changelog.read_section(load(tmp_path), Version("0.3.0"))


def test_read_section_without_a_file(tmp_path: Path) -> None:
    _project(tmp_path)
    with pytest.raises(changelog.MissingChangelog, match=r"CHANGELOG\.md does not exist"):
        changelog.read_section(load(tmp_path), Version("0.3.0"))


def test_read_section_of_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "CHANGELOG.md").write_bytes(b"## 1.0.0\n\n- caf\xe9\n")
    with pytest.raises(changelog.MissingChangelog, match="cannot read it as UTF-8"):
        changelog.read_section(load(tmp_path), Version("1.0.0"))


CONVENTIONAL = """\
# Changelog

## [1.1.0](https://example.org/compare/v1.0.0...v1.1.0) (2025-02-01)

### Features

* a feature ([abc1234](https://example.org/commit/abc1234))

### [1.0.1](https://example.org/compare/v1.0.0...v1.0.1) (2025-01-20)

### Bug Fixes

* a fix

## 1.0.0 (2025-01-01)

* first
"""


def test_a_deeper_heading_that_names_a_newer_version_is_no_release() -> None:
    text = "## 2.0.0\n\n### 3.12 support\n\n- added\n\n### 1.9.9\n\n- older\n"
    assert find_section(text, "2.0.0") == "### 3.12 support\n\n- added\n"
    assert find_section(text, "1.9.9") == "- older\n"
    assert versions_in(text) == ["2.0.0", "1.9.9"]
    assert find_section(text, "3.12") is None


def test_a_patch_release_under_a_minor_release_is_its_own_section() -> None:
    assert find_section(CONVENTIONAL, "1.1.0") == (
        "### Features\n\n* a feature ([abc1234](https://example.org/commit/abc1234))\n"
    )
    assert find_section(CONVENTIONAL, "1.0.1") == "### Bug Fixes\n\n* a fix\n"
    assert find_section(CONVENTIONAL, "1.0.0") == "* first\n"


LINKED = """\
## [0.2.0] - 2025-01-15

- fixed [#12][], see [the docs][Docs] and [0.1.0]
- not a reference: [inline](https://example.org/inline)

## [0.1.0] - 2025-01-01

- first, see [docs]

[docs]: https://example.org/docs
[#12]: https://example.org/issues/12
[unused]: https://example.org/unused
[0.2.0]: https://example.org/compare/v0.1.0...v0.2.0
[0.1.0]: https://example.org/releases/v0.1.0
"""


def test_the_notes_carry_the_definitions_their_links_use_and_no_other() -> None:
    assert find_section(LINKED, "0.2.0") == (
        "- fixed [#12][], see [the docs][Docs] and [0.1.0]\n"
        "- not a reference: [inline](https://example.org/inline)\n"
        "\n"
        "[#12]: https://example.org/issues/12\n"
        "[docs]: https://example.org/docs\n"
        "[0.1.0]: https://example.org/releases/v0.1.0\n"
    )
    # the last section loses the footer, keeps what it uses
    assert find_section(LINKED, "0.1.0") == (
        "- first, see [docs]\n\n[docs]: https://example.org/docs\n"
    )


SETEXT = """\
Changelog
=========

0.2.0 (2025-01-15)
------------------

- second

0.1.0
-----

- first
"""

RST = """\
=========
Changelog
=========

v0.2.0 (2025-01-15)
===================

Features
--------

- second

0.1.0
=====

- first
"""


@pytest.mark.parametrize(
    ("text", "version", "section"),
    [
        (SETEXT, "0.2.0", "- second\n"),
        (SETEXT, "0.1.0", "- first\n"),
        (RST, "0.2.0", "Features\n--------\n\n- second\n"),
        (RST, "0.1.0", "- first\n"),
        ("0.1.0\n~~~~~\n\n- tilde underline\n", "0.1.0", "- tilde underline\n"),
    ],
)
def test_underlined_headings_are_read(text: str, version: str, section: str) -> None:
    assert find_section(text, version) == section


def test_underlined_headings_list_their_versions() -> None:
    assert versions_in(RST) == versions_in(SETEXT) == ["0.2.0", "0.1.0"]


@pytest.mark.parametrize(
    "text",
    [
        "## Notes\n\nsee 1.0.0\n---\n",  # a paragraph's second line: no title
        "- 1.0.0\n-----\n",  # a list item
        "    1.0.0\n    -----\n",  # indented code
    ],
)
def test_underlines_that_make_no_heading(text: str) -> None:
    assert find_section(text, "1.0.0") is None


def test_read_section_of_an_empty_section(tmp_path: Path) -> None:
    _project(tmp_path)
    write(tmp_path, {"CHANGELOG.md": "## 1.0.0\n\n[x]: https://example.org\n## 0.9.0\n- y\n"})
    with pytest.raises(changelog.EmptySection) as caught:
        changelog.read_section(load(tmp_path), Version("1.0.0"))
    assert str(caught.value) == (
        "the section of 1.0.0 in CHANGELOG.md is empty; write its release notes there"
    )


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("## v1.0.0\n\n- x\n", "passed", "CHANGELOG.md has a section for 1.0.0"),
        (
            "## v1.0.0\n\n## v0.9.0\n\n- y\n",
            "failed",
            "the section of 1.0.0 in CHANGELOG.md is empty",
        ),
        ("## v0.9.0\n\n- y\n", "failed", "CHANGELOG.md has no section for 1.0.0"),
    ],
)
def test_ts109_fails_an_empty_section_as_notes_does(
    tmp_path: Path, text: str, status: str, message: str
) -> None:
    _project(tmp_path)
    write(tmp_path, {"CHANGELOG.md": text})
    project = load(tmp_path)
    release = classify("v1.0.0", project)
    finding = ts109(Target(tmp_path, project, "v1.0.0", release, None, pre_bump=True))
    assert (finding.status, finding.message) == (status, message)


@pytest.mark.parametrize(
    ("text", "version", "expected"),
    [
        # a heading inside an HTML comment is hidden text, not a release
        ("<!--\n## v1.0.0 (2025-01-01)\n- hidden\n-->\n", "1.0.0", None),
        # nor does it end the section it sits in
        (
            "## v1.0.0\n\n<!--\n## v0.9.0\n-->\n- after\n\n## v0.9.0\n- b\n",
            "1.0.0",
            "<!--\n## v0.9.0\n-->\n- after\n",
        ),
        # a section of comments only renders as nothing: empty
        ("## v1.0.0\n\n<!-- nothing -->\n\n## v0.9.0\n- b\n", "1.0.0", ""),
        ("<!-- a note --> \n## v1.0.0\n- x\n", "1.0.0", "- x\n"),
    ],
)
def test_html_comments_hide_headings_and_say_nothing(
    text: str, version: str, expected: str | None
) -> None:
    assert find_section(text, version) == expected
