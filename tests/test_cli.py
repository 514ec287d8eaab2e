from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tagship.cli import main
from tests.helpers import run, tagship

COMMANDS = ("route", "notes", "check", "gate", "init", "doctor", "verify", "rehearse")


def test_python_m_tagship_runs(tmp_path: Path) -> None:
    ran = run([sys.executable, "-m", "tagship", "--version"], tmp_path)
    assert ran.stdout.startswith("tagship ")
    assert ran.stderr == ""


def test_help_lists_every_command(tmp_path: Path) -> None:
    ran = tagship(tmp_path, "--help")
    assert ran.returncode == 0
    for command in COMMANDS:
        assert f"    {command} " in ran.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"usage: tagship {command}")
    assert f"\ntagship {command}: " in shown  # what the command does, under the usage


def test_usage_error_is_exit_2_without_traceback(tmp_path: Path) -> None:
    ran = tagship(tmp_path, "route", "--no-such-option")
    assert ran.returncode == 2
    assert ran.stdout == ""
    assert ran.stderr.splitlines()[-1] == (
        "error: unrecognized arguments: --no-such-option (see 'tagship --help')"
    )


def test_unknown_command_is_exit_2(tmp_path: Path) -> None:
    ran = tagship(tmp_path, "publish")
    assert ran.returncode == 2
    assert "invalid choice: 'publish'" in ran.stderr
    assert "Traceback" not in ran.stderr
