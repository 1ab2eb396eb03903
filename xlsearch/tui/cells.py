"""Terminal-true cell widths for Devanagari, and Rich patched to agree with them.

Rich (and so Textual) counts spacing vowel signs (Unicode category Mc: ा ी ो ...) as
zero cells, while tmux, xterm, VTE and glibc's ``wcwidth`` draw each one a cell wide.
'नेपालको राजधानी काठमाडौं हो' is 16 cells to Rich and 25 on screen, so Textual pads and
crops rows by the wrong amount and later cells overwrite the tail of Nepali words.
``count_spacing_marks`` edits Rich's width table in place so that Mc counts as one
cell, which makes every layout decision of Textual match what the terminal draws.
"""

from __future__ import annotations

import unicodedata
from typing import cast

from rich import cells as rich_cells
from rich._unicode_data import load as load_cell_table

Ranges = list[tuple[int, int, int]]

_ZERO_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
_saved: Ranges | None = None


def char_cells(char: str) -> int:
    """Cells a terminal gives one code point: 0 for combining marks, 2 for wide."""
    code = ord(char)
    if code < 32 or 0x7F <= code < 0xA0:
        return 0
    if unicodedata.category(char) in _ZERO_CATEGORIES:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def terminal_cell_len(text: str) -> int:
    """Cells ``text`` takes in tmux or an xterm-like terminal (Mc counts as one)."""
    return sum(char_cells(c) for c in text)


def fit_cells(text: str, cells: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``cells`` terminal cells, at a space where one is near."""
    if terminal_cell_len(text) <= cells:
        return text
    budget = max(cells - terminal_cell_len(ellipsis), 0)
    used, end = 0, 0
    for index, char in enumerate(text):
        used += char_cells(char)
        if used > budget:
            break
        end = index + 1
    # Never end on a base letter whose combining marks were cut off.
    while end < len(text) and char_cells(text[end]) == 0:
        end -= 1
    space = text.rfind(" ", 0, end + 1)
    cut = space if space > end // 2 else end
    return text[:cut].rstrip() + ellipsis


def _without_spacing_marks(ranges: Ranges) -> Ranges:
    """Rich's (start, end, width) table with every Mc code point taken out of the
    zero-width ranges (Rich treats a code point found in no range as one cell)."""
    result: Ranges = []
    for start, end, width in ranges:
        if width != 0:
            result.append((start, end, width))
            continue
        run_start: int | None = None
        for code in range(start, end + 2):
            zero = code <= end and unicodedata.category(chr(code)) != "Mc"
            if zero and run_start is None:
                run_start = code
            elif not zero and run_start is not None:
                result.append((run_start, code - 1, 0))
                run_start = None
    return result


def _clear_rich_caches() -> None:
    rich_cells.get_character_cell_size.cache_clear()
    rich_cells.cached_cell_len.cache_clear()


def _rich_table() -> Ranges:
    return cast(Ranges, load_cell_table("auto").widths)


def count_spacing_marks() -> None:
    """Make Rich count Mc code points as one cell, as terminals do (idempotent)."""
    global _saved
    if _saved is not None:
        return
    table = _rich_table()
    _saved = list(table)
    table[:] = _without_spacing_marks(_saved)
    _clear_rich_caches()


def restore_rich_widths() -> None:
    """Undo :func:`count_spacing_marks` (tests use it to leave Rich as they found it)."""
    global _saved
    if _saved is None:
        return
    _rich_table()[:] = _saved
    _saved = None
    _clear_rich_caches()
