from __future__ import annotations

import os
import shlex
import stat
import subprocess
from pathlib import Path

import pytest
from packaging.version import Version

from tagship.commands.notes import release_notes, requested_version, try_commands
from tagship.config import DEFAULT_INDEXES, Index, load
from tagship.versions import TagError, TagFormat
from tests.helpers import BIN, CZ_TOML, tagship, write

CHANGELOG = """\
## Unreleased

## v0.2.0 (2025-01-15)

### Feat

- a feature

## v0.2.0rc1 (2025-01-10)

### Fix

- a fix

## v0.1.0.post1 (2025-01-05)

- packaging only

## v0.1.0 (2025-01-01)

- first
"""

TESTING_RC1 = """\
### Fix

- a fix

### Testing this pre-release

This is a pre-release on testpypi. To try it in a fresh virtual environment, with \
sample-pkg taken only from testpypi and every dependency only from pypi:

```sh
python -m venv try-sample-pkg && . try-sample-pkg/bin/activate
pip download --no-deps --index-url https://test.pypi.org/simple/ --dest try-sample-pkg/dist \
'sample-pkg==0.2.0rc1'
pip install --index-url https://pypi.org/simple/ --find-links try-sample-pkg/dist \
'sample-pkg==0.2.0rc1'
Sample --version   # prints 0.2.0rc1
```
"""


# The console script's name and case differ from the project's: the notes use the script's.
NAMED = '[project]\nname = "sample-pkg"\n[project.scripts]\nSample = "sample_pkg:main"\n'


def _project(root: Path, *, tag_format: str = "v$version", pyproject: str | None = None) -> Path:
    write(
        root,
        {
            ".cz.toml": CZ_TOML.format(scheme="pep440", tag_format=tag_format),
            "pyproject.toml": NAMED if pyproject is None else pyproject,
            "CHANGELOG.md": CHANGELOG,
        },
    )
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return _project(tmp_path)


def _one_line_failure(ran_stderr: str, ran_stdout: str) -> str:
    assert ran_stdout == ""
    assert "Traceback" not in ran_stderr
    assert ran_stderr.count("\n") == 1
    return ran_stderr.strip()


@pytest.mark.parametrize(
    "spelling", ["0.2.0rc1", "0.2.0-rc1", "v0.2.0-rc.1", "refs/tags/v0.2.0rc1"]
)
def test_prerelease_notes_with_testing_block(project: Path, spelling: str) -> None:
    ran = tagship(project, "notes", spelling)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == TESTING_RC1
    assert ran.stderr == ""


@pytest.mark.parametrize(
    ("spelling", "notes"),
    [("v0.2.0", "### Feat\n\n- a feature\n"), ("0.1.0.post1", "- packaging only\n")],
)
def test_final_and_post_notes_have_no_testing_block(
    project: Path, spelling: str, notes: str
) -> None:
    ran = tagship(project, "notes", spelling)
    assert (ran.returncode, ran.stdout) == (0, notes)


def test_notes_from_a_subdirectory(project: Path) -> None:
    (project / "src").mkdir()
    ran = tagship(project / "src", "notes", "0.1.0")
    assert (ran.returncode, ran.stdout) == (0, "- first\n")


def test_output_file_is_replaced_whole(project: Path) -> None:
    target = project / "notes.md"
    target.write_text("old notes that are longer than the new ones\n" * 10)
    ran = tagship(project, "notes", "v0.2.0rc1", "--output", "notes.md")
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "", "")
    assert target.read_text() == TESTING_RC1
    assert target.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".notes")) == []


def test_failure_leaves_the_output_file_alone(project: Path) -> None:
    target = project / "notes.md"
    target.write_text("previous\n")
    ran = tagship(project, "notes", "9.9.9", "--output", "notes.md")
    assert ran.returncode == 1
    assert target.read_text() == "previous\n"


def test_unwritable_output_is_one_line(project: Path) -> None:
    ran = tagship(project, "notes", "0.1.0", "--output", "missing/dir/notes.md")
    assert ran.returncode == 1
    assert _one_line_failure(ran.stderr, ran.stdout).startswith("error: cannot write missing/dir")


