"""Benchmarks: ``python -m benchmarks --size small|full [--json FILE]`` prints a table of
figures, each next to its floor where one exists, and writes them as JSON."""
