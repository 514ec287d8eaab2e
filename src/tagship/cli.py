"""Parse arguments and dispatch; map errors to exit codes. Nothing else lives here.

Exit codes: 0 success; 1 a check, gate or verification failed; 2 usage or configuration
error; 130 interrupted. Each command module is imported only when it runs, so that
`tagship route` pays for nothing it does not use.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from tagship import output
from tagship.errors import FatalError

_TAG_HELP = "release tag (default: GITHUB_REF_NAME, else GITHUB_REF; refs/tags/ accepted)"


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with one line, like configuration errors."""

    def error(self, message: str) -> Any:  # argparse's signature says NoReturn
        self.print_usage(sys.stderr)
        output.error(f"{message} (see '{self.prog} --help')")
        raise SystemExit(2)


def _route(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("route", help="classify a release tag: version, kind, channel, index")
    p.add_argument("tag", nargs="?", help=_TAG_HELP)
    p.add_argument(
        "--json", dest="as_json", action="store_true", help="print the result as one JSON object"
    )
    p.add_argument(
        "--github-output",
        action="store_true",
        help="append version, kind, prerelease, channel, index-url to $GITHUB_OUTPUT",
    )


def _notes(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("notes", help="the changelog section of a version, as Markdown")
    p.add_argument("version", metavar="VERSION|TAG", help="a version (any spelling) or a tag")
    p.add_argument("--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")


def _check(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("check", help="release consistency rules, each with a fix")
    p.add_argument("tag", nargs="?", help=_TAG_HELP + "; else the tag at HEAD")
    p.add_argument("--dist", metavar="DIR", help="also check the built dists in DIR")
    p.add_argument("--index", metavar="NAME|URL", help="index for the not-burned rule")
    p.add_argument("--offline", action="store_true", help="skip rules that need a remote index")
    p.add_argument(
        "--pre-bump",
        action="store_true",
        help="run from commitizen's pre_bump_hooks (reads CZ_PRE_* variables)",
    )
    p.add_argument("--json", dest="as_json", action="store_true", help="print the results as JSON")


def _gate(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("gate", help="run the quality gates, in parallel, content-cached")
    p.add_argument("--rev", help="the commit to gate (default: the pushed ref, else HEAD)")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write the cache")
    p.add_argument("--jobs", type=int, metavar="N", help="gates run at once (default: CPUs)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="run only these gates")
    p.add_argument("--explain", action="store_true", help="say why each gate ran or was skipped")
    p.add_argument("--json", dest="as_json", action="store_true", help="print a summary as JSON")


def _init(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("init", help="adopt tagship into this project (idempotent)")
    p.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    p.add_argument("--force", action="store_true", help="take tagship's side of a conflict")
    p.add_argument("--no-install", action="store_true", help="do not run pre-commit install")
    p.add_argument("--tag-current", action="store_true", help="tag the current static version")


def _doctor(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("doctor", help="cross-tool consistency and Trusted Publisher values")
    p.add_argument("--json", dest="as_json", action="store_true", help="print the results as JSON")


def _verify(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("verify", help="prove a published version installs and runs")
    p.add_argument("version", metavar="VERSION|TAG", help="a version or a tag")
    p.add_argument("--index", metavar="NAME|URL", help="index name or simple API URL")
    p.add_argument("--timeout", type=float, metavar="S", help="seconds to wait for the index")
    p.add_argument("--json", dest="as_json", action="store_true", help="print the report as JSON")


def _rehearse(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("rehearse", help="the CI chain, locally, against an embedded index")
    p.add_argument("tag", nargs="?", help="tag for the throwaway clone (default: HEAD's tag)")
    p.add_argument("--keep", action="store_true", help="keep the embedded index running")
    p.add_argument(
        "--stop", action="store_true", help="stop the index kept by --keep, forget its packages"
    )
    p.add_argument(
        "--json", dest="as_json", action="store_true", help="print the timed summary as JSON"
    )


_COMMANDS: dict[str, Callable[[argparse._SubParsersAction[_Parser]], None]] = {
    "route": _route,
    "notes": _notes,
    "check": _check,
    "gate": _gate,
    "init": _init,
    "doctor": _doctor,
    "verify": _verify,
    "rehearse": _rehearse,
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("tagship")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "unknown"


class _VersionAction(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(f"tagship {_version()}")
        parser.exit()


def build_parser() -> _Parser:
    parser = _Parser(
        prog="tagship",
        description="Tag-driven releases for Python packages.",
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        nargs=0,
        default=argparse.SUPPRESS,
        help="print the version",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every command run")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in _COMMANDS.values():
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = vars(build_parser().parse_args(argv))
    command = args.pop("command")
    if args.pop("verbose"):
        logging.basicConfig(level=logging.DEBUG, format="%(message)s", stream=sys.stderr)
    try:
        module = importlib.import_module(f"tagship.commands.{command}")
        result: int = getattr(module, command)(**args)
    except FatalError as exc:
        output.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        output.info("interrupted")
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return result


def entry_point() -> None:
    raise SystemExit(main())
