"""The OCR cache and the count of pages waiting for OCR, over the store's connection.

A page read by OCR is stored at once, in its own transaction, keyed by the file's
content hash, the 1-based page and the OCR settings key (see
``xlsearch.extract.ocr.settings_key``): a kill loses at most the page in flight, and a
copy, a rename or a move of a scan finds its pages here instead of reading them again.
``documents.ocr_pages`` counts the pages of a document still waiting; the indexer reads
such a document again on its next run (``xlsearch status`` reports them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsearch.store.db import Store

if TYPE_CHECKING:  # importing the extract package costs a search process time
    from xlsearch.extract.ocr import PageText

OCR_KEY = "ocr_settings"
"""Meta key: the OCR settings key of the last run that read pages."""


def cached_pages(store: Store, digest: str, settings: str) -> dict[int, PageText]:
    """The pages of the file with content hash ``digest`` read under ``settings``."""
    from xlsearch.extract.ocr import PageText

    rows = store.db.table("ocr_cache").rows_where(
        "content_hash = ? AND settings = ?", [digest, settings]
    )
    return {int(r["page"]): PageText(r["text"], r["confidence"], r["seconds"]) for r in rows}


def put_page(store: Store, digest: str, page: int, settings: str, text: PageText) -> None:
    """Keep one page read by OCR; call inside ``store.transaction()``."""
    store.db.table("ocr_cache").insert(
        {
            "content_hash": digest,
            "page": page,
            "settings": settings,
            "text": text.text,
            "confidence": text.confidence,
            "seconds": text.seconds,
        },
        replace=True,
    )


def set_waiting(store: Store, path: str, pages: int) -> None:
    """Record that ``pages`` pages of the document at ``path`` still wait for OCR."""
    # Raw: sqlite-utils updates by primary key, and this is by path.
    store.conn.execute("UPDATE documents SET ocr_pages = ? WHERE path = ?", (pages, path))


def waiting(store: Store) -> dict[str, int]:
    """Path -> pages still waiting for OCR, for every document with some."""
    rows = store.db.table("documents").rows_where(
        "ocr_pages > 0", select="path, ocr_pages", order_by="path"
    )
    return {str(r["path"]): int(r["ocr_pages"]) for r in rows}


def ever_read(store: Store) -> bool:
    """Whether any page was ever read by OCR here or any document waits for OCR: else
    no text can depend on the OCR settings, and a run needs no OCR plan until a file
    needs OCR."""
    row = store.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM ocr_cache) OR EXISTS"
        " (SELECT 1 FROM documents WHERE ocr_pages > 0)"
    ).fetchone()
    return bool(row[0])


def settings_changed(store: Store, settings: str) -> int:
    """When the OCR settings differ from the last run's, mark every document with text
    read by OCR as waiting (its pages read again under the new settings); the number
    of documents marked."""
    before = store.get_meta(OCR_KEY)
    if before == settings:
        return 0
    with store.transaction():
        store.set_meta(OCR_KEY, settings)
        if before is None:
            return 0
        cur = store.conn.execute(
            "UPDATE documents SET ocr_pages = (SELECT count(DISTINCT coalesce(c.page, 0))"
            " FROM chunks c WHERE c.document_id = documents.id AND c.ocr_confidence IS NOT NULL)"
            " WHERE id IN (SELECT document_id FROM chunks WHERE ocr_confidence IS NOT NULL)"
        )
    return cur.rowcount
