"""The hostile folder at full size: at least 40 kinds of nasty input, each with its fate.

``make_hostile_kinds`` builds on ``benchmarks.corpora.hostile.make_hostile_folder`` (the kinds the
extraction tests share) and adds what only a whole indexing run meets: bombs and
entity expansion in every archive format, runaway HTML, PDFs with lying or looping
page trees, special files, unreadable files and folders, hostile names, links out of
the folder, a million lines. ``Kind.outcome`` is what the index must record:
"indexed" (and ``word`` is findable), "failed" or "skipped" (with ``reason`` inside
the recorded reason). ``GROWS`` and ``VANISHES`` are changed by the indexing run
itself, between listing and reading (see ``benchmarks/corpora/hostile_run.py``).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import struct
import zipfile
from collections.abc import Callable
from contextlib import chdir
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.corpora.hostile import (
    ENGLISH_WORD,
    NEPALI_WORD,
    make_docx,
    make_hostile_folder,
    make_pdf,
)

GROWS = "grows.txt"
VANISHES = "vanishes.txt"
LAUGHS_WORD = "laughterword"
SCAN_WORD = "ledgerbook"
MIXED_WORD = "उपत्यकाको"
_BOMB_BYTES = 40 * 1024 * 1024  # a 40 MB member packs to ~40 KB: ratio ~1000
# The Word 97-2003, .xls and .ppt files the format tests keep (made with LibreOffice).
FORMATS = Path(__file__).resolve().parents[2] / "tests" / "data" / "formats"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Kind:
    """One hostile input: what it is, and what the index must say about it."""

    what: str
    outcome: str  # "indexed", "failed", "skipped" or "waiting" (for OCR, not installed)
    reason: str = ""  # part of the recorded reason (failed/skipped)
    word: str = ""  # a word the indexed file must be found by
    prefix: bool = False  # the key is a folder: any recorded path under it matches


def _laughs(root_tag: str) -> str:
    """A DOCTYPE whose entity expands to 10**9 'lol's (billion laughs)."""
    entities = ['<!ENTITY l0 "lol">']
    entities += [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    return f"<!DOCTYPE {root_tag} [{''.join(entities)}]>"


def _rezip(source: bytes, target: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Copy the zip ``source`` to ``target`` with ``member`` rewritten by ``change``."""
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == member:
                data = change(data)
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            new.writestr(info.filename, data, compress_type=kind)


def _with_doctype(data: bytes, root_tag: str, old: str, new: str) -> bytes:
    """XML ``data`` with a billion-laughs DOCTYPE after its declaration, ``old`` -> ``new``."""
    text = data.decode("utf-8")
    head, body = text.split("?>", 1) if text.startswith("<?xml") else ("", text)
    head = head + "?>" if head else ""
    return (head + _laughs(root_tag) + body.replace(old, new, 1)).encode("utf-8")


def _bomb(data: bytes, old: str) -> bytes:
    text = data.decode("utf-8")
    return text.replace(old, old + " " + "a" * _BOMB_BYTES, 1).encode("utf-8")


