"""Builders of hostile test files: a folder of nasty inputs, and tiny hand-made PDFs.

``make_hostile_folder`` is shared by the extraction unit tests and the end-to-end
indexing test, so its signature and the meaning of its mapping are a contract.
Everything it writes is deterministic (seeded random, fixed text).
"""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from pathlib import Path

ENGLISH_WORD = "lighthousekeeper"
"""A word that occurs only in ``english.txt``."""

NEPALI_WORD = "सगरमाथा"
"""A word that occurs only in ``nepali.txt``."""

DOCX_WORD = "नेपालको"
"""A Nepali word in ``nepali.docx`` (it also occurs in ``utf16.txt``)."""

HTML_SECRET = "trackingpixelcode"
"""Text inside the HTML page's <script> and <style>: it must never be extracted."""

ENGLISH_TEXT = (
    f"The old {ENGLISH_WORD} climbed the stairs every evening.\n"
    "He lit the lamp and watched the ships pass in the dark.\n"
    "\n"
    "In the morning he wrote down the weather in a small notebook.\n"
)

NEPALI_TEXT = (
    f"{NEPALI_WORD} संसारको सबैभन्दा अग्लो हिमाल हो।\n"
    "यो हिमाल नेपाल र चीनको सिमानामा पर्छ।\n"
    "\n"
    "हरेक वर्ष धेरै पर्वतारोहीहरू यसको चुचुरोमा पुग्न प्रयास गर्छन्।\n"
)

LATIN1_TEXT = "Café au lait in Zürich.\nSeñor Müller ordered crème brûlée, très bien.\n"

HTML_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Mountain notes</title>
<style>body {{ color: red; }} .{HTML_SECRET} {{ display: none; }}</style>
<script>var {HTML_SECRET} = "do not index me";</script></head>
<body><h1>Trekking in Nepal</h1>
<p>The trail to the base camp takes <b>twelve</b> days.</p>
<script>console.log("{HTML_SECRET}");</script>
<p>नेपालको हिमाली क्षेत्र सुन्दर छ।</p>
<noscript>{HTML_SECRET} noscript</noscript>
</body></html>
"""


def _pdf_literal(text: str) -> bytes:
    """``text`` as a PDF literal string: parentheses and backslashes escaped."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1") + b")"


def _pdf_objects(pages: Sequence[str]) -> list[bytes]:
    """The bodies of objects 1..n: catalog, page tree, font, then a page and its content each."""
    page_ids = [4 + 2 * i for i in range(len(pages))]
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for pid, text in zip(page_ids, pages, strict=True):
        stream = b"BT /F1 12 Tf 72 720 Td " + _pdf_literal(text) + b" Tj ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (pid + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    return objects


def make_pdf(pages: Sequence[str]) -> bytes:
    """A minimal valid PDF with one line of ASCII ``text`` per page, written by hand."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(_pdf_objects(pages), start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(offsets) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def make_docx(path: Path, paragraphs: Sequence[str]) -> None:
    """Write a .docx with a heading, ``paragraphs`` and a one-row table of the first two."""
    import docx

    document = docx.Document()
    document.add_heading("नेपाली कागजात", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    for cell, text in zip(table.rows[0].cells, paragraphs[:2], strict=False):
        cell.text = f"तालिका {text}"
    document.save(str(path))


def _write_random(root: Path, rng: random.Random) -> None:
    """Random bytes with NULs, and random bytes without any NUL (harder to spot)."""
    (root / "random.txt").write_bytes(rng.randbytes(8192))
    (root / "data.txt").write_bytes(bytes(rng.randrange(1, 256) for _ in range(8192)))


def _write_texts(root: Path, rng: random.Random) -> None:
    """Text files in every encoding a person's folder tends to hold."""
    (root / "english.txt").write_text(ENGLISH_TEXT, encoding="utf-8")
    (root / "nepali.txt").write_text(NEPALI_TEXT, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    utf16 = "नेपालको राजधानी काठमाडौं हो।\nKathmandu is the capital of Nepal.\n"
    (root / "utf16.txt").write_bytes(utf16.encode("utf-16"))  # with a BOM
    (root / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    broken = "नेपाली पाठ र English text.\n".encode() * 20
    (root / "invalid_utf8.txt").write_bytes(broken[:50] + b"\xff\xfe\xc3" + broken[50:])
    words = [rng.choice(["alpha", "beta", "gamma", "हिमाल", "नदी"]) for _ in range(200_000)]
    (root / "long_line.txt").write_text(" ".join(words), encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "inner.md").write_text("# Notes\n\nनेपाल एक सुन्दर देश हो।\n", "utf-8")


def _write_documents(root: Path) -> None:
    """Fake, truncated, encrypted and valid documents."""
    (root / "fake.pdf").write_text("This is a plain text file wearing a .pdf name.\n")
    real = make_pdf(["First page of a real PDF", "Second page of a real PDF"])
    (root / "truncated.pdf").write_bytes(real[: len(real) // 3])
    (root / "broken.docx").write_bytes(random.Random(7).randbytes(2048))
    make_docx(root / "nepali.docx", [f"{DOCX_WORD} इतिहास लामो छ।", "हिमाल र पहाड।"])
    (root / "page.html").write_text(HTML_PAGE, encoding="utf-8")


def _write_links(root: Path, expected: dict[str, str]) -> None:
    """A dangling link, a link to itself and a directory link back up to its parent."""
    try:
        (root / "dangling.txt").symlink_to(root / "does-not-exist.txt")
        (root / "selfloop.txt").symlink_to("selfloop.txt")
        (root / "sub" / "loop").symlink_to("..", target_is_directory=True)
    except (OSError, NotImplementedError):
        return  # no symlinks here (e.g. Windows without developer mode)
    expected["dangling.txt"] = "failed"
    expected["selfloop.txt"] = "failed"


def _write_fifo(root: Path, expected: dict[str, str]) -> None:
    """A named pipe: reading it would block forever, so it must be refused unread."""
    if not hasattr(os, "mkfifo"):
        return
    try:
        os.mkfifo(root / "pipe.txt")
    except OSError:
        return
    expected["pipe.txt"] = "failed"


def make_hostile_folder(root: Path) -> dict[str, str]:
    """Fill ``root`` with nasty files; return each file's expected outcome.

    Keys are paths relative to ``root`` with "/" separators; values are "ok" (text
    comes out), "empty" (no text at all) or "failed" (extraction must refuse it with
    a reason). ``sub/loop`` is a directory link to ``root`` and is not in the
    mapping: a walker must not follow it (and must not loop). Links and the named
    pipe are left out where the platform cannot make them.
    """
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20240601)
    _write_texts(root, rng)
    _write_random(root, rng)
    _write_documents(root)
    expected = {
        "english.txt": "ok",
        "nepali.txt": "ok",
        "empty.txt": "empty",
        "utf16.txt": "ok",
        "latin1.txt": "ok",
        "invalid_utf8.txt": "ok",
        "long_line.txt": "ok",
        "sub/inner.md": "ok",
        "random.txt": "failed",
        "data.txt": "failed",
        "fake.pdf": "failed",
        "truncated.pdf": "failed",
        "broken.docx": "failed",
        "nepali.docx": "ok",
        "page.html": "ok",
    }
    _write_links(root, expected)
    _write_fifo(root, expected)
    return expected
