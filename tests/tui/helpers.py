"""Helpers for Pilot tests: a small Nepali/English corpus and waiting for workers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerState

# Groups of the app's own workers (Textual's DirectoryTree runs a loader forever).
APP_GROUPS = frozenset({"search", "status", "preview", "model", "index", "forget", "eval"})

DOCUMENTS = {
    "kathmandu.txt": (
        "नेपालको राजधानी काठमाडौं हो। काठमाडौं उपत्यकामा तीनवटा पुराना सहरहरू छन्: "
        "काठमाडौं, ललितपुर र भक्तपुर, जहाँ धेरै मन्दिर, दरबार, पाटी, पौवा र साँघुरा "
        "गल्लीहरू अझै पनि देख्न सकिन्छ।"
    ),
    "dal_bhat.md": "दाल भात नेपालको मुख्य खाना हो। धेरैजसो घरमा दिनमा दुई पटक दाल भात खाइन्छ।",
    "koshi_river.txt": (
        "The Koshi is the largest river in Nepal. Floods on the Koshi displaced thousands "
        "of families in 2008."
    ),
    "monsoon.txt": (
        "The monsoon brings heavy rain between June and September. Farmers plant rice "
        "when the rains arrive."
    ),
}
BROKEN = "broken.pdf"


def write_corpus(folder: Path) -> Path:
    """The documents above, and a .pdf of garbage bytes that indexing records as failed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    (folder / BROKEN).write_bytes(b"\x00\x13not a pdf at all\xff\xfe" * 20)
    return folder


async def settle(pilot: Pilot[None], app: App[None], timeout_s: float = 60.0) -> None:
    """Wait until none of the app's workers is pending or running, then one refresh."""
    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    for _ in range(int(timeout_s / 0.05)):
        await pilot.pause(0.05)
        if not any(w.group in APP_GROUPS and w.state in busy for w in app.workers):
            await pilot.pause()
            return
    raise TimeoutError("workers still running")


async def until(
    pilot: Pilot[None], condition: Callable[[], bool], what: str, timeout_s: float = 60.0
) -> None:
    """Wait (up to ``timeout_s``) until ``condition()`` holds."""
    for _ in range(int(timeout_s / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{what} within {timeout_s} s")


async def type_query(pilot: Pilot[None], app: App[None], query: str) -> None:
    """Put ``query`` in the search box and wait until the search it starts has answered
    (not for a fixed time: the debounce fires late on a busy machine)."""
    from textual.widgets import Input

    from xlsearch.tui.screens.search import SearchScreen

    screen = app.screen
    assert isinstance(screen, SearchScreen)
    asked = screen.latest_seq
    box = screen.query_one("#query", Input)
    if box.value == query:
        screen.search_now()  # the same text again: no change event to start a search
    box.value = query
    await until(pilot, lambda: screen.latest_seq > asked, f"a search for {query!r}")
    await settle(pilot, app)
