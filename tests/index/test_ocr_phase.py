"""OCR end to end with the real Tesseract: reading, the page cache, deferral, resuming.

Tesseract is installed by ``./dev.sh`` and in CI, where these tests must run: they
skip on a machine without it only outside CI. Embeddings come from the hash embedder
(the OCR, not the model, is under test).
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from benchmarks.corpora.scans import (
    cer,
    fonts,
    image_pdf,
    jpeg,
    photographed,
    png,
    render_page,
    scanned,
)
from tests.support.fakes import use_hash_embedder
from xlsearch.config import Settings
from xlsearch.engine import Engine
from xlsearch.extract.ocr import OcrOptions, PageText, read_page
from xlsearch.paths import database_path
from xlsearch.search.options import SearchOptions
from xlsearch.store.db import Store

if shutil.which("tesseract") is None and os.environ.get("CI"):
    raise RuntimeError("CI must run the OCR tests: install tesseract-ocr (./dev.sh does)")
pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract here")

NOTICE = (
    "नेपाल सरकार जिल्ला स्वास्थ्य कार्यालय धादिङ। दादुरा रुबेला खोप अभियान साउन १५ गतेदेखि "
    "सबै वडामा सञ्चालन हुनेछ। District Health Office notice: measles rubella vaccination "
    "for every child under five."
)
CER_BOUND = 0.08  # measured 0.02 (Nepali) and 0.002 (English) on such pages


class Counting:
    """Reads pages in this process (no reader children) and counts Tesseract's work."""

    def __init__(self, before: threading.Event | None = None) -> None:
        self.calls: list[tuple[str, int]] = []
        self.before = before

    def __call__(self, path: Path, page: int, options: OcrOptions, max_bytes: int) -> PageText:
        if self.before is not None:
            self.before.wait(60)
        self.calls.append((path.name, page))
        return read_page(path, page, options, max_bytes)


def _engine(home: Path, counting: Counting, **settings: object) -> Engine:
    engine = Engine(home=home, settings=Settings(**settings))  # type: ignore[arg-type]
    engine.indexing.ocr = replace(engine.ocr_plan(), read=counting)
    return engine


def _notice(dpi: int = 200) -> Image.Image:
    return scanned(render_page(NOTICE, fonts(devanagari=True)[0], dpi), seed=2)


def _folder(root: Path, pages: int = 2) -> Path:
    root.mkdir()
    (root / "notes.txt").write_text("The haystackword is in a plain text file.\n")
    blank = Image.new("L", (1654, 2339), 255)
    (root / "notice.pdf").write_bytes(image_pdf([_notice()] + [blank] * (pages - 1), 200))
    return root


def test_a_scanned_nepali_and_english_page_reads_within_the_error_bound() -> None:
    options = OcrOptions(languages="nep+eng", dpi=300)
    image = scanned(render_page(NOTICE, fonts(devanagari=True)[0], 300), seed=5)
    path = Path(os.environ["XLSEARCH_HOME"]) / "page.png"
    path.write_bytes(png(image))
    read = read_page(path, 1, options, 10**8)
    assert cer(NOTICE, read.text) < CER_BOUND, read.text
    for word in ("दादुरा", "रुबेला", "measles", "vaccination"):
        assert word in read.text
    assert read.confidence is not None and read.confidence > 60


def test_a_phone_photo_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_hash_embedder(monkeypatch)
    docs = tmp_path / "docs"
    docs.mkdir()
    photo = photographed(render_page(NOTICE, fonts(devanagari=True)[0], 200))
    (docs / "photo.jpg").write_bytes(jpeg(photo))
    engine = _engine(tmp_path / "home", Counting())
    report = engine.index([docs])
    assert report.ocr_pages == 1
    hit = engine.search("दादुरा", SearchOptions(mode="lexical"))[0]
    assert hit.path.endswith("photo.jpg")
    assert hit.ocr is not None and hit.location.startswith("read by OCR, ")
    assert hit.page is None  # one photo, no page numbers


def test_scans_are_found_with_their_page_and_confidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    counting = Counting()
    engine = _engine(tmp_path / "home", counting)
    engine.index([_folder(tmp_path / "docs")])
    hits = engine.search("measles", SearchOptions(mode="lexical"))
    assert [Path(h.path).name for h in hits] == ["notice.pdf"]
    assert hits[0].page == 1 and hits[0].ocr is not None
    assert hits[0].location.startswith("read by OCR, page 1, ")
    assert sorted(counting.calls) == [("notice.pdf", 1), ("notice.pdf", 2)]


def test_a_renamed_copy_is_not_read_again_even_after_its_index_entry_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    docs = _folder(tmp_path / "docs")
    counting = Counting()
    engine = _engine(tmp_path / "home", counting)
    engine.index([docs])
    first = len(counting.calls)
    shutil.copy(docs / "notice.pdf", docs / "copy of notice.pdf")
    (docs / "notice.pdf").rename(docs / "moved.pdf")
    engine.index([docs])
    # The page cache, not only the same-content check: forget everything, index again.
    engine.forget(docs)
    engine.index([docs])
    assert len(counting.calls) == first
    names = {Path(h.path).name for h in engine.search("measles", SearchOptions(mode="lexical"))}
    assert names == {"copy of notice.pdf", "moved.pdf"}


