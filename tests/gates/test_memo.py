"""The memo of a fully passed commit: trusted exactly while every fact of the key holds.

Real repositories and real `tagship gate` runs write the memo; `lookup` is then asked,
in-process, about other commits and other environments.
"""

from __future__ import annotations

import json
from pathlib import Path

from tagship import git
from tagship.gates import memo
from tests.helpers import commit, link_project_env, sample_project, tagship


def _store(repo: Path) -> Path:
    return repo / ".git" / "tagship" / "gates"


def _gated(tmp_path: Path, gates: str) -> Path:
    table = "\n[tool.tagship.gates]\n" + gates
    repo = link_project_env(sample_project(tmp_path / "repo", extra_pyproject=table))
    assert tagship(repo, "gate").returncode == 0
    return repo


def _hit(repo: Path, rev: str = "HEAD") -> list[str] | None:
    records = memo.lookup(repo, _store(repo), git.ls_tree(repo, rev))
    return None if records is None else [record["gate"] for record in records]


def test_a_changelog_only_commit_is_a_hit_and_any_other_change_is_not(tmp_path: Path) -> None:
    repo = _gated(tmp_path, 'a = "true"\nb = "true"\n')
    assert _hit(repo) == ["a", "b"]
    commit(repo, "docs: changelog", {"CHANGELOG.md": "# Changelog\n"})
    assert _hit(repo) == ["a", "b"]
    commit(repo, "feat: more", {"src/sample_pkg/more.py": "X = 1\n"})
    assert _hit(repo) is None
    commit(repo, "chore: rename", {"README.rst": "x\n"})
    assert _hit(repo) is None


def test_a_changed_gate_definition_is_a_miss(tmp_path: Path) -> None:
    repo = _gated(tmp_path, 'a = "true"\n')
    text = (repo / "pyproject.toml").read_text().replace('a = "true"', 'a = "false"')
    commit(repo, "build: stricter", {"pyproject.toml": text})
    assert _hit(repo) is None


def test_a_changed_environment_is_a_miss(tmp_path: Path) -> None:
    repo = link_project_env(sample_project(tmp_path / "repo"))
    # its own venv, so that the test may change what is installed
    (repo / ".venv").unlink()
    site = repo / ".venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (repo / ".venv" / "pyvenv.cfg").write_text("version_info = 3.11.7\n")
    commit(
        repo,
        "build: gates",
        {
            "pyproject.toml": (repo / "pyproject.toml").read_text()
            + '\n[tool.tagship.gates]\na = "true"\n'
        },
    )
    assert tagship(repo, "gate").returncode == 0
    assert _hit(repo) == ["a"]
    (site / "ruff-0.12.0.dist-info").mkdir()
    assert _hit(repo) is None


def test_no_memo_when_a_gate_names_its_inputs(tmp_path: Path) -> None:
    # The changelog does not exist yet, but `*.md` will match it once `cz bump` writes it.
    repo = _gated(tmp_path, 'docs = { run = "true", inputs = ["*.md"] }\n')
    assert not (_store(repo) / "memo.json").exists()
    commit(repo, "docs: changelog", {"CHANGELOG.md": "# Changelog\n"})
    assert _hit(repo) is None


def test_a_memo_whose_passes_are_gone_is_not_trusted(tmp_path: Path) -> None:
    repo = _gated(tmp_path, 'a = "true"\nb = "true"\n')
    passes = _store(repo) / "passes.json"
    data = json.loads(passes.read_text())
    data["passes"] = dict(list(data["passes"].items())[:1])  # one evicted
    passes.write_text(json.dumps(data))
    assert _hit(repo) is None
    passes.write_text('{"passes": {"x": "corrupt"}}')
    assert _hit(repo) is None
    (_store(repo) / "memo.json").write_text('{"heads": [[1, 2]], "memo": []}')
    assert _hit(repo) is None


def test_an_upgrade_of_tagships_gate_code_starts_afresh(
    tmp_path: Path, monkeypatch: object
) -> None:
    repo = _gated(tmp_path, 'a = "true"\n')
    files = git.ls_tree(repo, "HEAD")
    key = memo.memo_key("CHANGELOG.md", "sample-pkg", files, "env")
    import pytest  # noqa: PLC0415

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(memo, "_salt", lambda: [0])
        assert memo.memo_key("CHANGELOG.md", "sample-pkg", files, "env") != key
