"""The corpus: every project shape adopts from a user's plain shell, or is refused with a fix.

The shapes are in shapes.py, the flow in flow.py; benchmarks/corpus.py prints the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import flow
from tests.corpus.shapes import SHAPES, Shape
from tests.userland import PlainShell

# a full shape also bumps (its gates run), builds and writes notes: seconds, not one
TIMED = [
    pytest.param(shape, id=shape.name, marks=pytest.mark.slow(seconds=7 if shape.full else 1))
    for shape in SHAPES
]


@pytest.mark.parametrize("shape", TIMED)
def test_shape_adopts(plain_shell: PlainShell, tmp_path: Path, shape: Shape) -> None:
    outcome = flow.adopt(plain_shell, shape, tmp_path / shape.name)
    assert outcome.result == ("refused, fixed" if shape.refused else "adopted")


def test_the_corpus_covers_what_the_issue_lists() -> None:
    names = {shape.name for shape in SHAPES}
    assert len(names) == len(SHAPES) >= 20
    backends = {"uv", "hatch", "setuptools", "setup-cfg", "pdm", "poetry", "flit"}
    assert all(any(name.startswith(b) for name in names) for b in backends)
    assert {shape.branch for shape in SHAPES} == {"main", "master"}
    assert sum(shape.full for shape in SHAPES) >= 4
    assert all(shape.fix for shape in SHAPES if shape.refused)