def _odt_bytes(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _epub_bytes(path: Path, text: str) -> bytes:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("hostile")
    book.set_title("hostile")
    chapter = epub.EpubHtml(title="one", file_name="one.xhtml", lang="en")
    chapter.content = f"<html><body><p>{text}</p></body></html>"
    book.add_item(chapter)
    book.spine = [chapter]
    for item in (epub.EpubNcx(), epub.EpubNav()):
        book.add_item(item)
    epub.write_epub(str(path), book)
    return path.read_bytes()


def _archives(root: Path) -> dict[str, Kind]:
    """Zip bombs and billion laughs in DOCX, ODT and EPUB, and an external entity."""
    make_docx(root / "plain.docx", ["archiveword docx"])
    docx = (root / "plain.docx").read_bytes()
    odt = _odt_bytes("archiveword odt")
    (root / "plain.odt").write_bytes(odt)
    epub = _epub_bytes(root / "plain.epub", "archiveword epub")
    doc, content, chapter = "word/document.xml", "content.xml", "EPUB/one.xhtml"
    _rezip(docx, root / "bomb.docx", doc, lambda d: _bomb(d, "archiveword docx"))
    _rezip(odt, root / "bomb.odt", content, lambda d: _bomb(d, "archiveword odt"))
    _rezip(epub, root / "bomb.epub", chapter, lambda d: _bomb(d, "archiveword epub"))
    laugh = f"&l9; {LAUGHS_WORD}"
    _rezip(
        docx,
        root / "laughs.docx",
        doc,
        lambda d: _with_doctype(d, "w:document", "archiveword docx", laugh),
    )
    _rezip(
        odt,
        root / "laughs.odt",
        content,
        lambda d: _with_doctype(d, "office:document-content", "archiveword odt", laugh),
    )
    _rezip(
        epub,
        root / "laughs.epub",
        chapter,
        lambda d: _with_doctype(d, "html", "archiveword epub", laugh),
    )
    xxe = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    _rezip(
        docx,
        root / "xxe.docx",
        doc,
        lambda d: d.replace(b"?>", b"?>" + xxe.encode(), 1).replace(
            b"archiveword docx", b"externalword &amp; &x;"
        ),
    )
    with zipfile.ZipFile(root / "nobody.docx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    bomb = Kind("zip bomb in {}", "failed", "zip bomb")
    return {
        "plain.docx": Kind("a valid DOCX beside the bombs", "indexed", word="archiveword"),
        "plain.odt": Kind("a valid ODT beside the bombs", "indexed", word="archiveword"),
        "plain.epub": Kind("a valid EPUB beside the bombs", "indexed", word="archiveword"),
        "bomb.docx": Kind(
            "zip bomb in a DOCX (40 MB member, ratio ~1000)", bomb.outcome, bomb.reason
        ),
        "bomb.odt": Kind("zip bomb in an ODT", bomb.outcome, bomb.reason),
        "bomb.epub": Kind("zip bomb in an EPUB", bomb.outcome, bomb.reason),
        "laughs.docx": Kind(
            "billion laughs in a DOCX (lxml's amplification limit)", "failed", "amplification"
        ),
        "laughs.odt": Kind(
            "billion laughs in an ODT (odfpy's defusedxml)", "failed", "EntitiesForbidden"
        ),
        "laughs.epub": Kind(
            "billion laughs in an EPUB: entity left unexpanded", "indexed", word=LAUGHS_WORD
        ),
        "xxe.docx": Kind(
            "external entity (file:///etc/passwd) in a DOCX: not resolved",
            "indexed",
            word="externalword",
        ),
        "nobody.docx": Kind(
            "DOCX without word/document.xml", "failed", "word/document.xml is missing"
        ),
    }


def _locked_ooxml() -> bytes:
    """The start of a password-protected .xlsx/.docx/.pptx: a compound file whose
    directory names an EncryptedPackage stream (Office writes exactly this layout)."""
    name = "EncryptedPackage".encode("utf-16-le") + b"\x00\x00"
    entry = name.ljust(64, b"\x00") + struct.pack("<HBB", len(name), 2, 1)
    return OLE + bytes(504) + entry.ljust(128, b"\x00") + os.urandom(4096)


def _office_bytes(root: Path) -> tuple[bytes, bytes]:
    """A real .xlsx and .pptx, each holding the word "officeword"."""
    import xlsxwriter
    from pptx import Presentation

    book = xlsxwriter.Workbook(str(root / "plain.xlsx"))
    book.add_worksheet("one").write_row(0, 0, ["officeword", "धादिङ"])
    book.close()
    sparse = xlsxwriter.Workbook(str(root / "sparse.xlsx"))
    corners = sparse.add_worksheet("corners")
    corners.write(0, 0, "sparseword")
    corners.write(1_048_575, 16_383, "far corner")
    sparse.close()
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    assert slide.shapes.title is not None
    slide.shapes.title.text = "officeword slide"
    deck.save(str(root / "plain.pptx"))
    return (root / "plain.xlsx").read_bytes(), (root / "plain.pptx").read_bytes()


def _encrypted_doc() -> bytes:
    """words.doc with the FIB's fEncrypted bit set, as Word sets it for a password."""
    data = bytearray((FORMATS / "words.doc").read_bytes())
    at = data.find(b"\xec\xa5", 512)
    data[at + 11] |= 0x01
    return bytes(data)


def _encrypted_xls() -> bytes:
    """table.xls with a FILEPASS record after the workbook's BOF, as Excel writes it."""
    data = bytearray((FORMATS / "table.xls").read_bytes())
    at = data.find(b"\x09\x08\x10\x00\x00\x06\x05\x00")
    data[at + 20 : at + 22] = b"\x2f\x00"
    return bytes(data)


def _zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _mail_with_attachments(count: int) -> bytes:
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "many attachments"
    message.set_content("attachmentbodyword in the body\n")
    for n in range(count):
        message.add_attachment(f"attached note {n}\n", filename=f"note{n}.txt")
    return message.as_bytes()


def _office(root: Path) -> dict[str, Kind]:
    """Locked, corrupt and disguised office files, deep archives and a crowded mail."""
    xlsx, pptx = _office_bytes(root)
    words = (FORMATS / "words.doc").read_bytes()
    files = {
        "encrypted.doc": _encrypted_doc(),
        "corrupt.doc": words[:2048] + os.urandom(6000),
        "setup.doc": b"MZ\x90\x00" + os.urandom(4096),
        "encrypted.xls": _encrypted_xls(),
        "corrupt.xls": OLE + os.urandom(4096),
        "encrypted.xlsx": _locked_ooxml(),
        "encrypted.pptx": _locked_ooxml(),
        "corrupt.xlsx": xlsx[: len(xlsx) // 2],
        "corrupt.pptx": pptx[: len(pptx) // 2],
        "thousand_attachments.eml": _mail_with_attachments(1000),
    }
    nest = _zip_of({"level4.txt": b"levelfourword\n"})
    for level in (3, 2):
        nest = _zip_of({f"level{level}.txt": f"levelword{level}\n".encode(), "z.zip": nest})
    files["nested.zip"] = nest
    files["crowded.zip"] = _zip_of({f"n{i}.txt": f"crowdword {i}\n".encode() for i in range(3000)})
    for name, data in files.items():
        (root / name).write_bytes(data)
    tools = shutil.which("antiword") or shutil.which("catdoc")
    locked = "password-protected"
    return {
        "plain.xlsx": Kind("a valid XLSX beside the broken ones", "indexed", word="officeword"),
        "plain.pptx": Kind("a valid PPTX beside the broken ones", "indexed", word="officeword"),
        "encrypted.doc": Kind("DOC with a password", "failed", locked),
        "corrupt.doc": Kind(
            "DOC cut short, then noise", "failed", "broken DOC" if tools else "install antiword"
        ),
        "setup.doc": Kind("a program renamed .doc", "failed", "it is a program"),
        "encrypted.xls": Kind("XLS with a password", "failed", locked),
        "corrupt.xls": Kind("XLS header, then noise", "failed", "broken XLS"),
        "encrypted.xlsx": Kind("XLSX with a password", "failed", locked),
        "encrypted.pptx": Kind("PPTX with a password", "failed", locked),
        "corrupt.xlsx": Kind("XLSX cut in half", "failed", "broken XLSX"),
        "sparse.xlsx": Kind(
            "XLSX with cells in A1 and XFD1048576 (a dense grid of 17 billion)",
            "failed",
            "too sparse",
        ),
        "corrupt.pptx": Kind("PPTX cut in half", "failed", "broken PPTX"),
        "thousand_attachments.eml": Kind(
            "mail with 1,000 attachments: all read, within the limit",
            "indexed",
            word="attachmentbodyword",
        ),
        "nested.zip": Kind(
            "zip in a zip in a zip in a zip: read to depth 3", "indexed", word="levelword2"
        ),
        "crowded.zip": Kind(
            "zip of 3,000 members: the first 1,000 read", "indexed", word="crowdword"
        ),
    }


def _html_and_pdf(root: Path) -> dict[str, Kind]:
    """Runaway HTML and PDFs that are locked, lie about their pages or loop."""
    body = f"<p>&l9; {LAUGHS_WORD}</p>"
    (root / "laughs.html").write_text(f"{_laughs('html')}<html><body>{body}</body></html>")
    depth = 200_000
    (root / "nested.html").write_text("<div>" * depth + "deepword" + "</div>" * depth)
    (root / "scripts.html").write_text("<html><script>var x = 1;</script><style>p{}</style></html>")
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(root / "encrypted.pdf", "wb") as handle:
        writer.write(handle)
    one = make_pdf(["loopword page"])
    (root / "circular.pdf").write_bytes(one.replace(b"/Kids [4 0 R]", b"/Kids [4 0 R 2 0 R]"))
    (root / "claims_a_billion_pages.pdf").write_bytes(
        make_pdf(["countword page"]).replace(b"/Count 1", b"/Count 999999999")
    )
    (root / "thousand_pages.pdf").write_bytes(make_pdf([f"pageword {i}" for i in range(1000)]))
    (root / "empty.pdf").write_bytes(b"")
    return {
        "laughs.html": Kind(
            "billion laughs in HTML (HTML has no DTD entities)", "indexed", word=LAUGHS_WORD
        ),
        "nested.html": Kind(
            "HTML nested 200,000 elements deep (minutes to parse)", "failed", "longer than"
        ),
        "scripts.html": Kind("HTML with only script and style", "skipped", "no text"),
        "encrypted.pdf": Kind("PDF encrypted with a password", "failed", "encrypted"),
        "circular.pdf": Kind("PDF whose page tree contains itself", "failed", "cyclic"),
        "claims_a_billion_pages.pdf": Kind(
            "PDF claiming 999,999,999 pages", "indexed", word="countword"
        ),
        "thousand_pages.pdf": Kind("PDF with 1,000 pages", "indexed", word="pageword"),
        "empty.pdf": Kind("zero-byte PDF", "skipped", "no text"),
    }


def _special_files(root: Path) -> dict[str, Kind]:
    """Pipes, devices, sockets, unreadable files and folders, a file over the size limit."""
    kinds: dict[str, Kind] = {}
    os.mkfifo(root / "fifo.txt")
    kinds["fifo.txt"] = Kind("named pipe (FIFO)", "skipped", "not a regular file")
    (root / "device.txt").symlink_to("/dev/zero")
    kinds["device.txt"] = Kind("device file (a link to /dev/zero)", "skipped", "not a regular file")
    with chdir(root), socket.socket(socket.AF_UNIX) as sock:
        sock.bind("socket.txt")
    kinds["socket.txt"] = Kind("Unix socket", "skipped", "not a regular file")
    (root / "denied.txt").write_text("secretword you may not read\n")
    (root / "denied.txt").chmod(0)
    kinds["denied.txt"] = Kind("file without read permission", "failed", "permission denied")
    (root / "closed").mkdir()
    (root / "closed" / "inside.txt").write_text("hidden behind a closed folder\n")
    (root / "closed").chmod(0)
    kinds["closed"] = Kind("folder without permission", "skipped", "permission denied", prefix=True)
    with open(root / "huge.txt", "wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: 60 MB that take no disk
    kinds["huge.txt"] = Kind("60 MB file (over the 50 MB limit)", "skipped", "larger than 50 MB")
    (root / GROWS).write_text("growword at the start\n")
    kinds[GROWS] = Kind("file that grows while it is read", "indexed", word="growword")
    (root / VANISHES).write_text("vanishword\n")
    kinds[VANISHES] = Kind("file deleted between listing and reading", "failed", "not found")
    return kinds


def _names_and_links(root: Path, outside: Path) -> dict[str, Kind]:
    """Hostile names, a path longer than PATH_MAX, links out of the folder, hard links."""
    kinds: dict[str, Kind] = {}
    bad = os.fsencode(root) + b"/bad\xff\xfename.txt"
    with open(bad, "wb") as handle:
        handle.write(b"badnameword\n")
    kinds["bad\ufffd\ufffdname.txt"] = Kind(
        "name with invalid UTF-8 bytes", "skipped", "not valid UTF-8"
    )
    (root / "new\nline.txt").write_text("newlineword\n")
    kinds["new\nline.txt"] = Kind("name with a newline", "indexed", word="newlineword")
    long_name = "n" * 251 + ".txt"
    (root / long_name).write_text("longnameword\n")
    kinds[long_name] = Kind("255-byte file name", "indexed", word="longnameword")
    _deep_path(root / "deep", "deepfileword\n")
    kinds["deep"] = Kind("path longer than PATH_MAX", "skipped", "too long", prefix=True)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "target.txt").write_text("outsideword beyond the folder\n")
    (outside / "folder").mkdir(exist_ok=True)
    (outside / "folder" / "inner.txt").write_text("outsidefolderword\n")
    (root / "outside_link.txt").symlink_to(outside / "target.txt")
    (root / "outside_dir").symlink_to(outside / "folder", target_is_directory=True)
    kinds["outside_link.txt"] = Kind(
        "link to a file outside the folder: followed", "indexed", word="outsideword"
    )
    kinds["outside_dir/inner.txt"] = Kind(
        "link to a folder outside: followed", "indexed", word="outsidefolderword"
    )
    (root / "hard_a.txt").write_text("hardlinkword\n")
    os.link(root / "hard_a.txt", root / "hard_b.txt")
    kinds["hard_a.txt"] = Kind("hard link, first name", "indexed", word="hardlinkword")
    kinds["hard_b.txt"] = Kind(
        "hard link, second name: indexed too", "indexed", word="hardlinkword"
    )
    return kinds


def _deep_path(top: Path, text: str) -> None:
    """Folders nested past PATH_MAX (4096 bytes), made relative to a folder descriptor."""
    top.mkdir()
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(20):
            name = "d" * 250
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        handle = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(handle, text.encode())
        os.close(handle)
    finally:
        os.close(fd)


def _scans(root: Path) -> dict[str, Kind]:
    """Images and scanned PDFs for OCR: a pixel bomb, fakes, a cut photo, blank pages.
    Without Tesseract here, the files OCR would read are recorded as waiting for it."""
    import shutil

    from PIL import Image

    from benchmarks.corpora.scans import (
        fonts,
        image_pdf,
        jpeg,
        png,
        png_claiming,
        render_page,
        scanned,
    )

    (root / "bomb.png").write_bytes(png_claiming(30_000, 30_000))
    (root / "not_an_image.jpg").write_text("a text file saved under a photo's name\n")
    page = scanned(render_page(f"Scanned {SCAN_WORD} notice", fonts(False)[0], 300, 12, 5, 2))
    (root / "scanned_notice.png").write_bytes(png(page))
    (root / "cut_photo.jpg").write_bytes(jpeg(page)[:1500])
    blank = Image.new("L", (425, 550), 255)  # 50 dpi letter pages
    (root / "blank_scans.pdf").write_bytes(image_pdf([blank] * 60, 50))
    ocr = shutil.which("tesseract") is not None
    waits = Kind("", "waiting", "wait for OCR")
    return {
        "bomb.png": Kind(
            "PNG claiming 30,000 x 30,000 pixels (refused from its header)",
            "failed",
            "larger than 120 megapixels",
        ),
        "not_an_image.jpg": Kind("text file named .jpg", "failed", "not a readable image"),
        "scanned_notice.png": Kind("a scanned page, read by OCR", "indexed", word=SCAN_WORD)
        if ocr
        else replace(waits, what="a scanned page"),
        "cut_photo.jpg": Kind("JPEG cut short after its header", "failed", "could not read")
        if ocr
        else replace(waits, what="a cut photo"),
        "blank_scans.pdf": Kind("PDF of 60 blank scanned pages", "skipped", "no text found")
        if ocr
        else replace(waits, what="blank scans"),
    }


def _contents(root: Path) -> dict[str, Kind]:
    """Big, null, blank and mixed-up contents."""
    # Words repeat, as in a real log; a million distinct words would measure the stemmer.
    lines = (f"ledger line {i % 1000}" for i in range(1_000_000))
    (root / "million_lines.txt").write_text("\n".join(lines) + "\nledgerendword\n")
    (root / "nul.txt").write_bytes(b"\x00" * 65536)
    # Mostly UTF-8 Nepali, with a line each from a Latin-1 and a cp1252 editor.
    nepali = f"{MIXED_WORD} काठमाडौं उपत्यकामा छ। नेपालको राजधानी हो।\n".encode()
    latin = "Zürich in Latin-1\n".encode("latin-1") + "€uro in cp1252\n".encode("cp1252")
    (root / "mixed_encodings.txt").write_bytes(nepali + latin + nepali)
    (root / "bom_only.txt").write_bytes(b"\xef\xbb\xbf")
    (root / "blank.txt").write_text(" \n\t\n   \n")
    (root / "crlf.txt").write_bytes(b"crlfword line one\r\nline two\r\n\r\nthird\r\n")
    (root / "SHOUTING.TXT").write_text("upperword in an upper-case name\n")
    return {
        "million_lines.txt": Kind("a million lines", "indexed", word="ledgerendword"),
        "nul.txt": Kind("64 KB of NUL bytes", "failed", "binary"),
        "mixed_encodings.txt": Kind(
            "UTF-8, Latin-1 and cp1252 in one file", "indexed", word=MIXED_WORD
        ),
        "bom_only.txt": Kind("a byte-order mark and nothing else", "skipped", "no text"),
        "blank.txt": Kind("only whitespace", "skipped", "no text"),
        "crlf.txt": Kind("Windows line ends", "indexed", word="crlfword"),
        "SHOUTING.TXT": Kind("upper-case suffix", "indexed", word="upperword"),
    }


_SHARED = {  # make_hostile_folder's mapping, as the index records it
    "ok": ("indexed", ""),
    "empty": ("skipped", "no text"),
    "failed": ("failed", ""),
}
_SHARED_WORDS = {"english.txt": ENGLISH_WORD, "nepali.txt": NEPALI_WORD}
_WALK_SKIPS = {
    "dangling.txt": "does not exist",
    "selfloop.txt": "symbolic links",
    "pipe.txt": "regular",
}


def make_hostile_kinds(root: Path, outside: Path) -> dict[str, Kind]:
    """Fill ``root`` (and ``outside``, the target of links out of it); keys are paths
    relative to ``root``. POSIX only: it makes pipes, sockets and links."""
    kinds: dict[str, Kind] = {}
    for name, expected in make_hostile_folder(root).items():
        outcome, reason = _SHARED[expected]
        if name in _WALK_SKIPS:  # the walk refuses these before any reading
            outcome, reason = "skipped", _WALK_SKIPS[name]
        kinds[name] = Kind(
            f"shared hostile file {name}", outcome, reason, _SHARED_WORDS.get(name, "")
        )
    kinds.update(_archives(root))
    kinds.update(_office(root))
    kinds.update(_html_and_pdf(root))
    kinds.update(_special_files(root))
    kinds.update(_names_and_links(root, outside))
    kinds.update(_contents(root))
    kinds.update(_scans(root))
    return kinds
