"""pyproject.toml's share of init's hooks: the dev group's tools and the release branch."""

from __future__ import annotations

from pathlib import Path

from tagship.adopt import branch, devgroup, hookrunner, precommit, tomldoc


def adopt(root: Path, text: str, hooks_text: str | None, runner: str | None) -> str:
    """`text` with the hooks' and gates' tools in the dev group and the release branch set.

    `runner` is the hook runner the user asked for (`--hook-runner`), None to detect it.
    """
    doc, layout = tomldoc.parse(text)
    pins = devgroup.pins_from_hook_repos(precommit.hook_repos(hooks_text))
    name = str(doc.get("project", {}).get("name", ""))
    chosen = hookrunner.choose(root, doc, runner)
    added = devgroup.adopt(doc, name=name, pins=pins, runner=chosen)
    written = branch.adopt(doc, branch.detect(root))
    return tomldoc.dump(doc, layout) if added or written else text
