"""docs/release-process.md is run, not just read.

Every `$ ` line of its console blocks runs verbatim, in document order, from a user's
plain shell (tests/userland.py: git's defaults, only uv, git and a Python on PATH, no
virtualenv), in one real project made by `uv init --package`, with real tagship,
commitizen, pre-commit hooks, git and a real `git push` (to a local bare repository
standing in for GitHub: git's `pushInsteadOf` maps the guide's GitHub URL to it).
`uvx tagship` and the dev group's tagship resolve to this checkout's wheel through
UV_FIND_LINKS, as they will resolve to PyPI's. The user's own edits between commands
(the guide says what they are) are in EDITS.

TestPyPI is not reachable from the machines this runs on, so TAGSHIP_OFFLINE=1 keeps
`cz bump`'s pre-bump check away from it (rehearse still checks its own local index).

Commands the guide names in running text must be exercised too: each one is a prefix of
a console command run here (with or without its `uv run`), or a command of the files
`tagship init` wrote (the workflow's steps, commitizen's pre_bump_hooks, the hooks), or
listed in NOT_RUN with the reason.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.userland import PlainShell

DOC = Path(__file__).parent.parent / "docs" / "release-process.md"
COMMAND_WORDS = ("tagship", "cz", "git", "uv", "uvx", "gh")
REMOTE = "https://github.com/OWNER/example-pkg.git"

EDITS: dict[str, dict[str, str]] = {
    'git commit --all -m "feat: example-pkg --version prints its version"': {
        "README.md": "# example-pkg\n\nSays hello, and its version with --version.\n",
        "src/example_pkg/__init__.py": (
            "import sys\n"
            "from importlib.metadata import version\n\n\n"
            "def main() -> None:\n"
            '    print(version("example-pkg") if "--version" in sys.argv else "Hello!")\n'
        ),
    },
}

NOT_RUN = {
    "tagship init --force": "the guide's project is adopted once; tests/commands run --force",
    "gh run watch": "watches a GitHub Actions run: no GitHub here",
    "gh run view --log-failed": "reads a GitHub Actions run: no GitHub here",
    "git tag --delete": "cancels a release; tests/commands/test_check.py deletes tags",
    "uv add --dev ruff": "init already adds the gate tools; tests/adopt cover the dev group",
    "uv run tagship rehearse --keep": (
        "a third rehearsal of the same release; tests/commands/test_rehearse.py keeps the "
        "index, installs from it and stops it"
    ),
    "uv run tagship rehearse --stop": "stops what --keep kept: tests/commands/test_rehearse.py",
}


@dataclass(frozen=True)
class Command:
    line: str
    """The command as the guide prints it (without `$ `)."""
    heading: str
    """The section it appears in, for failure messages."""


def console_commands(markdown: str) -> list[Command]:
    """Every `$ ` line of the ```console blocks, in order (pure)."""
    commands: list[Command] = []
    heading, fence = "", None
    for line in markdown.splitlines():
        if fence is None and line.startswith("#"):
            heading = line.lstrip("# ")
        if line.startswith("```"):
            fence = None if fence is not None else line[3:].strip()
        elif fence == "console" and line.startswith("$ "):
            commands.append(Command(line[2:].strip(), heading))
    return commands


