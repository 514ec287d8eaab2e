"""No false pass: a pass is recorded only for exactly the commit's files in a known environment.

Each test makes the checkout or the caller's environment rescue a broken commit in a way
`tagship gate` once trusted (issue 13), and asserts that the gate now fails and records
nothing. Real git, real tagship, real pytest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tagship.gates.checkout import blob_id, harmful_ignored, same_as_commit, stale_worktrees
from tagship.gates.environment import gate_variables, system_path
from tagship.gates.store import valid_passes
from tests.helpers import commit, git, link_project_env, sample_project, tagship, write


def _gated(tmp_path: Path, gates: str) -> Path:
    table = "\n[tool.tagship.gates]\n" + gates
    return link_project_env(sample_project(tmp_path / "repo", extra_pyproject=table))


def _gate(repo: Path, env: dict[str, str] | None = None) -> dict[str, object]:
    ran = tagship(repo, "gate", "--json", env=env)
    assert ran.returncode in (0, 1), ran.stderr
    data: dict[str, object] = json.loads(ran.stdout)
    return data


def _store(repo: Path) -> Path:
    return repo / ".git" / "tagship" / "gates" / "passes.json"


def test_an_ignored_file_does_not_earn_a_pass(tmp_path: Path) -> None:
    repo = _gated(tmp_path, 'settings = "test -f local_settings.py"\n')
    commit(repo, "chore: ignore local settings", {".gitignore": "local_settings.py\n.venv\n"})
    write(repo, {"local_settings.py": "DEBUG = True\n"})
    data = _gate(repo)
    assert data["worktree"] is True  # the checkout holds a file the commit does not
    assert data["passed"] is False
    assert not _store(repo).exists()


def test_harmless_ignored_files_keep_the_run_in_place(tmp_path: Path) -> None:
    repo = _gated(tmp_path, 'ok = "true"\n')
    write(repo, {"src/sample_pkg/__pycache__/x.cpython-311.pyc": "", "dist/a.whl": ""})
    data = _gate(repo)
    assert (data["worktree"], data["passed"]) == (False, True)


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_an_edit_hidden_from_git_status_does_not_earn_a_pass(tmp_path: Path, flag: str) -> None:
    repo = _gated(tmp_path, 'good = "grep -q good src/sample_pkg/state.py"\n')
    commit(repo, "feat: bad state", {"src/sample_pkg/state.py": "STATE = 'bad'\n"})
    git(repo, "update-index", flag, "src/sample_pkg/state.py")
    write(repo, {"src/sample_pkg/state.py": "STATE = 'good'\n"})
    assert git(repo, "status", "--porcelain") == ""  # what the old exactness test saw
    data = _gate(repo)
    assert (data["worktree"], data["passed"]) == (True, False)


FAILING_TEST = """\
def test_good() -> None:
    assert True


def test_bad() -> None:
    assert False
