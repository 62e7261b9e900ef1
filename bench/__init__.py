"""Benchmarks: `make bench` runs every module listed in BENCHMARKS and prints its figures.

Benchmarks print; they never assert. Each module exposes `run() -> None`.
"""

BENCHMARKS = ["bench.pages", "bench.scanner", "bench.mail"]
