from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tagship.config import load_tagship
from tagship.errors import ConfigError

PYPROJECT = Path("pyproject.toml")


def test_defaults_when_the_table_is_empty() -> None:
    loaded = load_tagship(PYPROJECT, {})
    assert (loaded.release_branch, dict(loaded.smoke)) == ("main", {})
    assert loaded.index_for("rc").name == "testpypi"
    assert loaded.index_for("final").name == "pypi"


def test_smoke_as_a_list_names_each_command_by_itself() -> None:
    loaded = load_tagship(PYPROJECT, {"smoke": ["tool --help", "python -c 'import tool'"]})
    assert dict(loaded.smoke) == {
        "tool --help": "tool --help",
        "python -c 'import tool'": "python -c 'import tool'",
    }


def test_smoke_as_a_table_maps_names_to_commands() -> None:
    loaded = load_tagship(PYPROJECT, {"smoke": {"help": "tool --help"}})
    assert dict(loaded.smoke) == {"help": "tool --help"}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"smoke": "tool --help"}, "'smoke' must be a list"),
        ({"smoke": ["tool", 3]}, "'smoke' must be a list of strings"),
        ({"smoke": {"help": 3}}, "[tool.tagship.smoke] must map names to commands"),
        ({"smoke": {"help": "  "}}, "'smoke' has an empty command"),
        ({"smoke": ["tool --help", ""]}, "'smoke' has an empty command"),
        ({"release-branch": 1}, "'release-branch' must be a str"),
        ({"channels": {"nightly": "pypi"}}, "unknown kind 'nightly'"),
        ({"channels": {"rc": "elsewhere"}}, "rc = 'elsewhere' names no index"),
    ],
)
def test_a_broken_value_names_the_file_and_the_key(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_tagship(PYPROJECT, table)
    assert str(raised.value).startswith("pyproject.toml: ")
    assert message in str(raised.value)
