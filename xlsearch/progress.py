"""A Rich progress bar for the CLI: files (or OCR pages) done, their rate, time left;
and the words for preparing the passage encoder, which the app shows too."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from xlsearch.types import IndexProgress

ENCODER_PHASE = "Preparing the fast passage encoder (once on this machine)"


def encoder_step(p: IndexProgress) -> str:
    """'converting the model to OpenVINO (int8-weights)…' (step 2 of 4), or the outcome."""
    if p.files_total and p.files_done >= p.files_total:
        return p.current
    count = f" (step {p.files_done + 1} of {p.files_total})" if p.files_total else ""
    return f"{p.current}…{count}"


@contextmanager
def progress_bar() -> Iterator[Callable[[IndexProgress], None]]:
    """Yield a progress callback that draws on stderr (quiet when not a terminal)."""
    if not sys.stderr.isatty():  # nothing would be drawn: spare importing Rich
        yield _quiet
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    columns = (
        TextColumn("{task.fields[phase]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[eta]}"),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("index", total=None, rate="", eta="", phase="Reading", unit="files")

        def update(p: IndexProgress) -> None:
            eta = "" if p.eta_s is None else f"ETA {int(p.eta_s // 60)}:{int(p.eta_s % 60):02d}"
            if p.phase == "ocr":  # scanned pages, read last: pages done and time per page
                rate = f"{p.seconds_per_page or 0:.1f} s/page"
                bar.update(task, total=p.files_total, completed=p.files_done, rate=rate, eta=eta,
                           phase="OCR", unit="pages")  # fmt: skip
                return
            if p.phase == "encoder":  # once per machine, before the first vectors
                bar.update(task, total=p.files_total or None, completed=p.files_done,
                           rate=p.current, eta="", phase=ENCODER_PHASE, unit="steps")  # fmt: skip
                return
            bar.update(
                task,
                total=p.files_total,
                completed=p.files_done,
                rate=f"{p.chunks_done} chunks, {p.chunks_per_s:.1f}/s",
                eta=eta,
                # Files are searchable by keyword once read; meaning vectors follow.
                phase="Embedding" if p.phase == "embedding" else "Reading",
                unit="files",
            )

        yield update


def _quiet(progress: IndexProgress) -> None:
    """The progress callback where no bar is drawn."""
