from __future__ import annotations

import json

import pytest
from packaging.version import Version

from tagship.config import Smoke
from tagship.report import Note, StepFailed
from tagship.verify.smoke import (
    Probe,
    Provided,
    parse_description,
    plan_probes,
    top_level_modules,
    version_probe,
)
from tagship.versions import printed_version


@pytest.mark.parametrize(
    ("top_level", "record", "modules"),
    [
        (None, ["demo/__init__.py", "demo/cli.py", "demo-1.0.dist-info/RECORD"], ("demo",)),
        ("", ["single.py", "single-1.0.dist-info/METADATA"], ("single",)),
        (
            None,
            ["_speedups.cpython-311-x86_64-linux-gnu.so", "fast/__init__.py"],
            ("_speedups", "fast"),
        ),
        (None, ["../../bin/demo", "demo.pth", "__pycache__/x.pyc", "d-1.0.data/scripts/x"], ()),
        (None, ["__editable___demo_finder.py", "README.md"], ()),
        (None, ["google/protobuf/__init__.py", "google/api/x.py"], ("google",)),
        ("a\nb\n\n", ["ignored/__init__.py"], ("a", "b")),
        ("pkg/sub\n", [], ("pkg.sub",)),
    ],
)
def test_top_level_modules(
    top_level: str | None, record: list[str], modules: tuple[str, ...]
) -> None:
    assert top_level_modules(top_level, record) == modules


@pytest.mark.parametrize(
    ("text", "version", "found"),
    [
        ("0.2.0rc1", "0.2.0rc1", True),
        ("demo 0.2.0rc1\n", "0.2.0rc1", True),
        ("demo, version 0.2.0-rc.1", "0.2.0rc1", True),
        ("demo v1.0.0 (built today)", "1.0", True),
        ("demo (1.0.0)", "1.0", True),
        ("demo 0.2.0", "0.2.0rc1", False),
        ("demo 0.2.0rc10", "0.2.0rc1", False),
        ("0.2.0rc1.dev3+g1234", "0.2.0rc1", False),
        ("", "1.0", False),
    ],
)
def test_printed_version(text: str, version: str, found: bool) -> None:
    assert printed_version(text, Version(version)) is found


def test_parse_description() -> None:
    text = json.dumps(
        {
            "version": "1.0",
            "scripts": ["demo"],
            "top_level": None,
            "files": ["demo/__init__.py", "demo-1.0.dist-info/RECORD", "../../bin/demo"],
        }
    )
    assert parse_description(text) == Provided(Version("1.0"), ("demo",), ("demo",))


@pytest.mark.parametrize(
    ("returncode", "shown", "verdict"),
    [
        (0, "demo 1.0", "demo 1.0"),
        (0, "Hello from app!", "note: starts, no version (printed 'Hello from app!')"),
        (0, "", "note: starts, no version (no output)"),
        (2, "usage: demo [-h]\ndemo: error: unrecognized arguments", "note: starts, no version"),
        (0, "demo 9.9.9", "failed: printed 'demo 9.9.9', not the version 1.0"),
        (1, "boom", "failed: exited 1"),
        (2, "Traceback (most recent call last):\n  ...", "failed: exited 2"),
    ],
)
def test_version_probe(returncode: int, shown: str, verdict: str) -> None:
    try:
        detail = version_probe(returncode, shown, Version("1.0"))
    except StepFailed as exc:
        found = f"failed: {exc}"
    else:
        found = f"note: {detail}" if isinstance(detail, Note) else detail
    assert found.startswith(verdict)


def test_plan_probes_replaces_skips_and_adds() -> None:
    smoke = {
        "demo": Smoke("demo", ("demo", "version"), "demo version"),
        "quiet": Smoke("quiet", (), ""),
        "extra": Smoke("extra", ("python", "-c", "pass"), "python -c pass"),
    }
    assert plan_probes(("demo", "other", "quiet"), smoke) == [
        Probe("script demo", ("demo", "version")),
        Probe("script other --version", None),
        Probe("script quiet", None, skip=True),
        Probe("smoke extra", ("python", "-c", "pass")),
    ]
