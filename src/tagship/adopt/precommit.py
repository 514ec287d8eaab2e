"""`.pre-commit-config.yaml`, edited round-trip: the user's hooks, comments and order kept.

tagship's hooks are `repo: local` hooks calling the tools of the project's environment
(`language: system`): they run exactly the versions the project locked, and need no
hook repository to be fetched.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from tagship.errors import FatalError

HOOK_TYPES = ("pre-commit", "commit-msg", "pre-push")
HOOKS: tuple[dict[str, Any], ...] = (
    {
        "id": "commitizen",
        "name": "conventional commit message (commitizen)",
        "entry": "cz check --allow-abort --commit-msg-file",
        "language": "system",
        "stages": ["commit-msg"],
    },
    {
        "id": "tagship-gate",
        "name": "quality gates on the pushed commit (tagship gate)",
        "entry": "tagship gate",
        "language": "system",
        "pass_filenames": False,
        "always_run": True,
        "stages": ["pre-push"],
    },
    {
        "id": "tagship-check",
        "name": "release consistency of pushed tags (tagship check)",
        "entry": "tagship check",
        "language": "system",
        "pass_filenames": False,
        "always_run": True,
        "stages": ["pre-push"],
    },
)
# (mapping, sequence, offset) styles tried in turn: the first that reproduces the file
# byte for byte is the file's own style.
_STYLES = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (2, 4, 0), (4, 4, 0))


def _yaml(style: tuple[int, int, int]) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = style
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _style_of(text: str) -> tuple[int, int, int]:
    for style in _STYLES:
        if _dump(_yaml(style), _yaml(style).load(text)) == text:
            return style
    return _STYLES[0]


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _hook(spec: dict[str, Any]) -> CommentedMap:
    hook = CommentedMap()
    for key, value in spec.items():
        hook[key] = _flow(value) if isinstance(value, list) else value
    return hook


def _hook_ids(repos: list[Any]) -> set[str]:
    return {
        str(hook.get("id"))
        for repo in repos
        if isinstance(repo, dict)
        for hook in repo.get("hooks") or []
        if isinstance(hook, dict)
    }


def _local_repo(repos: CommentedSeq) -> CommentedMap:
    # Only the last repo may grow: comments before a following repo stay attached to the
    # end of the previous one, so hooks added in the middle would land after them.
    last = repos[-1] if len(repos) else None
    if isinstance(last, CommentedMap) and last.get("repo") == "local":
        return last
    repo = CommentedMap([("repo", "local"), ("hooks", CommentedSeq())])
    repos.append(repo)
    return repo


def _hook_types(config: CommentedMap) -> None:
    types = config.get("default_install_hook_types")
    if types is None:
        config.insert(0, "default_install_hook_types", _flow(list(HOOK_TYPES)))
        return
    for hook_type in HOOK_TYPES:
        if hook_type not in types:
            types.append(hook_type)


def _split_tail(text: str) -> tuple[str, str]:
    """The file, and its closing block of comments and blank lines (kept out of the YAML,
    where ruamel would attach it to the last node and move it with whatever follows)."""
    lines = text.splitlines(keepends=True)
    cut = len(lines)
    while cut and (not lines[cut - 1].strip() or lines[cut - 1].lstrip().startswith("#")):
        cut -= 1
    return "".join(lines[:cut]), "".join(lines[cut:])


def adopt(text: str | None) -> str:
    """The config with tagship's hook types and hooks added to whatever is there."""
    text, tail = _split_tail(text or "")
    style = _style_of(text) if text else _STYLES[0]
    yaml = _yaml(style)
    config = yaml.load(text) if text else None
    if config is None:
        config = CommentedMap()
    if not isinstance(config, CommentedMap):
        raise FatalError(".pre-commit-config.yaml is not a mapping; fix it and run init again")
    _hook_types(config)
    if config.get("repos") is None:
        config["repos"] = CommentedSeq()
    repos = config["repos"]
    missing = [spec for spec in HOOKS if spec["id"] not in _hook_ids(repos)]
    if missing:
        hooks = _local_repo(repos).setdefault("hooks", CommentedSeq())
        hooks.extend(_hook(spec) for spec in missing)
    return _dump(yaml, config) + tail