@pytest.mark.parametrize(
    ("files", "argument", "message"),
    [
        (
            {},
            "0.3.0",
            (
                "error: CHANGELOG.md has no section for 0.3.0; it has 0.2.0, 0.2.0rc1, "
                "0.1.0.post1, 0.1.0"
            ),
        ),
        ({"CHANGELOG.md": ""}, "0.3.0", "error: CHANGELOG.md has no section for 0.3.0; "),
        ({}, "Unreleased", "error: tag 'Unreleased' does not match tag_format 'v$version'"),
        ({}, "", "error: empty tag; pass a tag such as v1.2.3 (or pass a version such as"),
        ({}, "v1.0$(touch pwned)", "error: tag 'v1.0$(touch pwned)': '1.0$(touch pwned)' is not"),
        ({}, "refs/heads/main", "error: 'refs/heads/main' is a branch ref"),
    ],
)
def test_refusals_are_one_line(
    project: Path, files: dict[str, str], argument: str, message: str
) -> None:
    write(project, files)
    ran = tagship(project, "notes", argument)
    assert ran.returncode == 1
    assert _one_line_failure(ran.stderr, ran.stdout).startswith(message)
    assert not (project / "pwned").exists()


def test_missing_changelog_is_one_line(project: Path) -> None:
    (project / "CHANGELOG.md").unlink()
    ran = tagship(project, "notes", "0.1.0")
    assert ran.returncode == 1
    line = _one_line_failure(ran.stderr, ran.stdout)
    assert "CHANGELOG.md does not exist" in line
    assert "update_changelog_on_bump" in line


def test_notes_without_a_project_name_leave_out_the_testing_block(tmp_path: Path) -> None:
    project = _project(tmp_path, pyproject="[tool.other]\n")
    ran = tagship(project, "notes", "0.2.0rc1")
    assert (ran.returncode, ran.stdout) == (0, "### Fix\n\n- a fix\n")
    assert ran.stderr == (
        f"warning: {project / 'pyproject.toml'} has no [project] name: the notes have no "
        "testing instructions; add the name to give them\n"
    )


def _probe_line(root: Path, pyproject: str) -> str:
    _project(root, pyproject=pyproject)
    notes = release_notes(load(root), Version("0.2.0rc1"))
    return notes.split("```sh\n", 1)[1].splitlines()[3]


@pytest.mark.parametrize(
    ("pyproject", "files", "line"),
    [
        (
            '[project]\nname = "My.Lib"\n',
            {"src/my_lib/__init__.py": ""},
            "python -c 'import my_lib'",
        ),
        ('[project]\nname = "mylib"\n', {"src/other/__init__.py": ""}, "python -c 'import other'"),
        ('[project]\nname = "a-b"\n', {}, "python -c 'import a_b'"),
        (
            '[project]\nname = "app"\n[project.scripts]\nzz = "m:f"\nApp = "m:g"\n',
            {},
            "App --version   # prints 0.2.0rc1",
        ),
        (
            (
                '[project]\nname = "app"\n[project.scripts]\napp = "m:f"\n'
                '[tool.tagship.smoke]\napp = "app version --short"\n'
            ),
            {},
            "app version --short",
        ),
        (
            (
                '[project]\nname = "app"\n[project.scripts]\napp = "m:f"\n'
                "[tool.tagship.smoke]\napp = false\n"
            ),
            {"app.py": ""},
            "python -c 'import app'",
        ),
        (
            '[tool.poetry]\nname = "po"\n[tool.poetry.scripts]\npo-cli = "po:main"\n',
            {},
            "po-cli --version   # prints 0.2.0rc1",
        ),
    ],
)
def test_the_testing_block_runs_the_real_script_or_imports_the_library(
    tmp_path: Path, pyproject: str, files: dict[str, str], line: str
) -> None:
    write(tmp_path, files)
    assert _probe_line(tmp_path, pyproject) == line


def test_an_empty_section_is_a_failure(project: Path) -> None:
    write(project, {"CHANGELOG.md": "## v0.3.0 (2025-02-01)\n\n## v0.2.0\n\n- x\n"})
    ran = tagship(project, "notes", "v0.3.0")
    assert ran.returncode == 1
    assert _one_line_failure(ran.stderr, ran.stdout) == (
        "error: the section of 0.3.0 in CHANGELOG.md is empty; write its release notes there"
    )


