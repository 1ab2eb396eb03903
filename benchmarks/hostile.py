"""The hostile folder's per-kind times: how long each nasty file costs an indexing run.

Builds ``benchmarks/corpora/hostile_kinds.py``'s folder, indexes it in a child process
(without root's file-access power, as the test does) with the default 60 s per-file
time limit or ``--seconds``, and prints every kind's outcome and time, slowest first.

    python benchmarks/hostile.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO)]


def main() -> None:
    from benchmarks.corpora.hostile_kinds import make_hostile_kinds

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="xlsearch-hostile-"))
    try:
        kinds = make_hostile_kinds(base / "hostile", base / "outside")
        prefix = []
        if os.geteuid() == 0 and shutil.which("setpriv"):
            prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
        command = [
            *prefix,
            sys.executable,
            "-m",
            "benchmarks.corpora.hostile_run",
            str(base / "home"),
            str(base / "hostile"),
            str(base / "report.json"),
            str(args.seconds),
        ]
        subprocess.run(command, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
        report = json.loads((base / "report.json").read_text())
        root = str(base / "hostile") + "/"
        times = {p.removeprefix(root): t for p, t in report["times"].items()}
        rows = sorted(times.items(), key=lambda item: -item[1])
        print(f"{len(kinds)} kinds, whole run {report['seconds']:.1f} s; slowest first:")
        for name, seconds in rows:
            what = kinds[name].what if name in kinds else "(under a folder kind)"
            print(f"  {seconds:8.3f} s  {name[:40]!r:<44} {what}")
    finally:
        for folder in (base / "hostile" / "closed",):
            if folder.exists():
                folder.chmod(0o700)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
