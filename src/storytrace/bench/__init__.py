"""Benchmarks: `storytrace bench ...` commands. Not tests; they print tables and write JSON."""
