from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tagship.cli import _BARE_PRE_PUSH, _route_fast_path, build_parser, main
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


@pytest.mark.parametrize(
    "argv",
    [
        ["route"],
        ["route", "v1.0.0"],
        ["route", "v1.0.0", "--json"],
        ["route", "--github-output", "refs/tags/v1.0.0", "--json"],
        ["route", "--json", "--json"],
        ["route", ""],
        ["route", "v1.0.0$(id);`x`"],
    ],
)
def test_routes_fast_path_parses_as_argparse_does(argv: list[str]) -> None:
    fast = _route_fast_path(argv)
    assert fast is not None
    assert fast == vars(build_parser("route").parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["notes", "v1.0.0"],
        ["route", "--help"],
        ["route", "-v"],
        ["-v", "route"],
        ["route", "--", "v1"],
        ["route", "--jsn"],
        ["route", "a", "b"],
        ["route", "-1.0"],
    ],
)
def test_anything_else_goes_to_argparse(argv: list[str]) -> None:
    assert _route_fast_path(argv) is None


def test_route_starts_without_argparse_dataclasses_or_pathlib(tmp_path: Path) -> None:
    (tmp_path / ".cz.toml").write_text('[tool.commitizen]\ntag_format = "v$version"\n')
    code = (
        "import sys, io; from tagship.cli import main; sys.stdout = io.StringIO(); "
        "code = main(['route', 'v1.0.0']); sys.stdout = sys.__stdout__; "
        "print(code, sorted(m for m in ('argparse', 'dataclasses', 'inspect', 'pathlib', 'json', "
        "'shlex', 'difflib', 'tempfile', 'logging') if m in sys.modules))"
    )
    ran = run([sys.executable, "-c", code], tmp_path)
    assert ran.stdout == "0 []\n"


def test_the_hook_line_taken_without_argparse_parses_as_argparse_parses_it() -> None:
    assert vars(build_parser("pre-push").parse_args(["pre-push"])) == _BARE_PRE_PUSH
