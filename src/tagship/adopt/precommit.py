"""`.pre-commit-config.yaml`: tagship's hooks inserted, every other byte of the file kept.

tagship's hooks are `repo: local` hooks that run the tools of the project's own locked
environment through `uv run --frozen` (never whatever `cz` or `tagship` is on PATH, never
the temporary environment `uvx` ran init from), so they need no hook repository and run
exactly the versions CI installs. The pre-push hook first tries the environment's own
`tagship` without uv (`PRE_PUSH_ENTRY`): a push whose content already passed then costs no
uv start (about 12 ms, a tenth of pre-commit's own), and anything else is handed to the
same `uv run --frozen tagship pre-push`, which syncs the environment before gating.

The user's hooks keep their stages: pre-commit runs a hook without `stages` at every
installed hook type, so adding commit-msg and pre-push to `default_install_hook_types`
would also run the user's formatters there. Where init adds hook types and the file has no
`default_stages`, it sets `default_stages` to the stages the file installed before.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tagship.adopt import yamltext
from tagship.adopt.yamltext import Edit
from tagship.diagnose.hook_rules import parse_precommit
from tagship.errors import ConfigError

FILE = ".pre-commit-config.yaml"
PRE_PUSH_ENTRY = (
    "sh -c 'test -x .venv/bin/tagship && export TAGSHIP_SYNC_ON_MISS=1 && "
    "exec .venv/bin/tagship pre-push; exec uv run --frozen tagship pre-push'"
)
HOOK_TYPES = ("pre-commit", "commit-msg", "pre-push")
HOOKS: tuple[dict[str, Any], ...] = (
    {
        "id": "commitizen",
        "name": "conventional commit message (commitizen)",
        "entry": "uv run --frozen cz check --allow-abort --commit-msg-file",
        "language": "system",
        "stages": ["commit-msg"],
    },
    {
        "id": "tagship",
        "name": "quality gates and release checks of the pushed refs (tagship pre-push)",
        "entry": PRE_PUSH_ENTRY,
        "language": "system",
        "pass_filenames": False,
        "always_run": True,
        "stages": ["pre-push"],
    },
)
# Hooks earlier versions of tagship init wrote: replaced by the current ones.
_OLD_ENTRIES = {
    "commitizen": "cz check --allow-abort --commit-msg-file",
    "tagship": "uv run --frozen tagship pre-push",
}
_OLD_IDS = ("tagship-gate", "tagship-check")
# A new file, or a new `repos`, gets pre-commit's documented indentation.
_DASH, _KEY = 2, 4


def _fail(what: str) -> ConfigError:
    return ConfigError(f"{FILE}: {what}; fix the file and run init again")


def _repos(root: Node | None) -> tuple[MappingNode | None, SequenceNode | None]:
    if root is None or yamltext.is_null(root):
        return None, None
    if not isinstance(root, MappingNode):
        raise _fail("the file is not a mapping of settings")
    found = yamltext.get(root, "repos")
    if found is None or yamltext.is_null(found[1]):
        return root, None
    if not isinstance(found[1], SequenceNode):
        raise _fail("`repos` must be a list of repositories")
    for repo in found[1].value:
        hooks = yamltext.get(repo, "hooks") if isinstance(repo, MappingNode) else None
        if hooks is None or not isinstance(hooks[1], SequenceNode):
            raise _fail("each repository in `repos` must be a mapping with a list of `hooks`")
    return root, found[1]


def _hooks(repos: SequenceNode | None) -> list[tuple[SequenceNode, MappingNode]]:
    """(the hooks list, the hook) for every hook of every repository."""
    found: list[tuple[SequenceNode, MappingNode]] = []
    for repo in repos.value if repos else []:
        hooks = yamltext.get(repo, "hooks")
        if hooks is not None and isinstance(hooks[1], SequenceNode):  # checked by _repos
            found += [(hooks[1], h) for h in hooks[1].value if isinstance(h, MappingNode)]
    return found


def _hook_lines(spec: dict[str, Any], dash: int, key: int) -> list[str]:
    lines = [f"{key * ' '}{name}: {yamltext.plain(value)}" for name, value in spec.items()]
    first = lines[0][key:]
    return [f"{dash * ' '}-{(key - dash - 1) * ' '}{first}", *lines[1:]]


class _Editor:
    """Collects the edits for one file: its text, line ending and node tree."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = yamltext.newline_of(text)
        self.edits: list[Edit] = []

    def lines_after(self, offset: int, lines: list[str]) -> None:
        self.edits.append(yamltext.insert_lines(self.text, offset, lines, self.newline))

    def replace(self, node: Node, new: str) -> None:
        self.edits.append(Edit(node.start_mark.index, node.end_mark.index, new))

    def remove_item(self, item: Node) -> None:
        start = yamltext.line_start(self.text, item.start_mark.index)
        end = yamltext.line_after(self.text, yamltext.last_leaf_end(item))
        self.edits.append(Edit(start, end, ""))

    def style(self, repos: SequenceNode | None) -> tuple[int, int]:
        """(dash column, key column) of the items of `repos` (the defaults when empty)."""
        if repos is None or not repos.value or repos.flow_style:
            return _DASH, _KEY
        first = repos.value[0]
        return yamltext.dash_column(self.text, first), int(first.start_mark.column)


