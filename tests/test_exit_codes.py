"""The exit-code contract, per command: 0 success, 1 a failed check, gate or verification,
2 a usage or configuration error; always one line on stderr, never a traceback.

Usage and configuration errors are cheap and certain for every command; a failure and a
success are pinned where they are cheap to reach for real (a real repository, real git,
real commitizen config, an index on a closed port). The repositories are built once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tagship.cli import COMMAND_NAMES
from tests.helpers import commit, git, init_repo, tagship

OFFLINE = {"TAGSHIP_OFFLINE": "1"}
PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "exit-codes"
dynamic = ["version"]

[tool.hatch.version]
source = "vcs"

[tool.tagship]
release-branch = "master"
{extra}
[tool.tagship.gates]
{gate}
"""
CZ = """\
[tool.commitizen]
tag_format = "v$version"
version_provider = "scm"
update_changelog_on_bump = true
changelog_merge_prerelease = true
"""


def _project(root: Path, *, extra: str = "", gate: str = 'ok = "true"') -> Path:
    repo = init_repo(root)
    git(repo, "switch", "--quiet", "-C", "master")
    files = {
        "pyproject.toml": PYPROJECT.format(extra=extra, gate=gate),
        ".cz.toml": CZ,
        "CHANGELOG.md": "## v1.0.0 (2025-01-01)\n\n- first\n",
        "src/exit_codes/__init__.py": "",
    }
    commit(repo, "feat: first", files)
    git(repo, "tag", "-a", "-m", "v1.0.0", "v1.0.0")
    return repo


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("good") / "repo")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A typo in [tool.tagship]: every command that reads the project refuses it."""
    return _project(tmp_path_factory.mktemp("broken") / "repo", extra='release_branch = "x"\n')


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("failing") / "repo", gate='bad = "false"')


def _run(cwd: Path, *args: str) -> tuple[int, str]:
    ran = tagship(cwd, *args, env=OFFLINE)
    assert "Traceback" not in ran.stderr
    assert ran.stderr.endswith("\n") or ran.returncode == 0
    return ran.returncode, ran.stderr


def _exit(cwd: Path, *args: str) -> tuple[int, str]:
    """The exit code and the last line of stderr."""
    code, stderr = _run(cwd, *args)
    lines = stderr.strip().splitlines()
    return code, lines[-1].strip() if lines else ""


def test_every_command_is_pinned() -> None:
    assert set(COMMAND_NAMES) == set(CONFIG_ERRORS)


@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_a_usage_error_exits_2(good: Path, command: str) -> None:
    positional = ["1.0.0"] if command in {"notes", "verify"} else []
    code, line = _exit(good, command, *positional, "--no-such-option")
    assert (code, line) == (
        2,
        "error: unrecognized arguments: --no-such-option (see 'tagship --help')",
    )


# Each command as it reads the project; the key typo is found before anything runs.
CONFIG_ERRORS = {
    "route": ["v1.0.0"],
    "notes": ["1.0.0"],
    "check": ["v1.0.0", "--offline"],
    "gate": ["--no-cache"],
    "pre-push": [],  # under pre-commit: no arguments, the refs from PRE_COMMIT_* or HEAD
    "init": ["--dry-run", "--no-install"],
    "doctor": [],
    "verify": ["1.0.0", "--timeout", "1"],
    "rehearse": ["v1.0.0"],
}


@pytest.mark.parametrize("command", sorted(CONFIG_ERRORS))
def test_a_configuration_error_exits_2(broken: Path, command: str) -> None:
    code, line = _exit(broken, command, *CONFIG_ERRORS[command])
    assert code == 2
    # (pre-push may name the file as the gated commit holds it: `<commit>:pyproject.toml`)
    assert line.startswith("error: ")
    assert line.endswith(
        "pyproject.toml: [tool.tagship] release_branch: unknown "
        "key (did you mean release-branch?); keys are release-branch, channels, indexes, "
        "environments, smoke, gates, allow-final-without-rc, generate-workflow"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["route", "junk"], "error: tag 'junk' does not match tag_format 'v$version'"),
        (["notes", "9.9.9"], "error: CHANGELOG.md has no section for 9.9.9; it has 1.0.0"),
        (["check", "v9.9.9", "--offline"], "error: tag 'v9.9.9' does not exist here"),
        (["doctor"], "FAIL TS"),
        (
            ["verify", "1.0.0", "--index", "http://127.0.0.1:9/simple/", "--timeout", "0.5"],
            "error: verify failed at step 'wait for the index'",
        ),
        (["rehearse", "junk"], "error: tag 'junk' does not match tag_format 'v$version'"),
    ],
)
def test_a_failure_exits_1(good: Path, args: list[str], message: str) -> None:
    code, stderr = _run(good, *args)
    assert code == 1
    assert message in stderr


def test_a_failed_gate_exits_1(failing: Path) -> None:
    assert _exit(failing, "gate", "--no-cache")[0] == 1


@pytest.mark.parametrize(
    "args",
    [
        ["route", "v1.0.0"],
        ["notes", "1.0.0"],
        ["check", "v1.0.0", "--offline"],
        ["gate", "--no-cache"],
        ["init", "--dry-run", "--no-install"],
        ["pre-push", "origin", "https://example.org/repo.git"],  # nothing on stdin: no refs
    ],
)
def test_success_exits_0(good: Path, args: list[str]) -> None:
    assert _exit(good, *args)[0] == 0


def test_doctor_finds_a_smoke_command_that_needs_a_shell(tmp_path: Path) -> None:
    """Found before anything is published, not by verify after."""
    repo = init_repo(tmp_path / "repo")
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.tagship.smoke]\nx = "x --version | grep 1"\n',
        encoding="utf-8",
    )
    code, line = _exit(repo, "doctor")
    assert code == 2
    assert line == (
        f"error: {repo.resolve() / 'pyproject.toml'}: [tool.tagship.smoke] x: "
        "'x --version | grep 1' is refused: '|' is shell syntax, and smoke commands run "
        "without a shell; run one command; put a pipeline in a script"
    )