"""


@pytest.mark.parametrize(
    "variables",
    [
        {"PYTEST_ADDOPTS": "-k test_good"},
        {"PYTHONPATH": "/nonexistent", "PYTEST_ADDOPTS": "--deselect tests/test_x.py::test_bad"},
    ],
)
def test_the_callers_environment_cannot_make_a_pass(
    tmp_path: Path, variables: dict[str, str]
) -> None:
    repo = _gated(tmp_path, 'tests = "pytest -q -p no:cacheprovider tests"\n')
    commit(repo, "test: one failing", {"tests/test_x.py": FAILING_TEST})
    data = _gate(repo, env=variables)
    assert data["passed"] is False
    assert not _store(repo).exists()


def test_a_gate_sees_only_kept_variables_and_its_own(tmp_path: Path) -> None:
    seen = tmp_path / "seen.env"
    repo = _gated(tmp_path, f'env = {{ run = "env > {seen}", env = {{ MINE = "1" }} }}\n')
    assert _gate(repo, env={"MYPYPATH": "x", "RUFF_FIX": "1", "HOME": "/h"})["passed"] is True
    names = {line.partition("=")[0] for line in seen.read_text().splitlines()}
    assert {"MINE", "HOME", "PATH", "VIRTUAL_ENV", "LC_ALL"} <= names
    assert not names & {"MYPYPATH", "RUFF_FIX", "PYTEST_ADDOPTS", "PYTHONPATH"}
    assert str(repo / ".venv") in seen.read_text()


# ---- pure parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        ([".venv/", "src/pkg/__pycache__/", ".mypy_cache/", "dist/"], []),
        (["src/pkg.egg-info/", "a/b/c.pyc", ".ruff_cache/", ".pytest_cache/"], []),
        (["local_settings.py", ".env", "build/"], ["local_settings.py", ".env", "build/"]),
        (["envs/py311/"], []),  # UV_PROJECT_ENVIRONMENT=envs/py311
        (["envs/py312/"], ["envs/py312/"]),
    ],
)
def test_harmful_ignored(paths: list[str], expected: list[str]) -> None:
    assert harmful_ignored(paths, "envs/py311") == expected


def test_blob_id_is_gits() -> None:
    assert blob_id(b"", sha256=False) == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    assert blob_id(b"hello\n", sha256=False) == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert len(blob_id(b"", sha256=True)) == 64


def test_same_as_commit_compares_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_bytes(b"hello\n")
    files = {"a.toml": "ce013625030ba8dba906f756967f9e9ca394464a"}
    assert same_as_commit(tmp_path, files, ("a.toml", "b.toml"))
    assert not same_as_commit(tmp_path, {}, ("a.toml",))  # in the checkout only
    assert not same_as_commit(tmp_path, {**files, "b.toml": "0" * 40}, ("b.toml",))
    (tmp_path / "a.toml").write_bytes(b"hello!\n")
    assert not same_as_commit(tmp_path, files, ("a.toml",))


@pytest.mark.parametrize(
    ("worktrees", "alive", "expected"),
    [
        ([("/t/tagship-gate-1/checkout", "tagship gate pid 10")], {10}, []),
        (
            [("/t/tagship-gate-1/checkout", "tagship gate pid 10")],
            set(),
            ["/t/tagship-gate-1/checkout"],
        ),
        ([("/work/feature", None), ("/work/locked", "on a usb disk")], set(), []),
        ([("/x", "tagship gate pid ten")], set(), []),
    ],
)
def test_stale_worktrees(
    worktrees: list[tuple[str, str | None]], alive: set[int], expected: list[str]
) -> None:
    assert stale_worktrees(worktrees, alive) == expected


GOOD = {"gate": "lint", "commit": "c" * 40, "seconds": 1.5, "at": 10}


@pytest.mark.parametrize(
    ("data", "kept", "dropped"),
    [
        ({"passes": {"k": GOOD}}, {"k": GOOD}, 0),
        ({"passes": {"k": {**GOOD, "seconds": "1.5"}}}, {}, 1),
        ({"passes": {"k": {**GOOD, "commit": None}, "j": GOOD}}, {"j": GOOD}, 1),
        ({"passes": {"k": {**GOOD, "at": True}}}, {}, 1),
        ({"passes": {"k": {**GOOD, "extra": 1}}}, {}, 1),
        ({"passes": {"k": [1, 2]}}, {}, 1),
        ({"passes": [GOOD]}, {}, 1),
        ({}, {}, 0),
    ],
)
def test_valid_passes(data: dict[str, object], kept: dict[str, object], dropped: int) -> None:
    assert valid_passes(data) == (kept, dropped)


def test_gate_variables_drop_what_changes_a_result(tmp_path: Path) -> None:
    other = tmp_path / "other-venv"
    (other / "bin").mkdir(parents=True)
    (other / "pyvenv.cfg").write_text("")
    environ = {
        "PATH": f"{other / 'bin'}:/usr/bin:/bin",
        "HOME": "/home/u",
        "PYTEST_ADDOPTS": "-k x",
        "MYPYPATH": "stubs",
        "RUFF_FIX": "true",
        "PYTHONPATH": "/elsewhere",
        "VIRTUAL_ENV": str(other),
    }
    project = tmp_path / ".venv"
    assert gate_variables(environ, project) == {
        "HOME": "/home/u",
        "VIRTUAL_ENV": str(project),
        "PATH": f"{project / 'bin'}:/usr/bin:/bin",
    }
    assert gate_variables(environ, None) == {"HOME": "/home/u", "PATH": "/usr/bin:/bin"}
    assert system_path("/usr/bin::/bin") == "/usr/bin:/bin"
