"""The real app in tmux: Nepali and English questions answered, Nepali words drawn whole.

tmux draws Devanagari spacing vowel signs one cell wide, unlike Rich; this test reads
what tmux shows (capture-pane), which Pilot cannot.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.terminal import PAYLOADS, make_terminal_hostile
from tests.tui.helpers import DOCUMENTS
from xlsearch.engine import Engine

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.model,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

SESSION = "xlsearch-e2e"


def app_command() -> list[str]:
    """The installed ``xlsearch`` script beside this Python, else ``python -m xlsearch``."""
    script = Path(sys.executable).parent / "xlsearch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "xlsearch"]


class Tmux:
    """A private tmux server (its own socket) running one session."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", SESSION)

    def wait_for(self, text: str, timeout_s: float = 60.0) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")


@pytest.fixture()
def tmux(indexed_home: Path) -> Iterator[Tmux]:
    yield from _app_in_tmux(indexed_home)


def _app_in_tmux(home: Path) -> Iterator[Tmux]:
    """The app over the index at ``home`` in a private tmux server, 100 x 30."""
    runner = Tmux(f"xlsearch-test-{os.getpid()}")
    command = shlex.join(
        [
            "env",
            f"XLSEARCH_HOME={home}",
            "HF_HUB_OFFLINE=1",
            "TERM=xterm-256color",
            *app_command(),
        ]
    )
    runner("new-session", "-d", "-s", SESSION, "-x", "100", "-y", "30", command)
    runner("resize-window", "-t", SESSION, "-x", "100", "-y", "30")
    yield runner
    runner("kill-server")


def first_result(tmux: Tmux, name: str, timeout_s: float = 60.0) -> None:
    """Wait until ``name`` heads the result list: the answer to the question as typed,
    not to a part of it that search-as-you-type asked earlier and a slow machine is
    still showing."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        lines = tmux.screen().splitlines()
        if len(lines) > 4 and name in lines[4]:  # box (3 lines), filter bar, first entry
            return
        time.sleep(0.1)
    raise AssertionError(f"{name} never came first; the screen was:\n{tmux.screen()}")


def settled(tmux: Tmux) -> str:
    """The screen once the preview has drawn and nothing changed for half a second."""
    tmux.wait_for(" · line 1\n")
    previous, shown = "", tmux.screen()
    while shown != previous:
        time.sleep(0.5)
        previous, shown = shown, tmux.screen()
    return shown


def snippet_words(screen: str, name: str) -> list[str]:
    """Devanagari words of the result entry for file ``name``, up to the next entry."""
    lines = screen.split("─" * 20)[0].splitlines()  # the list, above the preview's rule
    start = next(i for i, line in enumerate(lines) if name in line) + 1
    entry: list[str] = []
    for line in lines[start:]:
        if any(other in line for other in DOCUMENTS):
            break
        entry.extend(line.replace("…", " ").split())
    return [w for w in entry if any("\u0900" <= c <= "\u097f" for c in w)]


def _ready(tmux: Tmux) -> None:
    """Wait until the search box takes keys: keys sent while the app is still starting
    can be dropped, so type one letter until it shows, then clear it."""
    tmux.wait_for("Search in Nepali or English")
    deadline = time.monotonic() + 60
    while "Search in Nepali or English" in tmux.screen():
        assert time.monotonic() < deadline, f"the search box took no keys:\n{tmux.screen()}"
        tmux("send-keys", "-t", SESSION, "-l", "x")
        time.sleep(0.5)
    tmux("send-keys", "-t", SESSION, "C-u")


def _box(tmux: Tmux) -> str:
    """What the search box (the screen's second line) shows, without its border."""
    return tmux.screen().splitlines()[1].strip("▊▎ ")


def _ask(tmux: Tmux, question: str) -> None:
    """Clear the box and type ``question`` in one burst, as a paste does, then ask."""
    tmux("send-keys", "-t", SESSION, "C-u", question)
    tmux.wait_for(question)
    tmux("send-keys", "-t", SESSION, "Enter")


def test_nepali_and_english_questions_in_tmux(tmux: Tmux) -> None:
    _ready(tmux)
    assert tmux("display", "-p", "-t", SESSION, "#{window_width}x#{window_height}") == "100x30\n"
    _ask(tmux, "नेपालको राजधानी कुन हो")
    first_result(tmux, "kathmandu.txt")
    shown = settled(tmux)
    # The snippet as the terminal drew it: whole words, in order, none lost at a line's
    # end (Rich's zero-width vowel signs made later cells overwrite them).
    words = DOCUMENTS["kathmandu.txt"].split()
    drawn = snippet_words(shown, "kathmandu.txt")
    assert len(drawn) >= 10, shown
    assert drawn == words[: len(drawn)], shown
    _ask(tmux, "largest river in Nepal")
    first_result(tmux, "koshi_river.txt")
    shown = settled(tmux)
    assert "The Koshi is the largest river in Nepal." in shown
    assert _box(tmux) == "largest river in Nepal"
    tmux("send-keys", "-t", SESSION, "C-q")
    deadline = time.monotonic() + 10
    while SESSION in tmux("list-sessions") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert SESSION not in tmux("list-sessions")


def test_editing_keys_in_a_burst_act_in_typing_order(tmux: Tmux) -> None:
    """ctrl+u then words then backspaces, sent in one write: each key acts on what the
    keys before it left (Textual alone runs ctrl+u after the words and clears them)."""
    _ready(tmux)
    tmux("send-keys", "-t", SESSION, "-l", "old question")
    tmux.wait_for("old question")
    tmux("send-keys", "-t", SESSION, "C-u", "largest river in Nepalxx", "BSpace", "BSpace")
    first_result(tmux, "koshi_river.txt")
    settled_screen = settled(tmux)
    assert _box(tmux) == "largest river in Nepal", settled_screen


@pytest.fixture()
def hostile_tmux(tmp_path_factory: pytest.TempPathFactory, shared_models: Path) -> Iterator[Tmux]:
    """The app over an index of the terminal-hostile folder (tests/support/terminal.py)."""
    home = tmp_path_factory.mktemp("hostile-home")
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    folder = tmp_path_factory.mktemp("hostile") / "files"
    make_terminal_hostile(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        engine = Engine(home=home)
        engine.index([folder])
        engine.close()
    yield from _app_in_tmux(home)


def test_hostile_names_and_text_cannot_drive_the_terminal(hostile_tmux: Tmux) -> None:
    """Searched and listed in the real app: the pane keeps its title, no payload that a
    sequence hid is drawn, and hostile names show with their controls made visible."""
    tmux = hostile_tmux
    title = tmux("display", "-p", "-t", SESSION, "#{pane_title}")
    _ready(tmux)
    _ask(tmux, "vaccine campaign schedule")
    tmux.wait_for("NAMEPWN")
    shown = settled(tmux)
    assert "␛]0;NAMEPWN␇" in shown
    for payload in PAYLOADS:
        assert payload not in shown, payload
    tmux("send-keys", "-t", SESSION, "F3")  # the folders screen lists names and reasons
    tmux.wait_for("Indexed folders")
    listed = tmux.screen()
    assert tmux("display", "-p", "-t", SESSION, "#{pane_title}") == title, (shown, listed)
