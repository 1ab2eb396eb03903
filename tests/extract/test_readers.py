"""Tests of xlsearch.extract: every format, every encoding, and every hostile file."""

from __future__ import annotations

import io
import logging
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import xlsearch.extract as extract_module
from benchmarks.corpora.hostile import (
    DOCX_WORD,
    ENGLISH_WORD,
    HTML_SECRET,
    LATIN1_TEXT,
    NEPALI_WORD,
    make_docx,
    make_hostile_folder,
    make_pdf,
)
from xlsearch.errors import ExtractError
from xlsearch.extract import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    extract,
    file_type,
    is_supported,
)
from xlsearch.extract.common import short_reason
from xlsearch.types import Section

NEPALI_LINE = "नेपालको राजधानी काठमाडौं हो।"


def write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` and return the path."""
    path.write_bytes(data)
    return path


def all_text(sections: list[Section]) -> str:
    """Every section's text, one per line."""
    return "\n".join(section.text for section in sections)


def refusal(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The reason ``extract`` gives for refusing ``path`` (fails the test if it does not)."""
    with pytest.raises(ExtractError) as info:
        extract(path, max_bytes=max_bytes)
    return info.value.message


# --- file types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "txt"),
        ("a.md", "md"),
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.pdf", "pdf"),
        ("A.DOCX", "docx"),
        ("a.odt", "odt"),
        ("a.epub", "epub"),
        ("scan.JPG", "jpg"),
        ("page.tif", "tiff"),
        ("a.doc", "doc"),
        ("a.msg", ""),
        ("README", ""),
    ],
)
def test_file_type_and_support(name: str, kind: str) -> None:
    assert file_type(Path(name)) == kind
    assert is_supported(Path(name)) == bool(kind)


def test_supported_suffixes_are_the_documented_set() -> None:
    expected = {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".odt", ".epub"}
    images = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}  # read by OCR
    expected |= {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".doc", ".rtf"}
    expected |= {".pptx", ".ppt", ".odp", ".eml", ".mbox", ".zip"}
    assert expected | images == SUPPORTED_SUFFIXES


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    assert "unsupported" in refusal(write(tmp_path / "a.xyz", b"hello"))


# --- plain text: paragraphs and line numbers ----------------------------------------------


def test_paragraphs_carry_their_starting_line(tmp_path: Path) -> None:
    text = "first para\nstill first\n\n\n   \n  second para\n\nthird\n"
    sections = extract(write(tmp_path / "a.txt", text.encode()))
    assert sections == [
        Section(text="first para\nstill first", line=1),
        Section(text="second para", line=6),
        Section(text="third", line=8),
    ]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_newlines_give_the_same_lines(tmp_path: Path, newline: str) -> None:
    text = newline.join(["one", "", "two", "three", "", "", "four"])
    sections = extract(write(tmp_path / "a.md", text.encode()))
    assert [(s.text, s.line) for s in sections] == [
        ("one", 1),
        ("two\nthree", 3),
        ("four", 7),
    ]


def test_leading_blank_lines_shift_the_first_paragraph(tmp_path: Path) -> None:
    sections = extract(write(tmp_path / "a.txt", b"\n \n\t\nhello\n"))
    assert sections == [Section(text="hello", line=4)]


def test_whitespace_only_file_has_no_sections(tmp_path: Path) -> None:
    assert extract(write(tmp_path / "a.txt", b" \n\n\t\n")) == []


def test_empty_file_has_no_sections(tmp_path: Path) -> None:
    assert extract(write(tmp_path / "a.pdf", b"")) == []


def test_nepali_words_survive_whole(tmp_path: Path) -> None:
    text = f"{NEPALI_LINE}\n\n{NEPALI_WORD} हिमाल हो।\n"
    sections = extract(write(tmp_path / "ne.txt", text.encode()))
    assert "नेपालको" in sections[0].text.split()
    assert NEPALI_WORD in sections[1].text.split()
    assert sections[1].line == 3


def test_huge_single_line_comes_out_whole(tmp_path: Path) -> None:
    line = " ".join(["हिमाल", "river"] * 120_000)  # about 1.7 MB, no newline
    assert len(line.encode()) > 1_600_000
    sections = extract(write(tmp_path / "long.txt", line.encode()))
    assert sections == [Section(text=line, line=1)]


# --- encodings ------------------------------------------------------------------------------


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    sections = extract(write(tmp_path / "a.txt", b"\xef\xbb\xbf" + NEPALI_LINE.encode()))
    assert sections[0].text == NEPALI_LINE


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    text = f"{NEPALI_LINE}\nEnglish too.\n"
    data = text.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):  # these codecs write no BOM themselves
        data = "\ufeff".encode(codec) + data
    sections = extract(write(tmp_path / "a.txt", data))
    assert sections == [Section(text=text.strip(), line=1)]


def test_latin1_gets_its_accents_right(tmp_path: Path) -> None:
    sections = extract(write(tmp_path / "a.txt", LATIN1_TEXT.encode("latin-1")))
    assert all_text(sections) == LATIN1_TEXT.strip()


def test_cp1252_smart_quotes(tmp_path: Path) -> None:
    text = "“Déjà vu,” she said – naïve as ever… Señor Müller agreed.\n"
    sections = extract(write(tmp_path / "a.txt", text.encode("cp1252")))
    assert all_text(sections) == text.strip()


def test_cyrillic_legacy_file_is_not_read_as_western(tmp_path: Path) -> None:
    text = "Москва — столица России. Это большой и красивый город на реке.\n" * 3
    sections = extract(write(tmp_path / "a.txt", text.encode("cp1251")))
    assert "Москва" in all_text(sections)


def test_invalid_utf8_still_comes_out(tmp_path: Path) -> None:
    good = f"{NEPALI_LINE} and English words.\n".encode() * 10
    cut = good.index(b" and ")  # between characters: the cut breaks no valid sequence
    data = good[:cut] + b"\xff\xfe" + good[cut:]
    text = all_text(extract(write(tmp_path / "a.txt", data)))
    assert text.count("\ufffd") == 2
    assert text.split().count("नेपालको") == 10


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(random.Random(1).randbytes(4096), id="random-with-nul"),
        pytest.param(random.Random(2).randbytes(4096).replace(b"\x00", b"\x01"), id="no-nul"),
        pytest.param(b"text\x00text", id="one-nul"),
        pytest.param(b"\x01\x02\x03\x04abcdefgh" * 50, id="control-chars"),
    ],
)
def test_binary_data_is_refused(tmp_path: Path, data: bytes) -> None:
    assert refusal(write(tmp_path / "a.txt", data)) == "binary data, not text"


def test_long_binary_file_is_refused_from_its_samples(tmp_path: Path) -> None:
    data = random.Random(4).randbytes(3 * 1024 * 1024).replace(b"\x00", b"\x01")
    assert refusal(write(tmp_path / "a.txt", data)) == "binary data, not text"


def test_long_legacy_file_is_guessed_from_its_head(tmp_path: Path) -> None:
    text = LATIN1_TEXT * 20_000  # about 1.4 MB, beyond the guessing sample
    sections = extract(write(tmp_path / "a.txt", text.encode("latin-1")))
    assert all_text(sections) == text.strip()


def test_a_few_control_characters_are_tolerated(tmp_path: Path) -> None:
    data = b"Some log line with an \x1b[1mANSI\x1b[0m escape.\n" * 5
    assert "ANSI" in all_text(extract(write(tmp_path / "log.txt", data)))


# --- reading: size, permissions, links, odd files -------------------------------------------


def test_size_limit_refuses_larger_files(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"0123456789A")
    assert refusal(path, max_bytes=10) == "file is larger than 10 bytes"
    assert extract(path, max_bytes=11) == [Section(text="0123456789A", line=1)]


def test_default_limit_is_50_mb(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:  # sparse on most file systems: nothing is written
        handle.truncate(50 * 1024 * 1024 + 1)
    assert refusal(path) == "file is larger than 50 MB"


def test_dangling_symlink_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    try:
        link.symlink_to(tmp_path / "missing.txt")
    except (OSError, NotImplementedError):
        pytest.skip("no symlinks on this platform")
    assert "not found" in refusal(link)


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    assert "not found" in refusal(tmp_path / "nothing.txt")
    (tmp_path / "folder.txt").mkdir()
    assert refusal(tmp_path / "folder.txt") == "is a folder, not a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    assert "not a regular file" in refusal(tmp_path / "pipe.txt")


def test_permission_error_reads_as_permission_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def deny(*args: object) -> int:
        raise PermissionError(13, "Permission denied")

    path = write(tmp_path / "a.txt", b"secret")
    # Root reads any file, so a chmod alone cannot show this in every CI container.
    monkeypatch.setattr(os, "open", deny)
    assert refusal(path) == "permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"secret")
    path.chmod(0)
    try:
        assert refusal(path) == "permission denied"
    finally:
        path.chmod(0o600)


def test_unexpected_library_failure_becomes_extract_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(data: bytes) -> list[Section]:
        raise ValueError("something deep inside a library\nwith a second line")

    monkeypatch.setitem(extract_module._EXTRACTORS, "txt", explode)
    reason = refusal(write(tmp_path / "a.txt", b"hello"))
    assert reason == "could not read TXT file: something deep inside a library"


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "Invalid Elementary Object starting with b'\\x9c' @17: b'junk'",
            "Invalid Elementary Object starting with",
        ),
        ("first line\nsecond line", "first line"),
        ("x" * 300, "x" * 120),
        ("", "ValueError"),
        ("b'only bytes'", "ValueError"),
    ],
)
def test_short_reason_keeps_one_readable_line(message: str, reason: str) -> None:
    assert short_reason(ValueError(message)) == reason


def test_importing_extract_loads_no_format_library() -> None:
    heavy = ["pypdf", "docx", "selectolax", "ebooklib", "odf", "charset_normalizer", "lxml"]
    code = f"import sys, xlsearch.extract; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- HTML -----------------------------------------------------------------------------------


def test_html_keeps_title_and_blocks_and_drops_scripts(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Notes &amp; more</title><style>.x{color:red}</style>"
        "<script>var hidden = 1;</script></head><body>"
        "<h1>Heading</h1><p>One <b>bold</b>\n   word.</p><div>Before<p>Inner</p>after</div>"
        f"<p>{NEPALI_LINE}</p><template>tmpl</template><noscript>nojs</noscript>"
        "<script>alert('hidden')</script><ul><li>item one</li><li>item two</li></ul>"
        "</body></html>"
    )
    sections = extract(write(tmp_path / "a.html", page.encode()))
    assert [s.text for s in sections] == [
        "Notes & more",
        "Heading",
        "One bold word.",
        "Before",
        "Inner",
        "after",
        NEPALI_LINE,
        "item one",
        "item two",
    ]
    assert all(s.page is None and s.line is None for s in sections)


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>Café “x”</p></body></html>'
    sections = extract(write(tmp_path / "a.htm", page.encode("cp1252")))
    assert [s.text for s in sections] == ["Café “x”"]


def test_html_that_lies_about_utf8_falls_back(tmp_path: Path) -> None:
    page = '<meta charset="utf-8"><p>Señor Müller, très naïve résumé.</p>'
    sections = extract(write(tmp_path / "a.html", page.encode("cp1252")))
    assert [s.text for s in sections] == ["Señor Müller, très naïve résumé."]


@pytest.mark.parametrize("charset", ["no-such-charset", "zlib", "utf-16"])
def test_html_with_a_useless_charset_is_still_read(tmp_path: Path, charset: str) -> None:
    page = f'<meta charset="{charset}"><p>{NEPALI_LINE}</p>'
    sections = extract(write(tmp_path / "a.html", page.encode()))
    assert [s.text for s in sections] == [NEPALI_LINE]


def test_deeply_nested_html_does_not_overflow(tmp_path: Path) -> None:
    page = "<div>" * 5000 + "deep text" + "</div>" * 5000
    assert "deep text" in all_text(extract(write(tmp_path / "a.html", page.encode())))


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_gives_one_section_per_page(tmp_path: Path) -> None:
    data = make_pdf(["Hello from page one (first)", "Page two says goodbye"])
    sections = extract(write(tmp_path / "a.pdf", data))
    assert [(s.text, s.page) for s in sections] == [
        ("Hello from page one (first)", 1),
        ("Page two says goodbye", 2),
    ]


def test_pdf_pages_without_text_are_left_out_but_numbering_holds(tmp_path: Path) -> None:
    data = make_pdf(["", "only the second page has text"])
    sections = extract(write(tmp_path / "a.pdf", data))
    assert [(s.text, s.page) for s in sections] == [("only the second page has text", 2)]


def test_fake_pdf_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "a.pdf", b"just some text that is not a PDF\n" * 10)
    assert refusal(path) == "not a valid PDF (no PDF header)"


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    data = make_pdf(["one", "two"])
    reason = refusal(write(tmp_path / "a.pdf", data[: len(data) // 2]))
    assert reason.startswith("not a valid PDF (EOF marker not found")


def test_pdf_with_a_wrong_xref_offset_is_repaired_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = make_pdf(["repaired text"])
    start = data.rindex(b"startxref\n") + len(b"startxref\n")
    broken = data[:start] + b"12" + data[data.index(b"\n", start) :]
    caplog.set_level(logging.DEBUG)
    sections = extract(write(tmp_path / "a.pdf", broken))
    assert [s.text for s in sections] == ["repaired text"]
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def _encrypted_pdf(user_password: str) -> bytes:
    """A one-page PDF encrypted with RC4 (pypdf needs no crypto library for RC4)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["locked text"]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    reason = refusal(write(tmp_path / "a.pdf", _encrypted_pdf("secret")))
    assert reason.startswith("PDF is encrypted")


def test_pdf_encrypted_with_empty_password_opens(tmp_path: Path) -> None:
    sections = extract(write(tmp_path / "a.pdf", _encrypted_pdf("")))
    assert [(s.text, s.page) for s in sections] == [("locked text", 1)]


# --- DOCX, ODT, EPUB --------------------------------------------------------------------------


def test_docx_paragraphs_heading_and_table(tmp_path: Path) -> None:
    make_docx(tmp_path / "a.docx", [f"{DOCX_WORD} इतिहास।", "second paragraph", "third"])
    sections = extract(tmp_path / "a.docx")
    assert [s.text for s in sections] == [
        "नेपाली कागजात",
        f"{DOCX_WORD} इतिहास।",
        "second paragraph",
        "third",
        f"तालिका {DOCX_WORD} इतिहास।",
        "तालिका second paragraph",
    ]
    assert DOCX_WORD in sections[1].text.split()
    assert all(s.page is None and s.line is None for s in sections)


def test_docx_merged_cells_are_read_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "merged"
    table.cell(0, 2).text = "single"
    document.save(str(tmp_path / "a.docx"))
    assert [s.text for s in extract(tmp_path / "a.docx")] == ["merged", "single"]


def test_garbage_docx_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "a.docx", random.Random(3).randbytes(1000))
    assert refusal(path) == "broken DOCX: not a zip archive"


def test_zip_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    reason = refusal(write(tmp_path / "a.docx", out.getvalue()))
    assert reason == "broken DOCX: word/document.xml is missing"


def test_odt_headings_and_paragraphs_in_order(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, LineBreak, P, S

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="शीर्षक"))
    paragraph = P(text=f"{DOCX_WORD} कथा")
    paragraph.addElement(S(c=10**9))  # a hostile repeat count must not fill memory
    paragraph.addText("end")
    paragraph.addElement(LineBreak())
    paragraph.addText("next line")
    document.text.addElement(paragraph)
    document.text.addElement(P(text="   "))
    document.save(str(tmp_path / "a.odt"))
    sections = extract(tmp_path / "a.odt")
    assert [s.text.split() for s in sections] == [
        ["शीर्षक"],
        [DOCX_WORD, "कथा", "end", "next", "line"],
    ]
    assert len(sections[1].text) < 200


def test_epub_chapters_follow_the_spine(tmp_path: Path) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("test-book")
    book.set_title("Test")
    book.set_language("ne")
    first = epub.EpubHtml(title="one", file_name="one.xhtml", lang="ne")
    first.content = f"<html><body><h1>पहिलो</h1><p>{DOCX_WORD} कथा</p></body></html>"
    second = epub.EpubHtml(title="two", file_name="two.xhtml", lang="en")
    second.content = "<html><body><p>Second chapter</p><script>hidden()</script></body></html>"
    for item in (first, second, epub.EpubNcx(), epub.EpubNav()):
        book.add_item(item)
    book.spine = [second, first]
    epub.write_epub(str(tmp_path / "a.epub"), book)
    assert [s.text for s in extract(tmp_path / "a.epub")] == [
        "Second chapter",
        "पहिलो",
        f"{DOCX_WORD} कथा",
    ]


@pytest.mark.parametrize("suffix", [".odt", ".epub"])
def test_garbage_archives_are_refused(tmp_path: Path, suffix: str) -> None:
    reason = refusal(write(tmp_path / f"a{suffix}", b"PK\x03\x04 not really a zip"))
    assert reason == f"broken {suffix[1:].upper()}: not a zip archive"


# --- the hostile folder ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile")
    return root, make_hostile_folder(root)


def test_hostile_folder_has_the_promised_files(hostile: tuple[Path, dict[str, str]]) -> None:
    root, expected = hostile
    required = {"english.txt", "nepali.txt", "empty.txt", "random.txt", "data.txt", "fake.pdf"}
    required |= {"truncated.pdf", "broken.docx", "nepali.docx", "utf16.txt", "latin1.txt"}
    required |= {"invalid_utf8.txt", "long_line.txt", "page.html"}
    assert required <= expected.keys()
    assert (root / "long_line.txt").stat().st_size > 1_600_000
    assert b"\n" not in (root / "long_line.txt").read_bytes()


def test_every_hostile_file_meets_its_expectation(hostile: tuple[Path, dict[str, str]]) -> None:
    root, expected = hostile
    outcomes: dict[str, str] = {}
    for name in expected:
        try:
            outcomes[name] = "ok" if extract(root / name) else "empty"
        except ExtractError as exc:
            assert exc.message.strip(), name
            outcomes[name] = "failed"
    assert outcomes == expected


def test_hostile_texts_keep_their_words(hostile: tuple[Path, dict[str, str]]) -> None:
    root, _ = hostile
    words = {
        "english.txt": ENGLISH_WORD,
        "nepali.txt": NEPALI_WORD,
        "nepali.docx": DOCX_WORD,
        "utf16.txt": "नेपालको",
        "latin1.txt": "Zürich.",
        "page.html": "नेपालको",
    }
    for name, word in words.items():
        assert word in all_text(extract(root / name)).split(), name
    assert HTML_SECRET not in all_text(extract(root / "page.html"))
