"""commitizen config adoption: the tag format decision and the settings tagship needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship.adopt import cz


@pytest.mark.parametrize(
    ("current", "tags", "chosen", "conflict"),
    [
        (None, [], "v$version", False),
        (None, ["0.1.0", "0.2.0rc1"], "$version", False),
        (None, ["v0.1.0", "0.0.9"], "v$version", False),
        ("$version", [], "$version", False),
        ("$version", ["v0.1.0"], "v$version", True),
        ("$version", ["v0.1.0", "0.2.0"], "$version", False),
        ("pkg-v$version", ["pkg-v1.0.0"], "pkg-v$version", False),
        ("pkg-v$version", ["unrelated"], "pkg-v$version", False),
    ],
)
def test_choose_tag_format(
    current: str | None, tags: list[str], chosen: str, conflict: bool
) -> None:
    found, found_conflict = cz.choose_tag_format(current, tags)
    assert found == chosen
    assert (found_conflict is not None) == conflict


NEW_CZ = """\
[tool.commitizen]
name = "cz_conventional_commits"
version_provider = "scm"
version_scheme = "pep440"
tag_format = "v$version"
update_changelog_on_bump = true
changelog_merge_prerelease = true
major_version_zero = true
annotated_tag = true
pre_bump_hooks = ["tagship gate", "tagship check --pre-bump"]
"""


def test_a_new_cz_toml() -> None:
    change = cz.adopt(Path(".cz.toml"), None, tags=[], static_version="0.1.0")
    assert change.text == NEW_CZ
    assert change.conflicts == ()
    assert cz.adopt(Path(".cz.toml"), change.text, tags=[], static_version=None).text == NEW_CZ


def test_major_version_zero_only_before_1_0() -> None:
    change = cz.adopt(Path(".cz.toml"), None, tags=["v1.2.0"], static_version="1.2.0")
    assert "major_version_zero" not in change.text


def test_existing_settings_and_comments_are_kept() -> None:
    text = (
        "# release settings\n[tool.commitizen]\n"
        'name = "cz_customize"  # our own rules\n'
        'version_provider = "pep621"\n'
        'pre_bump_hooks = ["make docs"]\n'
        'changelog_file = "HISTORY.md"\n'
    )
    change = cz.adopt(Path("cz.toml"), text, tags=[], static_version="2.0.0")
    assert change.text.startswith('# release settings\n[tool.commitizen]\nname = "cz_customize"  #')
    assert 'version_provider = "scm"\n' in change.text
    hooks = 'pre_bump_hooks = ["make docs", "tagship gate", "tagship check --pre-bump"]'
    assert hooks in change.text
    assert change.changelog_file == "HISTORY.md"


def test_a_non_pep440_scheme_is_a_conflict() -> None:
    text = '[tool.commitizen]\nversion_scheme = "semver2"\n'
    change = cz.adopt(Path(".cz.toml"), text, tags=[], static_version=None)
    assert [c.what.split(":")[0] for c in change.conflicts] == ['version_scheme = "semver2"']
    assert 'version_scheme = "pep440"' in change.text


def test_locate_follows_commitizen_order(tmp_path: Path) -> None:
    assert cz.locate(tmp_path, "[project]\n") == tmp_path / ".cz.toml"
    assert cz.locate(tmp_path, "[tool.commitizen]\n") == tmp_path / "pyproject.toml"
    (tmp_path / "cz.toml").write_text("[tool.commitizen]\n", encoding="utf-8")
    assert cz.locate(tmp_path, "[project]\n") == tmp_path / "cz.toml"
    (tmp_path / ".cz.json").write_text("{}", encoding="utf-8")
    with pytest.raises(Exception, match=r"move the settings to \.cz\.toml"):
        cz.locate(tmp_path, None)
