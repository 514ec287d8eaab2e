from __future__ import annotations

import pytest
from packaging.version import Version

from tagship.checks.dists import metadata_problems
from tagship.checks.pushed import Pushed, from_hook
from tagship.checks.repo import forward_problem
from tagship.index import file_version

EXISTING = {
    "v0.1.0": Version("0.1.0"),
    "v0.2.0rc0": Version("0.2.0rc0"),
    "v0.2.0": Version("0.2.0"),
    "v0.3.0a1": Version("0.3.0a1"),
}


@pytest.mark.parametrize(
    ("tag", "version", "expected"),
    [
        ("v0.3.0", "0.3.0", None),
        ("v0.3.0a1", "0.3.0a1", None),  # the tag itself is not "another" tag
        ("v0.3.0a2", "0.3.0a2", None),
        # a maintenance release of 0.2 while 0.3 is in alpha (0.28.2 after 1.0.0b0)
        ("v0.2.1", "0.2.1", None),
        ("v0.2.1rc0", "0.2.1rc0", None),
        ("v0.3.0a0", "0.3.0a0", "0.3.0a0 is not greater than 0.3.0a1 (v0.3.0a1)"),
        ("v0.3.0.dev2", "0.3.0.dev2", "0.3.0.dev2 is not greater than 0.3.0a1 (v0.3.0a1)"),
        ("v0.1.9", "0.1.9", "0.1.9 is not greater than 0.2.0 (v0.2.0)"),
        (
            "v0.2.0-rc.1",
            "0.2.0rc1",
            "0.2.0 is already released as v0.2.0; a pre-release of it is too late",
        ),
        ("0.2.0", "0.2.0", "0.2.0 is already tagged as v0.2.0"),
        ("", "0.3.0a1", "0.3.0a1 is already tagged as v0.3.0a1"),  # pre-bump: tag must not exist
        ("v0.0.9", "0.0.9", "0.0.9 is not greater than 0.2.0 (v0.2.0)"),
    ],
)
def test_forward_problem(tag: str, version: str, expected: str | None) -> None:
    assert forward_problem(tag, Version(version), EXISTING) == expected


def test_forward_problem_first_release() -> None:
    assert forward_problem("v0.1.0", Version("0.1.0"), {}) is None


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"PRE_COMMIT_FROM_REF": "abc"}, None),
        (
            {"PRE_COMMIT_REMOTE_BRANCH": "refs/tags/v1.0.0", "PRE_COMMIT_TO_REF": "abc"},
            Pushed(tag="v1.0.0", rev=None),
        ),
        (
            {"PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main", "PRE_COMMIT_TO_REF": "abc"},
            Pushed(tag=None, rev="abc"),
        ),
        (  # the push holds the root commit: pre-commit sets no TO_REF
            {
                "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main",
                "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main",
            },
            Pushed(tag=None, rev="refs/heads/main"),
        ),
    ],
)
def test_from_hook(environ: dict[str, str], expected: Pushed | None) -> None:
    assert from_hook(environ) == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("sample_pkg-0.2.0-py3-none-any.whl", Version("0.2.0")),
        ("sample_pkg-0.2.0rc1.tar.gz", Version("0.2.0rc1")),
        ("sample-pkg-0.2.0.tar.gz", Version("0.2.0")),
        ("sample_pkg-0.2.0.zip", Version("0.2.0")),  # old sdists still hold the version
        ("README.txt", None),
    ],
)
def test_file_version(filename: str, expected: Version | None) -> None:
    assert file_version(filename) == expected


GOOD = (
    "Metadata-Version: 2.4\nName: sample-pkg\nVersion: 0.2.0\n"
    "Description-Content-Type: text/markdown\n\n# sample\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD, []),
        (
            GOOD.replace("0.2.0", "0.2.1.dev0+gabc"),
            ["metadata version 0.2.1.dev0+gabc is not 0.2.0"],
        ),
        (GOOD.replace("sample-pkg", "other"), ["metadata name 'other' is not 'sample_pkg'"]),
        (GOOD.replace("\n\n# sample\n", "\n"), ["no long description (set readme in [project])"]),
        (
            GOOD.replace("Description-Content-Type: text/markdown\n", ""),
            ["no description content type (set readme to a .md or .rst file)"],
        ),
        (
            GOOD.replace("Version: 0.2.0", "Version: not-a-version"),
            ["'not-a-version' is invalid for 'version'"],
        ),
        (GOOD.replace("text/markdown\n\n# sample", "text/x-rst\n\nSample\n======"), []),
        (
            GOOD.replace("text/markdown\n\n# sample", "text/x-rst\n\nSee `the docs"),
            [
                (
                    "the reStructuredText long description does not render on PyPI "
                    "(<string>:1: (WARNING/2) Inline interpreted text or phrase reference "
                    "start-string without end-string.)"
                )
            ],
        ),
    ],
)
def test_metadata_problems(text: str, expected: list[str]) -> None:
    assert metadata_problems(text.encode(), name="sample_pkg", version=Version("0.2.0")) == expected
