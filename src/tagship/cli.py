"""Parse arguments and dispatch; map errors to exit codes. Nothing else lives here.

Exit codes: 0 success; 1 a check, gate or verification failed; 2 usage or configuration
error; 130 interrupted. Each command module is imported only when it runs, so that
`tagship route` pays for nothing it does not use.
"""

from __future__ import annotations

import os
import sys

from tagship import output
from tagship.errors import FatalError

# Not `typing.TYPE_CHECKING`: `typing` imports `re`, and a cached push has no time for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from tagship.parsing import Parser as _Parser

_TAG_HELP = "release tag (default: GITHUB_REF_NAME, else GITHUB_REF; refs/tags/ accepted)"


def _route(p: _Parser) -> None:
    p.add_argument("tag", nargs="?", help=_TAG_HELP)
    p.add_argument(
        "--json", dest="as_json", action="store_true", help="print the result as one JSON object"
    )
    p.add_argument(
        "--github-output",
        action="store_true",
        help="append version, kind, prerelease, channel, index-url to $GITHUB_OUTPUT",
    )


def _notes(p: _Parser) -> None:
    p.add_argument("version", metavar="VERSION|TAG", help="a version (any spelling) or a tag")
    p.add_argument("--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")


def _check(p: _Parser) -> None:
    p.add_argument("tag", nargs="?", help=_TAG_HELP + "; else the tag at HEAD")
    p.add_argument("--dist", metavar="DIR", help="also check the built dists in DIR")
    p.add_argument("--index", metavar="NAME|URL", help="index for the not-burned rule")
    p.add_argument("--offline", action="store_true", help="skip rules that need a remote index")
    p.add_argument("--timeout", type=float, metavar="S", help="deadline for the index (20 s)")
    p.add_argument(
        "--pre-bump",
        action="store_true",
        help="run from commitizen's pre_bump_hooks (reads CZ_PRE_* variables)",
    )
    p.add_argument("--json", dest="as_json", action="store_true", help="print the results as JSON")


