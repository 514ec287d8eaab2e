"""`tagship route`: classify a release tag for the release workflow."""

from __future__ import annotations

# no pathlib on route's start-up path (see tagship.config)
# ruff: noqa: PTH123
import os

from tagship import output, readers
from tagship.errors import ConfigError
from tagship.release import Release, classify, require_tag


def github_output_lines(release: Release) -> str:
    """The `key=value` lines for $GITHUB_OUTPUT; no value may add a key or a line."""
    values = {
        "version": str(release.version),
        "kind": release.kind,
        "prerelease": "true" if release.prerelease else "false",
        "channel": release.channel,
        "index-url": release.index.url,
    }
    for key, value in values.items():
        if any(char in value for char in "\r\n\0"):
            raise ConfigError(f"{key} {value!r} contains a line break; fix [tool.tagship]")
    return "".join(f"{key}={value}\n" for key, value in values.items())


def _append(path_text: str | None, text: str) -> None:
    if not path_text:
        raise ConfigError(
            "--github-output: GITHUB_OUTPUT is not set (it is, inside GitHub Actions)"
        )
    try:
        # O_NONBLOCK: a FIFO nobody reads is an error (ENXIO) instead of a hang
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK
        with open(os.open(path_text, flags, 0o666), "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(
            f"--github-output: cannot append to GITHUB_OUTPUT={path_text!r} ({reason}); "
            "point it at a file in an existing directory"
        ) from None


def route(*, tag: str | None, as_json: bool, github_output: bool) -> int:
    release = classify(require_tag(tag), readers.load_release())
    if github_output:
        _append(os.environ.get("GITHUB_OUTPUT"), github_output_lines(release))
    if as_json:
        output.emit_json(release.as_dict())
    else:
        output.emit_text(
            "".join(
                f"{key}: {str(value).lower() if isinstance(value, bool) else value}\n"
                for key, value in release.as_dict().items()
            )
        )
    return 0
