"""Tests of the office formats beyond text and PDF: sheets, CSV, .doc, RTF, slides, mail, zip.

Fixtures are made here with libraries that can write each format (XlsxWriter, which
python-pptx brings; odfpy; python-pptx; the standard library; RTF by hand). The legacy
binary formats (.doc, .xls, .ppt) are tiny committed files made by LibreOffice with
``tests/data/formats/make_fixtures.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.corpora.office import write_ods
from xlsearch.errors import ExtractError
from xlsearch.extract import extract, file_type
from xlsearch.types import Section

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "formats"
NEPALI = "नेपालको राजधानी काठमाडौं हो।"
ENGLISH = "The lighthouse keeper counts ships."
PREETI = "g]kfnsf] /fhwfgL sf7df8f}+ xf] ."
PREETI_AS_UNICODE = "नेपालको राजधानी"


def places(sections: list[Section]) -> dict[str, str]:
    """where -> text of every section."""
    return {str(s.where): s.text for s in sections}


def refusal(path: Path) -> str:
    with pytest.raises(ExtractError) as info:
        extract(path)
    return info.value.message


# --- sheets ------------------------------------------------------------------------------
def _xlsx(path: Path) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    patients = book.add_worksheet("Patients")
    patients.write_row(1, 0, ["जिल्ला", "बिरामी", "Note"])  # the table starts on row 2
    patients.write_row(2, 0, ["धादिङ", 12, ENGLISH])
    patients.write_row(3, 0, ["Kathmandu", 7.5, NEPALI])
    numbers = book.add_worksheet("Numbers")
    numbers.write_row(0, 0, [1, 2, 3])
    book.close()
    return path


def test_xlsx_rows_carry_their_header_and_sheet_row(tmp_path: Path) -> None:
    got = places(extract(_xlsx(tmp_path / "clinic.xlsx")))
    assert got == {
        "sheet Patients, row 2": "जिल्ला, बिरामी, Note",
        "sheet Patients, row 3": f"जिल्ला: धादिङ, बिरामी: 12, Note: {ENGLISH}",
        "sheet Patients, row 4": f"जिल्ला: Kathmandu, बिरामी: 7.5, Note: {NEPALI}",
        "sheet Numbers, row 1": "1, 2, 3",
    }


def test_xls_made_by_libreoffice() -> None:
    got = places(extract(FIXTURES / "table.xls"))
    assert got["sheet table, row 2"] == "जिल्ला: धादिङ, बिरामी: 12, Note: lighthouse keeper"
    assert got["sheet table, row 3"] == "जिल्ला: Kathmandu, बिरामी: 7, Note: नेपालको राजधानी"


def _ods(path: Path, rows: list[list[str]]) -> Path:
    return write_ods(path, "बिरामी", rows)


def test_ods_rows(tmp_path: Path) -> None:
    path = _ods(tmp_path / "a.ods", [["जिल्ला", "Note"], ["धादिङ", ENGLISH]])
    assert places(extract(path))["sheet बिरामी, row 2"] == f"जिल्ला: धादिङ, Note: {ENGLISH}"


def test_a_huge_sheet_is_read_to_the_row_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xlsearch.extract.rows as rows

    monkeypatch.setattr(rows, "MAX_ROWS", 50)
    monkeypatch.setattr("xlsearch.extract.sheets.MAX_ROWS", 50)
    sections = extract(_ods(tmp_path / "big.ods", [["n"], *([[f"row{i}"] for i in range(200)])]))
    assert len(sections) == 50
    assert sections[-1].where == "sheet बिरामी, row 50"


def test_garbage_and_locked_workbooks_get_a_reason(tmp_path: Path) -> None:
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook at all")
    assert refusal(tmp_path / "junk.xlsx") == "broken XLSX: not a zip archive"
    (tmp_path / "junk.xls").write_bytes(b"not a workbook at all")
    assert "not an Excel 97-2003 file" in refusal(tmp_path / "junk.xls")


# --- csv ---------------------------------------------------------------------------------
def test_csv_rows_with_header_in_any_encoding(tmp_path: Path) -> None:
    text = f"जिल्ला;बिरामी\nधादिङ;12\n\n{ENGLISH};3\n"
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())  # Excel's UTF-8 with a BOM, semicolons
    assert places(extract(path)) == {
        "row 1": "जिल्ला, बिरामी",
        "row 2": "जिल्ला: धादिङ, बिरामी: 12",
        "row 4": f"जिल्ला: {ENGLISH}, बिरामी: 3",
    }
    latin = tmp_path / "b.tsv"
    latin.write_bytes("Ort\tNote\nZürich\tcafé au lait\n".encode("latin-1"))
    assert places(extract(latin))["row 2"] == "Ort: Zürich, Note: café au lait"


def test_csv_with_a_quoted_multiline_cell(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('name,note\n"Ram","line one\nline two, still the note"\n', encoding="utf-8")
    assert places(extract(path))["row 2"] == "name: Ram, note: line one line two, still the note"


# --- .doc --------------------------------------------------------------------------------
needs_antiword = pytest.mark.skipif(shutil.which("antiword") is None, reason="needs antiword")


@needs_antiword
def test_doc_by_antiword() -> None:
    texts = [s.text for s in extract(FIXTURES / "words.doc")]
    assert texts[:2] == [NEPALI, ENGLISH]


@needs_antiword
def test_preeti_doc_is_converted() -> None:
    sections = extract(FIXTURES / "preeti.doc")
    assert PREETI_AS_UNICODE in sections[0].text
    assert sections[0].converted_from == "Preeti"


@pytest.mark.skipif(shutil.which("catdoc") is None, reason="needs catdoc")
def test_doc_falls_back_to_catdoc(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "antiword" else real(name))
    assert NEPALI.rstrip("।") in " ".join(s.text for s in extract(FIXTURES / "words.doc"))


def test_doc_without_the_programs_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert refusal(FIXTURES / "words.doc") == (
        "install antiword to read this file: sudo apt install antiword"
    )


def test_doc_that_is_rtf_text_or_a_program(tmp_path: Path) -> None:
    (tmp_path / "rtf.doc").write_bytes(rb"{\rtf1\ansi rtfword in a doc\par}")
    assert [s.text for s in extract(tmp_path / "rtf.doc")] == ["rtfword in a doc"]
    (tmp_path / "plain.doc").write_text(f"{NEPALI}\n\n{ENGLISH}\n", encoding="utf-8")
    assert [s.text for s in extract(tmp_path / "plain.doc")] == [NEPALI, ENGLISH]
    (tmp_path / "setup.doc").write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 4)
    assert "program" in refusal(tmp_path / "setup.doc")
    (tmp_path / "noise.doc").write_bytes(bytes(range(256)) * 4)
    assert refusal(tmp_path / "noise.doc") == "not a Word document (unrecognised binary data)"


@needs_antiword
def test_encrypted_doc(tmp_path: Path) -> None:
    assert "password-protected" in refusal(encrypted_doc(tmp_path / "locked.doc"))


def encrypted_doc(path: Path) -> Path:
    """words.doc with the FIB's fEncrypted bit set, as Word sets it for a password."""
    data = bytearray((FIXTURES / "words.doc").read_bytes())
    at = data.find(b"\xec\xa5", 512)
    data[at + 11] |= 0x01
    path.write_bytes(bytes(data))
    return path


