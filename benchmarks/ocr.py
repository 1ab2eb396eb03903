"""OCR: accuracy, speed against Tesseract alone, re-reading cost, and search over scans.

Uses a subset of the built-in benchmark (assets/benchmark): ``--pairs`` English/Nepali
passage pairs spread over its domains (default 15, so 30 passages), each drawn as a
page (title and text) and scanned (tilt, blur, specks) at 200 and 300 dpi in two fonts
per script, plus a phone photo of each (tilted, blurred, unevenly lit JPEG). Prints:

1. character error rate (CER) per script, font and resolution, and for the photos;
2. OCR pages/s of xlsearch (guarded readers, one Tesseract thread each, page cache
   commits) against Tesseract run directly on the same images with the same settings,
   one process per core (target >= 0.9x); and scanned PDFs drawn at 200 and 300 dpi;
3. the cost of indexing a copy of a scanned folder against its first reading (<= 5%);
4. seconds until a text file is found by keyword in a folder with 100 scanned pages
   (<= 5 s);
5. nDCG@10 (hybrid) of the built-in questions on the corpus with the subset's passages
   replaced by their OCR'd scans, against the digital originals (>= 0.9x).

Run: ``python benchmarks/ocr.py [--pairs N]``; about 10-15 minutes on 2 cores.
Results: benchmarks/results/ocr.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for benchmarks.corpora

from benchmarks.corpora.scans import (
    DEVANAGARI_FONTS,
    LATIN_FONTS,
    cer,
    image_pdf,
    jpeg,
    photographed,
    png,
    render_page,
    scanned,
)
from xlsearch.config import Settings
from xlsearch.engine import Engine
from xlsearch.eval.metrics import ndcg
from xlsearch.extract.ocr import OcrOptions, default_languages, settings_key, tesseract_version
from xlsearch.extract.ocr import parse_tsv as tsv_text
from xlsearch.index.scans import Scan, ScanReader, workers
from xlsearch.paths import database_path
from xlsearch.search.options import SearchOptions
from xlsearch.store.db import Store

BENCH = Path(__file__).resolve().parents[1] / "assets" / "benchmark"
RESULTS = Path(__file__).resolve().parent / "results" / "ocr.txt"
LINES: list[str] = []


def script_fonts(lang: str) -> list[Path]:
    """The two fonts each script's pages are drawn in (the first is the main one)."""
    return [p for p in (DEVANAGARI_FONTS if lang == "ne" else LATIN_FONTS) if p.exists()][:2]


def say(line: str = "") -> None:
    print(line, flush=True)
    LINES.append(line)


def load(name: str) -> list[dict[str, str]]:
    return [json.loads(x) for x in (BENCH / name).read_text(encoding="utf-8").splitlines()]


