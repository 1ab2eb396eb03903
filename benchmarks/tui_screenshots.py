"""Save SVG screenshots of the search, folders and evaluation screens (README material).

    python benchmarks/tui_screenshots.py --home DIR   # an indexed XLSEARCH_HOME
    python benchmarks/tui_screenshots.py              # indexes assets/demo first (slow)
    python benchmarks/tui_screenshots.py --screens eval --eval-queries 30

Writes assets/screenshots/search.svg, index.svg and eval.svg. The evaluation one runs
the built-in benchmark with every system (minutes: every document is embedded).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select
from textual.worker import WorkerState

from xlsearch.engine import Engine
from xlsearch.eval.datasets import BUILTIN
from xlsearch.tui.app import XlsearchApp
from xlsearch.tui.cells import count_spacing_marks
from xlsearch.tui.screens.eval import EvalScreen

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "assets" / "screenshots"
GROUPS = frozenset({"search", "status", "preview", "model", "index", "eval"})
SCREENS = ("search", "index", "eval")
SIZE = (110, 34)


async def settle(pilot: Pilot[None], app: XlsearchApp, timeout_s: float = 60.0) -> None:
    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    for _ in range(int(timeout_s / 0.05)):
        await pilot.pause(0.05)
        if not any(w.group in GROUPS and w.state in busy for w in app.workers):
            break
    await pilot.pause()


async def shoot(engine: Engine, query: str) -> None:
    app = XlsearchApp(engine, engine.settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.screen.query_one("#query", Input).value = query
        await pilot.pause(0.4)
        await settle(pilot, app)
        app.save_screenshot("search.svg", str(OUT))
        await pilot.press("f3")
        await settle(pilot, app)
        app.save_screenshot("index.svg", str(OUT))


async def shoot_eval(engine: Engine, max_queries: int) -> None:
    """The built-in benchmark, every system, the en→ne table and the chart in view."""
    app = XlsearchApp(engine, engine.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, EvalScreen)
        screen.query_one("#max-queries", Input).value = str(max_queries)
        await pilot.press("ctrl+r")
        await settle(pilot, app, timeout_s=3600)
        if not screen.results:
            raise SystemExit("the evaluation gave no results; see the notifications")
        screen.query_one("#direction", Select).value = (BUILTIN, "en→ne")
        await pilot.pause(0.5)
        app.save_screenshot("eval.svg", str(OUT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="an indexed XLSEARCH_HOME")
    parser.add_argument("--query", default="पानीको मूल सुक्दै spring water")
    parser.add_argument("--screens", default=",".join(SCREENS), help="comma-separated")
    parser.add_argument("--eval-queries", type=int, default=30, help="per direction")
    args = parser.parse_args()
    screens = {s.strip() for s in args.screens.split(",")}
    count_spacing_marks()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or Path(scratch)
        os.environ["XLSEARCH_HOME"] = str(home)  # the evaluation's scratch indexes go here
        engine = Engine(home=home)
        if {"search", "index"} & screens:
            if args.home is None:
                engine.index([REPO / "assets" / "demo"])
            asyncio.run(shoot(engine, args.query))
        if "eval" in screens:
            asyncio.run(shoot_eval(engine, args.eval_queries))
        engine.close()
    print(f"wrote {', '.join(f'{s}.svg' for s in SCREENS if s in screens)} in {OUT}")


if __name__ == "__main__":
    main()
