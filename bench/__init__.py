"""Benchmarks: `make bench` runs every module listed in BENCHMARKS and prints its figures.

Benchmarks print; they never assert. Each module exposes `run() -> None`.
"""

# bench.ratios (the pages against an external floor, with wrk) and bench.scale (PostgreSQL
# at 1,000 and 100,000 articles) each start their own servers or database; scale runs only
# when asked for (`python -m bench scale`): it needs PostgreSQL and several minutes.
BENCHMARKS = ["bench.pages", "bench.ratios", "bench.scanner", "bench.mail"]
