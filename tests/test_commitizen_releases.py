"""End to end: real commitizen releases in real repositories, then `route` and `notes`.

For each version scheme, one repository goes through rc0, rc1 and the graduation to the
final release (with no new commit: changelog_merge_prerelease merges the rc sections).
Each tag is checked out in its own worktree, as a release job would see it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tagship.index import LocalIndex
from tests.helpers import BIN, commit, cz, git, run, sample_project, tagship

SCHEMES = {
    "pep440": ["v0.1.0rc0", "v0.1.0rc1", "v0.1.0"],
    "semver": ["v0.1.0-rc0", "v0.1.0-rc1", "v0.1.0"],
    "semver2": ["v0.1.0-rc.0", "v0.1.0-rc.1", "v0.1.0"],
}
VERSIONS = ["0.1.0rc0", "0.1.0rc1", "0.1.0"]
PIP_INDEX_SETTINGS = {"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX"}


@dataclass(frozen=True)
class Released:
    """A repository after three real `cz bump` runs."""

    scheme: str
    tags: list[str]
    """The tags commitizen created, oldest first."""
    checkouts: dict[str, Path]
    """A worktree at each tag."""


def _bump(repo: Path, *args: str) -> str:
    """Run `cz bump`; the tag it created (on the bump commit it made)."""
    cz(repo, "bump", *args, "--yes")
    return git(repo, "tag", "--points-at", "HEAD")


def _release(base: Path, scheme: str) -> Released:
    repo = sample_project(base / "repo", scheme=scheme)
    commit(repo, "feat: greet by name", {"src/sample_pkg/greet.py": "NAME = 'world'\n"})
    tags = [_bump(repo, "--prerelease", "rc")]
    commit(repo, "fix: greet an empty name", {"src/sample_pkg/greet.py": "NAME = ''\n"})
    tags.append(_bump(repo, "--prerelease", "rc"))
    tags.append(_bump(repo))  # graduation, no new commit of ours
    checkouts = {}
    for tag in tags:
        checkouts[tag] = base / f"at-{tag}"
        git(repo, "worktree", "add", "--detach", str(checkouts[tag]), tag)
    return Released(scheme, tags, checkouts)


def _check_route(released: Released, step: int, github_output: Path) -> None:
    tag = released.tags[step]
    ran = tagship(
        released.checkouts[tag],
        "route",
        "--json",
        "--github-output",
        env={"GITHUB_REF": f"refs/tags/{tag}", "GITHUB_OUTPUT": str(github_output)},
    )
    assert ran.returncode == 0, ran.stderr
    final = step == 2
    assert json.loads(ran.stdout) == {
        "tag": tag,
        "version": VERSIONS[step],
        "base_version": "0.1.0",
        "kind": "final" if final else "rc",
        "prerelease": not final,
        "channel": "pypi" if final else "testpypi",
        "index_url": "https://pypi.org/simple/" if final else "https://test.pypi.org/simple/",
    }
    assert github_output.read_text().splitlines()[-5:-2] == [
        f"version={VERSIONS[step]}",
        f"kind={'final' if final else 'rc'}",
        f"prerelease={'false' if final else 'true'}",
    ]


def _notes(released: Released, at: str, asked: str) -> str:
    ran = tagship(released.checkouts[at], "notes", asked)
    assert ran.returncode == 0, ran.stderr
    return ran.stdout


def _section(notes: str) -> str:
    return notes.partition("### Testing this pre-release")[0]


def _check_notes_of_rc0(released: Released) -> None:
    tag = released.tags[0]
    notes = _notes(released, tag, tag)
    assert _section(notes) == "### Feat\n\n- greet by name\n- initial version\n\n"
    assert "pip download --no-deps --index-url https://test.pypi.org/simple/" in notes
    assert "'sample-pkg==0.1.0rc0'" in notes
    assert notes.endswith("sample-pkg --version   # prints 0.1.0rc0\n```\n")


def _check_notes_of_rc1(released: Released) -> None:
    """rc1's notes hold only what rc1 added, whatever spelling is asked for."""
    tag = released.tags[1]
    for asked in (tag, f"refs/tags/{tag}", "0.1.0rc1", "v0.1.0-rc.1"):
        notes = _notes(released, tag, asked)
        assert _section(notes) == "### Fix\n\n- greet an empty name\n\n", asked
        assert "'sample-pkg==0.1.0rc1'" in notes
    # The older section is still in the file at this tag.
    assert _section(_notes(released, tag, released.tags[0])).startswith("### Feat")


def _check_notes_of_final(released: Released) -> None:
    """The final release's notes merge the pre-releases, whose sections are gone."""
    tag = released.tags[2]
    assert _notes(released, tag, tag) == (
        "### Feat\n\n- greet by name\n- initial version\n\n### Fix\n\n- greet an empty name\n"
    )
    ran = tagship(released.checkouts[tag], "notes", released.tags[0])
    assert ran.returncode == 1
    assert ran.stderr == "error: CHANGELOG.md has no section for 0.1.0rc0; it has 0.1.0\n"


# One repository per scheme, checked in one test: each `cz bump` takes seconds, and a
# shared fixture would be built again on every xdist worker that runs one of its tests.
@pytest.mark.slow
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_route_and_notes_on_each_commitizen_release(scheme: str, tmp_path: Path) -> None:
    released = _release(tmp_path, scheme)
    assert released.tags == SCHEMES[scheme]
    for step in range(3):
        _check_route(released, step, tmp_path / "github_output")
    _check_notes_of_rc0(released)
    _check_notes_of_rc1(released)
    _check_notes_of_final(released)


def _shell_block(notes: str) -> str:
    found = re.search(r"```sh\n(.*?)```", notes, re.DOTALL)
    assert found is not None, notes
    return found.group(1)


@pytest.mark.slow(seconds=5)
def test_testing_instructions_install_the_prerelease(
    tmp_path: Path, local_index: LocalIndex
) -> None:
    """Run the notes' own shell block: the rc comes from the test index, and only from it."""
    name = "tagship-notes-probe"  # not on PyPI: only the test index can serve it
    repo = sample_project(
        tmp_path / "repo",
        name=name,
        extra_pyproject=(
            f'\n[tool.tagship.channels]\nrc = "local"\n'
            f'[tool.tagship.indexes.local]\nurl = "{local_index.url}"\n'
        ),
    )
    cz(repo, "bump", "--prerelease", "rc", "--yes")
    run([BIN / "uv", "build", "--quiet", "--wheel", "--out-dir", "dist"], repo)
    publish: list[str | Path] = [BIN / "uv", "publish", "--publish-url", local_index.upload_url]
    run([*publish, "--username", "x", "--password", "x", "dist/*"], repo)
    ran = tagship(repo, "notes", "v0.1.0rc0")
    assert ran.returncode == 0, ran.stderr
    block = _shell_block(ran.stdout)
    assert local_index.url in block
    work = tmp_path / "user"
    work.mkdir()
    # The machine's own pip configuration (extra indexes, find-links) must not take part.
    # (PIP_CERT and the like stay: they say how to reach an index, not which one.)
    env = {k: v for k, v in os.environ.items() if k not in PIP_INDEX_SETTINGS}
    tried = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=work,
        env={**env, "PIP_CONFIG_FILE": os.devnull},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert tried.returncode == 0, tried.stderr
    assert tried.stdout.splitlines()[-1] == "0.1.0rc0"
    assert sorted(p.name for p in (work / f"try-{name}" / "dist").iterdir()) == [
        "tagship_notes_probe-0.1.0rc0-py3-none-any.whl"
    ]
