"""TS102 refuses what PyPI refuses in a wheel: broken copies of a real `uv build` wheel."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tagship.checks.wheels import wheel_problems
from tests.commands.checking import check_json
from tests.dists import build_sample, rewrite_wheel, shared_dir

pytestmark = pytest.mark.slow

INIT = "wheel_probe/__init__.py"
RECORD = "wheel_probe-0.1.0.dist-info/RECORD"


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = shared_dir(tmp_path_factory, "wheels")
    return build_sample(root, "wheel-probe", "v0.1.0", kinds=("--wheel", "--sdist"))


def _wheel(dists: list[Path]) -> Path:
    return next(path for path in dists if path.suffix == ".whl")


def test_the_real_wheel_has_no_problem(dists: list[Path]) -> None:
    assert wheel_problems(_wheel(dists)) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"filename": "wheel_probe-0.1.0-py3-none-linux_x86_64.whl"},
            "platform tag linux_x86_64: PyPI refuses plain linux wheels",
        ),
        ({"files": {INIT: b"changed = True\n"}}, "do not match their RECORD hash or size"),
        ({"files": {"wheel_probe/extra.py": b"X = 1\n"}}, "files missing from RECORD"),
        ({"drop": [INIT]}, f"RECORD lists files the wheel lacks ({INIT})"),
        ({"drop": [RECORD]}, f"no {RECORD}"),
        (
            {"files": {"other-1.0.dist-info/METADATA": b"Name: other\n"}},
            "2 .dist-info folders (other-1.0.dist-info, wheel_probe-0.1.0.dist-info)",
        ),
    ],
)
def test_broken_wheels_are_refused(
    dists: list[Path], tmp_path: Path, change: dict[str, object], problem: str
) -> None:
    broken = rewrite_wheel(_wheel(dists), tmp_path, **change)  # type: ignore[arg-type]
    assert any(problem in found for found in wheel_problems(broken)), wheel_problems(broken)


def test_a_file_recorded_twice_is_refused(dists: list[Path], tmp_path: Path) -> None:
    # the last line wins when RECORD is read as a mapping: a stale first line went unseen
    with zipfile.ZipFile(_wheel(dists)) as archive:
        record = archive.read(RECORD).decode()
    stale = f"{INIT},sha256=AAAA,1\n"
    broken = rewrite_wheel(_wheel(dists), tmp_path, files={RECORD: (stale + record).encode()})
    problems = wheel_problems(broken)
    assert any(f"RECORD lists files twice ({INIT})" in found for found in problems), problems


def test_check_dist_fails_a_linux_wheel(dists: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "dist"
    sdist = next(path for path in dists if path.name.endswith(".tar.gz"))
    folder.mkdir()
    shutil.copy(sdist, folder / sdist.name)
    rewrite_wheel(_wheel(dists), folder, filename="wheel_probe-0.1.0-py3-none-linux_x86_64.whl")
    repo = sdist.parent.parent / "wheel-probe-v0.1.0-src"
    ran, results = check_json(repo, "v0.1.0", "--dist", str(folder))
    assert ran.returncode == 1
    finding = results["dists-match"]
    assert "platform tag linux_x86_64" in finding["message"]
    assert finding["level"] == "error"
