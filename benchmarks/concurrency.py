"""One writer, many readers, repeated: two indexers, a killed indexer, search while indexing.

Runs each case of ``benchmarks/corpora/concurrency.py`` ``--runs`` times (real processes:
the CLI with the tests' hash embedder, slowed per batch so that runs overlap) and
prints the errors found per case; 0 everywhere is the pass.

    python benchmarks/concurrency.py [--runs 20]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO)]


def main() -> None:
    from benchmarks.corpora.concurrency import CASES

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    total = 0
    for name, case in CASES.items():
        errors: list[str] = []
        started = time.monotonic()
        for run in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="xlsearch-conc-") as scratch:
                errors += case(Path(scratch), random.Random(run))
        total += len(errors)
        seconds = time.monotonic() - started
        print(f"{name:<40} {args.runs} runs  {len(errors)} errors  {seconds:6.1f} s")
        for error in errors[:5]:
            print(f"    {error}")
    print(f"total: {total} errors")
    raise SystemExit(1 if total else 0)


if __name__ == "__main__":
    main()
