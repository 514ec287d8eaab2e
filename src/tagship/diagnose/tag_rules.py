"""Doctor rule on the tag history: release-like tags that no configured format reads.

A tag such as `v0.3.0` beside `tag_format = "$version"` is invisible to commitizen and
to the release checks: the next bump may propose a version below it, and its changelog
section is never found. Tags whose prefix names another package (`cli-v1.0` in a
repository of several) are that package's, and not reported.
"""

from __future__ import annotations

from collections.abc import Callable

from tagship import git
from tagship.adopt.cz import spelled
from tagship.adopt.tags import package_of, spell
from tagship.config import Config
from tagship.rules import Finding, Rule, failed, passed

UNMATCHED = Rule("TS409", "unmatched-tags", "warning")


def unmatched(tags: list[str], formats: tuple[str, ...], name: str | None) -> list[str]:
    """The release-like tags of this package that none of `formats` reads (pure)."""
    read = {tag for template in formats for tag in spelled(tags, template)}
    own = package_of(f"{name}-") if name else None
    found = []
    for tag in tags:
        cut = spell(tag)
        if cut is None or tag in read:
            continue
        if package_of(cut.prefix) in (None, own):
            found.append(tag)
    return sorted(found)


def unmatched_tags(config: Config) -> Finding:
    formats = (config.cz.tag_format, *config.cz.legacy_tag_formats)
    strays = unmatched(git.tags(config.root), formats, config.project_name)
    if not strays:
        return passed(UNMATCHED, "every release-like tag matches a tag format")
    spellings = sorted({s.tag_format for s in map(spell, strays) if s is not None})
    shown = ", ".join(strays[:3]) + (f" and {len(strays) - 3} more" if len(strays) > 3 else "")
    where = config.cz.path.name if config.cz.path else "commitizen's config"
    return failed(
        UNMATCHED,
        f"tags {shown} match no tag format ({', '.join(repr(f) for f in formats)})",
        f"add {', '.join(repr(s) for s in spellings)} to legacy_tag_formats in {where}, "
        "or delete the tags if they are not releases",
    )


def checks(config: Config) -> list[tuple[Rule, Callable[[], Finding]]]:
    return [(UNMATCHED, lambda: unmatched_tags(config))]
