from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import BIN, CZ_TOML, commit, git, init_repo, run, tagship, write

OUTPUT_KEYS = ["version", "kind", "prerelease", "channel", "index-url"]

# Valid git ref names (git creates each of them as a tag) that a shell, a `key=value` file
# or an old `::set-output` reader would misread.
HOSTILE_TAGS = [
    "v1.0.0$(touch${IFS}pwned)",
    "v1.0.0`touch${IFS}pwned`",
    "v1.0.0;touch${IFS}pwned",
    "v1.0.0'x'",
    'v1.0.0"x"',
    "v1.0.0%0Aversion=9.9.9",
    "v1.0.0%0D%0Akind=final",
    "v1.0.0&&x|y>z<w",
    "v1.0.0!#",
    "v1.0.0é",
    "v1.0.0\u2028version=9.9.9",
    "v1.0.0\u0085version=9.9.9",
]
# Accepted: the text around $version may hold anything git allows in a ref name.
HOSTILE_FORMAT = "r$(touch${IFS}pwned)`id`;'%é-$version"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, {".cz.toml": CZ_TOML.format(scheme="pep440", tag_format="v$version")})
    return tmp_path


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real repository holding every hostile tag, created by git itself."""
    repo = init_repo(tmp_path_factory.mktemp("hostile") / "repo")
    cz_toml = CZ_TOML.format(scheme="pep440", tag_format="v$version")
    cz_toml += f"legacy_tag_formats = [{json.dumps(HOSTILE_FORMAT)}]\n"
    commit(repo, "feat: initial", {".cz.toml": cz_toml})
    for tag in [*HOSTILE_TAGS, HOSTILE_FORMAT.replace("$version", "1.0.0rc1")]:
        git(repo, "tag", "--", tag)
    return repo


def _one_line_refusal(stdout: str, stderr: str) -> str:
    assert stdout == ""
    assert "Traceback" not in stderr
    assert stderr.endswith("\n")
    assert stderr.count("\n") == 1
    return stderr


def _output_lines(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines.pop() == ""
    return [(key, value) for key, _, value in (line.partition("=") for line in lines)]


def test_route_json(project: Path) -> None:
    ran = tagship(project, "route", "refs/tags/v0.2.0-rc1", "--json")
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {
        "tag": "v0.2.0-rc1",
        "version": "0.2.0rc1",
        "base_version": "0.2.0",
        "kind": "rc",
        "prerelease": True,
        "channel": "testpypi",
        "index_url": "https://test.pypi.org/simple/",
    }


def test_route_text(project: Path) -> None:
    ran = tagship(project, "route", "v1.0.0.post1")
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout == (
        "tag: v1.0.0.post1\nversion: 1.0.0.post1\nbase_version: 1.0.0\nkind: post\n"
        "prerelease: false\nchannel: pypi\nindex_url: https://pypi.org/simple/\n"
    )


def test_route_github_output(project: Path) -> None:
    out = project / "github_output"
    ran = tagship(project, "route", "v1.0.0", "--github-output", env={"GITHUB_OUTPUT": str(out)})
    assert ran.returncode == 0, ran.stderr
    assert out.read_text() == (
        "version=1.0.0\nkind=final\nprerelease=false\nchannel=pypi\n"
        "index-url=https://pypi.org/simple/\n"
    )


@pytest.mark.parametrize(
    "env",
    [
        {"GITHUB_REF_NAME": "v2.0.0b3", "GITHUB_REF_TYPE": "tag"},
        {"GITHUB_REF": "refs/tags/v2.0.0b3"},
        {
            "GITHUB_REF_NAME": "main",
            "GITHUB_REF_TYPE": "branch",
            "GITHUB_REF": "refs/tags/v2.0.0b3",
        },
    ],
)
def test_tag_from_the_environment(project: Path, env: dict[str, str]) -> None:
    ran = tagship(project, "route", "--json", env=env)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["version"] == "2.0.0b3"


def test_hostile_tags_are_real_git_tags(hostile_repo: Path) -> None:
    listed = git(hostile_repo, "tag", "--list").split("\n")
    assert set(HOSTILE_TAGS) <= set(listed)


@pytest.mark.parametrize("tag", HOSTILE_TAGS)
@pytest.mark.parametrize("via", ["argument", "GITHUB_REF"])
def test_hostile_tag_adds_no_key_or_line(
    hostile_repo: Path, tmp_path: Path, tag: str, via: str
) -> None:
    out = tmp_path / "github_output"
    out.write_text("earlier=step\n", encoding="utf-8")
    env = {"GITHUB_OUTPUT": str(out)}
    args = ["route", "--github-output"]
    if via == "argument":
        args.append(tag)
    else:
        env["GITHUB_REF"] = f"refs/tags/{tag}"
    ran = tagship(hostile_repo, *args, env=env)
    assert ran.returncode == 1
    assert "expected for example v1.2.3" in _one_line_refusal(ran.stdout, ran.stderr)
    assert out.read_text(encoding="utf-8") == "earlier=step\n"
    assert not (hostile_repo / "pwned").exists()


def test_hostile_text_around_version_writes_only_the_five_keys(
    hostile_repo: Path, tmp_path: Path
) -> None:
    tag = HOSTILE_FORMAT.replace("$version", "1.0.0rc1")
    out = tmp_path / "github_output"
    ran = tagship(
        hostile_repo,
        "route",
        "--github-output",
        "--json",
        env={"GITHUB_OUTPUT": str(out), "GITHUB_REF": f"refs/tags/{tag}"},
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["tag"] == tag
    assert _output_lines(out) == [
        ("version", "1.0.0rc1"),
        ("kind", "rc"),
        ("prerelease", "true"),
        ("channel", "testpypi"),
        ("index-url", "https://test.pypi.org/simple/"),
    ]
    assert not (hostile_repo / "pwned").exists()


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["1.2.3"], {}, "error: tag '1.2.3' does not match tag_format 'v$version'; expected for"),
        (
            ["release-1.2.3"],
            {},
            "does not match tag_format 'v$version'; expected for example v1.2.3",
        ),
        (
            ["vnext"],
            {},
            "error: tag 'vnext': 'next' is not a PEP 440 version (expected for example",
        ),
        (["v1.2.3+local.7"], {}, "carries a local version (1.2.3+local.7); package indexes refuse"),
        (["refs/heads/main"], {}, "error: 'refs/heads/main' is a branch ref, not a tag"),
        (["refs/pull/7/merge"], {}, "error: 'refs/pull/7/merge' is a branch ref, not a tag"),
        ([], {"GITHUB_REF": "refs/heads/main"}, "error: 'refs/heads/main' is a branch ref"),
        ([""], {}, "error: empty tag; pass a tag such as v1.2.3"),
        ([" "], {}, "error: empty tag; pass a tag such as v1.2.3"),
        ([], {}, "error: no tag given and GITHUB_REF_NAME/GITHUB_REF are not set; pass a tag"),
        ([], {"GITHUB_REF_NAME": ""}, "error: no tag given"),
    ],
)
def test_refusals_are_exit_1_and_one_line(
    project: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    out = project / "github_output"
    env = {**env, "GITHUB_OUTPUT": str(out)}
    ran = tagship(project, "route", *args, "--github-output", env=env)
    assert ran.returncode == 1
    assert message in _one_line_refusal(ran.stdout, ran.stderr)
    assert not out.exists()


def test_an_explicit_tag_wins_over_the_environment(project: Path) -> None:
    ran = tagship(project, "route", "v1.2", "--json", env={"GITHUB_REF_NAME": "v1.2.3+local"})
    assert json.loads(ran.stdout)["version"] == "1.2"


def test_github_output_without_the_variable(project: Path) -> None:
    ran = tagship(project, "route", "v1.0.0", "--github-output")
    assert ran.returncode == 2  # a usage error, like a GITHUB_OUTPUT that cannot be written
    assert "GITHUB_OUTPUT is not set" in _one_line_refusal(ran.stdout, ran.stderr)


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({".cz.toml": "[tool.commitizen\n"}, ".cz.toml"),
        ({"cz.toml": "[tool.commitizen]\ntag_format = v$version\n"}, "cz.toml"),
        ({"pyproject.toml": "[tool.commitizen]\ntag_format = 'v$version\n"}, "pyproject.toml"),
        ({".cz.json": '{"commitizen": {"tag_format": }'}, ".cz.json"),
        ({".cz.yaml": "commitizen: [\n"}, ".cz.yaml"),
        ({".cz.toml": "[tool.commitizen]\ntag_format = 1\n"}, ".cz.toml"),
        ({".cz.toml": "[tool.commitizen]\ntag_format = 'v1'\n"}, ".cz.toml"),
        ({".cz.toml": "[tool.commitizen]\nlegacy_tag_formats = 'v$version'\n"}, ".cz.toml"),
        ({".cz.toml": "[tool]\ncommitizen = 3\n"}, ".cz.toml"),
        ({"pyproject.toml": "[tool.tagship.channels]\nnightly = 'testpypi'\n"}, "pyproject.toml"),
        ({"pyproject.toml": "[tool.tagship.channels]\nrc = 'nowhere'\n"}, "pyproject.toml"),
        ({"pyproject.toml": "[tool.tagship.indexes.x]\nurl = 3\n"}, "pyproject.toml"),
        ({"pyproject.toml": "[tool]\ntagship = 'x'\n"}, "pyproject.toml"),
        ({"pyproject.toml": b"\xff\xfe[tool]\n"}, "pyproject.toml"),
    ],
)
def test_broken_config_is_exit_2_naming_the_file(
    tmp_path: Path, files: dict[str, str | bytes], named: str
) -> None:
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    ran = tagship(tmp_path, "route", "v1.0.0")
    assert ran.returncode == 2
    line = _one_line_refusal(ran.stdout, ran.stderr)
    assert str(tmp_path / named) in line


def test_index_url_with_a_line_break_is_refused_before_writing(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": (
                '[tool.tagship.channels]\nfinal = "evil"\n'
                '[tool.tagship.indexes.evil]\nurl = "https://x.example.org/\\nversion=9"\n'
            )
        },
    )
    out = tmp_path / "github_output"
    ran = tagship(tmp_path, "route", "1.0.0", "--github-output", env={"GITHUB_OUTPUT": str(out)})
    assert ran.returncode == 2
    assert "[tool.tagship.indexes.evil] url: " in _one_line_refusal(ran.stdout, ran.stderr)
    assert not out.exists()


CZ_TABLE = "[tool.commitizen]\ntag_format = 'release-$version'\n"


@pytest.mark.parametrize(
    "files",
    [
        {".cz.toml": CZ_TABLE},
        {"cz.toml": CZ_TABLE},
        {"pyproject.toml": "[project]\nname = 'x'\n\n" + CZ_TABLE},
        # pyproject.toml comes first in commitizen's order, but only with a commitizen table
        {"pyproject.toml": "[project]\nname = 'x'\n", ".cz.toml": CZ_TABLE},
        {"pyproject.toml": CZ_TABLE, ".cz.toml": "[tool.commitizen]\ntag_format = '$version'\n"},
        {".cz.json": json.dumps({"commitizen": {"tag_format": "release-$version"}})},
        {".cz.yaml": "commitizen:\n  tag_format: release-$version\n"},
    ],
)
def test_config_files(tmp_path: Path, files: dict[str, str]) -> None:
    write(tmp_path, files)
    ran = tagship(tmp_path, "route", "release-1.0.0a2", "--json")
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["version"] == "1.0.0a2"
    assert tagship(tmp_path, "route", "v1.0.0").returncode == 1


def test_legacy_tag_formats(tmp_path: Path) -> None:
    write(tmp_path, {".cz.toml": CZ_TABLE + "legacy_tag_formats = ['v$version', '$version']\n"})
    for tag in ("release-1.0.0", "v1.0.0", "1.0.0"):
        ran = tagship(tmp_path, "route", tag, "--json")
        assert json.loads(ran.stdout)["version"] == "1.0.0", tag


def test_no_config_means_bare_versions(tmp_path: Path) -> None:
    init_repo(tmp_path)  # the project's root: config above it is not read
    ran = tagship(tmp_path, "route", "1.0.0rc1", "--json")
    assert json.loads(ran.stdout)["channel"] == "testpypi"


def test_custom_channels_and_indexes(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".cz.toml": CZ_TOML.format(scheme="semver2", tag_format="v$version"),
            "pyproject.toml": (
                "[tool.tagship.channels]\n"
                'rc = "staging"\nfinal = "testpypi"\ndev = "staging"\n'
                "[tool.tagship.indexes.staging]\n"
                'url = "https://pkgs.example.org/staging/simple"\n'
                'upload-url = "https://pkgs.example.org/staging/upload/"\n'
                "[tool.tagship.indexes.testpypi]\n"
                'url = "https://test.example.org/simple/"\n'
            ),
        },
    )
    expected = {
        "v1.0.0-rc.1": ("rc", "staging", "https://pkgs.example.org/staging/simple/"),
        "v1.0.0": ("final", "testpypi", "https://test.example.org/simple/"),
        "v1.0.0.dev1": ("dev", "staging", "https://pkgs.example.org/staging/simple/"),
        "v1.0.0-beta.1": ("beta", "testpypi", "https://test.example.org/simple/"),
        "v1.0.0-1": ("post", "pypi", "https://pypi.org/simple/"),
    }
    for tag, (kind, channel, url) in expected.items():
        out = tmp_path / f"out-{kind}"
        ran = tagship(tmp_path, "route", tag, "--github-output", env={"GITHUB_OUTPUT": str(out)})
        assert ran.returncode == 0, ran.stderr
        found = dict(_output_lines(out))
        assert (found["kind"], found["channel"], found["index-url"]) == (kind, channel, url)
        assert list(found) == OUTPUT_KEYS


def test_global_option_before_the_command(project: Path) -> None:
    ran = tagship(project, "--verbose", "route", "v1.0.0rc1", "--json")
    assert (ran.returncode, json.loads(ran.stdout)["kind"]) == (0, "rc")


def test_route_help_lists_only_its_options(project: Path) -> None:
    ran = tagship(project, "route", "--help", env={"COLUMNS": "100"})  # one line of usage
    assert ran.returncode == 0
    assert ran.stdout.startswith("usage: tagship route [-h] [--json] [--github-output] [tag]\n")


@pytest.mark.parametrize("where", ["missing/output", ".", "fifo"])
def test_github_output_that_cannot_be_appended_to_is_one_line(project: Path, where: str) -> None:
    target = project / where
    if where == "fifo":
        os.mkfifo(target)  # nobody reads it: appending would wait forever
    ran = tagship(project, "route", "v1.0.0", "--github-output", env={"GITHUB_OUTPUT": str(target)})
    assert ran.returncode == 2
    message = _one_line_refusal(ran.stdout, ran.stderr)
    assert message.startswith(f"error: --github-output: cannot append to GITHUB_OUTPUT='{target}'")


@pytest.mark.parametrize("tag", ["v1.0.0 ", " v1.0.0", "v1.0.0\t", "v1.0.0\n"])
def test_a_tag_with_surrounding_whitespace_is_refused(project: Path, tag: str) -> None:
    ran = tagship(project, "route", tag)
    assert ran.returncode == 1
    assert "has surrounding whitespace" in _one_line_refusal(ran.stdout, ran.stderr)


def test_a_five_thousand_digit_version_is_one_line(project: Path) -> None:
    ran = tagship(project, "route", "v1." + "9" * 5000)
    assert ran.returncode == 1
    message = _one_line_refusal(ran.stdout, ran.stderr)
    assert "is not a PEP 440 version" in message
    assert len(message) < 300


def test_a_tag_format_with_two_versions_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, {".cz.toml": CZ_TOML.format(scheme="pep440", tag_format="v$version-$version")})
    ran = tagship(tmp_path, "route", "v1.0.0-1.0.0")
    assert ran.returncode == 2
    assert "holds $version more than once" in _one_line_refusal(ran.stdout, ran.stderr)


def test_closed_stdout_exits_cleanly(project: Path) -> None:
    ran = run(
        ["sh", "-c", f"'{BIN / 'tagship'}' route v1.0.0 >&-; echo rc=$?"],
        project,
        check=False,
        env={"COLUMNS": ""},  # else argparse never asks the closed stdout for its width
    )
    assert (ran.stdout, ran.stderr) == ("rc=0\n", "")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["route", "v1.0.0"], ["--version"]])
def test_a_full_disk_under_stdout_is_one_line_and_exit_1(project: Path, args: list[str]) -> None:
    script = f"'{BIN / 'tagship'}' {' '.join(args)} >/dev/full; echo rc=$?"
    ran = run(["sh", "-c", script], project, check=False)
    assert ran.stdout == "rc=1\n"
    assert ran.stderr == (
        "error: cannot write the output to stdout (No space left on device); "
        "free space on its device or redirect it elsewhere\n"
    )


def test_a_reader_that_went_away_costs_no_traceback(project: Path) -> None:
    # `true` exits without reading: route's write meets a closed pipe.
    script = f"'{BIN / 'tagship'}' route --json v1.0.0 | true; echo rc=${{PIPESTATUS:-?}}"
    ran = run(["bash", "-c", script.replace("${PIPESTATUS:-?}", "${PIPESTATUS[0]}")], project)
    assert ran.stderr == ""
    assert ran.stdout == "rc=0\n"