def test_a_fifo_as_changelog_never_blocks(project: Path) -> None:
    (project / "CHANGELOG.md").unlink()
    os.mkfifo(project / "CHANGELOG.md")
    ran = subprocess.run(
        [BIN / "tagship", "notes", "0.1.0"],
        check=False,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert ran.returncode == 1
    assert _one_line_failure(ran.stderr, ran.stdout) == (
        f"error: {project / 'CHANGELOG.md'} is not a regular file; point changelog_file at one"
    )


def test_output_through_a_symlink_replaces_its_target(project: Path) -> None:
    (project / "real.md").write_text("old\n")
    (project / "notes.md").symlink_to("real.md")
    ran = tagship(project, "notes", "0.1.0", "--output", "notes.md")
    assert ran.returncode == 0, ran.stderr
    assert (project / "notes.md").is_symlink()
    assert (project / "real.md").read_text() == "- first\n"


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_output_to_a_file_that_is_not_regular_is_refused_and_left_alone(
    project: Path, kind: str
) -> None:
    target = project / "pipe" if kind == "fifo" else Path(os.devnull)
    if kind == "fifo":
        os.mkfifo(target)
    ran = tagship(project, "notes", "0.1.0", "--output", str(target))
    assert ran.returncode == 1
    assert _one_line_failure(ran.stderr, ran.stdout) == (
        f"error: cannot write {target}: it is not a regular file; name a regular file instead"
    )
    assert (
        stat.S_ISFIFO(target.stat().st_mode)
        if kind == "fifo"
        else stat.S_ISCHR(target.stat().st_mode)
    )


def test_broken_config_is_exit_2(project: Path) -> None:
    write(project, {".cz.toml": "[tool.commitizen]\ntag_format = 1\n"})
    ran = tagship(project, "notes", "0.1.0")
    assert ran.returncode == 2
    assert ".cz.toml" in _one_line_failure(ran.stderr, ran.stdout)


def test_custom_tag_format_and_changelog_headings(tmp_path: Path) -> None:
    project = _project(tmp_path, tag_format="pkg-v$version")
    write(project, {"CHANGELOG.md": "## pkg-v1.0.0 (2025-01-15)\n\n- one\n"})
    for argument in ("pkg-v1.0.0", "1.0.0", "refs/tags/pkg-v1.0.0"):
        ran = tagship(project, "notes", argument)
        assert (ran.returncode, ran.stdout) == (0, "- one\n"), argument


def test_testing_block_uses_the_configured_channel_and_main_index(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        pyproject=(
            '[project]\nname = "sample-pkg"\n'
            '[tool.tagship.channels]\nrc = "staging"\n'
            '[tool.tagship.indexes.staging]\nurl = "https://staging.example.org/simple"\n'
            '[tool.tagship.indexes.pypi]\nurl = "https://mirror.example.org/pypi/simple/"\n'
        ),
    )
    ran = tagship(project, "notes", "0.2.0rc1")
    assert ran.returncode == 0, ran.stderr
    assert "pre-release on staging" in ran.stdout
    assert "--index-url https://staging.example.org/simple/ --dest" in ran.stdout
    assert "install --index-url https://mirror.example.org/pypi/simple/ --find" in ran.stdout
    assert "extra-index-url" not in ran.stdout


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("0.2.0-rc1", "0.2.0rc1"),
        ("v1.0.0-beta1", "1.0.0b1"),
        ("refs/tags/v1.0", "1.0"),
        ("release-1.0.0.dev3", "1.0.0.dev3"),
    ],
)
def test_requested_version(text: str, version: str) -> None:
    formats = (TagFormat("v$version"), TagFormat("release-$version"))
    assert requested_version(text, formats) == Version(version)


def test_requested_version_refuses_junk() -> None:
    with pytest.raises(TagError, match=r"or pass a version such as 1\.2\.3"):
        requested_version("junk", (TagFormat("v$version"),))


HOSTILE_NAMES = ["it's", "a$(touch pwned)", "b`id`", "c;rm -rf x", 'd"e', "é-pkg", "f g"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_try_commands_quote_every_word(name: str) -> None:
    test_index = Index("t", "https://t.example.org/simple/?a=1&b=$(x)", "")
    lines = try_commands(name, Version("1.0rc1"), test_index, DEFAULT_INDEXES["pypi"])
    words = [shlex.split(line, comments=True) for line in lines]
    assert words == [
        ["python", "-m", "venv", f"try-{name}", "&&", ".", f"try-{name}/bin/activate"],
        [
            "pip",
            "download",
            "--no-deps",
            "--index-url",
            test_index.url,
            "--dest",
            f"try-{name}/dist",
            f"{name}==1.0rc1",
        ],
        [
            "pip",
            "install",
            "--index-url",
            "https://pypi.org/simple/",
            "--find-links",
            f"try-{name}/dist",
            f"{name}==1.0rc1",
        ],
        [name, "--version"],
    ]
