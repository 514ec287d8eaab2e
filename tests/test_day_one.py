"""Day one, where users live: `uvx tagship init` on an untouched `uv init --package` project.

A plain shell (git's own defaults, so the branch is `master`; only uv, git and a Python on
PATH; tagship from a wheel of this checkout through UV_FIND_LINKS) runs exactly what init
says next, then the rest of the day: conventional commits through the commit-msg hook,
the first tag, an rc, pushes to a local bare remote through the pre-push hook, a broken
test, type error and lint error each stopped before the remote, then the final and its
rehearsal (the guide's test rehearses an rc from a plain shell).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tagship.adopt import nextsteps
from tests.commands.projects import MAKERS
from tests.userland import PlainShell

FEATURE = """\
def main() -> None:
    print("Hello from app!")


def greet(name: str) -> str:
    return f"Hello, {name}!"
"""
TEST = """\
from app import greet


def test_greet() -> None:
    assert greet("day") == "Hello, day!"
"""
BROKEN = {
    "failing test": ("tests/test_app.py", TEST.replace('"Hello, day!"', '"Bye"')),
    "type error": ("src/app/__init__.py", FEATURE.replace("-> str:", "-> int:")),
    "lint error": ("src/app/__init__.py", "import os\n" + FEATURE),
}


def next_steps(said: str) -> list[str]:
    """The commands after init's `next:` line, comments dropped."""
    block = said.split("next:\n", 1)[1]
    lines = [line.strip() for line in block.splitlines() if line.startswith("  ")]
    return [line.split("   #", 1)[0].strip() for line in lines]


def _remote_refs(shell: PlainShell, remote: Path) -> str:
    return shell.git(remote, "for-each-ref", "--format=%(refname) %(objectname)")


@pytest.mark.slow(seconds=16)
def test_day_one_from_a_plain_shell(plain_shell: PlainShell, tmp_path: Path) -> None:
    # no TestPyPI from here: the burned-version check skips the index, as in every test
    sh = replace(plain_shell, env={**plain_shell.env, "TAGSHIP_OFFLINE": "1"})
    remote, project = tmp_path / "remote.git", tmp_path / "app"
    sh.run(["git", "init", "--quiet", "--bare", remote], tmp_path)
    sh.run(["uv", "init", "--quiet", "--package", "--name", "app", project], tmp_path)
    assert sh.git(project, "branch", "--show-current") == "master"
    sh.git(project, "add", "--all")
    sh.git(project, "commit", "--quiet", "--message", "feat: a new app")
    sh.git(project, "remote", "add", "origin", str(remote))

    adopted = sh.run(["uvx", "tagship", "init"], project)
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert '[tool.tagship]\nrelease-branch = "master"\n' in pyproject
    assert "\"tagship; python_version >= '3.11'\"" in pyproject
    assert '[tool.tagship.smoke]\napp = "app --help"\n' in pyproject  # uv's "Hello from app!"
    hooks = Path(sh.git(project, "rev-parse", "--path-format=absolute", "--git-path", "hooks"))
    for name in ("pre-commit", "commit-msg", "pre-push"):
        script = (hooks / name).read_text(encoding="utf-8")
        # the project's own pre-commit wrote it: never the temporary uvx environment
        assert f"INSTALL_PYTHON={project}/.venv/bin/python\n" in script, name
    steps = next_steps(adopted.stderr)
    assert steps[-2:] == ["uv run cz bump --yes 0.1.0", "git push --follow-tags origin master"]

    refused = sh.run(["git", "commit", "--allow-empty", "-m", "wip"], project, check=False)
    assert refused.returncode != 0
    assert "commit validation: failed" in refused.stdout + refused.stderr
    sh.run(["sh", "-c", steps[0]], project)  # git add -- ... && git commit (commit-msg hook)
    assert sh.git(project, "status", "--porcelain") == ""
    assert sh.git(project, "log", "-1", "--format=%s") == nextsteps.ADOPT_MESSAGE

    push = ["git", "push", "--follow-tags", "origin"]
    for step in steps[1:-1]:  # the first tag, with its changelog section (pre-bump hooks)
        sh.run(["sh", "-c", step], project, timeout=600)
    assert steps[-1] == "git push --follow-tags origin master"
    sh.run([*push, "master"], project, timeout=600)
    assert "refs/tags/v0.1.0 " in _remote_refs(sh, remote)

    files = {"src/app/__init__.py": FEATURE, "tests/test_app.py": TEST}
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    sh.git(project, "add", "--all")
    sh.git(project, "commit", "--quiet", "--message", "feat: greet by name")
    sh.run(["uv", "run", "cz", "bump", "--yes", "--prerelease", "rc"], project, timeout=600)
    assert sh.git(project, "describe", "--tags", "--exact-match") == "v0.2.0rc0"
    sh.run([*push, "master"], project, timeout=600)
    assert "refs/tags/v0.2.0rc0 " in _remote_refs(sh, remote)

    for what, (name, text) in BROKEN.items():
        before = _remote_refs(sh, remote)
        (project / name).write_text(text, encoding="utf-8")
        # the commit-msg hook is proven above: what is tested here is the push
        sh.git(project, "commit", "--quiet", "--no-verify", "--all", "--message", f"fix: a {what}")
        pushed = sh.run(["git", "push", "origin", "master"], project, check=False, timeout=600)
        assert pushed.returncode != 0, what
        assert _remote_refs(sh, remote) == before, what
        sh.git(project, "reset", "--quiet", "--hard", "HEAD~1")

    sh.run(["uv", "run", "cz", "bump", "--yes"], project, timeout=600)
    assert sh.git(project, "describe", "--tags", "--exact-match") == "v0.2.0"
    # with the venv activated, as some users work
    venv = project / ".venv"
    activated = {"VIRTUAL_ENV": str(venv), "PATH": f"{venv}/bin:{sh.env['PATH']}"}
    sh.run([*push, "master"], project, extra=activated, timeout=600)
    assert "refs/tags/v0.2.0 " in _remote_refs(sh, remote)
    sh.run(["uv", "run", "tagship", "rehearse"], project, timeout=600)
    notes = sh.run(["uv", "run", "tagship", "notes", "v0.2.0"], project).stdout
    assert "greet by name" in notes


