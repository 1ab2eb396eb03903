"""Made-up scans for OCR tests, the OCR benchmark and the demo corpus.

Text is drawn with Pillow (which needs libraqm for correct Devanagari shaping: the
PyPI wheels bundle it, check ``PIL.features.check('raqm')``) in a real font, then
degraded the way a scanner or a phone camera does: a slight tilt, blur, noise, uneven
light, JPEG compression. ``image_pdf`` wraps page images into a PDF with no text
layer, which is what a scanner writes.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, features

DEVANAGARI_FONTS = [
    Path("/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf"),
    Path("/usr/share/fonts/truetype/Gargi/Gargi.ttf"),
]
LATIN_FONTS = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
]


def shaping() -> bool:
    """Whether Pillow shapes complex scripts (libraqm); without it Devanagari is wrong."""
    return bool(features.check("raqm"))


def fonts(devanagari: bool) -> list[Path]:
    """The installed fonts for a script (Devanagari fonts draw Latin letters too)."""
    found = [p for p in DEVANAGARI_FONTS if p.exists()]
    return found if devanagari else found + [p for p in LATIN_FONTS if p.exists()]


def render_page(
    text: str,
    font: Path,
    dpi: int = 300,
    points: float = 12.0,
    width_in: float = 8.27,
    height_in: float | None = None,
) -> Image.Image:
    """``text`` set in ``font`` at ``points`` on a white page ``width_in`` inches wide,
    as a grayscale image at ``dpi``; the height fits the text unless given."""
    px = round(points * dpi / 72)
    face = ImageFont.truetype(str(font), px, layout_engine=ImageFont.Layout.RAQM)
    margin = round(0.8 * dpi)
    width = round(width_in * dpi)
    lines = _wrap(text, face, width - 2 * margin)
    step = round(px * 1.6)
    height = round(height_in * dpi) if height_in else 2 * margin + step * len(lines)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * step), line, font=face, fill=0)
    return page


def _wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if line and face.getlength(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def scanned(page: Image.Image, tilt: float = 0.6, blur: float = 0.6, seed: int = 1) -> Image.Image:
    """``page`` as a flatbed scanner returns it: slightly rotated, soft, with speckles."""
    rng = random.Random(seed)
    out = page.rotate(tilt, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(blur))
    pixels = out.load()
    assert pixels is not None
    for _ in range(out.width * out.height // 2000):
        x, y = rng.randrange(out.width), rng.randrange(out.height)
        pixels[x, y] = rng.choice((0, 90, 160))
    return out


def photographed(page: Image.Image, tilt: float = 3.0, blur: float = 1.2) -> Image.Image:
    """``page`` as a phone photo of it: tilted, blurred, on a grey table, lit unevenly."""
    rgb = page.convert("RGB")
    rgb = rgb.rotate(
        tilt, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(120, 115, 105)
    )
    rgb = rgb.filter(ImageFilter.GaussianBlur(blur))
    light = Image.linear_gradient("L").resize(rgb.size).point(lambda v: 175 + v * 80 // 255)
    shade = Image.merge("RGB", (light, light, light.point(lambda v: v * 95 // 100)))
    return ImageChops.multiply(rgb, shade)


def jpeg(image: Image.Image, quality: int = 60) -> bytes:
    """``image`` as JPEG bytes."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def png(image: Image.Image) -> bytes:
    """``image`` as PNG bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def image_pdf(pages: Sequence[Image.Image], dpi: int = 300, quality: int = 50) -> bytes:
    """A PDF with one image per page and no text layer, as a scanner writes one."""
    buffer = io.BytesIO()
    first, *rest = [p.convert("L") for p in pages]
    first.save(
        buffer, "PDF", resolution=float(dpi), save_all=True, append_images=rest, quality=quality
    )
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels but that holds almost no
    data: a decompression bomb's shape without its size."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)


def cer(truth: str, read: str) -> float:
    """Character error rate: edit distance over the truth's length, whitespace folded."""
    a, b = " ".join(truth.split()), " ".join(read.split())
    if not a:
        return 0.0 if not b else 1.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] / len(a)
