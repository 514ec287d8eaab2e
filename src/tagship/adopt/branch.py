"""The release branch: the branch releases are cut from, written where it is not `main`.

git's default branch is still `master` on many machines; a project whose releases come
from `master` must not be told by every check that it is on the wrong branch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table

from tagship import git
from tagship.errors import ConfigError

DEFAULT = "main"
KEY = "release-branch"


def detect(root: Path) -> str:
    """origin's HEAD branch, else the checked-out branch, else `main`."""
    return git.remote_head(root) or git.current_branch(root) or DEFAULT


def adopt(doc: Any, branch: str) -> bool:
    """Write `[tool.tagship] release-branch` into `doc` unless it is set or is `main`."""
    tagship = doc.get("tool", {}).get("tagship")
    if tagship is not None and not isinstance(tagship, Table):
        raise ConfigError("pyproject.toml: [tool.tagship] must be a table; fix it")
    if branch == DEFAULT or (tagship is not None and KEY in tagship):
        return False
    if tagship is None:
        if "tool" not in doc:
            doc["tool"] = tomlkit.table(is_super_table=True)
        doc["tool"]["tagship"] = tagship = tomlkit.table()
    tagship[KEY] = branch
    return True
