"""The plain shell the end-to-end tests use is what a newcomer has, and tagship installs."""

from __future__ import annotations

from pathlib import Path

from tests.userland import PlainShell


def test_a_plain_shell_has_only_uv_git_and_python(plain_shell: PlainShell) -> None:
    assert sorted(p.name for p in plain_shell.bin.iterdir()) == ["git", "python3", "uv", "uvx"]
    for tool in ("cz", "ruff", "mypy", "pytest", "pre-commit", "prek", "tagship"):
        found = plain_shell.run(["sh", "-c", f"command -v {tool}"], plain_shell.bin, check=False)
        assert found.returncode != 0, f"{tool} is on the plain shell's PATH: {found.stdout}"


def test_git_there_starts_repositories_on_master(plain_shell: PlainShell, tmp_path: Path) -> None:
    plain_shell.git(tmp_path, "init", "--quiet")
    plain_shell.git(tmp_path, "commit", "--quiet", "--allow-empty", "-m", "chore: start")
    assert plain_shell.git(tmp_path, "branch", "--show-current") == "master"


def test_uvx_tagship_runs_from_the_wheel_of_this_checkout(
    plain_shell: PlainShell, tmp_path: Path
) -> None:
    ran = plain_shell.run(["uvx", "tagship", "--help"], tmp_path)
    assert "usage: tagship" in ran.stdout
    assert [w.name for w in plain_shell.wheels.glob("tagship-*.whl")]


def test_a_new_environment_gets_the_bytecode_compiled_in_uv_s_cache(
    plain_shell: PlainShell, tmp_path: Path
) -> None:
    """The session compiled the warmed packages inside uv's cache: a project's new `.venv`
    is linked from there, `__pycache__` included, and compiles nothing on first import."""
    project = tmp_path / "p"
    plain_shell.run(["uv", "init", "--quiet", "--lib", "--name", "p", project], tmp_path)
    plain_shell.run(["uv", "add", "--quiet", "--dev", "commitizen"], project)
    site = next(project.glob(".venv/lib/python3.*/site-packages"))
    assert list((site / "commitizen" / "__pycache__").glob("cli.cpython-*.pyc"))
