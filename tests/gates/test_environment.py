from __future__ import annotations

from pathlib import Path

import pytest

from tagship.gates.environment import detect, distribution_of


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("ruff-0.11.2.dist-info", ("ruff", "0.11.2")),
        ("typing_extensions-4.12.2.dist-info", ("typing-extensions", "4.12.2")),
        ("Foo.Bar-1.0-py3.11.egg-info", ("foo-bar", "1.0")),
        ("ruff", None),
        ("__editable__.tagship-0.1.pth", None),
    ],
)
def test_distribution_of_directory_names(entry: str, expected: tuple[str, str] | None) -> None:
    assert distribution_of(entry) == expected


def _venv(root: Path, *dists: str) -> None:
    site = root / ".venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.11.7\n")
    for dist in dists:
        (site / dist).mkdir()


def test_fingerprint_follows_installed_tools_but_not_the_project_itself(tmp_path: Path) -> None:
    _venv(tmp_path, "ruff-0.11.0.dist-info", "my_pkg-0.1.dev3+gabc.dist-info")
    before = detect(tmp_path, project="my-pkg", commit_files={"uv.lock": "b1", "a.py": "b2"})
    assert before.python == "3.11.7"
    assert before.distributions == ("ruff==0.11.0",)
    assert before.locks == (("uv.lock", "b1"),)
    assert before.variables()["VIRTUAL_ENV"] == str(tmp_path / ".venv")
    site = tmp_path / ".venv" / "lib" / "python3.11" / "site-packages"
    (site / "my_pkg-0.1.dev3+gabc.dist-info").rename(site / "my_pkg-0.1.dev4+gdef.dist-info")
    same = detect(tmp_path, project="my-pkg", commit_files={"uv.lock": "b1", "a.py": "b3"})
    assert same.fingerprint() == before.fingerprint()
    (site / "ruff-0.11.0.dist-info").rename(site / "ruff-0.12.0.dist-info")
    upgraded = detect(tmp_path, project="my-pkg", commit_files={"uv.lock": "b1"})
    assert upgraded.fingerprint() != before.fingerprint()
    relocked = detect(tmp_path, project="my-pkg", commit_files={"uv.lock": "b9"})
    assert relocked.fingerprint() != upgraded.fingerprint()
