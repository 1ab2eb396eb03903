"""Images (photos and scans): every frame is a page for OCR.

Reading an image file only opens its header (Pillow decodes lazily): the size is
checked against the pixel cap before any pixel is decoded, so a 30,000 x 30,000
"decompression bomb" is refused in milliseconds, and the frames are counted (a TIFF
holds many). The pixels are decoded later, one frame at a time, in the guarded reader
when the indexer OCRs that page (:func:`page_image`).
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from xlsearch.errors import ExtractError
from xlsearch.extract.common import short_reason
from xlsearch.extract.ocr import NeedsOcr, OcrOptions
from xlsearch.types import Section

if TYPE_CHECKING:
    from PIL import Image

OCR_PIXELS = 25_000_000
"""Larger pages are scaled down before OCR: a 25-megapixel page is an A4 sheet at about
600 dpi, more than Tesseract needs, and the time per page grows with the pixels."""
INK_CONTRAST = 80
"""Grey levels below the paper's (the median) that count as ink."""
BLANK_SHARE = 0.0002
"""A page with less ink than this share of its pixels is blank: a 10-point stamp of a
date on an A4 scan is about 0.07%, the specks of a scanned empty sheet about 0.03%
before filtering and none after."""


def extract_image(data: bytes, options: OcrOptions | None = None) -> list[Section]:
    """Raise NeedsOcr naming every frame of the image; ExtractError if it is not one."""
    options = options or OcrOptions()
    with _opened(data, options) as image:
        frames = min(getattr(image, "n_frames", 1), options.max_pages)
    raise NeedsOcr([], list(range(1, frames + 1)))


def page_image(data: bytes, page: int, options: OcrOptions) -> Image.Image:
    """Frame ``page`` (1-based) decoded as 8-bit grey, scaled down to ``OCR_PIXELS``."""
    with _opened(data, options) as image:
        try:
            image.seek(page - 1)
        except EOFError:
            raise ExtractError(f"the image has no page {page}") from None
        area = image.width * image.height
        if area > OCR_PIXELS:
            # JPEG decodes at 1/2, 1/4 or 1/8 scale directly, far cheaper than full size.
            scale = (OCR_PIXELS / area) ** 0.5
            image.draft("L", (int(image.width * scale), int(image.height * scale)))
        grey = _grey(image)
    if grey.width * grey.height > OCR_PIXELS:
        scale = (OCR_PIXELS / (grey.width * grey.height)) ** 0.5
        grey = grey.resize((int(grey.width * scale), int(grey.height * scale)))
    return grey


def as_is(data: bytes, options: OcrOptions) -> bool:
    """Whether Tesseract can be given the file's own bytes: one frame of a format it
    decodes (PNG, JPEG, BMP) in grey or colour without transparency, within the pixel
    budget. Decoding and re-encoding such a page costs time and changes nothing."""
    with _opened(data, options) as image:
        return (
            image.format in ("PNG", "JPEG", "BMP")
            and getattr(image, "n_frames", 1) == 1
            and image.mode in ("1", "L", "RGB")
            and "transparency" not in image.info
            and image.width * image.height <= OCR_PIXELS
        )


def _grey(image: Image.Image) -> Image.Image:
    from PIL import Image as PILImage

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels count as white paper, not as black.
        rgba = image.convert("RGBA")
        white = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        return PILImage.alpha_composite(white, rgba).convert("L")
    return image.convert("L")


def is_blank(image: Image.Image) -> bool:
    """Whether a grey page holds nothing to read: fewer than ``BLANK_SHARE`` of its
    pixels are clearly darker than the paper, once single-pixel specks (dust, scanner
    noise) are filtered out. A page with one short line of text is not blank."""
    from PIL import ImageFilter

    small = image.copy()
    small.thumbnail((1200, 1200))
    small = small.filter(ImageFilter.MedianFilter(3))
    histogram = small.histogram()
    total = sum(histogram)
    paper = _percentile(histogram, total * 0.5)
    dark = sum(histogram[: max(paper - INK_CONTRAST, 0)])
    return dark < total * BLANK_SHARE


def _percentile(histogram: list[int], rank: float) -> int:
    seen = 0
    for level, count in enumerate(histogram):
        seen += count
        if seen >= rank:
            return level
    return 255


def to_png(image: Image.Image) -> bytes:
    """``image`` as PNG bytes (what Tesseract is given)."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


class _opened:
    """``with _opened(data, options) as image``: Pillow's lazy open, size-checked."""

    def __init__(self, data: bytes, options: OcrOptions) -> None:
        self.data = data
        self.options = options
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        from PIL import Image as PILImage

        # Pillow's own bomb check, at our cap: it raises past twice MAX_IMAGE_PIXELS.
        PILImage.MAX_IMAGE_PIXELS = self.options.max_pixels
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                self.image = PILImage.open(io.BytesIO(self.data))
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise ExtractError(self._too_large()) from None
        except Exception as exc:
            raise ExtractError(f"not a readable image ({short_reason(exc)})") from exc
        if self.image.width * self.image.height > self.options.max_pixels:
            raise ExtractError(self._too_large(self.image.width, self.image.height))
        return self.image

    def _too_large(self, width: int = 0, height: int = 0) -> str:
        size = f" ({width:,} x {height:,})" if width else ""
        cap = self.options.max_pixels / 1e6
        return f"image is larger than {cap:g} megapixels{size}, so it was not read"

    def __exit__(self, *_: object) -> None:
        if self.image is not None:
            self.image.close()