def _hook_types(editor: _Editor, root: MappingNode | None) -> None:
    """Add tagship's hook types; keep the stages the user's hooks ran at before."""
    found = yamltext.get(root, "default_install_hook_types") if root else None
    if found and not _strings(found[1]):
        raise _fail("`default_install_hook_types` must be a list of hook types")
    types = found[1] if found and isinstance(found[1], SequenceNode) else None
    before = [str(item.value) for item in types.value] if types else []
    missing = [kind for kind in HOOK_TYPES if kind not in before]
    if not missing:
        return
    lines: list[str] = []
    if types is None:
        lines.append(f"default_install_hook_types: {yamltext.plain(list(HOOK_TYPES))}")
    else:
        _extend(editor, types, missing)
    if root is None or yamltext.get(root, "default_stages") is None:
        lines.append(f"default_stages: {yamltext.plain(before or ['pre-commit'])}")
    if lines and types is not None:
        editor.lines_after(yamltext.last_leaf_end(types), lines)
    elif lines:
        at = _first_key_start(editor.text, root)
        editor.edits.append(Edit(at, at, "".join(line + editor.newline for line in lines)))


def _strings(node: Node) -> bool:
    return isinstance(node, SequenceNode) and all(isinstance(i, ScalarNode) for i in node.value)


def _extend(editor: _Editor, sequence: SequenceNode, items: list[str]) -> None:
    """Append scalar items to a flow (`[a, b]`) or block (`- a`) list of scalars."""
    if sequence.flow_style or not sequence.value:
        close = sequence.end_mark.index - 1
        text = ", ".join(items)
        editor.edits.append(Edit(close, close, (", " if sequence.value else "") + text))
        return
    last = sequence.value[-1]
    dash = yamltext.dash_column(editor.text, last)
    gap = int(last.start_mark.column) - dash - 1
    editor.lines_after(last.end_mark.index, [f"{dash * ' '}-{gap * ' '}{i}" for i in items])


def _first_key_start(text: str, root: MappingNode | None) -> int:
    """Where the first top-level setting's line starts (the leading comments stay above)."""
    if root is None or not root.value:
        return len(text) if text.strip() else 0
    return yamltext.line_start(text, root.value[0][0].start_mark.index)


def _migrate(editor: _Editor, hooks: list[tuple[SequenceNode, MappingNode]]) -> set[str]:
    """Replace hooks an earlier tagship wrote; the ids of tagship's hooks now present."""
    present = {yamltext.scalar(hook, "id") or "" for _, hook in hooks}
    for _, hook in hooks:
        hook_id = yamltext.scalar(hook, "id") or ""
        entry = yamltext.get(hook, "entry")
        if entry and hook_id in _OLD_ENTRIES and entry[1].value == _OLD_ENTRIES[hook_id]:
            spec = next(spec for spec in HOOKS if spec["id"] == hook_id)
            editor.replace(entry[1], yamltext.plain(spec["entry"]))
    old = [(seq, hook) for seq, hook in hooks if yamltext.scalar(hook, "id") in _OLD_IDS]
    if old and "tagship" not in present:
        hook = old[0][1]
        dash, key = yamltext.dash_column(editor.text, hook), int(hook.start_mark.column)
        editor.lines_after(yamltext.last_leaf_end(hook), _hook_lines(HOOKS[1], dash, key))
        present.add("tagship")
    for _, hook in old:
        editor.remove_item(hook)
    return present


def _add_hooks(
    editor: _Editor, root: MappingNode | None, repos: SequenceNode | None, specs: list[Any]
) -> None:
    dash, key = editor.style(repos)
    nested_dash, nested_key = key + (dash if repos and repos.value else _DASH), 2 * key
    block = [
        f"{dash * ' '}-{(key - dash - 1) * ' '}repo: local",
        f"{key * ' '}hooks:",
    ]
    for spec in specs:
        block += _hook_lines(spec, nested_dash, nested_key)
    if repos is not None and repos.value and not repos.flow_style:
        editor.lines_after(yamltext.last_leaf_end(repos), block)
        return
    found = yamltext.get(root, "repos") if root else None
    if repos is not None and repos.value:  # a flow list of repositories: one more item
        raise _fail("`repos` is written as a flow list; write it as a block list")
    if found is None:
        at = len(editor.text)
        lead = editor.newline if editor.text and not editor.text.endswith("\n") else ""
        body = "".join(line + editor.newline for line in ["repos:", *block])
        editor.edits.append(Edit(at, at, lead + body))
        return
    key_node, value = found
    # `repos:` (null) or `repos: []`: the list starts on the next line
    end = value.end_mark.index if not yamltext.is_null(value) else key_node.end_mark.index + 1
    editor.edits.append(Edit(key_node.end_mark.index + 1, end, ""))
    editor.lines_after(key_node.end_mark.index, block)


def hook_repos(text: str | None) -> list[tuple[str, str]]:
    """(repo, rev) of every remote hook repository of the config (nothing when unreadable)."""
    try:
        _, repos = _repos(yamltext.compose(text) if text and text.strip() else None)
    except (ConfigError, YAMLError):
        return []
    found: list[tuple[str, str]] = []
    for repo in repos.value if repos else []:
        url, rev = yamltext.scalar(repo, "repo"), yamltext.scalar(repo, "rev")
        if url and rev:
            found.append((url, rev))
    return found


def adopt(text: str | None) -> str:
    """The config with tagship's hook types and hooks added to whatever is there."""
    text = text or ""
    editor = _Editor(text)
    root, repos = _repos(yamltext.compose(text) if text.strip() else None)
    _hook_types(editor, root)
    present = _migrate(editor, _hooks(repos))
    missing = [spec for spec in HOOKS if spec["id"] not in present]
    if missing:
        _add_hooks(editor, root, repos, missing)
    adopted = yamltext.apply(text, editor.edits)
    # what doctor (TS411) and pre-commit would refuse (a duplicate key, a hook that is no
    # mapping) is refused, not edited
    problem = parse_precommit(adopted)
    if isinstance(problem, str):
        raise ConfigError(f"{problem}; fix the file and run init again")
    return adopted