def test_changing_the_languages_reads_the_pages_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    docs = _folder(tmp_path / "docs", pages=1)
    counting = Counting()
    _engine(tmp_path / "home", counting, ocr_languages="nep+eng").index([docs])
    assert counting.calls == [("notice.pdf", 1)]
    report = _engine(tmp_path / "home", counting, ocr_languages="eng").index([docs])
    assert counting.calls == [("notice.pdf", 1)] * 2
    assert report.updated == 1
    # Back to the first languages: their pages are still cached.
    _engine(tmp_path / "home", counting, ocr_languages="nep+eng").index([docs])
    assert len(counting.calls) == 2


def test_text_files_are_committed_before_any_page_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    home = tmp_path / "home"
    seen: list[int] = []

    class Looking(Counting):
        def __call__(self, path: Path, page: int, options: OcrOptions, limit: int) -> PageText:
            store = Store(database_path(home))
            found = store.db.table("chunks_fts").count_where("terms MATCH 'haystackword'")
            vectors = store.db.table("embeddings").count
            store.close()
            seen.append(found * 1000 + vectors)
            return super().__call__(path, page, options, limit)

    engine = _engine(home, Looking())
    engine.index([_folder(tmp_path / "docs")])
    assert seen and seen[0] == 1001  # its keywords and its one vector were there


def test_a_stopped_run_resumes_at_the_pages_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    docs = _folder(tmp_path / "docs", pages=4)
    cancel = threading.Event()

    class Stopping(Counting):
        def __call__(self, path: Path, page: int, options: OcrOptions, limit: int) -> PageText:
            read = super().__call__(path, page, options, limit)
            cancel.set()  # stop after the first page: like ctrl+c or a kill
            return read

    stopping = Stopping()
    engine = _engine(tmp_path / "home", stopping)
    report = engine.index([docs], cancel=cancel)
    read_first = len(stopping.calls)
    assert 1 <= read_first < 4
    assert report.ocr_waiting == 4 - read_first
    status = engine.status()
    assert status.ocr_waiting == {str(docs / "notice.pdf"): 4 - read_first}
    counting = Counting()
    engine = _engine(tmp_path / "home", counting)
    engine.index([docs])
    assert len(counting.calls) == 4 - read_first
    assert not set(counting.calls) & set(stopping.calls)
    assert engine.status().ocr_waiting == {}
    assert engine.search("measles", SearchOptions(mode="lexical"))


def test_without_ocr_the_files_wait_and_status_says_how_to_read_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    docs = _folder(tmp_path / "docs")
    engine = Engine(home=tmp_path / "home", settings=Settings(ocr=False))
    report = engine.index([docs])
    assert report.ocr_waiting == 2
    status = engine.status()
    assert status.ocr.startswith("off: ")
    assert status.ocr_waiting == {str(docs / "notice.pdf"): 2}
    waiting = [i for i in status.issues if i.path.endswith("notice.pdf")]
    assert waiting[0].status == "waiting" and "wait for OCR" in waiting[0].reason
    assert engine.search(
        "haystackword", SearchOptions(mode="lexical")
    )  # the rest of the folder works
    # Turned on later, the next run reads them.
    counting = Counting()
    _engine(tmp_path / "home", counting).index([docs])
    assert len(counting.calls) == 2


def test_many_blank_scanned_pages_cost_no_tesseract_call_and_are_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    docs = tmp_path / "docs"
    docs.mkdir()
    blank = Image.new("L", (850, 1100), 255)
    (docs / "blank.pdf").write_bytes(image_pdf([blank] * 40, 100))
    recognised: list[bytes] = []
    monkeypatch.setattr("xlsearch.extract.ocr.recognise", lambda png, _: recognised.append(png))
    counting = Counting()
    report = _engine(tmp_path / "home", counting, ocr_max_pages=10).index([docs])
    assert len(counting.calls) == 10  # the cap
    assert recognised == []  # blank pages never reach Tesseract
    assert [i.reason for i in report.issues] == ["no text found in the file (read by OCR)"]


def test_cli_says_what_waits_for_ocr_and_how_to_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from xlsearch.cli import cli

    use_hash_embedder(monkeypatch)
    monkeypatch.setenv("XLSEARCH_OCR", "false")
    docs = _folder(tmp_path / "docs")
    runner = CliRunner()
    indexed = runner.invoke(cli, ["index", str(docs)])
    assert "OCR: 0 pages read, 2 still wait (OCR is off; set ocr = true" in indexed.output
    status = runner.invoke(cli, ["status"]).output
    assert "OCR:       off: OCR is off" in status
    assert "OCR waits: 2 pages in 1 files" in status
    assert f"Waiting: {docs / 'notice.pdf'}: 2 page(s) wait for OCR" in status
