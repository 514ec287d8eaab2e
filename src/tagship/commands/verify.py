"""`tagship verify`: prove that a published version installs and runs.

Waits until the index serves the version, installs it into a fresh environment with the
recipe of `tagship.verify.install` (the package only from its index, dependencies only from the
main index), then smoke-tests it. Each step is reported; the first failing one is named.
"""

from __future__ import annotations

import platform
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import Version

from tagship import config, output, report
from tagship.config import Config, Smoke
from tagship.errors import ConfigError
from tagship.index import IndexFile
from tagship.release import Release, classify
from tagship.verify import install
from tagship.verify.smoke import Provided, describe, smoke_steps
from tagship.versions import TagError, kind_of, parse_version

DEFAULT_TIMEOUT = 300.0
MAIN_INDEX = "pypi"


def resolve_release(text: str, cfg: Config) -> Release:
    """A tag under the configured tag_format, or a bare version in any PEP 440 spelling."""
    try:
        return classify(text, cfg)
    except TagError as exc:
        version = parse_version(text)
        if version is None:
            raise TagError(f"{text!r} is neither a version nor a release tag: {exc}") from None
    if version.local is not None:
        raise TagError(f"{text!r} has a local version; indexes never serve local versions")
    kind = kind_of(version)
    channel = cfg.tagship.channels[kind]
    tag = cfg.cz.tag_formats[0].render(str(version))
    return Release(tag, version, kind, channel, cfg.tagship.indexes[channel])


@dataclass
class _Verification:
    """The state that flows from one step to the next."""

    project: str
    version: Version
    index_url: str
    main_url: str
    timeout: float
    workdir: Path
    files: list[IndexFile] = field(default_factory=list)
    env: install.Environment | None = None
    provided: Provided | None = None

    @property
    def links(self) -> Path:
        return self.workdir / "links"

    def wait(self) -> str:
        start = time.monotonic()
        self.files = install.wait_for_release(
            self.index_url,
            self.project,
            self.version,
            timeout=self.timeout,
            on_wait=lambda problem, delay: output.info(
                f"waiting for {self.project} {self.version}: {problem}; next try in {delay:.3g} s"
            ),
        )
        names = ", ".join(f.filename for f in self.files)
        return f"served after {time.monotonic() - start:.1f} s: {names}"

    def download(self) -> str:
        chosen = install.choose(self.files, install.supported_tags())
        if not chosen:
            raise report.StepFailed(
                f"no file of {self.version} installs on Python {platform.python_version()} "
                f"here: {', '.join(f.filename for f in self.files)}"
            )
        self.links.mkdir()
        for file in chosen:
            install.download(file, self.links)
        return ", ".join(f"{f.filename} (hash checked)" for f in chosen)

    def environment(self) -> str:
        self.env = install.create_environment(self.workdir / "env")
        return f"Python {platform.python_version()}, made by uv"

    def install(self) -> str:
        assert self.env is not None  # noqa: S101 (the environment step ran)
        install.install(self.env, self.project, self.version, self.links, self.main_url)
        return (
            f"{self.project}=={self.version} from {self.index_url}; "
            f"dependencies from {self.main_url}"
        )

    def metadata(self) -> str:
        assert self.env is not None  # noqa: S101
        self.provided = describe(self.env, self.project, self.workdir)
        if self.provided.version != self.version:
            raise report.StepFailed(
                f"installed version is {self.provided.version}, not {self.version}"
            )
        scripts = ", ".join(self.provided.scripts) or "none"
        modules = ", ".join(self.provided.modules) or "none"
        return f"version {self.provided.version}; scripts: {scripts}; modules: {modules}"


def run_verification(
    project: str,
    version: Version,
    index_url: str,
    main_url: str,
    *,
    timeout: float,
    smoke: Mapping[str, Smoke],
    sink: report.Reporter | None = None,
) -> list[report.Result]:
    """Every step of the verification, in a temporary directory removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="tagship-verify-") as tmp:
        state = _Verification(project, version, index_url, main_url, timeout, Path(tmp))
        done = report.run_in_order(
            [
                ("wait for the index", state.wait),
                ("download", state.download),
                ("environment", state.environment),
                ("install", state.install),
                ("metadata", state.metadata),
            ],
            sink,
        )
        if not report.first_failure(done):
            assert state.env is not None  # noqa: S101 (the steps above set them)
            assert state.provided is not None  # noqa: S101
            done += smoke_steps(state.provided, version, smoke, state.env, state.workdir, sink=sink)
        return done


def verify(
    *,
    version: str,
    index: str | None,
    timeout: float | None,
    as_json: bool,
    main_index: str | None = None,
) -> int:
    cfg = config.load()
    release = resolve_release(version, cfg)
    if cfg.project_name is None:
        raise ConfigError(
            "pyproject.toml has no [project] name; run tagship verify in the project's checkout"
        )
    if timeout is not None and timeout <= 0:
        raise ConfigError(f"--timeout must be positive, not {timeout:g}")
    project = canonicalize_name(cfg.project_name)
    index_url = cfg.tagship.index_url(index) if index is not None else release.index.url
    main_url = cfg.tagship.index_url(main_index or MAIN_INDEX)
    title = f"verify {project} {release.version} from {index_url}"
    with report.reporter(title, quiet=as_json) as sink:
        done = run_verification(
            project,
            release.version,
            index_url,
            main_url,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            smoke=cfg.tagship.smoke,
            sink=sink,
        )
    failure = report.first_failure(done)
    if as_json:
        output.emit_json(
            {
                "project": project,
                "version": str(release.version),
                "index_url": index_url,
                "main_index_url": main_url,
                "ok": failure is None,
                "steps": [step.as_dict() for step in done],
            }
        )
    if failure is not None:
        output.error(report.failure_message("verify", failure))
        return 1
    output.success(f"{project} {release.version} installs and runs")
    return 0
