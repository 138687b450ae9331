"""Benchmarks: scripts, not tests; each one's docstring says what it measures and how to run it."""