def _gate(p: _Parser) -> None:
    p.add_argument("--rev", help="the commit to gate (default: the pushed ref, else HEAD)")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write the cache")
    p.add_argument("--jobs", type=int, metavar="N", help="gates run at once (default: CPUs)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="run only these gates")
    p.add_argument("--explain", action="store_true", help="say why each gate ran or was skipped")
    p.add_argument("--json", dest="as_json", action="store_true", help="print a summary as JSON")


def _pre_push(p: _Parser) -> None:
    p.add_argument(
        "remote",
        nargs="?",
        help="set by git when tagship is the pre-push hook itself: then the pushed refs are "
        "read from stdin (under pre-commit or prek, leave it out)",
    )
    p.add_argument("url", nargs="?", help="the remote's URL (set by git with REMOTE)")
    p.add_argument("--jobs", type=int, metavar="N", help="gates run at once (default: CPUs)")


def _init(p: _Parser) -> None:
    p.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    p.add_argument("--force", action="store_true", help="take tagship's side of a conflict")
    p.add_argument(
        "--no-install", action="store_true", help="do not run `uv sync` nor install the hooks"
    )
    p.add_argument(
        "--tag-current",
        action="store_true",
        help="commit init's files and tag the version a file held (with commitizen)",
    )
    p.add_argument(
        "--hook-runner",
        choices=("pre-commit", "prek"),
        help="install the hooks with this runner (default: the one the project uses)",
    )


def _doctor(p: _Parser) -> None:
    p.add_argument("--json", dest="as_json", action="store_true", help="print the results as JSON")


def _verify(p: _Parser) -> None:
    p.add_argument("version", metavar="VERSION|TAG", help="a version or a tag")
    p.add_argument("--index", metavar="NAME|URL", help="index name or simple API URL")
    p.add_argument("--timeout", type=float, metavar="S", help="seconds to wait for the index")
    p.add_argument(
        "--main-index",
        metavar="NAME|URL",
        help="where dependencies come from (default: the pypi index)",
    )
    p.add_argument("--json", dest="as_json", action="store_true", help="print the report as JSON")


def _rehearse(p: _Parser) -> None:
    p.add_argument("tag", nargs="?", help="tag for the throwaway clone (default: HEAD's tag)")
    p.add_argument("--keep", action="store_true", help="keep the embedded index running")
    p.add_argument(
        "--release",
        dest="whole",
        action="store_true",
        help="the whole release: the rc, graduation with cz bump, the final (clone only)",
    )
    p.add_argument(
        "--stop", action="store_true", help="stop the index kept by --keep, forget its packages"
    )
    p.add_argument(
        "--json", dest="as_json", action="store_true", help="print the timed summary as JSON"
    )


# name -> (one-line help, the function that adds its options)
_COMMANDS: dict[str, tuple[str, Callable[[_Parser], None]]] = {
    "route": ("classify a release tag: version, kind, channel, index", _route),
    "notes": ("the changelog section of a version, as Markdown", _notes),
    "check": ("release consistency rules, each with a fix", _check),
    "gate": ("run the quality gates, in parallel, content-cached", _gate),
    "pre-push": (
        (
            "the pre-push hook: gate every pushed ref with new commits, check pushed release "
            "tags (TAGSHIP_SYNC_ON_MISS=1: answer only a cache hit, else hand over to uv run)"
        ),
        _pre_push,
    ),
    "init": ("adopt tagship into this project (idempotent)", _init),
    "doctor": ("cross-tool consistency and Trusted Publisher values", _doctor),
    "verify": ("prove a published version installs and runs", _verify),
    "rehearse": ("the CI chain, locally, against an embedded index", _rehearse),
}
COMMAND_NAMES = tuple(_COMMANDS)


def build_parser(command: str | None = None) -> _Parser:
    """The whole parser, or with `command` a parser that knows only that command.

    Every sub-parser and option costs start-up time (argparse formats and translates as
    it builds), and `route` runs in every release job and hook. `tagship --help` and an
    unknown command, where `command` is None, get every command.
    """
    from tagship import parsing  # noqa: PLC0415 (argparse: not on route's fast path)

    parser = parsing.Parser(
        prog="tagship",
        description="Tag-driven releases for Python packages.",
    )
    parser.add_argument(
        "--version",
        action=parsing.VersionAction,
        nargs=0,
        default=parsing.SUPPRESS,
        help="print the version",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every command run")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMANDS if command is None else [command]:
        summary, add_options = _COMMANDS[name]
        add_options(sub.add_parser(name, help=summary, description=f"tagship {name}: {summary}."))
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The command named on the line: global options take no value, so it is the first word."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in _COMMANDS else None


_ROUTE_FLAGS = {"--json": "as_json", "--github-output": "github_output"}


def _route_fast_path(argv: Sequence[str]) -> dict[str, Any] | None:
    """`route [TAG] [--json] [--github-output]`, parsed without argparse, or None.

    route runs in every release job and hook, and importing argparse and building even
    one sub-parser costs it about a fifth of its start-up. Only these plain shapes are
    taken here (tests/test_cli.py checks they parse as argparse parses them); anything
    else (`--help`, `-v`, `--`, an unknown option, a second tag) goes to argparse.
    """
    if not argv or argv[0] != "route":
        return None
    args: dict[str, Any] = {"command": "route", "verbose": False, "tag": None}
    args.update(dict.fromkeys(_ROUTE_FLAGS.values(), False))
    for word in argv[1:]:
        if word in _ROUTE_FLAGS:
            args[_ROUTE_FLAGS[word]] = True
        elif word.startswith("-") or args["tag"] is not None:
            return None
        else:
            args["tag"] = word
    return args


# The pre-push hook's command line is exactly this on every push: no parser needed.
_BARE_PRE_PUSH = {
    "command": "pre-push",
    "verbose": False,
    "remote": None,
    "url": None,
    "jobs": None,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    bare = dict(_BARE_PRE_PUSH) if list(argv) == ["pre-push"] else None
    try:
        args = (
            bare or _route_fast_path(argv) or vars(build_parser(_command_in(argv)).parse_args(argv))
        )
        command = str(args.pop("command"))
        if args.pop("verbose"):
            import logging  # noqa: PLC0415 (only -v needs it; start-up time)

            logging.basicConfig(level=logging.DEBUG, format="%(message)s", stream=sys.stderr)
        # `pre-push` lives in commands/prepush.py as `pre_push`.
        name = f"tagship.commands.{command.replace('-', '')}"
        __import__(name)  # importlib.import_module, without importing importlib
        module = sys.modules[name]
        result: int = getattr(module, command.replace("-", "_"))(**args)
    except FatalError as exc:
        output.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        output.info("interrupted")
        return 130
    except BrokenPipeError:
        # A pipe other than output's (which absorbs its own) closed under a command.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        return 1
    return result


def entry_point() -> None:
    raise SystemExit(main())
