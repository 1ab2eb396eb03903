"""OCR pieces that need no Tesseract: the per-page decision, images, pixel caps, TSV."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from benchmarks.corpora.hostile import make_pdf
from benchmarks.corpora.scans import fonts, image_pdf, png, png_claiming, render_page, scanned
from xlsearch.errors import ExtractError
from xlsearch.extract import extract
from xlsearch.extract.image import extract_image, is_blank, page_image
from xlsearch.extract.ocr import NeedsOcr, OcrOptions, parse_tsv, settings_key
from xlsearch.extract.pdf import broken_share, needs_ocr
from xlsearch.extract.pdf import page_image as pdf_page_image

TEXT = "The district office keeps every land record on paper in the archive room. " * 3


def test_tsv_rebuilds_lines_and_paragraphs_and_averages_word_confidence() -> None:
    names = "level page_num block_num par_num line_num word_num left top width height conf text"
    head = names.replace(" ", "\t")
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t9\t9\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t90\tनेपाल",
        "5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t80\tसरकार",
        "5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t70\tnotice",
        "5\t1\t2\t1\t1\t1\t0\t0\t9\t9\t60\tend",
        "5\t1\t2\t1\t1\t2\t0\t0\t9\t9\t-1\t ",
    ]
    text, confidence = parse_tsv("\n".join([head, *rows]))
    assert text == "नेपाल सरकार\nnotice\n\nend"
    assert confidence == pytest.approx((90 + 80 + 70 + 60) / 4)


def test_tsv_without_words_has_no_confidence() -> None:
    assert parse_tsv("level\tpage_num\n1\t1\t0\t0\t0\t0\t0\t0\t9\t9\t-1\t") == ("", None)


@pytest.mark.parametrize(
    ("text", "has_image", "expected"),
    [
        (TEXT, True, False),  # a page of real text over a logo: the text layer is kept
        (TEXT, False, False),
        ("", True, True),  # a scanned page: an image, no text
        ("Scanned 2024-05-01", True, True),  # a scanner's stamp on a scan
        ("", False, False),  # an empty page: nothing to read
        ("(cid:12)(cid:40)(cid:7) (cid:3)(cid:99)" * 5, False, True),  # unmapped glyphs
        ("\ufffd\ufffd\ufffd words" * 10, False, True),
        ("\ue001\ue002\ue003\ue004 ok" * 10, False, True),  # private-use glyphs
        (TEXT + "\ue001", False, False),  # one symbol-font bullet is fine
    ],
)
def test_per_page_decision(text: str, has_image: bool, expected: bool) -> None:
    assert needs_ocr(text, has_image) is expected


def test_broken_share_counts_cid_placeholders_per_letter() -> None:
    assert broken_share("(cid:12)") == 1.0
    assert broken_share("abcd") == 0.0
    assert broken_share("ab\ufffd\ufffd") == 0.5


def _scan_page(text: str = "") -> Image.Image:
    font = fonts(devanagari=False)[0]
    return render_page(text or "x", font, dpi=100, width_in=4, height_in=3)


def _merged_pdf(tmp_path: Path) -> Path:
    """Page 1 text, page 2 a scan, page 3 a scan with a stamp, page 4 (cid:) glyphs."""
    from pypdf import PdfReader, PdfWriter

    text = PdfReader(io.BytesIO(make_pdf([TEXT, "Stamp 12", "(cid:3)(cid:4)(cid:5)" * 9])))
    blank = Image.new("L", (400, 300), 255)
    scans = PdfReader(io.BytesIO(image_pdf([_scan_page("hello"), blank], dpi=100)))
    writer = PdfWriter()
    writer.add_page(text.pages[0])
    writer.add_page(scans.pages[0])
    stamped = writer.add_page(scans.pages[1])
    stamped.merge_page(text.pages[1])
    writer.add_page(text.pages[2])
    path = tmp_path / "mixed.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def test_pdf_pages_are_judged_one_by_one(tmp_path: Path) -> None:
    with pytest.raises(NeedsOcr) as caught:
        extract(_merged_pdf(tmp_path))
    assert caught.value.pages == [2, 3, 4]
    assert [s.page for s in caught.value.sections] == [1]
    assert "land record" in caught.value.sections[0].text


def test_text_only_pdf_needs_no_ocr(tmp_path: Path) -> None:
    path = tmp_path / "text.pdf"
    path.write_bytes(make_pdf([TEXT, TEXT]))
    assert [s.page for s in extract(path)] == [1, 2]


def test_pdf_page_is_drawn_at_the_requested_resolution(tmp_path: Path) -> None:
    data = make_pdf([TEXT])  # US letter: 8.5 x 11 in
    image = pdf_page_image(data, 1, OcrOptions(dpi=100))
    assert image.size == (850, 1100)
    assert image.mode == "L"


def test_huge_pdf_page_is_refused_before_drawing() -> None:
    data = make_pdf([TEXT]).replace(b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 14400 14400]")
    with pytest.raises(ExtractError, match="too large to render"):
        pdf_page_image(data, 1, OcrOptions(dpi=300))


def test_image_over_the_pixel_cap_is_refused_from_its_header() -> None:
    with pytest.raises(ExtractError, match="larger than 120 megapixels"):
        extract_image(png_claiming(30_000, 30_000))


def test_pixel_cap_is_a_setting() -> None:
    with pytest.raises(ExtractError, match="larger than 1 megapixels"):
        extract_image(png(Image.new("L", (1200, 1000), 255)), OcrOptions(max_pixels=1_000_000))


def test_a_file_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(ExtractError, match="not a readable image"):
        extract_image(b"this is text saved as photo.jpg\n" * 10)


def test_every_tiff_frame_is_a_page() -> None:
    frames = [Image.new("L", (50, 40), v) for v in (255, 128, 0)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(NeedsOcr) as caught:
        extract_image(buffer.getvalue())
    assert caught.value.pages == [1, 2, 3]
    assert page_image(buffer.getvalue(), 2, OcrOptions()).getpixel((5, 5)) == 128


def test_page_count_is_capped() -> None:
    frames = [Image.new("L", (20, 20), 255) for _ in range(5)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(NeedsOcr) as caught:
        extract_image(buffer.getvalue(), OcrOptions(max_pages=2))
    assert caught.value.pages == [1, 2]


def test_transparent_pixels_read_as_white_paper() -> None:
    clear = Image.new("RGBA", (30, 30), (0, 0, 0, 0))
    assert page_image(png(clear), 1, OcrOptions()).getpixel((1, 1)) == 255


def test_blank_page_is_told_from_a_page_with_text() -> None:
    assert is_blank(Image.new("L", (800, 1000), 250))
    assert is_blank(scanned(Image.new("L", (2480, 3508), 255)))  # specks of dust only
    assert not is_blank(_scan_page(TEXT))
    stamp = render_page("Scanned 2024-05-01", fonts(False)[0], 300, 10, 8.27, 11.69)
    assert not is_blank(scanned(stamp))  # a date stamp alone on an A4 page


def test_large_photo_is_scaled_down_for_ocr() -> None:
    photo = io.BytesIO()
    Image.new("L", (7000, 5000), 200).save(photo, "JPEG")
    image = page_image(photo.getvalue(), 1, OcrOptions())
    assert image.width * image.height <= 25_000_000


def test_settings_key_changes_with_what_changes_the_text() -> None:
    base = settings_key(OcrOptions())
    assert settings_key(OcrOptions()) == base
    for changed in (
        OcrOptions(languages="eng"),
        OcrOptions(dpi=300),
        OcrOptions(psm=6),
        OcrOptions(oem=0),
    ):
        assert settings_key(changed) != base
    assert settings_key(OcrOptions(seconds=5)) == base  # a time limit changes no text
