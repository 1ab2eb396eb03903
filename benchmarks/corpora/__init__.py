"""What benchmarks and tests both build and run: made-up corpora (scans, legacy-font sets,
hostile folders, concurrency cases), the index's consistency check, the hash embedder and
the child processes that use it.

Tests import these from here (``from benchmarks.corpora.scans import ...``); nothing under
benchmarks/ imports tests/ (``tests/repo/test_layout.py`` checks).
"""
