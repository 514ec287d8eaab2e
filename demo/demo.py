"""`make demo`: a sample project released with real commitizen, routed and noted by tagship.

Each step prints the command it runs and what it printed. Everything happens in a
temporary directory that is removed at the end; nothing here needs the network.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

BIN = Path(sys.executable).parent
# A private git setup: the demo must not depend on (or touch) the user's git config.
ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Demo",
    "GIT_AUTHOR_EMAIL": "demo@example.invalid",
    "GIT_COMMITTER_NAME": "Demo",
    "GIT_COMMITTER_EMAIL": "demo@example.invalid",
}

PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "hello-tagship"
dynamic = ["version"]
requires-python = ">=3.11"

[project.scripts]
hello-tagship = "hello_tagship:main"

[tool.hatch.version]
source = "vcs"

[tool.hatch.version.raw-options]
tag_regex = "^v(?P<version>.+)$"
"""

CZ_TOML = """\
[tool.commitizen]
name = "cz_conventional_commits"
version_provider = "scm"
version_scheme = "pep440"
tag_format = "v$version"
update_changelog_on_bump = true
changelog_merge_prerelease = true
major_version_zero = true
annotated_tag = true
"""

MODULE = """\
import sys
from importlib.metadata import version


def main() -> None:
    print(version("hello-tagship") if "--version" in sys.argv else "{greeting}")
"""


def step(title: str) -> None:
    print(f"\n=== {title}", flush=True)


def sh(project: Path, *args: str, check: bool = True) -> None:
    """Run a command in the project, show it and its output."""
    tool = BIN / args[0] if (BIN / args[0]).exists() else Path(args[0])
    print(f"$ {shlex.join(args)}", flush=True)
    done = subprocess.run(
        [str(tool), *args[1:]], cwd=project, env=ENV, capture_output=True, text=True, check=False
    )
    shown = (done.stdout + done.stderr).rstrip()
    if shown:
        print(textwrap.indent(shown, "  "), flush=True)
    if check and done.returncode != 0:
        raise SystemExit(f"demo: {args[0]} exited {done.returncode}")
    if not check:
        print(f"  (exit {done.returncode})")


def commit(project: Path, message: str, greeting: str) -> None:
    source = project / "src" / "hello_tagship" / "__init__.py"
    source.write_text(MODULE.format(greeting=greeting), encoding="utf-8")
    sh(project, "git", "add", "--all")
    sh(project, "git", "commit", "--quiet", "--message", message)


def release(project: Path, *bump: str) -> None:
    """`cz bump` makes the version, the changelog and the tag; tagship reads the tag."""
    sh(project, "cz", "bump", *bump, "--yes")
    tag = subprocess.run(
        ["git", "describe", "--tags", "--abbrev=0"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    sh(project, "tagship", "route", tag)
    sh(project, "tagship", "notes", tag)


def create(project: Path) -> None:
    (project / "src" / "hello_tagship").mkdir(parents=True)
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (project / ".cz.toml").write_text(CZ_TOML, encoding="utf-8")
    (project / "README.md").write_text("# hello-tagship\n", encoding="utf-8")
    sh(project, "git", "init", "--quiet", "--initial-branch=main")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tagship-demo-") as temporary:
        project = Path(temporary) / "hello-tagship"
        project.mkdir()

        step(f"A sample hatch-vcs project with commitizen's config, in {project}")
        create(project)
        commit(project, "feat: greet the world", "hello, world")

        step("First release candidate: cz bump --prerelease rc")
        release(project, "--prerelease", "rc")

        step("A fix, then the second release candidate")
        commit(project, "fix: greet politely", "hello, world!")
        release(project, "--prerelease", "rc")

        step("Graduation with no new commit: the rc sections merge into the final one")
        release(project)

        step("A tag that is not a release tag is refused, with what the format expects")
        sh(project, "tagship", "route", "v0.1.0+local.1", check=False)
        sh(project, "tagship", "route", "refs/heads/main", check=False)

        step("The changelog commitizen wrote")
        sh(project, "cat", "CHANGELOG.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
