"""commitizen config adoption: the settings tagship needs, in the user's file and format."""

from __future__ import annotations

import json
from pathlib import Path

from tagship.adopt import cz

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
pre_bump_hooks = ["uv run --frozen tagship check --pre-bump"]
"""


def _wanted(**changes: object) -> cz.Wanted:
    settings: dict[str, object] = {"tag_format": "v$version", "major_zero": True}
    return cz.Wanted(**{**settings, **changes})  # type: ignore[arg-type]


def test_a_new_cz_toml() -> None:
    change = cz.adopt(Path(".cz.toml"), None, _wanted())
    assert change.text == NEW_CZ
    assert change.conflicts == ()
    assert cz.adopt(Path(".cz.toml"), change.text, _wanted(major_zero=False)).text == NEW_CZ


def test_major_version_zero_only_before_1_0() -> None:
    change = cz.adopt(Path(".cz.toml"), None, _wanted(tags=("v1.2.0",)))
    assert "major_version_zero" not in change.text
    assert not cz.major_zero("1.2.0")
    assert cz.major_zero("0.3.0")


def test_existing_settings_comments_and_hooks_are_kept_and_migrated() -> None:
    text = (
        "# release settings\n[tool.commitizen]\n"
        'name = "cz_customize"  # our own rules\n'
        'version = "2.0.0"\n'
        'version_files = ["src/pkg/__init__.py:__version__", "docs/conf.py:release"]\n'
        'pre_bump_hooks = ["make docs", "tagship gate", "tagship check --pre-bump"]\n'
        'changelog_file = "HISTORY.md"\n'
    )
    wanted = _wanted(changelog_file="HISTORY.md", unversioned=("src/pkg/__init__.py",))
    change = cz.adopt(Path("cz.toml"), text, wanted)
    assert change.text.startswith('# release settings\n[tool.commitizen]\nname = "cz_customize"  #')
    assert 'version_provider = "scm"\n' in change.text
    assert 'version = "2.0.0"' not in change.text
    assert change.stored_version == "2.0.0"
    assert 'version_files = ["docs/conf.py:release"]\n' in change.text
    assert 'pre_bump_hooks = ["make docs", "uv run --frozen tagship check --pre-bump"]' in (
        change.text
    )
    assert change.changelog_file == "HISTORY.md"
    assert "major_version_zero" not in change.text  # an existing config is the user's call


def test_version_files_naming_only_unversioned_files_go() -> None:
    text = '[tool.commitizen]\nversion_files = ["pyproject.toml:version"]\n'
    change = cz.adopt(Path(".cz.toml"), text, _wanted(unversioned=("pyproject.toml",)))
    assert "version_files" not in change.text


def test_changelog_settings_are_written_once() -> None:
    wanted = _wanted(
        changelog_file="docs/changes.rst",
        changelog_format="restructuredtext",
        start_rev="v1.4.0",
        legacy=("$version",),
    )
    change = cz.adopt(Path(".cz.toml"), None, wanted)
    for line in (
        'changelog_file = "docs/changes.rst"',
        'changelog_format = "restructuredtext"',
        'changelog_start_rev = "v1.4.0"',
        'legacy_tag_formats = ["$version"]',
    ):
        assert line + "\n" in change.text
    again = cz.adopt(
        Path(".cz.toml"),
        change.text,
        _wanted(
            start_rev="v9.9.9",
            changelog_file="docs/changes.rst",
            changelog_format="restructuredtext",
            legacy=("$version",),
        ),
    )
    assert again.text == change.text


def test_a_non_pep440_scheme_is_a_conflict() -> None:
    text = '[tool.commitizen]\nversion_scheme = "semver2"\n'
    change = cz.adopt(Path(".cz.toml"), text, _wanted())
    assert [c.what.split(":")[0] for c in change.conflicts] == ['version_scheme = "semver2"']
    assert 'version_scheme = "pep440"' in change.text


def test_a_json_config_is_edited_as_json() -> None:
    text = (
        '{\n    "commitizen": {\n        "name": "cz_conventional_commits",\n'
        '        "version": "0.3.0",\n        "tag_format": "v$version"\n    }\n}\n'
    )
    change = cz.adopt(Path(".cz.json"), text, _wanted())
    data = json.loads(change.text)["commitizen"]
    assert data["version_provider"] == "scm"
    assert "version" not in data
    assert data["pre_bump_hooks"] == [cz.PRE_BUMP_HOOK]
    assert change.text.startswith('{\n    "commitizen": {\n        "name"')
    assert cz.adopt(Path(".cz.json"), change.text, _wanted()).text == change.text


def test_a_yaml_config_keeps_its_comments() -> None:
    text = (
        "# ours\ncommitizen:\n  name: cz_conventional_commits  # default\n  tag_format: $version\n"
    )
    change = cz.adopt(Path(".cz.yaml"), text, _wanted(tag_format="$version"))
    assert change.text.startswith(
        "# ours\ncommitizen:\n  name: cz_conventional_commits  # default\n"
    )
    assert "  version_provider: scm\n" in change.text
    assert cz.adopt(Path(".cz.yaml"), change.text, _wanted(tag_format="$version")).text == (
        change.text
    )


def test_locate_follows_commitizen_order(tmp_path: Path) -> None:
    assert cz.locate(tmp_path, "[project]\n") == tmp_path / ".cz.toml"
    assert cz.locate(tmp_path, "[tool.commitizen]\n") == tmp_path / "pyproject.toml"
    (tmp_path / "cz.toml").write_text("[tool.commitizen]\n", encoding="utf-8")
    assert cz.locate(tmp_path, "[project]\n") == tmp_path / "cz.toml"
    (tmp_path / ".cz.json").write_text("{}", encoding="utf-8")
    assert cz.locate(tmp_path, None) == tmp_path / ".cz.json"
