"""Benchmarks: `python -m bench ...` commands. Not tests; they print tables and write JSON."""