# --- rtf ---------------------------------------------------------------------------------
RTF = (
    rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss{\*\panose 020b}Arial;}"
    rb"{\f1\fnil\fcharset0 Preeti;}}{\*\generator Writer;}{\header headerword\par}"
    rb"\f0 Hello \u2344?\u2375?\u2346?\u2366?\u2354? caf\'e9\par"
    rb"{\f1 g]kfnsf] /fhwfgL}\par English \b bold\b0  end.\par}"
)


def test_rtf_unicode_escapes_codepage_and_preeti_runs(tmp_path: Path) -> None:
    (tmp_path / "a.rtf").write_bytes(RTF)
    sections = extract(tmp_path / "a.rtf")
    assert [(s.text, s.converted_from) for s in sections] == [
        ("Hello नेपाल café", None),
        (PREETI_AS_UNICODE, "Preeti"),
        ("English bold end.", None),
    ]


def test_rtf_deep_nesting_and_garbage(tmp_path: Path) -> None:
    (tmp_path / "deep.rtf").write_bytes(rb"{\rtf1 " + b"{" * 100_000 + b"deepword" + b"}" * 100_000)
    assert [s.text for s in extract(tmp_path / "deep.rtf")] == ["deepword"]
    (tmp_path / "fake.rtf").write_bytes(b"just text")
    assert "does not start with" in refusal(tmp_path / "fake.rtf")


def test_new_suffixes_are_registered() -> None:
    for suffix in (".xlsx", ".xls", ".ods", ".csv", ".tsv", ".doc", ".rtf"):
        assert file_type(Path(f"x{suffix.upper()}"))


