"""`tagship doctor` passes on every adopted project and names the rule each breakage breaks."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from tests.commands.projects import MAKERS
from tests.diagnose.tampering import TAMPERINGS
from tests.helpers import BIN, git, run, tagship

REMOTE = "git@github.com:acme/rocket.git"


def _adopt(path: Path) -> Path:
    result = tagship(path, "init", "--no-install")  # `uv sync` and its hooks: test_day_one
    assert result.returncode == 0, result.stderr
    run([BIN / "pre-commit", "install"], path)  # hooks installed by the real pre-commit
    git(path, "remote", "add", "origin", REMOTE)
    return path


def doctor_report(path: Path) -> tuple[int, dict[str, Any]]:
    result = tagship(path, "doctor", "--json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {rule["id"]: rule["status"] for rule in report["rules"]}


def test_doctor_prints_the_trusted_publisher_values(adopted: Path) -> None:
    result = tagship(adopted, "doctor")
    assert result.returncode == 0, result.stderr
    assert (
        "pypi (https://pypi.org/manage/account/publishing/):\n"
        "  PyPI project name: uvp\n"
        "  Owner:             acme\n"
        "  Repository name:   rocket\n"
        "  Workflow name:     release.yml\n"
        "  Environment name:  release\n"
    ) in result.stderr


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _adopt(MAKERS["uv-package"](tmp_path_factory.mktemp("adopted") / "project"))
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--no-verify", "--message=build: adopt tagship")
    git(project, "tag", "--annotate", "--message=v0.1.0", "v0.1.0")
    return project


def _edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        target = path / name
        text = target.read_text(encoding="utf-8")
        assert old in text, (name, old)
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _delete(name: str) -> Callable[[Path], None]:
    return lambda path: (path / name).unlink()


def _write(name: str, text: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        (path / name).write_text(text, encoding="utf-8")

    return write


def _release_branch(branch: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        document = tomlkit.parse((path / "pyproject.toml").read_text(encoding="utf-8"))
        tool = document.setdefault("tool", tomlkit.table())
        tool.setdefault("tagship", tomlkit.table())["release-branch"] = branch
        (path / "pyproject.toml").write_text(tomlkit.dumps(document), encoding="utf-8")

    return edit


RELEASE = ".github/workflows/release.yml"
PRE_COMMIT = ".pre-commit-config.yaml"
BREAKAGES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "hatch-vcs reads other tags": (
        _edit("pyproject.toml", 'tag_regex = "^v(?P<version>', 'tag_regex = "^(?P<version>'),
        ("TS401",),
    ),
    "tag_format unlike the tags": (
        _edit(".cz.toml", '"v$version"', '"$version"'),
        # the build, the workflow and the tags (TS409) also disagree with it now
        ("TS401", "TS402", "TS409", "TS421"),
    ),
    "semver scheme": (_edit(".cz.toml", '"pep440"', '"semver"'), ("TS403",)),
    "changelog off": (
        _edit(".cz.toml", "update_changelog_on_bump = true", "update_changelog_on_bump = false"),
        ("TS404",),
    ),
    "pep621 provider": (_edit(".cz.toml", '"scm"', '"pep621"'), ("TS405",)),
    "static __version__": (
        _edit("src/uvp/__init__.py", "def main", '__version__ = "0.1.0"\n\n\ndef main'),
        ("TS406",),
    ),
    "release branch unlike the repository's": (_release_branch("trunk"), ("TS412",)),
    "repos as a mapping": (_write(PRE_COMMIT, "repos:\n  local:\n    hooks: []\n"), ("TS411",)),
    "hooks as a string": (
        _write(PRE_COMMIT, "repos:\n  - repo: local\n    hooks: tagship\n"),
        ("TS411",),
    ),
    "cz from PATH": (_edit(PRE_COMMIT, "entry: uv run --frozen cz ", "entry: cz "), ("TS411",)),
    "no pre-push hook": (_delete(".git/hooks/pre-push"), ("TS410",)),
    "no workflow": (_delete(RELEASE), ("TS420",)),
    "branch trigger": (_edit(RELEASE, '      - "v*"', '      - "release-*"'), ("TS421",)),
    "write-all": (
        _edit(RELEASE, "permissions: {}", "permissions: write-all"),
        ("TS422", "TS427"),
    ),
    "id-token in build": (
        _edit(RELEASE, "contents: read # check out", "id-token: write # check out"),
        ("TS422",),
    ),
    "moving tag": (
        _edit(RELEASE, "checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", "checkout@v7"),
        ("TS423", "TS427"),
    ),
    "shallow checkout": (_edit(RELEASE, "fetch-depth: 0", "fetch-depth: 1"), ("TS424",)),
    "expression in run": (
        _edit(RELEASE, "run: uv build", "run: uv build ${{ github.head_ref }}"),
        ("TS425", "TS427"),
    ),
    "ci on pull_request_target": (
        _edit(".github/workflows/ci.yml", "  pull_request:\n", "  pull_request_target:\n"),
        ("TS453", "TS427"),
    ),
    "renamed environment": (
        _edit(RELEASE, 'environment: "release"\n', 'environment: "production"\n'),
        ("TS426",),
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_doctor_fails_with_the_right_rule(adopted: Path, tmp_path: Path, breakage: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(adopted, project, symlinks=True)
    breaking, rules = BREAKAGES[breakage]
    breaking(project)
    code, report = doctor_report(project)
    failed = {rule for rule, status in statuses(report).items() if status == "failed"}
    assert code == 1
    assert set(rules) <= failed
    # Warnings only: "not what init writes" comes with any edit; test projects have no uv.lock.
    assert failed - set(rules) <= {"TS408", "TS428"}


def test_a_shallow_clone_fails_not_shallow(adopted: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    run(["git", "clone", "--quiet", "--depth=1", f"file://{adopted}", clone], tmp_path)
    code, report = doctor_report(clone)
    assert code == 1
    assert statuses(report)["TS430"] == "failed"


def _opt_out(path: Path) -> None:
    document = tomlkit.parse((path / "pyproject.toml").read_text(encoding="utf-8"))
    tool = document.setdefault("tool", tomlkit.table())
    tool.setdefault("tagship", tomlkit.table())["generate-workflow"] = False
    (path / "pyproject.toml").write_text(tomlkit.dumps(document), encoding="utf-8")


def _doctor_after(adopted: Path, project: Path, change: Callable[[Path], None]) -> dict[str, Any]:
    shutil.copytree(adopted, project, symlinks=True)
    change(project)
    code, report = doctor_report(project)
    assert code == 1
    return report


def _tamper(name: str) -> Callable[[Path], None]:
    old, new, _ = TAMPERINGS[name]
    return _edit(RELEASE, old, new)


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_a_tampered_generated_workflow_fails(adopted: Path, tmp_path: Path, tampering: str) -> None:
    rule = TAMPERINGS[tampering][2]
    report = _doctor_after(adopted, tmp_path / "project", _tamper(tampering))
    found = {finding["id"]: finding for finding in report["rules"]}
    assert found["TS428"]["status"] == "failed"
    assert found["TS428"]["message"].startswith(
        ".github/workflows/release.yml differs from what tagship init writes for this project:\n"
    )
    assert "       +" in found["TS428"]["message"]  # the short diff shows the edit
    assert "tagship init --force" in found["TS428"]["fix"]
    assert found[rule]["status"] == "failed", found[rule]


# Each tampering against the invariants alone: tests/diagnose/test_workflow_invariants.py.
@pytest.mark.parametrize("tampering", ["curl | sh before the build", "verify may fail"])
def test_an_own_workflow_is_held_to_the_invariants(
    adopted: Path, tmp_path: Path, tampering: str
) -> None:
    rule = TAMPERINGS[tampering][2]

    def own_and_tampered(path: Path) -> None:
        _opt_out(path)
        _tamper(tampering)(path)

    report = _doctor_after(adopted, tmp_path / "project", own_and_tampered)
    failed = {rule["id"] for rule in report["rules"] if rule["status"] == "failed"}
    assert statuses(report)["TS428"] == "skipped"
    assert rule in failed
    assert failed - {rule} <= {"TS408", "TS427"}  # zizmor may see the same problem


def test_an_own_untouched_workflow_passes(adopted: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(adopted, project, symlinks=True)
    _opt_out(project)
    code, report = doctor_report(project)
    assert (code, statuses(report)["TS428"], statuses(report)["TS450"]) == (0, "skipped", "passed")


PREK = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "prek"


@pytest.mark.skipif(not PREK.exists(), reason="prek is not in the dev group")
def test_prek_installed_hooks_pass_and_run_from_a_plain_shell(
    adopted: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(adopted, project, symlinks=True)
    run([PREK, "install", "-t", "commit-msg", "-t", "pre-push"], project)  # over pre-commit's
    code, report = doctor_report(project)
    # migration mode: the old pre-commit hook runs every hook a second time
    assert (code, statuses(report)["TS410"]) == (1, "failed")
    assert "prek install -f" in json.dumps(report)
    run([PREK, "install", "-f", "-t", "commit-msg", "-t", "pre-push"], project)
    _, report = doctor_report(project)
    assert "legacy" not in json.dumps(report)
    assert statuses(report)["TS410"] == "passed"
    assert statuses(report)["TS411"] == "passed"
    # prek's hook script names its binary; once that is gone the hooks cannot start
    hook = project / ".git" / "hooks" / "pre-push"
    text = hook.read_text(encoding="utf-8")
    hook.write_text(text.replace(str(PREK), str(tmp_path / "gone" / "prek")), encoding="utf-8")
    code, report = doctor_report(project)
    assert (code, statuses(report)["TS411"]) == (1, "failed")
