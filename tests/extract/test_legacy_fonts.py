"""Legacy Nepali fonts: names, conversion, and each format converting exactly its legacy runs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from ebooklib import epub
from odf.opendocument import OpenDocumentText
from odf.style import FontFace, Style, TextProperties
from odf.text import P, Span

from xlsearch.extract import extract
from xlsearch.extract.docx import extract_docx
from xlsearch.extract.epub import extract_epub
from xlsearch.extract.html import font_rules, html_sections
from xlsearch.extract.legacy import convert, convert_runs, document_font, legacy_font, to_preeti
from xlsearch.extract.odt import extract_odt
from xlsearch.extract.pdf import extract_pdf
from xlsearch.types import Section

CAPITAL = "नेपालको राजधानी काठमाडौं हो।"
CAPITAL_PREETI = "g]kfnsf] /fhwfgL sf7df8f}+ xf]."
NOTICE = "डेंगी रोकथामका लागि घर वरपर पानी जम्न नदिनुहोस्।"


@pytest.mark.parametrize(
    ("name", "font"),
    [
        ("Preeti", "Preeti"),
        ("ABCDEF+Preeti", "Preeti"),
        ("preeti-bold", "Preeti"),
        ("'Kantipur'", "Kantipur"),
        ("Sagarmatha Normal", "Sagarmatha"),
        ("PCS NEPALI", "PCS Nepali"),
        ("PCSNepali-Bold", "PCS Nepali"),
        ("FONTASY_HIMALI_TT", "Himali"),
        ("Himali", "Himali"),
        ("Himalaya", None),  # Microsoft's Tibetan font, not a Nepali legacy one
        ("Arial", None),
        ("Mangal", None),
        ("", None),
        (None, None),
    ],
)
def test_legacy_font_names(name: str | None, font: str | None) -> None:
    assert legacy_font(name) == font


def test_preeti_converts_to_unicode_and_back() -> None:
    assert to_preeti(CAPITAL) == CAPITAL_PREETI
    assert convert(CAPITAL_PREETI, "Preeti") == CAPITAL


def test_kantipur_shares_preetis_layout_for_common_words() -> None:
    assert convert("g]kfn", "Kantipur") == "नेपाल"


def test_runs_convert_only_legacy_ones_and_join_split_words() -> None:
    # ि is typed before its consonant (l + s = कि): a run boundary inside the word must not
    # stop the reordering.
    text, font = convert_runs([("ls", "Preeti"), ("tfa", "Preeti"), (" book", None)])
    assert (text, font) == ("किताब book", "Preeti")
    assert convert_runs([("plain", None)]) == ("plain", None)
    # Unicode Devanagari in a run whose Latin font is Preeti is already right.
    assert convert_runs([(CAPITAL, "Preeti")]) == (CAPITAL, None)


def test_document_font_is_the_font_of_most_converted_text() -> None:
    sections = [
        Section("क" * 5, converted_from="Kantipur"),
        Section("ख" * 50, converted_from="Preeti"),
        Section("English"),
    ]
    assert document_font(sections) == "Preeti"
    assert document_font([Section("English")]) is None


# -- DOCX ---------------------------------------------------------------------------------


def _docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_converts_preeti_runs_and_keeps_the_english_run() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run(to_preeti(CAPITAL) + " ").font.name = "Preeti"
    paragraph.add_run("The capital is Kathmandu.").font.name = "Arial"
    document.add_paragraph("An English paragraph; with f]] odd marks / none converted.")
    sections = extract_docx(_docx_bytes(document))
    assert sections[0] == Section(CAPITAL + " The capital is Kathmandu.", converted_from="Preeti")
    assert sections[1].converted_from is None
    assert sections[1].text.startswith("An English paragraph")


def test_docx_font_from_paragraph_style_character_style_defaults_and_theme() -> None:
    document = docx.Document()
    paragraph_style = document.styles.add_style("NepaliBody", 1)
    paragraph_style.font.name = "Kantipur"
    character_style = document.styles.add_style("NepaliWords", 2)
    character_style.font.name = "Preeti"
    document.add_paragraph(to_preeti("जीवनजल"), style="NepaliBody")
    mixed = document.add_paragraph("ORS: ")
    mixed.add_run(to_preeti("जीवनजल")).style = character_style
    sections = extract_docx(_docx_bytes(document))
    assert sections[0] == Section("जीवनजल", converted_from="Kantipur")
    assert sections[1] == Section("ORS: जीवनजल", converted_from="Preeti")

    # The document defaults name a theme font, and the theme says it is Preeti.
    themed = docx.Document()
    themed.add_paragraph(to_preeti(NOTICE))
    defaults = themed.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    fonts.set(qn("w:asciiTheme"), "minorHAnsi")
    for part in themed.part.package.iter_parts():
        if str(part.partname).startswith("/word/theme/"):
            minor = rb'(<a:minorFont>\s*<a:latin typeface=")[^"]*'
            part._blob = re.sub(minor, rb"\1Preeti", part.blob)
    # The Normal style may name its own font; drop it so the defaults decide.
    normal = themed.styles["Normal"].element.find(qn("w:rPr"))
    if normal is not None and normal.find(qn("w:rFonts")) is not None:
        normal.remove(normal.find(qn("w:rFonts")))
    assert extract_docx(_docx_bytes(themed)) == [Section(NOTICE, converted_from="Preeti")]


# -- PDF ----------------------------------------------------------------------------------


def _pdf(lines: list[tuple[str, str]]) -> bytes:
    """A one-page PDF: F1 is Helvetica, F2 is a subset of Preeti; each line one text run."""
    ops = ["BT"]
    for number, (font, text) in enumerate(lines):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"/{font} 12 Tf 1 0 0 1 72 {700 - 20 * number} Tm ({escaped}) Tj")
    content = "\n".join([*ops, "ET"]).encode("cp1252")
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        font.format("Helvetica").encode(),
        font.format("ABCDEF+Preeti").encode(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_converts_runs_in_a_preeti_font_only() -> None:
    data = _pdf([("F1", "Dengue notice"), ("F2", to_preeti(NOTICE)), ("F1", "End.")])
    assert extract_pdf(data) == [
        Section(f"Dengue notice\n{NOTICE}\nEnd.", page=1, converted_from="Preeti")
    ]
    english = _pdf([("F1", "Only English here.")])
    assert extract_pdf(english) == [Section("Only English here.", page=1)]


# -- HTML and EPUB ------------------------------------------------------------------------


def test_html_font_face_inline_style_and_class_rules() -> None:
    markup = (
        "<html><head><title>Notice</title><style>.np { color: red; font-family: 'Preeti', serif }"
        "</style></head><body>"
        f"<p class='np'>{to_preeti(CAPITAL)} <span style='font-family: Arial'>Kathmandu</span></p>"
        f"<p><font face='Kantipur'>{to_preeti('जीवनजल')}</font> is ORS</p>"
        "<p>plain English</p></body></html>"
    )
    assert html_sections(markup) == [
        Section("Notice"),
        Section(f"{CAPITAL} Kathmandu", converted_from="Preeti"),
        Section("जीवनजल is ORS", converted_from="Kantipur"),
        Section("plain English"),
    ]


def test_font_rules_read_simple_selectors_only() -> None:
    rules = font_rules("p.np, .x { font-family: Preeti } div > p { font-family: Kantipur }")
    assert rules == {"p.np": "Preeti", ".x": "Preeti"}


def test_epub_applies_the_books_stylesheet() -> None:
    book = epub.EpubBook()
    book.set_identifier("legacy-test")
    book.set_title("Notice")
    book.set_language("ne")
    style = epub.EpubItem(
        uid="css", file_name="style.css", media_type="text/css", content=b".np{font-family:Preeti}"
    )
    chapter = epub.EpubHtml(title="One", file_name="one.xhtml", lang="ne")
    chapter.content = f"<html><body><p class='np'>{to_preeti(NOTICE)}</p></body></html>"
    chapter.add_item(style)
    book.add_item(style)
    book.add_item(chapter)
    book.spine = [chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    assert Section(NOTICE, converted_from="Preeti") in extract_epub(buffer.getvalue())


# -- ODT ----------------------------------------------------------------------------------


def test_odt_span_and_paragraph_style_fonts() -> None:
    document = OpenDocumentText()
    document.fontfacedecls.addElement(FontFace(name="Preeti1", fontfamily="Preeti"))
    span_style = Style(name="np", family="text")
    span_style.addElement(TextProperties(fontname="Preeti1"))
    document.automaticstyles.addElement(span_style)
    base = Style(name="NepaliBase", family="paragraph")
    base.addElement(TextProperties(fontfamily="Kantipur"))
    document.styles.addElement(base)
    child = Style(name="NepaliPara", family="paragraph", parentstylename="NepaliBase")
    document.styles.addElement(child)
    paragraph = P()
    paragraph.addElement(Span(stylename=span_style, text=to_preeti(CAPITAL)))
    paragraph.addText(" Kathmandu")
    document.text.addElement(paragraph)
    document.text.addElement(P(stylename=child, text=to_preeti("जीवनजल")))
    document.text.addElement(P(text="English only"))
    buffer = io.BytesIO()
    document.save(buffer)
    assert extract_odt(buffer.getvalue()) == [
        Section(f"{CAPITAL} Kathmandu", converted_from="Preeti"),
        Section("जीवनजल", converted_from="Kantipur"),
        Section("English only"),
    ]


# -- plain text and the detection switch ---------------------------------------------------


def test_plain_text_is_converted_by_the_detector_paragraph_by_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    english = "This notice is about dengue prevention in the district."
    path.write_text(f"{to_preeti(NOTICE)}\n\n{english}\n", encoding="utf-8")
    assert extract(path) == [
        Section(NOTICE, line=1, converted_from="Preeti"),
        Section(english, line=3),
    ]
    assert extract(path, detect_legacy=False)[0] == Section(to_preeti(NOTICE), line=1)


def test_named_fonts_convert_even_with_detection_off(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph().add_run(to_preeti(NOTICE)).font.name = "Preeti"
    path = tmp_path / "notice.docx"
    path.write_bytes(_docx_bytes(document))
    assert extract(path, detect_legacy=False) == [Section(NOTICE, converted_from="Preeti")]


def test_preview_header_says_the_text_was_converted() -> None:
    from xlsearch.tui.widgets.preview import location_line
    from xlsearch.types import Hit

    hit = Hit(1, "/d/notice.txt", 1.0, "ne", NOTICE, NOTICE, line=3, converted_from="Preeti")
    assert location_line(hit) == "/d/notice.txt · line 3 · converted from Preeti"
    unicode_hit = Hit(2, "/d/other.txt", 1.0, "ne", NOTICE, NOTICE)
    assert location_line(unicode_hit) == "/d/other.txt"
