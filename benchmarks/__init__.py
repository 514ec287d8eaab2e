"""Reproducible measurements: `make bench` runs every module listed in BENCHMARKS.

Each benchmark module has `run() -> str` that measures its goal against a baseline taken
in the same run, and returns a Markdown section (a table and the verdict on each goal).
"""
