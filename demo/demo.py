"""`make demo`: a new project released end to end, rehearsed against embedded indexes.

From a plain shell (only uv, git and a Python on PATH; tagship is this checkout's wheel,
found through UV_FIND_LINKS as users get it from PyPI): `uv init --package` makes the
project, `uvx tagship init` adopts it, the gates run from the project's locked
environment and then come from their cache, `doctor` prints the Trusted Publisher values,
`uv run cz bump --prerelease rc` cuts a release candidate, and `uv run tagship rehearse
--release` runs the whole release in a throwaway clone, in the environment CI builds:
the rc to an embedded test index (verified with its dependencies from an embedded main
index), graduation with `cz bump`, the final to the embedded main index, verified, and
the release notes of both.

Everything happens in a temporary directory that is removed at the end, with a private
git configuration. Nothing is published: TestPyPI and PyPI are never written to, and
TAGSHIP_OFFLINE=1 keeps `cz bump`'s release check from asking them about a name that is
only a demo (the rehearsal always checks its own indexes).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import TextIO

BIN = Path(sys.executable).parent
CHECKOUT = Path(__file__).resolve().parents[1]
NAME = "hello-tagship"

MODULE = """\
import sys
from importlib.metadata import version


def main() -> None:
    if "--version" in sys.argv:
        print(version("hello-tagship"))
    else:
        print("{greeting}")
"""
TEST = """\
from hello_tagship import main


def test_main_greets(capsys) -> None:  # type: ignore[no-untyped-def]
    main()
    assert capsys.readouterr().out.startswith("Hello")
"""
MODULE_PATH = f"src/{NAME.replace('-', '_')}/__init__.py"
README = "# hello-tagship\n\nGreets you, and says its version with `--version`.\n"


DROPPED = ("VIRTUAL_ENV", "CONDA_", "PYTHONPATH", "GIT_", "CZ_", "TAGSHIP_", "PRE_COMMIT")


def plain_bin(root: Path) -> Path:
    """A directory with only uv, uvx, git and python3: a user's tools, none of ours."""
    bin_dir = root / "bin"
    bin_dir.mkdir()
    uv = shutil.which("uv") or str(BIN / "uv")
    targets = {
        "uv": uv,
        "uvx": str(Path(uv).with_name("uvx")),
        "git": shutil.which("git"),
        "python3": getattr(sys, "_base_executable", sys.executable),
    }
    for name, target in targets.items():
        if target:
            (bin_dir / name).symlink_to(target)
    return bin_dir


def environment(home: Path, bin_dir: Path, wheels: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(DROPPED)}
    return {
        **kept,
        "PATH": os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]),
        "UV_FIND_LINKS": str(wheels),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_PROGRESS": "1",
        # a private git set-up: the demo must not depend on (or touch) the user's config
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Demo",
        "GIT_AUTHOR_EMAIL": "demo@example.invalid",
        "GIT_COMMITTER_NAME": "Demo",
        "GIT_COMMITTER_EMAIL": "demo@example.invalid",
        "PRE_COMMIT_HOME": str(home / "pre-commit"),
        "TAGSHIP_OFFLINE": "1",
        "NO_COLOR": "1",
    }


