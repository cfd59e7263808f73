"""Benchmarks: run `.venv/bin/python bench/foundation.py` (see bench/README.md)."""
