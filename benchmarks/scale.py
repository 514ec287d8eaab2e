"""`tagship check TAG --offline` on large histories, against `python -m setuptools_scm`.

Repositories are generated with `git fast-import` (seconds, not minutes) and cached under
benchmarks/.work/. Three sizes separate the two growth factors: ten times the commits,
then ten times the tags. Goals: under 1 s at 100,000 commits and 10,000 tags, no slower
than setuptools-scm computing the version in the same repository, and growth that follows
the number of tags, not the number of commits.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.common import BIN, WORK, median_of, table, verdict, wall

SIZES = ((10_000, 1_000), (100_000, 1_000), (100_000, 10_000))
REPEAT = 7
GOAL_SECONDS = 1.0
GOAL_GIT_PROCESSES = 6
GOAL_INDEX_RATIO = 1.5

PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "scale-pkg"
dynamic = ["version"]
readme = "README.md"

[tool.hatch.version]
source = "vcs"

[tool.hatch.version.raw-options]
tag_regex = "^v(?P<version>.+)$"
git_describe_command = ["git", "describe", "--dirty", "--tags", "--long", "--match", "v*"]

[tool.setuptools_scm]
tag_regex = "^v(?P<version>.+)$"
git_describe_command = ["git", "describe", "--dirty", "--tags", "--long", "--match", "v*"]
"""

CZ_TOML = '[tool.commitizen]\nversion_provider = "scm"\ntag_format = "v$version"\n'


def tag_name(index: int) -> str:
    return f"v{index // 100}.{index % 100}.0"


def _data(text: str) -> str:
    return f"data {len(text.encode())}\n{text}\n"


def _file(path: str, text: str) -> str:
    return f"M 644 inline {path}\n{_data(text)}"


def fast_import_stream(commits: int, tags: int) -> str:
    """A linear history; only its last tag (at HEAD) is made here, annotated, as cz makes it."""
    last_tag = tag_name(tags - 1)
    parts: list[str] = []
    for number in range(1, commits + 1):
        stamp = 1_700_000_000 + number * 60
        parts.append(f"commit refs/heads/main\nmark :{number}\n")
        parts.append(f"committer Bench <bench@example.invalid> {stamp} +0000\n")
        parts.append(_data(f"fix: change {number}"))
        if number > 1:
            parts.append(f"from :{number - 1}\n")
        if number == 1:
            parts.append(_file("pyproject.toml", PYPROJECT) + _file(".cz.toml", CZ_TOML))
            parts.append(_file("README.md", "# scale\n"))
        if number == commits:
            parts.append(_file("CHANGELOG.md", f"## {last_tag} (2026-01-01)\n\n- scale\n"))
        parts.append(_file("counter.txt", f"{number}\n"))
    parts.append(f"tag {last_tag}\nfrom :{commits}\n")
    parts.append(f"tagger Bench <bench@example.invalid> {1_700_000_000 + commits * 60} +0000\n")
    parts.append(_data("release"))
    return "".join(parts)


def packed_tags(marks: str, commits: int, tags: int) -> str:
    """packed-refs lines for the other tags, evenly spaced (lightweight).

    Written straight into packed-refs: creating 10,000 loose refs costs git many seconds
    of file system work, and `git gc` would pack them anyway.
    """
    commit_of = dict(line.split() for line in marks.splitlines())
    every = commits // tags
    refs = {f"refs/tags/{tag_name(i)}": commit_of[f":{(i + 1) * every}"] for i in range(tags - 1)}
    lines = [f"{sha} {ref}\n" for ref, sha in sorted(refs.items(), key=lambda r: r[0].encode())]
    return "# pack-refs with: peeled fully-peeled sorted \n" + "".join(lines)


def _git(repo: Path, *args: str, stdin: str | None = None) -> None:
    subprocess.run(["git", *args], cwd=repo, input=stdin, text=True, check=True)


def repository(commits: int, tags: int) -> Path:
    """The cached repository of that size, generated on first use."""
    repo = WORK / f"scale-{commits}-{tags}"
    done = repo / ".git" / "tagship-bench-ready"
    if done.exists():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    _git(repo, "init", "--quiet", "--initial-branch=main")
    marks = repo / ".git" / "bench-marks"
    stream = fast_import_stream(commits, tags)
    _git(repo, "fast-import", "--quiet", f"--export-marks={marks}", stdin=stream)
    packed = packed_tags(marks.read_text(encoding="utf-8"), commits, tags)
    (repo / ".git" / "packed-refs").write_text(packed, encoding="utf-8")
    _git(repo, "pack-refs", "--all")  # folds main and the annotated tag in
    _git(repo, "reset", "--quiet", "--hard", "main")
    done.touch()
    return repo


