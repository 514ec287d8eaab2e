"""Doctor rules on the project's other workflows: none may publish the tags tagship publishes."""

from __future__ import annotations

from collections.abc import Callable

from tagship.adopt import otherci
from tagship.config import Config
from tagship.rules import Finding, Rule, failed, passed

OTHER_PUBLISHER = Rule("TS440", "no-other-publisher", "error")


def no_other_publisher(config: Config) -> Finding:
    found = otherci.publishing_workflows(config.root)
    if not found:
        return passed(OTHER_PUBLISHER, "no other workflow publishes tags")
    first = found[0]
    return failed(
        OTHER_PUBLISHER,
        f"{first.path} also publishes when a tag is pushed ({first.how}): every rc would "
        "reach PyPI a second time",
        f"remove the publishing step from {first.path}; tagship's release.yml publishes "
        "each tag to its index",
    )


def checks(config: Config) -> list[tuple[Rule, Callable[[], Finding]]]:
    return [(OTHER_PUBLISHER, lambda: no_other_publisher(config))]