def pick_pairs(corpus: list[dict[str, str]], count: int) -> list[str]:
    """``count`` passage pairs (ids without -en/-ne), spread evenly over the corpus."""
    ids = {d["_id"] for d in corpus}
    stems = sorted({i[:-3] for i in ids if f"{i[:-3]}-en" in ids and f"{i[:-3]}-ne" in ids})
    step = max(len(stems) // count, 1)
    return stems[::step][:count]


def page_text(doc: dict[str, str]) -> str:
    return f"{doc['title']}\n{doc['text']}"


def draw(docs: list[dict[str, str]], out: Path) -> dict[tuple[str, str, int], list[Path]]:
    """Every page variant as PNG/JPEG under ``out``: (script, font, dpi) -> files;
    dpi 0 stands for the phone photos."""
    made: dict[tuple[str, str, int], list[Path]] = {}
    for doc in docs:
        lang = doc["lang"]
        for n, font in enumerate(script_fonts(lang)):
            for dpi in (200, 300):
                page = scanned(render_page(page_text(doc), font, dpi, 11), seed=len(made))
                path = out / f"{font.stem}-{dpi}" / f"{doc['_id']}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(png(page))
                made.setdefault((lang, font.stem, dpi), []).append(path)
            if n == 0:
                photo = photographed(render_page(page_text(doc), font, 200, 11), tilt=2.5)
                path = out / "photo" / f"{doc['_id']}.jpg"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(jpeg(photo, 70))
                made.setdefault((lang, "photo", 0), []).append(path)
    return made


def read_all(paths: list[Path], options: OcrOptions, home: Path) -> tuple[dict[Path, str], float]:
    """OCR ``paths`` through xlsearch's page reader (guarded processes, cache commits);
    returns the text per file and the wall seconds."""
    store = Store(database_path(home))
    scans = [Scan(str(p), f"bench-{p}", [], [1], False) for p in paths]
    texts: dict[Path, str] = {}
    reader = ScanReader(store, options, settings_key(options))
    started = time.monotonic()
    reader.run(scans, lambda s: texts.__setitem__(Path(s.path), s.read[1].text))
    seconds = time.monotonic() - started
    store.close()
    return texts, seconds


def tesseract_alone(paths: list[Path], options: OcrOptions) -> tuple[dict[Path, str], float]:
    """The same pages through ``tesseract FILE stdout ... tsv``, one process per core."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(path: Path) -> str:
        command = ["tesseract", str(path), "stdout", "-l", options.languages, "--oem"]
        command += [str(options.oem), "--psm", str(options.psm), "tsv"]
        out = subprocess.run(command, capture_output=True, env=env, check=True)
        return tsv_text(out.stdout.decode())[0]

    started = time.monotonic()
    with ThreadPoolExecutor(workers()) as pool:
        texts = dict(zip(paths, pool.map(one, paths), strict=True))
    return texts, time.monotonic() - started


def accuracy(made: dict[tuple[str, str, int], list[Path]], truth: dict[str, str], home: Path,
             options: OcrOptions) -> None:  # fmt: skip
    say("== 1. Character error rate (CER), whitespace folded; lower is better")
    all_paths = [p for paths in made.values() for p in paths]
    texts, seconds = read_all(all_paths, options, home)
    say(f"   ({len(all_paths)} pages read in {seconds:.0f} s)")
    for (lang, font, dpi), paths in sorted(made.items()):
        rates = sorted(cer(truth[p.stem], texts[p]) for p in paths)
        label = "phone photo (200 dpi, JPEG)" if dpi == 0 else f"scan {dpi} dpi"
        mean, median = sum(rates) / len(rates), rates[len(rates) // 2]
        say(f"   {lang}  {font:22} {label:28} CER mean {mean:.3f}  median {median:.3f}")


def speed(paths: list[Path], options: OcrOptions, home: Path) -> None:
    say("== 2. OCR pages/s: xlsearch against Tesseract alone (same images, same settings)")
    _, ours = read_all(paths, options, home)
    _, alone = tesseract_alone(paths, options)
    n = len(paths)
    say(f"   {n} pages, {workers()} workers: xlsearch {n / ours:.2f} pages/s ({ours:.1f} s),")
    say(f"   tesseract alone {n / alone:.2f} pages/s ({alone:.1f} s): {alone / ours:.2f}x")


def render_dpi(paths: list[Path], truth: dict[str, str], work: Path) -> None:
    say("== 2b. Scanned PDFs (300 dpi page images) drawn for OCR at 200 and 300 dpi")
    pdfs = []
    for path in paths:
        pdf = work / "pdf" / f"{path.stem}.pdf"
        pdf.parent.mkdir(exist_ok=True)
        with Image.open(path) as page:
            pdf.write_bytes(image_pdf([page], 300))
        pdfs.append(pdf)
    for dpi in (200, 300):
        options = OcrOptions(languages=default_languages(), dpi=dpi)
        scans = [Scan(str(p), f"pdf-{dpi}-{p}", [], [1]) for p in pdfs]
        store = Store(database_path(work / f"home-pdf-{dpi}"))
        texts: dict[str, str] = {}
        started = time.monotonic()
        reader = ScanReader(store, options, settings_key(options))
        reader.run(scans, partial(_keep_text, texts))
        seconds = time.monotonic() - started
        store.close()
        for lang in ("en", "ne"):
            rates = [cer(truth[k], v) for k, v in texts.items() if k.endswith(lang)]
            say(f"   {dpi} dpi  {lang}  CER mean {sum(rates) / len(rates):.3f}")
        say(f"   {dpi} dpi  {len(pdfs) / seconds:.2f} pages/s")


def _keep_text(texts: dict[str, str], scan: Scan) -> None:
    texts[Path(scan.path).stem] = scan.read[1].text


def corpus_folder(corpus: list[dict[str, str]], scans: dict[str, Path], out: Path) -> Path:
    """The whole corpus as .txt files, the scanned subset as the page images instead."""
    out.mkdir(parents=True)
    for doc in corpus:
        if doc["_id"] in scans:
            shutil.copy(scans[doc["_id"]], out / scans[doc["_id"]].name)
        else:
            (out / f"{doc['_id']}.txt").write_text(page_text(doc), encoding="utf-8")
    return out


def retrieval(engine: Engine, queries: list[dict[str, str]], qrels: dict[str, dict[str, float]]
              ) -> dict[str, float]:  # fmt: skip
    """Mean nDCG@10 (hybrid) per query language."""
    engine.embed_queries([q["text"] for q in queries])
    scores: dict[str, list[float]] = {}
    for q in queries:
        run: dict[str, float] = {}
        for hit in engine.search(q["text"], SearchOptions(mode="hybrid", k=30, snippets=False)):
            doc = Path(hit.path).stem
            run.setdefault(doc, hit.score)
        top = dict(sorted(run.items(), key=lambda kv: -kv[1])[:10])
        scores.setdefault(q["lang"], []).append(ndcg(qrels[q["_id"]], top, 10))
    return {lang: sum(v) / len(v) for lang, v in scores.items()}


def first_hit(work: Path, corpus: list[dict[str, str]], cache: Path) -> None:
    say("== 4. Time to the first keyword hit of a text file among 100 scanned pages")
    folder = work / "hundred"
    folder.mkdir()
    font = script_fonts("en")[0]
    for doc in corpus[:100]:
        page = scanned(render_page(page_text(doc), font, 150, 11), seed=3)
        (folder / f"scan-{doc['_id']}.png").write_bytes(png(page))
    # Named to come after the scans in the walk: they are all met (and set aside) first.
    text = "Meeting minutes: the zebrafinch budget was approved.\n"
    (folder / "zebra minutes.txt").write_text(text)
    home = work / "home-hundred"
    engine = Engine(home=home, vector_cache=cache)
    cancel = threading.Event()
    started = time.monotonic()
    job = threading.Thread(target=lambda: engine.index([folder], cancel=cancel), daemon=True)
    job.start()
    found = None
    while found is None and time.monotonic() - started < 120:
        if database_path(home).exists():
            try:
                store = Store(database_path(home))
                hit = store.db.table("chunks_fts").count_where("terms MATCH 'zebrafinch'")
                store.close()
                if hit:
                    found = time.monotonic() - started
            except Exception:  # the store is being created
                pass
        time.sleep(0.05)
    cancel.set()
    job.join()
    engine.close()
    say(f"   found after {found:.2f} s (target <= 5 s); the 100 scanned pages were set aside")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args()
    corpus, queries = load("corpus.jsonl"), load("queries.jsonl")
    qrels: dict[str, dict[str, float]] = {}
    for line in (BENCH / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        qid, doc, score = line.split("\t")
        qrels.setdefault(qid, {})[doc] = float(score)
    stems = pick_pairs(corpus, args.pairs)
    subset = [d for d in corpus if d["_id"][:-3] in stems]
    truth = {d["_id"]: page_text(d) for d in subset}
    options = OcrOptions(languages=default_languages(), dpi=Settings().ocr_dpi)
    say(f"xlsearch OCR benchmark: {len(subset)} passages ({len(stems)} en/ne pairs) of the"
        f" built-in corpus; {tesseract_version()}, languages {options.languages},"
        f" --oem {options.oem} --psm {options.psm}; {workers()} cores")  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="xlsearch-ocr-bench-"))
    try:
        made = draw(subset, work / "pages")
        accuracy(made, truth, work / "home-accuracy", options)
        main_set = [p for (lang, font, dpi), ps in made.items() for p in ps
                    if dpi == 300 and font == script_fonts(lang)[0].stem]  # fmt: skip
        speed(main_set, options, work / "home-speed")
        render_dpi(main_set, truth, work)
        scans = {p.stem: p for p in main_set if p.stem in truth}
        run_search(work, corpus, queries, qrels, scans, set(truth))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    print(f"saved {RESULTS}")


def run_search(work: Path, corpus: list[dict[str, str]], queries: list[dict[str, str]],
               qrels: dict[str, dict[str, float]], scans: dict[str, Path], subset: set[str]
               ) -> None:  # fmt: skip
    cache = work / "vectors.db"
    digital = Engine(home=work / "home-digital", vector_cache=cache)
    digital.index([corpus_folder(corpus, {}, work / "digital")])
    say("== 3. Re-reading a copy of a scanned folder against its first reading")
    folder = corpus_folder(corpus, scans, work / "scanned")
    scanned_engine = Engine(home=work / "home-scanned", vector_cache=cache)
    first = scanned_engine.index([folder])
    copy = work / "scanned copy"
    shutil.copytree(folder, copy)
    again = scanned_engine.index([copy])
    say(f"   first reading {first.seconds:.1f} s ({first.ocr_pages} pages by OCR, all files"
        f" embedded); the copy {again.seconds:.2f} s, {again.ocr_pages} pages by OCR:"
        f" {100 * again.seconds / first.seconds:.1f}% (target <= 5%)")  # fmt: skip
    scanned_engine.forget(copy)
    wanted = [q for q in queries if q["_id"] in qrels and set(qrels[q["_id"]]) <= subset]
    say(f"== 5. nDCG@10 hybrid, {len(wanted)} questions whose answers are all scanned")
    base, ocr = retrieval(digital, wanted, qrels), retrieval(scanned_engine, wanted, qrels)
    for lang in sorted(base):
        say(f"   {lang} questions: digital {base[lang]:.3f}, scanned {ocr[lang]:.3f}:"
            f" {ocr[lang] / base[lang]:.2f}x (target >= 0.9x)")  # fmt: skip
    digital.close()
    scanned_engine.close()
    first_hit(work, corpus, cache)


if __name__ == "__main__":
    main()
