from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tagship.config import Smoke, default_environment, load, load_tagship
from tagship.errors import ConfigError
from tagship.gatetable import GateSettings
from tagship.settings import KEYS

PYPROJECT = Path("pyproject.toml")


def _refusal(table: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as raised:
        load_tagship(PYPROJECT, table)
    message = str(raised.value)
    assert message.startswith("pyproject.toml: ")
    assert "\n" not in message
    return message


def test_defaults_when_the_table_is_empty() -> None:
    loaded = load_tagship(PYPROJECT, {})
    assert (loaded.release_branch, dict(loaded.smoke), loaded.gates) == ("main", {}, None)
    assert (loaded.allow_final_without_rc, loaded.generate_workflow) == (False, True)
    assert loaded.index_for("rc").name == "testpypi"
    assert loaded.index_for("final").name == "pypi"


def test_every_documented_key_is_read() -> None:
    loaded = load_tagship(
        PYPROJECT,
        {
            "release-branch": "release/1.x",
            "channels": {"rc": "staging"},
            "indexes": {"staging": {"url": "https://pypi.example.org/simple"}},
            "environments": {"staging": "stage"},
            "smoke": {"help": "tool --help"},
            "gates": {"lint": "ruff check ."},
            "allow-final-without-rc": True,
            "generate-workflow": False,
        },
    )
    assert loaded.release_branch == "release/1.x"
    assert loaded.index_for("rc").url == "https://pypi.example.org/simple/"
    assert loaded.index_for("rc").upload_url == "https://pypi.example.org/simple"
    assert loaded.environment("staging") == "stage"
    assert loaded.gates == (GateSettings("lint", "ruff check ."),)
    assert (loaded.allow_final_without_rc, loaded.generate_workflow) == (True, False)


def test_a_channel_of_the_users_runs_in_release_name_everywhere() -> None:
    loaded = load_tagship(
        PYPROJECT,
        {"channels": {"rc": "staging"}, "indexes": {"staging": {"url": "https://x.org/s/"}}},
    )
    assert loaded.environment("staging") == default_environment("staging") == "release-staging"
    assert (loaded.environment("testpypi"), loaded.environment("pypi")) == (
        "release-test",
        "release",
    )


def test_smoke_as_a_list_names_each_command_by_itself() -> None:
    loaded = load_tagship(PYPROJECT, {"smoke": ["tool --help", "python -c 'import tool'"]})
    assert dict(loaded.smoke) == {
        "tool --help": Smoke("tool --help", ("tool", "--help"), "tool --help"),
        "python -c 'import tool'": Smoke(
            "python -c 'import tool'", ("python", "-c", "import tool"), "python -c 'import tool'"
        ),
    }


def test_smoke_as_a_table_replaces_skips_or_adds() -> None:
    loaded = load_tagship(
        PYPROJECT, {"smoke": {"app": "app version", "other": False, "plugins": "app list"}}
    )
    assert [(s.name, s.argv, s.skip) for s in loaded.smoke.values()] == [
        ("app", ("app", "version"), False),
        ("other", (), True),
        ("plugins", ("app", "list"), False),
    ]


@pytest.mark.parametrize(
    "command",
    [
        "app --help && rm -rf /",
        "app --help&&true",
        "app || true",
        "app | grep 1.0",
        "app; true",
        "app &",
        "app > out",
        "app >> out",
        "app < in",
        "app 2>&1",
        "app `id`",
        "app $(id)",
        'app "$(id)"',
        'app "`id`"',
    ],
)
def test_a_smoke_command_with_shell_syntax_is_refused_at_load(command: str) -> None:
    for table in ({"smoke": [command]}, {"smoke": {"probe": command}}):
        assert "run one command; put a pipeline in a script" in _refusal(table)


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("app 'a && b'", ("app", "a && b")),
        ('app "a | b"', ("app", "a | b")),
        ("python -c 'import x; print(1)'", ("python", "-c", "import x; print(1)")),
        (r"app a\;b", ("app", "a;b")),
        ("app '$(not run)'", ("app", "$(not run)")),
    ],
)
def test_quoted_operators_are_plain_arguments(command: str, argv: tuple[str, ...]) -> None:
    assert load_tagship(PYPROJECT, {"smoke": {"probe": command}}).smoke["probe"].argv == argv


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"release_branch": "main"}, "release_branch: unknown key (did you mean release-branch?)"),
        ({"channel": {}}, "channel: unknown key (did you mean channels?)"),
        ({"colour": 1}, "[tool.tagship] colour: unknown key; keys are release-branch,"),
        ({"channels": {"nightly": "pypi"}}, "[tool.tagship.channels] nightly: unknown key"),
        ({"channels": {"rc": ["testpypi"]}}, "channels] rc: must be a string, not a list"),
        ({"channels": {"rc": "elsewhere"}}, "rc: 'elsewhere' names no index"),
        ({"channels": "pypi"}, "[tool.tagship] channels: must be a table, not a string"),
        ({"environments": {"pypi": 3}}, "environments] pypi: must be a string, not int"),
        ({"environments": {"pypi": True}}, "environments] pypi: must be a string, not a boolean"),
        ({"environments": {"nowhere": "x"}}, "environments] nowhere: names no index"),
        (
            {"environments": {"pypi": "rel\nease"}},
            "pypi: 'rel\\nease' is refused: it contains a line break",
        ),
        ({"environments": {"pypi": "a b"}}, "is refused: a GitHub environment name here is"),
        ({"environments": {"pypi": "${{ github.token }}"}}, "it contains a GitHub expression"),
        ({"release-branch": 1}, "release-branch: must be a string, not int"),
        ({"release-branch": "main\non: pull_request_target"}, "contains a line break"),
        ({"release-branch": "a..b"}, "git refuses '@', '@{', '..' and '//'"),
        ({"release-branch": "-main"}, "cannot start with '-'"),
        ({"release-branch": "main.lock"}, "end with '.lock'"),
        ({"release-branch": "ma'in"}, 'it contains "\'"'),
        ({"release-branch": "a b"}, "git refuses ' '"),
        ({"indexes": {"x": {}}}, "[tool.tagship.indexes.x] url: is missing"),
        ({"indexes": {"x": "https://x.org/"}}, "indexes] x: must be a table, not a string"),
        (
            {"indexes": {"x": {"url": "https://x.org/", "uplaod-url": "y"}}},
            "did you mean upload-url?",
        ),
        ({"indexes": {"x": {"url": "ftp://x.org/"}}}, "url: 'ftp://x.org/' is refused"),
        ({"indexes": {"x": {"url": "https://x.org/\n- run: curl"}}}, "contains a line break"),
        ({"indexes": {"x": {"url": "https://x.org/ a"}}}, "is refused: it must be an http"),
        ({"indexes": {"x": {"url": "https://x.org/", "upload-url": "https://x'"}}}, "upload-url:"),
        ({"indexes": {"bad name": {"url": "https://x.org/"}}}, "an index name is a letter"),
        ({"smoke": "tool --help"}, "smoke: must be a list, not a string"),
        ({"smoke": ["tool", 3]}, "smoke: must be a list of command strings"),
        ({"smoke": {"help": 3}}, "[tool.tagship.smoke] help: must be a command string or false"),
        ({"smoke": {"help": True}}, "must be a command string or false, not a boolean"),
        ({"smoke": {"help": "  "}}, "help: '  ' is refused: it is empty"),
        ({"smoke": ["tool --help", ""]}, "smoke: '' is refused: it is empty"),
        (
            {"smoke": {"help": "tool 'unclosed"}},
            "cannot be split into words (No closing quotation)",
        ),
        ({"smoke": {"help": "tool\nrm -rf /"}}, "contains a line break"),
        ({"gates": {"lint": 3}}, "pyproject.toml: [tool.tagship.gates] lint: write a command"),
        ({"gates": {"lint": {"run": "x", "input": []}}}, "unknown key 'input'"),
        ({"gates": ["ruff"]}, "[tool.tagship.gates] must be a table"),
        ({"allow-final-without-rc": "yes"}, "allow-final-without-rc: must be true or false"),
        ({"generate-workflow": 1}, "generate-workflow: must be true or false, not int"),
    ],
)
def test_a_broken_value_names_the_file_and_the_key(table: dict[str, Any], message: str) -> None:
    assert message in _refusal(table)


