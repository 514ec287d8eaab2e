from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import CZ_TOML, tagship, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, {".cz.toml": CZ_TOML.format(scheme="pep440", tag_format="v$version")})
    return tmp_path


def test_route_json(project: Path) -> None:
    ran = tagship(project, "route", "refs/tags/v0.2.0-rc1", "--json")
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {
        "tag": "v0.2.0-rc1",
        "version": "0.2.0rc1",
        "base_version": "0.2.0",
        "kind": "rc",
        "prerelease": True,
        "channel": "testpypi",
        "index_url": "https://test.pypi.org/simple/",
    }


def test_route_refuses_hostile_tag_without_writing(project: Path) -> None:
    out = project / "github_output"
    ran = tagship(
        project,
        "route",
        "--github-output",
        env={"GITHUB_REF_NAME": "v1.0.0$(touch pwned)", "GITHUB_OUTPUT": str(out)},
    )
    assert ran.returncode == 1
    assert ran.stdout == ""
    assert ran.stderr.count("\n") == 1
    assert "Traceback" not in ran.stderr
    assert not out.exists()
    assert not (project / "pwned").exists()


def test_route_github_output(project: Path) -> None:
    out = project / "github_output"
    ran = tagship(project, "route", "v1.0.0", "--github-output", env={"GITHUB_OUTPUT": str(out)})
    assert ran.returncode == 0, ran.stderr
    assert out.read_text() == (
        "version=1.0.0\nkind=final\nprerelease=false\nchannel=pypi\n"
        "index-url=https://pypi.org/simple/\n"
    )


def test_broken_config_is_exit_2_naming_the_file(project: Path) -> None:
    (project / ".cz.toml").write_text("[tool.commitizen\n")
    ran = tagship(project, "route", "v1.0.0")
    assert ran.returncode == 2
    assert ".cz.toml" in ran.stderr
    assert "Traceback" not in ran.stderr
