"""Save SVG screenshots of the search and folders screens (README material).

    python benchmarks/tui_screenshots.py --home DIR   # an indexed XLSEARCH_HOME
    python benchmarks/tui_screenshots.py              # indexes assets/demo first (slow)

Writes assets/screenshots/search.svg and assets/screenshots/index.svg.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerState

from xlsearch.engine import Engine
from xlsearch.tui.app import XlsearchApp
from xlsearch.tui.cells import count_spacing_marks

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "assets" / "screenshots"
GROUPS = frozenset({"search", "status", "preview", "model", "index"})


async def settle(pilot: Pilot[None], app: XlsearchApp) -> None:
    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    for _ in range(1200):
        await pilot.pause(0.05)
        if not any(w.group in GROUPS and w.state in busy for w in app.workers):
            break
    await pilot.pause()


async def shoot(engine: Engine, query: str) -> None:
    app = XlsearchApp(engine, engine.settings)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot, app)
        app.screen.query_one("#query", Input).value = query
        await pilot.pause(0.4)
        await settle(pilot, app)
        app.save_screenshot("search.svg", str(OUT))
        await pilot.press("f3")
        await settle(pilot, app)
        app.save_screenshot("index.svg", str(OUT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="an indexed XLSEARCH_HOME")
    parser.add_argument("--query", default="पानीको मूल सुक्दै spring water")
    args = parser.parse_args()
    count_spacing_marks()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or Path(scratch)
        engine = Engine(home=home)
        if args.home is None:
            engine.index([REPO / "assets" / "demo"])
        asyncio.run(shoot(engine, args.query))
        engine.close()
    print(f"wrote {OUT / 'search.svg'} and {OUT / 'index.svg'}")


if __name__ == "__main__":
    main()
