"""The rules of `tagship check`, one module per family, all on the engine of `rules.py`.

Rule IDs are stable (TS1xx belong to `check`); each module exposes its `Rule`s and
functions `(Target) -> Finding`.
"""
