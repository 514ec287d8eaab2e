from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from tagship.gates.cache import Cache, LastPass, Pass, cache_key
from tagship.gates.spec import Gate

GATE = Gate("lint", "ruff check .")


def test_key_depends_on_every_fact() -> None:
    base = cache_key(GATE, {"a.py": "1"}, "env")
    assert base == cache_key(GATE, {"a.py": "1"}, "env")
    assert base != cache_key(GATE, {"a.py": "2"}, "env")
    assert base != cache_key(GATE, {"b.py": "1"}, "env")  # a rename is a change
    assert base != cache_key(GATE, {"a.py": "1"}, "env2")
    assert base != cache_key(Gate("lint", "ruff check src"), {"a.py": "1"}, "env")
    assert base != cache_key(Gate("other", "ruff check ."), {"a.py": "1"}, "env")
    assert base != cache_key(Gate("lint", "ruff check .", env=(("A", "1"),)), {"a.py": "1"}, "env")


def _last(key: str) -> LastPass:
    return LastPass(key, "cmd", [], {}, {"a.py": "1"})


def test_last_seconds_is_the_latest_pass_of_that_gate(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "gates")
    assert cache.last_seconds("lint") is None
    cache.record("k1", Pass("lint", "c" * 40, 4.0, 10.0), _last("k1"))
    cache.record("k2", Pass("lint", "d" * 40, 0.0, 20.0), _last("k2"))
    cache.record("k3", Pass("test", "d" * 40, 9.0, 30.0), _last("k3"))
    again = Cache(tmp_path / "gates")  # read back from the store
    assert (again.last_seconds("lint"), again.last_seconds("test")) == (0.0, 9.0)
    assert again.last_seconds("other") is None


def test_record_then_lookup(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "gates")
    assert cache.lookup("k") is None
    cache.record("k", Pass("lint", "c" * 40, 1.5, 10.0), _last("k"))
    assert cache.lookup("k") == Pass("lint", "c" * 40, 1.5, 10.0)
    assert cache.last_pass("lint") == _last("k")
    assert cache.last_pass("other") is None
    assert sorted(p.name for p in (tmp_path / "gates").iterdir()) == [
        ".lock",
        "last",
        "passes.json",
    ]


def test_unreadable_store_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "passes.json").write_text("{not json")
    assert Cache(tmp_path).lookup("k") is None
    (tmp_path / "passes.json").write_text('{"passes": {"k": {"gate": "x"}}}')
    assert Cache(tmp_path).lookup("k") is None


def _writer(directory: str, worker: int) -> None:
    cache = Cache(Path(directory))
    for n in range(15):
        key = f"{worker}-{n}"
        cache.record(key, Pass(f"g{worker}", "c", 0.1, float(n)), _last(key))


def test_concurrent_writers_lose_no_record(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(tmp_path), w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    passes = json.loads((tmp_path / "passes.json").read_text())["passes"]
    assert len(passes) == 60
    assert not list(tmp_path.glob("*.tmp"))  # pathlib globs match dot files too
