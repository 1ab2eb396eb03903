"""xlsearch: offline Nepali/English semantic and keyword search over your own documents.

The public API is the Engine facade and the values it returns; it never imports the TUI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xlsearch.errors import XlsearchError
from xlsearch.types import Hit, IndexReport, Status, TextRecord

if TYPE_CHECKING:
    from xlsearch.engine import Engine

__all__ = ["Engine", "Hit", "IndexReport", "Status", "TextRecord", "XlsearchError"]


def __getattr__(name: str) -> Any:
    # Lazy, so that ``import xlsearch.errors`` does not load the engine's dependencies.
    if name == "Engine":
        from xlsearch.engine import Engine

        return Engine
    raise AttributeError(name)
