"""Messages that carry results from thread workers back to the UI (past tense: done)."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from xlsearch.errors import XlsearchError
from xlsearch.eval.report import RunResult
from xlsearch.eval.runner import EvalProgress
from xlsearch.store.db import ChunkRow
from xlsearch.tui.filters import SearchRequest
from xlsearch.types import Hit, IndexProgress, IndexReport, Status


class QueryModelLoaded(Message):
    """The query embedder is in memory; meaning search is fast from now on."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds


class WorkFailed(Message):
    """A worker hit an xlsearch error; the UI shows it and carries on."""

    def __init__(self, error: XlsearchError) -> None:
        super().__init__()
        self.error = error


class SearchFinished(Message):
    """Hits for one request; dropped when a newer request was made meanwhile."""

    def __init__(
        self,
        request: SearchRequest,
        hits: list[Hit],
        seconds: float,
        searched_as: str | None = None,
    ) -> None:
        super().__init__()
        self.request = request
        self.hits = hits
        self.seconds = seconds
        self.searched_as = searched_as  # the Devanagari reading of a romanized query


class ContextLoaded(Message):
    """The chunks around a hit, for the preview."""

    def __init__(self, hit: Hit, rows: list[ChunkRow]) -> None:
        super().__init__()
        self.hit = hit
        self.rows = rows


class StatusLoaded(Message):
    """What the index holds now."""

    def __init__(self, status: Status) -> None:
        super().__init__()
        self.status = status


class IndexProgressed(Message):
    """An indexing job moved on."""

    def __init__(self, progress: IndexProgress) -> None:
        super().__init__()
        self.progress = progress


class IndexFinished(Message):
    """An indexing job ended (also when it was cancelled)."""

    def __init__(self, report: IndexReport, watched: bool = False) -> None:
        super().__init__()
        self.report = report
        self.watched = watched  # the folder watcher's: its catching up, or a batch


class IndexSkipped(Message):
    """The folder watcher left a batch for the next one: another process was indexing."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class WatchStarted(Message):
    """The folder watcher follows these folders now, its catching up done (none: the
    index has no folder)."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__()
        self.roots = roots


class FolderForgotten(Message):
    """A folder and its documents left the index."""

    def __init__(self, path: str, documents: int) -> None:
        super().__init__()
        self.path = path
        self.documents = documents


class EvalProgressed(Message):
    """An evaluation moved on: a dataset indexed further, or more queries searched."""

    def __init__(self, progress: EvalProgress) -> None:
        super().__init__()
        self.progress = progress


class EvalFinished(Message):
    """An evaluation ran to the end; one result per dataset x direction x system."""

    def __init__(self, results: list[RunResult], seconds: float) -> None:
        super().__init__()
        self.results = results
        self.seconds = seconds


class EvalStopped(Message):
    """An evaluation was stopped on request; its scratch indexes are gone, no results."""
