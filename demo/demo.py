"""`make demo`: a new project released end to end, rehearsed against an embedded index.

`uv init --package` makes the project, `tagship init` adopts it, conventional commits
follow, `cz bump --prerelease rc` cuts release candidates (each routed and noted by
tagship) and `tagship rehearse` runs the whole release workflow on the first one locally
(route, gates, build, checks, upload to a pypiserver on 127.0.0.1, verify, notes); then
`cz bump` graduates the last one to the final version, rehearsed the same way, and the
verified release is installed from the rehearsal index and run. Each step prints the
command it runs and what it printed.

Everything happens in a temporary directory that is removed at the end, with a private
git configuration. Nothing is published: TestPyPI and PyPI are never written to, and
TAGSHIP_OFFLINE=1 keeps `cz bump`'s release check from asking them about a name that is
only a demo (the rehearsal always checks its own index).
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
MODULE_PATH = f"src/{NAME.replace('-', '_')}/__init__.py"
README = "# hello-tagship\n\nGreets you, and says its version with `--version`.\n"


def environment(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
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
    def __init__(self, root: Path) -> None:
        self.root = root
        self.project = root / NAME
        self.env = environment(root)
        (root / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")

    def step(self, title: str) -> None:
        print(f"\n=== {title}", flush=True)

    def sh(self, *args: str, cwd: Path | None = None, show: bool = True, check: bool = True) -> str:
        """Run a command, show it and what it printed; stop the demo if it fails."""
        tool = BIN / args[0] if (BIN / args[0]).exists() else Path(args[0])
        print(f"$ {shlex.join(args)}", flush=True)
        done = subprocess.run(
            [str(tool), *args[1:]],
            cwd=cwd or self.project,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        shown = (done.stdout + done.stderr).rstrip()
        if shown and show:
            print(textwrap.indent(shown, "  "), flush=True)
        if done.returncode != 0 and check:
            if not show:
                print(textwrap.indent(shown, "  "), flush=True)
            raise SystemExit(f"demo: {shlex.join(args)} exited {done.returncode}")
        if not check:
            print(f"  (exit {done.returncode})", flush=True)
        return shown

    def edit(self, path: str, text: str) -> None:
        print(f"# edit {path}", flush=True)
        (self.project / path).write_text(text, encoding="utf-8")

    def commit(self, message: str, greeting: str) -> None:
        self.edit(MODULE_PATH, MODULE.format(greeting=greeting))
        self.sh("git", "add", "--all")
        self.sh("git", "commit", "--quiet", "--message", message)

    def release(self, *bump: str) -> str:
        """`cz bump` makes the version, the changelog and the tag; tagship reads the tag."""
        self.sh("cz", "bump", *bump, "--yes")
        tag = self.sh("git", "describe", "--tags", "--abbrev=0", show=False).strip()
        self.sh("tagship", "route", tag)
        self.sh("tagship", "notes", tag)
        return tag

    def run(self) -> None:
        self.step(f"A new project made by uv, in {self.root}")
        self.sh("uv", "init", "--package", "--quiet", NAME, cwd=self.root)
        self.edit("README.md", README)
        self.edit(MODULE_PATH, MODULE.format(greeting="Hello from hello-tagship!"))

        self.step("tagship init: commitizen, hatch-vcs, pre-commit hooks, release workflow")
        self.sh("tagship", "init")
        self.sh("git", "add", "--all")
        self.sh("git", "commit", "--quiet", "--message", "build: release with tagship")
        self.sh("tagship", "doctor", show=False)

        self.step("A conventional commit (the commit-msg hook checks the message)")
        self.commit("feat: greet the world", "Hello, world!")

        self.step("A release candidate: the gates and checks run first, then commitizen tags")
        tag = self.release("--prerelease", "rc")

        self.step(f"Rehearse the release workflow on {tag}, against an embedded index")
        self.sh("tagship", "rehearse")

        self.step("A fix, then the second release candidate")
        self.commit("fix: greet politely", "Hello, world, and welcome!")
        self.release("--prerelease", "rc")

        self.step("Graduation with no new commit: the rc sections merge into the final one")
        tag = self.release()

        self.step(f"Rehearse {tag}, and keep its index to install from")
        shown = self.sh("tagship", "rehearse", "--keep")
        try:
            self.step("The verified release, installed from the kept rehearsal index")
            self.install(shown)

            self.step(f"Rehearsing {tag} again: the kept index refuses it, as PyPI would")
            self.sh("tagship", "rehearse", check=False)
        finally:
            self.sh("tagship", "rehearse", "--stop")

        self.step("A tag that is not a release tag is refused, with what the format expects")
        self.sh("tagship", "route", "v0.1.0+local.1", check=False)
        self.sh("tagship", "route", "refs/heads/main", check=False)

        self.step("The changelog commitizen wrote")
        self.sh("cat", "CHANGELOG.md")

    def install(self, rehearsal: str) -> None:
        prefix = "install from it: "
        command = next(
            line.strip().removeprefix(prefix)
            for line in rehearsal.splitlines()
            if line.strip().startswith(prefix)
        )
        venv = self.root / "try"
        self.sh("uv", "venv", "--quiet", str(venv))
        argv = shlex.split(command)  # uv pip install ..., as the rehearsal printed it
        self.sh(*argv[:3], "--python", str(venv), *argv[3:])
        self.sh(str(venv / "bin" / NAME), "--version")
        self.sh(str(venv / "bin" / NAME))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tagship-demo-") as temporary:
        Demo(Path(temporary)).run()
    print("\ndone: a release candidate and a final release, rehearsed and verified")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
