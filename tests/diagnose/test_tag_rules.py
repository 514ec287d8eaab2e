"""Doctor's TS409: release-like tags of this package that no configured format reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship.config import Config, CzConfig, TagshipConfig
from tagship.diagnose import tag_rules
from tests.helpers import commit, git, init_repo


@pytest.mark.parametrize(
    ("tags", "formats", "strays"),
    [
        (["v1.0.0", "v1.1.0"], ("v$version",), []),
        (["v0.1.0", "2.0.0"], ("$version",), ["v0.1.0"]),
        (["v0.1.0", "2.0.0"], ("$version", "v$version"), []),
        (["latest", "nightly", "2.0.0"], ("$version",), []),
        (["cli-v1.0.0", "2.0.0"], ("$version",), []),
        (["pkg-v1.0.0", "2.0.0"], ("$version",), ["pkg-v1.0.0"]),
        (["v1.0+local", "2.0.0"], ("$version",), []),
    ],
)
def test_unmatched(tags: list[str], formats: tuple[str, ...], strays: list[str]) -> None:
    assert tag_rules.unmatched(tags, formats, "pkg") == strays


def test_the_finding_names_the_tags_and_the_setting(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    commit(repo, "feat: first")
    for tag in ("v0.1.0", "v0.2.0", "1.0.0"):
        git(repo, "tag", tag)
    cz = CzConfig(path=repo / ".cz.toml", tag_format="$version")
    config = Config(root=repo, project_name="pkg", cz=cz, tagship=TagshipConfig())
    finding = tag_rules.unmatched_tags(config)
    assert finding.status == "failed"
    assert finding.message == "tags v0.1.0, v0.2.0 match no tag format ('$version')"
    assert finding.fix == (
        "add 'v$version' to legacy_tag_formats in .cz.toml, or delete the tags if they are "
        "not releases"
    )
    legacy = CzConfig(path=cz.path, tag_format="$version", legacy_tag_formats=("v$version",))
    ok = Config(root=repo, project_name="pkg", cz=legacy, tagship=TagshipConfig())
    assert tag_rules.unmatched_tags(ok).status == "passed"