def inline_commands(markdown: str) -> list[str]:
    """Code spans of running text that are commands (`tagship gate`, `cz bump --yes`)."""
    text = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M).replace("\n", " ")
    spans = [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", text)]
    return [s for s in spans if s.split()[0] in COMMAND_WORDS and len(s.split()) > 1]


def is_prefix(span: str, commands: list[str]) -> bool:
    words = shlex.split(span)
    return any(shlex.split(c)[: len(words)] == words for c in commands)


def test_console_commands_are_read_in_order() -> None:
    text = "# A\n```console\n$ one two\nout\n```\n## B\n```\n$ not a console\n```\n"
    text += "```console\n$ three  # comment\n```\n"
    assert console_commands(text) == [Command("one two", "A"), Command("three  # comment", "B")]
    assert inline_commands("Run `tagship gate`, `uv` and `x y`.\n```\n`cz bump`\n```") == [
        "tagship gate"
    ]
    assert is_prefix("tagship gate", ["tagship gate --explain"])
    assert not is_prefix("tagship gate --no-cache", ["tagship gate"])


def _written_commands(project: Path) -> list[str]:
    """The commands in what `tagship init` wrote: they run in CI, in hooks, in cz bump."""
    found: list[str] = []
    workflow = (project / ".github" / "workflows" / "release.yml").read_text()
    lines = re.findall(r"run: (.+)", workflow) + re.findall(r"(gh release create .+)", workflow)
    found += [line.removeprefix("uv run --no-sync ").rstrip(" \\") for line in lines]
    # The gates job starts tagship from its own environment, by path.
    found += [f"tagship {line}" for line in re.findall(r'/bin/tagship" (.+)', workflow)]
    found += re.findall(r'"(?:uv run [^"]*?)?(tagship [^"]+)"', (project / ".cz.toml").read_text())
    entries = re.findall(r"entry: (.+)", (project / ".pre-commit-config.yaml").read_text())
    # The pre-push entry is `sh -c '... exec .venv/bin/tagship ...; exec uv run ...'`.
    entries += [
        c.removeprefix(".venv/bin/") for e in entries for c in re.findall(r"exec ([^;']+)", e)
    ]
    found += entries + [entry.removeprefix("uv run --frozen ") for entry in entries]
    return found


@pytest.mark.slow(seconds=17)
def test_the_release_process_guide_runs_as_written(tmp_path: Path, plain_shell: PlainShell) -> None:
    doc = DOC.read_text(encoding="utf-8")
    commands = console_commands(doc)
    bare = tmp_path / "remote.git"
    plain_shell.run(["git", "init", "--quiet", "--bare", bare], tmp_path)
    env = {
        "TAGSHIP_OFFLINE": "1",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{bare}.pushInsteadOf",
        "GIT_CONFIG_VALUE_0": REMOTE,
        "TMPDIR": str(tmp_path / "tmp"),
    }
    (tmp_path / "tmp").mkdir()
    cwd = tmp_path
    outputs: dict[str, str] = {}
    try:
        for command in commands:
            if command.line.startswith("cd "):
                cwd = cwd / command.line.split()[1]
                continue
            for name, content in EDITS.get(command.line, {}).items():
                (cwd / name).write_text(content, encoding="utf-8")
            argv: list[str | Path] = list(shlex.split(command.line, comments=True))
            ran = plain_shell.run(argv, cwd, extra=env, check=False, timeout=600)
            assert ran.returncode == 0, (
                f"'{command.line}' ({command.heading}) exited {ran.returncode}\n"
                f"stdout:\n{ran.stdout}\nstderr:\n{ran.stderr}"
            )
            outputs[command.line.removeprefix("uv run ")] = ran.stdout + ran.stderr
    finally:
        # a failed command must not leave the guide's kept rehearsal index running
        if (cwd / ".git" / "tagship").exists():
            plain_shell.run(["uv", "run", "tagship", "rehearse", "--stop"], cwd, check=False)

    # What the guide says these commands show, they show.
    shown = re.search(r"```\ntestpypi \(https.*?```", doc, re.S)
    assert shown is not None
    for line in shown.group(0).strip("`\n").splitlines():
        if line.strip() != "...":
            assert line in outputs["tagship doctor"], line
    assert "version: 0.2.0rc1" in outputs["tagship route v0.2.0-rc.1"]
    assert "channel: testpypi" in outputs["tagship route v0.2.0-rc.1"]
    assert "0.1.0rc0" in outputs["tagship notes v0.1.0rc0"]
    tags = plain_shell.run(["git", "ls-remote", "--tags", bare], tmp_path).stdout
    assert "refs/tags/v0.1.0rc0" in tags
    assert re.search(r"refs/tags/v0\.1\.0$", tags, re.M)
    # rehearsals leave nothing behind (uv keeps its own lock files in TMPDIR)
    left = [p for p in (tmp_path / "tmp").iterdir() if not p.name.startswith("uv-")]
    assert left == []

    # Every command named in running text is exercised.
    lines = [c.line for c in commands]
    exercised = [
        *lines,
        *(line.removeprefix("uvx ").removeprefix("uv run ") for line in lines),
        *_written_commands(cwd),
    ]
    missing = [
        span
        for span in inline_commands(doc)
        if span not in NOT_RUN and not is_prefix(span, exercised)
    ]
    assert missing == []


def test_not_run_is_only_what_the_guide_still_names() -> None:
    """A stale NOT_RUN entry would hide nothing, but would claim an exception that is gone."""
    spans = inline_commands(DOC.read_text(encoding="utf-8"))
    assert set(NOT_RUN) <= set(spans)
