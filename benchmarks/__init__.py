"""Benchmarks: scripts that time the heavy paths on a database of their own (never the test databases)."""