UVL_TEST = """\
from uvl import hello


def test_hello() -> None:
    assert hello() == "Hello from uvl!"
"""
HATCHED_TEST = """\
import hatched_pkg


def test_import() -> None:
    assert hatched_pkg.__name__ == "hatched_pkg"
"""
LIBRARY_TESTS = {
    "uv-lib": ("tests/test_uvl.py", UVL_TEST),
    "hatch-new": ("tests/test_pkg.py", HATCHED_TEST),
}


@pytest.mark.slow(seconds=13)
@pytest.mark.parametrize("kind", sorted(LIBRARY_TESTS))
def test_the_other_templates_reach_a_rehearsed_rc_and_a_final(
    plain_shell: PlainShell, tmp_path: Path, kind: str
) -> None:
    """`uv init --lib` (on master) and `hatch new` (on main): init, what it says next (its
    commit through the commit-msg hook, the first tag), an rc with its gates, the push
    through the pre-push hook, a rehearsal (a library: no script), the final and its push.
    hatch's template has no .gitignore: the gates leave __pycache__/ in the clone and in the
    work tree, which neither the build nor the clean-tree rule may count."""
    sh = replace(plain_shell, env={**plain_shell.env, "TAGSHIP_OFFLINE": "1"})
    remote = tmp_path / "remote.git"
    sh.run(["git", "init", "--quiet", "--bare", remote], tmp_path)
    project = MAKERS[kind](tmp_path / kind)
    branch = sh.git(project, "branch", "--show-current")
    sh.git(project, "remote", "add", "origin", str(remote))
    adopted = sh.run(["uvx", "tagship", "init"], project)
    steps = next_steps(adopted.stderr)
    assert steps[-1] == f"git push --follow-tags origin {branch}"
    for step in steps[:-1]:  # the adoption commit, then the first tag init proposes
        if not step.startswith("git remote add"):
            sh.run(["sh", "-c", step], project, timeout=600)
    name, text = LIBRARY_TESTS[kind]
    (project / name).parent.mkdir(exist_ok=True)
    (project / name).write_text(text, encoding="utf-8")
    sh.git(project, "add", "--all")
    sh.git(project, "commit", "--quiet", "--no-verify", "--message", "feat: a tested library")
    sh.run(["uv", "run", "cz", "bump", "--yes", "--prerelease", "rc"], project, timeout=600)
    tag = sh.git(project, "describe", "--tags", "--exact-match")
    assert "rc" in tag
    sh.run(["git", "push", "--follow-tags", "origin", branch], project, timeout=600)
    assert f"refs/tags/{tag} " in _remote_refs(sh, remote)
    rehearsal = sh.run(["uv", "run", "tagship", "rehearse"], project, timeout=600)
    assert f"rehearsal of {tag} passed" in rehearsal.stderr
    # the final, after the push's gates ran in the work tree (and left their caches there)
    sh.run(["uv", "run", "cz", "bump", "--yes"], project, timeout=600)
    final = sh.git(project, "describe", "--tags", "--exact-match")
    assert final == tag.split("rc")[0]
    sh.run(["git", "push", "--follow-tags", "origin", branch], project, timeout=600)
    assert f"refs/tags/{final} " in _remote_refs(sh, remote)
