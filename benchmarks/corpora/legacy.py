"""The legacy-font detector's measuring sets: texts it must leave alone, and Preeti it must find.

Negatives (Latin-script text that is not legacy-encoded Nepali): the demo corpus's Latin
paragraphs, the built-in English passages, this project's own source code in blocks, the
hand-written romanized Nepali sentences in benchmarks/corpora/data, random Latin letters and
words (seeded), URLs, and CSV/TSV/JSON lines from the built-in benchmark. Positives: the
built-in Nepali passages encoded in Preeti by npttf2utf's Unicode-to-Preeti mapper.
The test and benchmarks/legacy_fonts.py both measure on exactly these sets.
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

from xlsearch.extract import extract, is_supported
from xlsearch.extract.legacy import to_preeti
from xlsearch.extract.ocr import NeedsOcr

REPO = Path(__file__).resolve().parents[2]
BUILTIN = REPO / "assets" / "benchmark"
DEMO = REPO / "assets" / "demo"
ROMANIZED = Path(__file__).resolve().parent / "data" / "romanized_nepali.txt"


def builtin_passages(lang: str) -> list[dict[str, str]]:
    """The built-in benchmark's passages in ``lang``."""
    lines = (BUILTIN / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [r for r in rows if r["lang"] == lang]


def _latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) > 0.8 * len(letters)


def demo_paragraphs() -> list[str]:
    """Latin-script paragraphs of the demo corpus (its legacy-font files left out, and
    its scans: they hold text only OCR reads)."""
    found: list[str] = []
    for path in sorted(DEMO.rglob("*")):
        if path.is_file() and is_supported(path) and "preeti" not in path.name:
            try:
                texts = [s.text for s in extract(path, detect_legacy=False)]
            except NeedsOcr as scan:
                texts = [s.text for s in scan.sections]
            found.extend(t for t in texts if _latin(t) and len(t) >= 20)
    return found


def code_blocks(limit: int = 80) -> list[str]:
    """Blocks of 12 lines of this project's own Python source."""
    blocks: list[str] = []
    for path in sorted((REPO / "xlsearch").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for start in range(0, len(lines), 12):
            block = "\n".join(lines[start : start + 12]).strip()
            if len(block) >= 80:
                blocks.append(block)
    return blocks[:: max(1, len(blocks) // limit)][:limit]


def romanized_nepali() -> list[str]:
    """Hand-written romanized Nepali sentences, as people type them."""
    lines = ROMANIZED.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


def random_latin(count: int = 40, seed: int = 7) -> list[str]:
    """Random letter strings in word shapes, and random punctuation-laced strings."""
    rng = random.Random(seed)
    texts = []
    for n in range(count):
        alphabet = string.ascii_letters if n % 2 else string.ascii_letters + string.punctuation
        words = ["".join(rng.choices(alphabet, k=rng.randint(2, 9))) for _ in range(25)]
        texts.append(" ".join(words))
    return texts


def machine_lines() -> list[str]:
    """URLs, and CSV/TSV/JSON lines from the built-in benchmark, ten lines a text."""
    rng = random.Random(11)
    hosts = ["example.org", "moha.gov.np", "data.example.com", "github.com", "wiki.example.net"]
    urls = [
        f"https://{rng.choice(hosts)}/{rng.choice(['docs', 'api/v2', 'files', 'news'])}/"
        f"{rng.randint(1, 9999)}?id={rng.randint(1, 99)}&lang={rng.choice(['en', 'ne'])}"
        for _ in range(200)
    ]
    lines = (BUILTIN / "qrels" / "test.tsv").read_text(encoding="utf-8").splitlines()
    queries = (BUILTIN / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    english = [q for q in queries if '"lang": "en"' in q]
    csv = [",".join(line.split("\t")) for line in lines]
    texts: list[str] = []
    for source in (urls, lines, csv, english):
        texts.extend("\n".join(source[i : i + 10]) for i in range(0, min(len(source), 200), 10))
    return texts


def negatives() -> dict[str, list[str]]:
    """Every negative text, by kind."""
    return {
        "demo corpus (Latin paragraphs)": demo_paragraphs(),
        "built-in English passages": [p["text"] for p in builtin_passages("en")],
        "code": code_blocks(),
        "romanized Nepali": romanized_nepali(),
        "random Latin": random_latin(),
        "URLs, CSV, TSV, JSON lines": machine_lines(),
    }


def preeti_passages() -> dict[str, tuple[str, str]]:
    """Built-in Nepali passage id -> (Unicode original, Preeti-encoded copy)."""
    return {p["_id"]: (p["text"], to_preeti(p["text"])) for p in builtin_passages("ne")}
