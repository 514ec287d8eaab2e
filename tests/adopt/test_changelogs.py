"""Finding a project's changelog and the commitizen settings that extend it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship.adopt import changelogs


@pytest.mark.parametrize(
    ("files", "found"),
    [
        ([], None),
        (["CHANGELOG.md"], "CHANGELOG.md"),
        (["CHANGES.rst", "README.md"], "CHANGES.rst"),
        (["HISTORY"], "HISTORY"),
        (["docs/changelog.md"], "docs/changelog.md"),
        (["NEWS.txt", "CHANGELOG.md"], "CHANGELOG.md"),
        (["docs/source/history.rst"], "docs/source/history.rst"),
    ],
)
def test_find(tmp_path: Path, files: list[str], found: str | None) -> None:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    result = changelogs.find(tmp_path, None)
    assert (result.relative_to(tmp_path).as_posix() if result else None) == found


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("CHANGELOG.md", "# Changelog\n\n## v1.0.0 (2024-01-01)\n", None),
        ("CHANGES.rst", "Changes\n=======\n\n1.0.0 (2024-01-01)\n------------------\n", None),
        ("HISTORY", "1.0.0\n=====\n\n- first\n", "restructuredtext"),
        ("HISTORY", "## 1.0.0\n\n- first\n", "markdown"),
        ("CHANGES.md", "Changes\n=======\n\n1.0.0\n-----\n\n- first\n", "restructuredtext"),
        ("NEWS", "", "markdown"),
    ],
)
def test_format(tmp_path: Path, name: str, text: str, fmt: str | None) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    settings = changelogs.settings(tmp_path, None, text)
    assert (settings.path, settings.format, settings.exists) == (name, fmt, True)


def test_no_changelog_means_a_new_markdown_one(tmp_path: Path) -> None:
    settings = changelogs.settings(tmp_path, None, None)
    assert (settings.path, settings.exists, settings.format) == ("CHANGELOG.md", False, None)


def test_keep_a_changelog_is_recognised(tmp_path: Path) -> None:
    text = "# Changelog\n\n## [Unreleased]\n\n### Added\n- a thing\n\n## [1.0.0] - 2024-01-01\n"
    (tmp_path / "CHANGELOG.md").write_text(text, encoding="utf-8")
    assert changelogs.settings(tmp_path, None, text).keep_a_changelog


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("# Changelog\n\n## [1.0.0] - 2024\n", True),
        ("# Changelog\n\n## v1.0.0 (2024)\n", True),
        ("1.0.0 (2024)\n------------\n", True),
        ("# Changelog\n\nWe released 1.0.0 last year.\n", False),
        ("# Changelog\n", False),
    ],
)
def test_names_a_release(text: str, named: bool) -> None:
    assert changelogs.names_a_release(text, ["1.0.0"]) == named


@pytest.mark.parametrize(
    ("text", "tag_format", "extra"),
    [
        ("## [1.1.0] - 2024-05-01\n", "v$version", ("$version",)),
        ("0.9.0 (2024-03-01)\n------------------\n", "v$version", ("$version",)),
        ("## v1.1.0 (2024-05-01)\n", "v$version", ()),
        ("## [1.1.0] - 2024-05-01\n", "$version", ()),
        ("# Changelog\n", "v$version", ()),
        ("## pkg-v1.1.0\n", "pkg-v$version", ()),
    ],
)
def test_heading_formats(text: str, tag_format: str, extra: tuple[str, ...]) -> None:
    assert changelogs.heading_formats(text, tag_format, ["1.1.0", "0.9.0"]) == extra


def test_a_link_to_a_tag_is_no_title() -> None:
    text = "## [1.1.0] - 2024\n\n[1.1.0]: https://example.invalid/compare/v1.0.0...v1.1.0\n"
    assert changelogs.heading_formats(text, "v$version", ["1.1.0", "1.0.0"]) == ("$version",)
