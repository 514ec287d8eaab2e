"""What PyPI refuses in a wheel beyond its metadata: its platform tag and its contents.

PyPI (warehouse) refuses a `linux_*` platform tag (only manylinux/musllinux wheels run on
other Linux systems), a wheel with more than one `.dist-info` folder or one not named
after the wheel, and a wheel whose files do not match its RECORD (each file listed once,
with its sha256 and size: installers trust RECORD to uninstall and to verify).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import zipfile
from collections import Counter
from pathlib import Path

from packaging.utils import canonicalize_name, parse_wheel_filename

_SIGNATURES = ("RECORD.jws", "RECORD.p7s")


def platform_problems(filename: str) -> list[str]:
    """A tag PyPI refuses (pure)."""
    tags = parse_wheel_filename(filename)[3]
    linux = sorted({tag.platform for tag in tags if tag.platform.startswith("linux_")})
    if not linux:
        return []
    reason = (
        f"platform tag {linux[0]}: PyPI refuses plain linux wheels; build manylinux or "
        "musllinux wheels (auditwheel repair, cibuildwheel)"
    )
    return [reason]


def _dist_info(names: list[str], filename: str) -> tuple[str | None, list[str]]:
    tops = {name.split("/", 1)[0] for name in names if "/" in name}
    folders = sorted(top for top in tops if top.endswith(".dist-info"))
    name, version, *_ = parse_wheel_filename(filename)
    if len(folders) > 1:
        return None, [f"{len(folders)} .dist-info folders ({', '.join(folders)}): PyPI takes one"]
    if not folders:
        return None, ["no .dist-info folder"]
    own_name = folders[0].removesuffix(".dist-info").rpartition("-")[0]
    if canonicalize_name(own_name) != name:
        return folders[0], [f"{folders[0]} is not the .dist-info of {name} {version}"]
    return folders[0], []


def _hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _shown(paths: list[str]) -> str:
    return ", ".join(paths[:2]) + (f" and {len(paths) - 2} more" if len(paths) > 2 else "")


def record_problems(archive: zipfile.ZipFile, folder: str) -> list[str]:
    """Files and RECORD disagree: missing, unlisted, or with another hash or size."""
    record_name = f"{folder}/RECORD"
    files = {i.filename for i in archive.infolist() if not i.is_dir()}
    if record_name not in files:
        return [f"no {record_name}"]
    rows = list(csv.reader(io.StringIO(archive.read(record_name).decode("utf-8"))))
    listed = {row[0]: row[1:] for row in rows if row}
    counted = Counter(row[0] for row in rows if row)
    twice = sorted(path for path, count in counted.items() if count > 1)
    unrecorded = {record_name, *(f"{folder}/{s}" for s in _SIGNATURES)}
    missing = sorted(set(listed) - files)
    extra = sorted(files - set(listed) - unrecorded)
    wrong = []
    for path, fields in listed.items():
        digest, size = (*fields, "", "")[:2]
        if path in files and path not in unrecorded and _differs(archive, path, digest, size):
            wrong.append(path)
    problems = [f"RECORD lists files twice ({_shown(twice)})"] if twice else []
    if missing:
        problems.append(f"RECORD lists files the wheel lacks ({_shown(missing)})")
    if extra:
        problems.append(f"files missing from RECORD ({_shown(extra)})")
    if wrong:
        problems.append(f"files that do not match their RECORD hash or size ({_shown(wrong)})")
    return problems


def _differs(archive: zipfile.ZipFile, path: str, digest: str, size: str) -> bool:
    data = archive.read(path)
    if not digest.startswith("sha256="):
        return True  # PyPI and pip want a sha256 (or stronger) for every file
    return digest != _hash(data) or (size != "" and size != str(len(data)))


def wheel_problems(path: Path) -> list[str]:
    """Everything PyPI would refuse about this wheel's name and contents."""
    problems = platform_problems(path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            folder, found = _dist_info(archive.namelist(), path.name)
            problems += found
            if folder is not None:
                problems += record_problems(archive, folder)
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(f"unreadable wheel ({exc})")
    return problems