CZ = '[tool.commitizen]\nversion_provider = "scm"\n'


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('tag_format = "v$version-$version"', "holds $version more than once"),
        ('tag_format = "v${version}-$version"', "holds $version more than once"),
        ('tag_format = "v$$version"', "holds $$, a literal $ to commitizen"),
        ('legacy_tag_formats = ["v$$version"]', "holds $$"),
        ('tag_format = "release"', "needs exactly one $version"),
        ('tag_format = "v$version\\non: push"', "contains a line break"),
        ('tag_format = "v\'$version"', 'it contains "\'"'),
        ('tag_format = "v${{ github.ref }}$version"', "GitHub expression"),
        ('tag_format = "v $version"', "would be refused by git"),
        ('tag_format = "v$version$foo"', "$foo is not one of commitizen's placeholders"),
        ('tag_format = "v$major.$minor"', "needs exactly one $version"),
        ('legacy_tag_formats = ["v$version-$version"]', "legacy_tag_formats"),
        ('legacy_tag_formats = ["v$version\\n"]', "contains a line break"),
    ],
)
def test_a_tag_format_that_cannot_name_one_version_is_refused(
    tmp_path: Path, line: str, message: str
) -> None:
    (tmp_path / ".cz.toml").write_text(CZ + line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load(tmp_path)
    assert str(raised.value).startswith(f"{tmp_path / '.cz.toml'}: ")
    assert message in str(raised.value)


@pytest.mark.parametrize(
    "tag_format", ["v$version", "${version}", "pkg-v$version", "v$major.$minor.$patch$prerelease"]
)
def test_the_usual_tag_formats_load(tmp_path: Path, tag_format: str) -> None:
    (tmp_path / ".cz.toml").write_text(f'{CZ}tag_format = "{tag_format}"\n', encoding="utf-8")
    assert load(tmp_path).cz.tag_format == tag_format


def test_a_project_without_a_name_loads(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nversion = "1"\n', encoding="utf-8")
    assert load(tmp_path).project_name is None


def test_the_readme_documents_every_key() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: configuration -->")[1].split("<!-- end: ")[0]
    documented = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    assert [key.split(".")[0] for key in documented] == list(KEYS)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", "a = " + "[" * 100_000 + "]" * 100_000 + "\n"),
        ("pyproject.toml", "[project\n"),
        (".cz.json", "[" * 100_000 + "]" * 100_000),
        (".cz.json", "{"),
    ],
)
def test_a_file_too_deep_or_broken_to_read_is_one_line(
    tmp_path: Path, name: str, text: str
) -> None:
    if name != "pyproject.toml":
        (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / name}: invalid "), message
    assert message.endswith("; fix the file")
    assert "\n" not in message