def _measure(argv: list[str | Path], repo: Path) -> float:
    return median_of(lambda: wall(argv, cwd=repo), repeat=REPEAT)


def git_processes(argv: list[str | Path], repo: Path) -> int:
    """How many git processes one run starts: a `git` first on PATH that logs, then execs."""
    real = shutil.which("git")
    folder = WORK / "git-counter"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "calls.log"
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    log.write_text("", encoding="utf-8")
    wall(argv, cwd=repo, env={"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"})
    return len(log.read_text(encoding="utf-8").splitlines())


def _index_cost(repo: Path, tag: str) -> tuple[float, float]:
    """Medians of `check TAG` asking a local pypiserver and of the same check offline,
    measured alternately (each side first as often)."""
    from tagship.index import LocalIndex  # noqa: PLC0415

    offline: list[str | Path] = [BIN / "tagship", "check", tag, "--offline"]
    with LocalIndex(WORK / "scale-index" / "packages") as index:
        online: list[str | Path] = [BIN / "tagship", "check", tag, "--index", index.url]
        wall(online, cwd=repo)  # warm up both
        wall(offline, cwd=repo)
        asked: list[float] = []
        skipped: list[float] = []
        for round_ in range(REPEAT * 2):
            pair = [(online, asked), (offline, skipped)]
            for argv, times in pair if round_ % 2 else reversed(pair):
                times.append(wall(argv, cwd=repo))
    return statistics.median(asked), statistics.median(skipped)


def run() -> str:
    rows: list[tuple[object, ...]] = []
    results: dict[tuple[int, int], tuple[float, float]] = {}
    for commits, tags in SIZES:
        print(f"   {commits} commits, {tags} tags", file=sys.stderr)
        repo = repository(commits, tags)
        tag = tag_name(tags - 1)
        check = _measure([BIN / "tagship", "check", tag, "--offline"], repo)
        scm = _measure([sys.executable, "-m", "setuptools_scm"], repo)
        results[(commits, tags)] = (check, scm)
        rows.append(
            (f"{commits:,}", f"{tags:,}", f"{check:.3f}", f"{scm:.3f}", f"{check / scm:.2f}")
        )
    big_check, big_scm = results[SIZES[-1]]
    small = results[SIZES[0]][0]
    more_commits = results[SIZES[1]][0]
    big_repo = repository(*SIZES[-1])
    processes = git_processes(
        [BIN / "tagship", "check", tag_name(SIZES[-1][1] - 1), "--offline"], big_repo
    )
    asked, skipped = _index_cost(repository(*SIZES[0]), tag_name(SIZES[0][1] - 1))
    return (
        f"## scale: `tagship check TAG --offline` vs `python -m setuptools_scm`\n\n"
        f"Median of {REPEAT} runs each (seconds), repositories made with git fast-import.\n\n"
        + table(
            ["commits", "tags", "tagship check", "setuptools_scm", "ratio"],
            rows,
        )
        + "\n"
        + verdict(
            f"under {GOAL_SECONDS:g} s at 100,000 commits / 10,000 tags ({big_check:.3f} s)",
            big_check < GOAL_SECONDS,
        )
        + verdict(
            f"no slower than setuptools_scm ({big_check:.3f} s vs {big_scm:.3f} s)",
            big_check <= big_scm,
        )
        + verdict(
            f"10x commits costs little ({small:.3f} s -> {more_commits:.3f} s at 1,000 tags)",
            more_commits < small * 1.5,
        )
        + verdict(
            f"at most {GOAL_GIT_PROCESSES} git processes at 100,000 commits / 10,000 tags "
            f"({processes})",
            processes <= GOAL_GIT_PROCESSES,
        )
        + verdict(
            f"asking a local index costs at most {GOAL_INDEX_RATIO}x the offline check "
            f"({asked:.3f} s vs {skipped:.3f} s: {asked / skipped:.2f}x, medians of "
            f"{REPEAT * 2} alternating runs, {os.cpu_count()} cores)",
            asked <= skipped * GOAL_INDEX_RATIO,
        )
    )
