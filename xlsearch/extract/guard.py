"""Extraction with a time and a memory limit, in a reader process of its own.

Format libraries can run away on a hostile file: deeply nested HTML takes minutes,
a decompression or entity bomb that slips past the checks fills memory. Indexing
must never hang or die for one file, so files are read by a separate Python process
(started once per indexing run, reused for every file) whose address space is
capped with ``RLIMIT_AS``. A file that takes longer than the time limit gets its
reader killed and replaced, and is recorded as failed with the reason; so is one
that exhausts the memory limit or crashes the reader. The parent's own memory
(the embedding model) is untouched either way.

Pages for OCR (``Reader.ocr``) are read by the same kind of process: drawing a PDF
page or decoding a photo happens under its memory cap, and Tesseract, started by it,
inherits the cap; a page gets the OCR time limit plus ``OCR_DRAW_SECONDS``. A file
with pages to OCR comes back from ``extract`` as NeedsOcr, as it does in-process.

The reader is a fresh interpreter (``python -c``), not a fork: a forked child would
inherit the parent's address space (the model, several GB of mappings), which the
memory limit would then count. Requests and replies are pickles over its stdin and
stdout; it exits when its stdin closes, so it dies with the indexer.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from xlsearch.errors import ExtractError
from xlsearch.extract.ocr import NeedsOcr, OcrOptions, PageText, read_page
from xlsearch.types import Section

SECONDS = 60.0
"""Default time limit for reading one file."""
MEMORY_MB = 2048
"""Default memory a reader may use on top of what it needs at start."""
OCR_DRAW_SECONDS = 30.0
"""Time allowed to draw a page for OCR, on top of the OCR limit itself."""


class Reader:
    """``extract`` with limits; ``close()`` (or ``with``) stops the reader process."""

    def __init__(self, seconds: float = SECONDS, memory_mb: int = MEMORY_MB) -> None:
        self.seconds = seconds
        self.memory_mb = memory_mb
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def extract(self, path: Path, max_bytes: int, detect_legacy: bool = True) -> list[Section]:
        """Like ``xlsearch.extract.extract``, but bounded in time and memory; raises
        NeedsOcr, as it does, for a file with pages to OCR."""
        value = self._ask(("extract", os.fspath(path), max_bytes, detect_legacy), self.seconds)
        sections: list[Section] = value
        return sections

    def ocr(self, path: Path, page: int, options: OcrOptions, max_bytes: int) -> PageText:
        """``xlsearch.extract.ocr.read_page`` bounded in memory and in time (the page's
        OCR limit plus the time to draw it)."""
        request = ("ocr", os.fspath(path), page, options, max_bytes)
        value = self._ask(request, options.seconds + OCR_DRAW_SECONDS)
        text: PageText = value
        return text

    def _ask(self, request: tuple[object, ...], seconds: float) -> Any:
        process = self._running()
        assert process.stdin is not None and process.stdout is not None
        try:
            pickle.dump(request, process.stdin)
            process.stdin.flush()
        except OSError:
            self._stop()
            raise ExtractError("the reader process could not be started") from None
        replies: queue.Queue[tuple[str, Any]] = queue.Queue()
        threading.Thread(target=_receive, args=(process.stdout, replies), daemon=True).start()
        try:
            kind, value = replies.get(timeout=seconds)
        except queue.Empty:
            self._stop()
            raise ExtractError(
                f"reading took longer than {seconds:g} s, so it was stopped"
            ) from None
        if kind == "crashed":
            self._stop()
            raise ExtractError(
                f"the reader crashed on this file (it may need more than {self.memory_mb} MB)"
            )
        if kind == "error":
            raise ExtractError(str(value))
        if kind == "ocr":
            raise NeedsOcr(*value)
        return value

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._stop()
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
            self._process = subprocess.Popen(
                [sys.executable, "-c", f"from {__name__} import serve; serve({self.memory_mb})"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        return self._process

    def _stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()
        self._process = None

    def close(self) -> None:
        """Stop the reader process; closing its stdin lets it exit by itself."""
        if self._process is not None and self._process.stdin is not None:
            try:
                self._process.stdin.close()
                self._process.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._stop()


def _receive(stream: IO[bytes], replies: queue.Queue[tuple[str, Any]]) -> None:
    try:
        replies.put(pickle.load(stream))
    except Exception:  # EOF or a torn pickle: the reader died mid-file
        replies.put(("crashed", None))


def serve(memory_mb: int) -> None:
    """The reader process: extract each path sent, reply ("ok", sections) or ("error", why)."""
    _limit_memory(memory_mb)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a library that prints must not corrupt the replies
    while True:
        try:
            request = pickle.load(requests)
        except EOFError:
            return
        try:
            reply: tuple[str, object] = ("ok", _answer(request))
        except NeedsOcr as exc:
            reply = ("ocr", (exc.sections, exc.pages))
        except ExtractError as exc:
            reply = ("error", exc.message)
        except MemoryError:
            reply = ("error", f"reading needs more than {memory_mb} MB of memory")
        pickle.dump(reply, replies)
        replies.flush()


def _answer(request: tuple[Any, ...]) -> object:
    """What the reader process returns for one request (see ``Reader._ask``)."""
    from xlsearch.extract import extract

    if request[0] == "ocr":
        _, path, page, options, max_bytes = request
        return read_page(Path(path), page, options, max_bytes)
    _, path, max_bytes, detect_legacy = request
    return extract(Path(path), max_bytes, detect_legacy)


def _limit_memory(memory_mb: int) -> None:
    """Cap this process's address space at its size now plus ``memory_mb``."""
    try:
        import resource
    except ImportError:  # Windows: the time limit still holds
        return
    base = _address_space()
    if base is None:
        return
    limit = base + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), None where unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None
