"""Which Tesseract settings read Nepali scans best: languages, page segmentation, dpi.

Renders a few passages of the built-in benchmark (assets/benchmark/corpus.jsonl) as
scanned pages (slight tilt, blur, speckles) in each installed Devanagari font, reads
them with each combination and prints the character error rate (CER) and seconds per
page. Run: ``python benchmarks/ocr_settings.py [--passages N]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for benchmarks.corpora

from benchmarks.corpora.scans import cer, fonts, png, render_page, scanned
from xlsearch.extract.ocr import OcrOptions, installed_languages, recognise

CORPUS = Path(__file__).resolve().parents[1] / "assets" / "benchmark" / "corpus.jsonl"


def passages(lang: str, count: int) -> list[str]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    return [r["text"] for r in rows if r["lang"] == lang][:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=3)
    args = parser.parse_args()
    have = installed_languages()
    languages = ["nep+eng", "nep"] + (["Devanagari+eng"] if "Devanagari" in have else [])
    cases = []
    for lang in ("ne", "en"):
        for font in fonts(lang == "ne"):
            for dpi in (200, 300):
                for i, text in enumerate(passages(lang, args.passages)):
                    image = png(scanned(render_page(text, font, dpi), seed=i))
                    cases.append((lang, font.stem, dpi, text, image))
    rows = []
    for language, psm in itertools.product(languages, (3, 4, 6)):

        def read(
            case: tuple[str, str, int, str, bytes], language: str = language, psm: int = psm
        ) -> tuple[float, float]:
            _, _, dpi, text, image = case
            started = time.monotonic()
            got = recognise(image, OcrOptions(languages=language, dpi=dpi, psm=psm))
            return cer(text, got.text), time.monotonic() - started

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(read, cases))
        for key in sorted({(c[0], c[2]) for c in cases}):
            picked = [r for c, r in zip(cases, results, strict=True) if (c[0], c[2]) == key]
            mean_cer = sum(r[0] for r in picked) / len(picked)
            secs = sum(r[1] for r in picked) / len(picked)
            rows.append((language, psm, key[0], key[1], mean_cer, secs))
            line = f"{language:15} psm {psm}  {key[0]} {key[1]} dpi  CER {mean_cer:.3f}"
            print(f"{line}  {secs:.2f} s/page", flush=True)


if __name__ == "__main__":
    main()
