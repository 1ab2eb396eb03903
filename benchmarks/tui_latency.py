"""Time to the app's first frame, and from typing a query to the first result shown.

Runs the real app (``python -m xlsearch``) in a private tmux server and polls what
tmux shows, so the figures include Textual's start-up and drawing on a real terminal.

    python benchmarks/tui_latency.py --home ~/.local/share/xlsearch --query "नेपालको राजधानी"

The typing figure includes the 250 ms search-as-you-type pause; the app's own status
line ('N results in X ms') gives the engine's share.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

READY = "Search in Nepali or English"
RESULTS = re.compile(r"(\d+) results in (\d+) ms")


def tmux(socket: str, *args: str) -> str:
    done = subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False
    )
    return done.stdout


def wait(socket: str, found: re.Pattern[str] | str, timeout_s: float = 60.0) -> str:
    """Poll capture-pane every 10 ms until ``found`` shows; returns the screen."""
    deadline = time.perf_counter() + timeout_s
    shown = ""
    while time.perf_counter() < deadline:
        shown = tmux(socket, "capture-pane", "-p", "-t", "bench")
        if found.search(shown) if isinstance(found, re.Pattern) else found in shown:
            return shown
        time.sleep(0.01)
    raise TimeoutError(f"{found!r} did not appear; the screen was:\n{shown}")


def one_run(home: Path, query: str) -> tuple[float, float, int]:
    """(seconds to first frame, seconds from typing to first result, engine ms)."""
    # A fresh tmux server per run: reusing a socket races with the last server's exit.
    socket = f"xlsearch-bench-{os.getpid()}-{time.monotonic_ns()}"
    command = shlex.join(
        ["env", f"XLSEARCH_HOME={home}", "HF_HUB_OFFLINE=1", sys.executable, "-m", "xlsearch"]
    )
    started = time.perf_counter()
    tmux(socket, "new-session", "-d", "-s", "bench", "-x", "100", "-y", "30", command)
    try:
        wait(socket, READY)
        first_frame = time.perf_counter() - started
        time.sleep(1.0)  # let the query model load, as a person would take to type
        typed = time.perf_counter()
        tmux(socket, "send-keys", "-t", "bench", "-l", query)
        shown = wait(socket, RESULTS)
        first_result = time.perf_counter() - typed
        match = RESULTS.search(shown)
        engine_ms = int(match.group(2)) if match else -1
    finally:
        tmux(socket, "kill-server")
    return first_frame, first_result, engine_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home",
        type=Path,
        default=os.environ.get("XLSEARCH_HOME"),
        help="an XLSEARCH_HOME holding an index (default: $XLSEARCH_HOME)",
    )
    parser.add_argument("--query", default="नेपालको राजधानी")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("tmux") is None or args.home is None:
        sys.exit("needs tmux and --home (an indexed XLSEARCH_HOME)")
    runs = [one_run(Path(args.home), args.query) for _ in range(args.runs)]
    frames, results, engine = zip(*runs, strict=True)
    print(f"runs: {args.runs}, query: {args.query!r}, home: {args.home}")
    print(
        f"time to first frame:          median {statistics.median(frames) * 1000:.0f} ms "
        f"(min {min(frames) * 1000:.0f}, max {max(frames) * 1000:.0f})"
    )
    print(
        f"typing to first result shown: median {statistics.median(results) * 1000:.0f} ms "
        f"(includes the 250 ms typing pause; engine {statistics.median(engine):.0f} ms)"
    )


if __name__ == "__main__":
    main()