# --- slides ------------------------------------------------------------------------------
def _pptx(path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])
    assert first.shapes.title is not None
    first.shapes.title.text = NEPALI
    table = first.shapes.add_table(1, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
    table.cell(0, 0).text = "tablecellword"
    notes = first.notes_slide.notes_text_frame
    assert notes is not None
    notes.text = "speaker notes in English"
    second = deck.slides.add_slide(deck.slide_layouts[5])
    assert second.shapes.title is not None
    second.shapes.title.text = ENGLISH
    box = second.shapes.add_textbox(Inches(1), Inches(2), Inches(4), Inches(1))
    box.text_frame.text = "वक्ताको टिप्पणी"
    deck.save(str(path))
    return path


def test_pptx_slides_with_notes_and_tables(tmp_path: Path) -> None:
    got = [(s.where, s.text) for s in extract(_pptx(tmp_path / "deck.pptx"))]
    assert got == [
        ("slide 1", NEPALI),
        ("slide 1", "tablecellword"),
        ("slide 1", "speaker notes in English"),
        ("slide 2", ENGLISH),
        ("slide 2", "वक्ताको टिप्पणी"),
    ]


def test_ppt_made_by_libreoffice() -> None:
    got = [(s.where, s.text) for s in extract(FIXTURES / "slides.ppt")]
    assert got == [
        ("slide 1", NEPALI),
        ("slide 1", "speaker notes in English"),
        ("slide 2", ENGLISH),
        ("slide 2", "वक्ताको टिप्पणी"),
    ]


def _odp(path: Path) -> Path:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.presentation import Notes
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    deck = OpenDocumentPresentation()
    layout = PageLayout(name="layout")
    deck.automaticstyles.addElement(layout)
    master = MasterPage(name="master", pagelayoutname=layout)
    deck.masterstyles.addElement(master)
    for title, note in ((NEPALI, "notes one"), (ENGLISH, "टिप्पणी दुई")):
        page = Page(masterpagename=master)
        for holder in (page, Notes()):
            frame, box = Frame(width="9cm", height="2cm", x="1cm", y="1cm"), TextBox()
            box.addElement(P(text=title if holder is page else note))
            frame.addElement(box)
            holder.addElement(frame)
            if holder is not page:
                page.addElement(holder)
        deck.presentation.addElement(page)
    deck.save(str(path))
    return path


def test_odp_pages_with_notes(tmp_path: Path) -> None:
    got = [(s.where, s.text) for s in extract(_odp(tmp_path / "deck.odp"))]
    assert got == [
        ("slide 1", NEPALI),
        ("slide 1", "notes one"),
        ("slide 2", ENGLISH),
        ("slide 2", "टिप्पणी दुई"),
    ]


def test_broken_decks_get_a_reason(tmp_path: Path) -> None:
    (tmp_path / "junk.pptx").write_bytes(b"PK\x03\x04 truncated")
    assert refusal(tmp_path / "junk.pptx").startswith("broken PPTX")
    (tmp_path / "junk.ppt").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert refusal(tmp_path / "junk.ppt").startswith("broken PPT")


# --- mail --------------------------------------------------------------------------------
def _mail(subject: str, body: str, attachments: dict[str, bytes], html: bool = False) -> bytes:
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "राम शर्मा <ram@example.org>"
    message["To"] = "sita@example.org"
    message["Date"] = "Sun, 06 Dec 2026 10:00:00 +0545"
    if html:
        message.set_content("<html><body><p>" + body + "</p><script>x()</script></body></html>",
                            subtype="html")  # fmt: skip
    else:
        message.set_content(body)
    for name, data in attachments.items():
        maintype, subtype = ("text", "plain") if name.endswith(".txt") else ("application", "zip")
        if maintype == "text":
            message.add_attachment(data.decode(), subtype=subtype, filename=name)
        else:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_eml_headers_body_and_attachments(tmp_path: Path) -> None:
    raw = _mail("खोप अभियान", ENGLISH, {"टिप्पणी.txt": f"{NEPALI}\n".encode()})
    (tmp_path / "a.eml").write_bytes(raw)
    got = [(s.where, s.text) for s in extract(tmp_path / "a.eml")]
    assert got[0][1].splitlines() == [
        "Subject: खोप अभियान",
        "From: राम शर्मा <ram@example.org>",
        "To: sita@example.org",
        "Date: Sun, 06 Dec 2026 10:00:00 +0545",
    ]
    assert got[1:] == [(None, ENGLISH), ("attachment टिप्पणी.txt › line 1", NEPALI)]


def test_html_only_mail_reads_visible_text(tmp_path: Path) -> None:
    (tmp_path / "h.eml").write_bytes(_mail("html", "htmlbodyword", {}, html=True))
    texts = [s.text for s in extract(tmp_path / "h.eml")]
    assert "htmlbodyword" in texts
    assert not any("x()" in t for t in texts)


def test_mbox_messages_and_their_attachments(tmp_path: Path) -> None:
    first = _mail("one", "firstbodyword", {})
    second = _mail("two", "secondbodyword", {"notes.txt": b"attachedword\n"})
    mbox = b"".join(b"From sender@example.org Sun Dec  6 10:00:00 2026\n" + m + b"\n"
                    for m in (first, second))  # fmt: skip
    (tmp_path / "box.mbox").write_bytes(mbox)
    got = {s.text: s.where for s in extract(tmp_path / "box.mbox")}
    assert got["firstbodyword"] == "message 1 › line 1"
    assert got["secondbodyword"] == "message 2 › line 1"
    assert got["attachedword"] == "message 2 › attachment notes.txt › line 1"


# --- zip ---------------------------------------------------------------------------------
def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_zip_members_are_read_with_their_places(tmp_path: Path) -> None:
    rtf = rb"{\rtf1\ansi rtfmemberword\par}"
    inner = _zip({"deep/नोट.txt": f"{NEPALI}\n".encode()})
    (tmp_path / "a.zip").write_bytes(
        _zip({"x.rtf": rtf, "inner.zip": inner, "tool.exe": b"MZ", ".hidden.txt": b"hiddenword"})
    )
    got = {s.text: s.where for s in extract(tmp_path / "a.zip")}
    assert got == {"rtfmemberword": "x.rtf", NEPALI: "inner.zip › deep/नोट.txt › line 1"}


def test_zip_nesting_stops_at_the_depth_limit(tmp_path: Path) -> None:
    data = _zip({"level4.txt": b"levelfourword\n"})
    for level in (3, 2):
        data = _zip(
            {f"level{level}.txt": f"level{level}word\n".encode(), f"z{level + 1}.zip": data}
        )
    (tmp_path / "nest.zip").write_bytes(data)
    texts = {s.text for s in extract(tmp_path / "nest.zip")}
    assert texts == {"level2word", "level3word"}


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bomb.zip").write_bytes(_zip({"a.txt": b"a" * (40 * 1024 * 1024)}))
    assert "zip bomb" in refusal(tmp_path / "bomb.zip")


# --- places of chunks that span several rows, slides or messages ---------------------------
@pytest.mark.parametrize(
    ("first", "last", "joined"),
    [
        ("sheet P, row 2", "sheet P, row 5", "sheet P, rows 2–5"),
        ("slide 1", "slide 2", "slides 1–2"),
        ("message 1", "message 2 › line 1", "messages 1–2"),
        ("a.zip › x.txt › line 1", "a.zip › x.txt › line 9", "a.zip › x.txt › lines 1–9"),
        ("sheet A, row 9", "sheet B, row 2", "sheet A, row 9"),
        ("one.txt › line 1", "two.txt › line 1", "one.txt › line 1"),
        ("row 3", "row 3", "row 3"),
    ],
)
def test_span_places(first: str, last: str, joined: str) -> None:
    from xlsearch.types import span_places

    assert span_places(first, last) == joined


def test_rows_chunked_together_say_which_rows(tmp_path: Path) -> None:
    from xlsearch.chunk.sections import chunk_sections

    rows = [Section(text=f"जिल्ला: धादिङ, बिरामी: {n}", where=f"row {n}") for n in range(1, 5)]
    (chunk,) = chunk_sections(rows, target=200)
    assert chunk.where == "rows 1–4"


def test_long_rows_are_chunked_apart_short_rows_together() -> None:
    from xlsearch.chunk.sections import chunk_sections, record

    long = " ".join(["नेपालको राजधानी काठमाडौं हो।"] * 12)  # over half a chunk each
    rows = [Section(text=f"{n} {long}", where=f"row {n}") for n in (1, 2, 3)]
    chunks = chunk_sections(rows, target=200)
    assert [c.where for c in chunks] == ["row 1", "row 2", "row 3"]
    assert all(c.text.startswith(f"{n} ") for n, c in zip((1, 2, 3), chunks, strict=True))
    short = [Section(text=f"बिरामी: {n}", where=f"row {n}") for n in range(1, 6)]
    assert [c.where for c in chunk_sections(short, target=200)] == ["rows 1–5"]
    assert record("a.zip › b.txt › line 3") == "a.zip › b.txt"
    assert record("message 2 › attachment x.pdf › page 2") == "message 2 › attachment x.pdf"
    assert record("sheet S, row 4") == "sheet S, row 4"