class Demo:
    def __init__(self, root: Path, out: TextIO = sys.stdout) -> None:
        self.root = root
        self.out = out
        """Where the demo tells its story (the benchmark reuses it, quietly)."""
        self.project = root / NAME
        wheels = root / "wheels"
        uv = shutil.which("uv") or str(BIN / "uv")
        subprocess.run(
            [uv, "build", "--wheel", "--quiet", "--out-dir", str(wheels), str(CHECKOUT)],
            check=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")},
        )
        self.env = environment(root, plain_bin(root), wheels)
        (root / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")

    def step(self, title: str) -> None:
        self.say(f"\n=== {title}")

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def sh(self, *args: str, cwd: Path | None = None, show: bool = True, check: bool = True) -> str:
        """Run a command, show it and what it printed; stop the demo if it fails."""
        self.say(f"$ {shlex.join(args)}")
        done = subprocess.run(
            list(args),
            cwd=cwd or self.project,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        shown = (done.stdout + done.stderr).rstrip()
        if shown and show:
            self.say(textwrap.indent(shown, "  "))
        if done.returncode != 0 and check:
            if not show:
                self.say(textwrap.indent(shown, "  "))
            raise SystemExit(f"demo: {shlex.join(args)} exited {done.returncode}")
        if not check:
            self.say(f"  (exit {done.returncode})")
        return shown

    def edit(self, path: str, text: str) -> None:
        self.say(f"# edit {path}")
        (self.project / path).parent.mkdir(parents=True, exist_ok=True)
        (self.project / path).write_text(text, encoding="utf-8")

    def commit(self, message: str, greeting: str) -> None:
        self.edit(MODULE_PATH, MODULE.format(greeting=greeting))
        self.sh("git", "add", "--all")
        self.sh("git", "commit", "--quiet", "--message", message)

    def release(self, *bump: str) -> str:
        """`cz bump` makes the version, the changelog and the tag; tagship reads the tag."""
        self.sh("uv", "run", "cz", "bump", *bump, "--yes")
        tag = self.sh("git", "describe", "--tags", "--abbrev=0", show=False).strip()
        self.sh("uv", "run", "tagship", "route", tag)
        self.sh("uv", "run", "tagship", "notes", tag)
        return tag

    def adopt(self) -> None:
        """A new uv project, adopted by tagship, its gate tools locked, committed."""
        self.step(f"A new project made by uv, in {self.root}")
        # Its own workspace and its own repository, wherever the demo runs (uv init joins
        # an enclosing workspace and skips `git init` inside an enclosing repository).
        self.sh("uv", "init", "--package", "--no-workspace", "--quiet", NAME, cwd=self.root)
        self.sh("git", "init", "--quiet", show=False)
        self.edit("README.md", README)
        self.edit(MODULE_PATH, MODULE.format(greeting="Hello from hello-tagship!"))

        self.step("tagship init: commitizen, hatch-vcs, hooks, gates, release workflow")
        self.sh("uvx", "tagship", "init")
        self.edit("tests/test_greeting.py", TEST)
        self.sh("git", "add", "--all")
        self.sh("git", "commit", "--quiet", "--message", "build: release with tagship")

    def run(self) -> None:
        self.adopt()

        self.step("The quality gates, from the project's locked environment; then cached")
        self.sh("uv", "run", "tagship", "gate")
        self.sh("uv", "run", "tagship", "gate")

        self.step("doctor: what to register as Trusted Publisher on PyPI and TestPyPI")
        self.sh("git", "remote", "add", "origin", "https://github.com/demo/hello-tagship.git")
        self.sh("uv", "run", "tagship", "doctor", check=False)
        self.sh("git", "remote", "remove", "origin", show=False)

        self.step("A conventional commit (the commit-msg hook checks the message)")
        self.commit("feat: greet the world", "Hello, world!")

        self.step("A release candidate: checks and gates run first, then commitizen tags")
        tag = self.release("--prerelease", "rc")

        self.step(
            f"Rehearse the whole release from {tag} in a clone: the rc to an embedded test "
            "index, graduation, the final to an embedded main index"
        )
        self.sh("uv", "run", "tagship", "rehearse", "--release")

        self.step("A tag that is not a release tag is refused, with what the format expects")
        self.sh("uv", "run", "tagship", "route", "refs/heads/main", check=False)

        self.step("The changelog commitizen wrote")
        self.sh("cat", "CHANGELOG.md")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tagship-demo-") as temporary:
        Demo(Path(temporary)).run()
    print("\ndone: a release candidate and its final release, rehearsed and verified")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
