"""Search over each office format compared with the same passages as plain text.

Each of the built-in benchmark's 420 passages (Nepali and English) is saved as one file
per format: its title and text as two paragraphs (.txt, .doc, .rtf), a sheet with a
header row and one data row (.xlsx, .xls, .ods, .csv, .tsv), a one-slide deck with
title and body (.pptx, .ppt, .odp), a mail with the title as subject (.eml, .mbox),
and a .zip holding the .txt; two grouped variants put 20 passages in one file, as rows
of one sheet (xlsx-rows) and messages of one mailbox (mbox-many), where a hit counts for
the passages of the rows or messages its place names. Every format's folder is indexed
in a scratch state folder of its own (vectors of identical texts come from one shared
cache) and the built-in questions are asked, hybrid mode; nDCG@10 per question language
is printed with its ratio to the .txt baseline, and saved to
benchmarks/results/formats.txt.
.doc, .xls and .ppt are made by LibreOffice (``soffice``); without it they are
skipped with a note.

    python benchmarks/formats.py [--home DIR] [--formats txt,xlsx,...]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from _common import REPO, builtin_passages

sys.path.insert(0, str(REPO))

from benchmarks.corpora.office import write_ods
from xlsearch import paths
from xlsearch.engine import Engine
from xlsearch.eval.datasets import load_dataset
from xlsearch.eval.metrics import evaluate
from xlsearch.search.options import SearchOptions

RESULTS = REPO / "benchmarks" / "results" / "formats.txt"
Passage = dict[str, str]
Writer = Callable[[Path, list[Passage]], None]


def _each(suffix: str, body: Callable[[Passage], bytes]) -> Writer:
    def write(folder: Path, passages: list[Passage]) -> None:
        for passage in passages:
            (folder / f"{passage['_id']}{suffix}").write_bytes(body(passage))

    return write


def _txt(p: Passage) -> bytes:
    return f"{p['title']}\n\n{p['text']}\n".encode()


def _delimited(delimiter: str) -> Callable[[Passage], bytes]:
    def body(p: Passage) -> bytes:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter).writerows([["title", "text"], [p["title"], p["text"]]])
        return out.getvalue().encode()

    return body


def _rtf(p: Passage) -> bytes:
    def escaped(text: str) -> str:
        out = []
        for char in text:
            code = ord(char)
            if char in "\\{}":
                out.append("\\" + char)
            elif code < 128:
                out.append(char)
            else:
                out.append(f"\\u{code if code < 32768 else code - 65536}?")
        return "".join(out)

    return f"{{\\rtf1\\ansi {escaped(p['title'])}\\par {escaped(p['text'])}\\par}}".encode()


def _mail(p: Passage) -> bytes:
    message = EmailMessage()
    message["Subject"] = p["title"]
    message["From"] = "office@example.org"
    message.set_content(p["text"])
    return message.as_bytes()


def _mbox(p: Passage) -> bytes:
    return b"From office@example.org Sun Dec  6 10:00:00 2026\n" + _mail(p) + b"\n"


def _zip(p: Passage) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{p['_id']}.txt", _txt(p))
    return out.getvalue()


def _xlsx(folder: Path, passages: list[Passage]) -> None:
    import xlsxwriter

    for p in passages:
        book = xlsxwriter.Workbook(str(folder / f"{p['_id']}.xlsx"))
        sheet = book.add_worksheet("passages")
        sheet.write_row(0, 0, ["title", "text"])
        sheet.write_row(1, 0, [p["title"], p["text"]])
        book.close()


def _ods(folder: Path, passages: list[Passage]) -> None:
    for p in passages:
        write_ods(
            folder / f"{p['_id']}.ods", "passages", [["title", "text"], [p["title"], p["text"]]]
        )


def _pptx(folder: Path, passages: list[Passage]) -> None:
    from pptx import Presentation

    for p in passages:
        deck = Presentation()
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        assert slide.shapes.title is not None
        slide.shapes.title.text = p["title"]
        slide.placeholders[1].text = p["text"]
        deck.save(str(folder / f"{p['_id']}.pptx"))


def _odp(folder: Path, passages: list[Passage]) -> None:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    for p in passages:
        deck = OpenDocumentPresentation()
        layout = PageLayout(name="layout")
        deck.automaticstyles.addElement(layout)
        master = MasterPage(name="master", pagelayoutname=layout)
        deck.masterstyles.addElement(master)
        page = Page(masterpagename=master)
        for text in (p["title"], p["text"]):
            frame, box = Frame(width="20cm", height="5cm", x="1cm", y="1cm"), TextBox()
            box.addElement(P(text=text))
            frame.addElement(box)
            page.addElement(frame)
        deck.presentation.addElement(page)
        deck.save(str(folder / f"{p['_id']}.odp"))


def _soffice(target: str, source: Writer, suffix: str, infilter: str | None = None) -> Writer:
    """Write with ``source`` into a side folder, then convert all with LibreOffice."""

    def write(folder: Path, passages: list[Passage]) -> None:
        side = folder.parent / f"{folder.name}-source"
        side.mkdir(exist_ok=True)
        source(side, passages)
        command = ["soffice", "--headless", "--convert-to", target, "--outdir", str(folder)]
        command += [f"--infilter={infilter}"] if infilter else []
        files = sorted(str(f) for f in side.glob(f"*{suffix}"))
        for start in range(0, len(files), 50):
            subprocess.run([*command, *files[start : start + 50]], check=True,
                           capture_output=True, timeout=600)  # fmt: skip

    return write


def _html(p: Passage) -> bytes:
    return (
        f'<html><head><meta charset="utf-8"></head><body><p>{p["title"]}</p>'
        f"<p>{p['text']}</p></body></html>"
    ).encode()


GROUP = 20
"""Passages per file in the grouped variants (xlsx-rows, mbox-many)."""
_NUMBERS = re.compile(r"(?:row|message)s? (\d+)(?:–(\d+))?")


def _groups(passages: list[Passage]) -> dict[str, list[Passage]]:
    """File stem -> the passages it holds, GROUP at a time in corpus order, one language
    per file (the corpus pairs each passage with its translation; a chunk of both would
    flatter the score)."""
    passages = sorted(passages, key=lambda p: p["lang"])  # stable: corpus order within
    return {
        f"group-{start // GROUP:03d}": passages[start : start + GROUP]
        for start in range(0, len(passages), GROUP)
    }


def _xlsx_rows(folder: Path, passages: list[Passage]) -> None:
    import xlsxwriter

    for stem, group in _groups(passages).items():
        book = xlsxwriter.Workbook(str(folder / f"{stem}.xlsx"))
        sheet = book.add_worksheet("passages")
        sheet.write_row(0, 0, ["title", "text"])
        for row, p in enumerate(group, start=1):
            sheet.write_row(row, 0, [p["title"], p["text"]])
        book.close()


def _mbox_many(folder: Path, passages: list[Passage]) -> None:
    for stem, group in _groups(passages).items():
        (folder / f"{stem}.mbox").write_bytes(b"".join(_mbox(p) for p in group))


WRITERS: dict[str, Writer] = {
    "txt": _each(".txt", _txt),
    "csv": _each(".csv", _delimited(",")),
    "tsv": _each(".tsv", _delimited("\t")),
    "xlsx": _xlsx,
    "ods": _ods,
    "rtf": _each(".rtf", _rtf),
    "pptx": _pptx,
    "odp": _odp,
    "eml": _each(".eml", _mail),
    "mbox": _each(".mbox", _mbox),
    "zip": _each(".zip", _zip),
    "doc": _soffice("doc:MS Word 97", _each(".html", _html), ".html"),
    "xls": _soffice("xls", _each(".csv", _delimited(",")), ".csv", "CSV:44,34,76"),
    "ppt": _soffice("ppt", _pptx, ".pptx"),
    "xlsx-rows": _xlsx_rows,
    "mbox-many": _mbox_many,
}
NEEDS_SOFFICE = {"doc", "xls", "ppt"}


def hit_documents(path: str, where: str | None, groups: dict[str, list[Passage]]) -> list[str]:
    """The passage ids a hit stands for: its file's stem, or for a grouped file the
    passages of the rows or messages its place names ("rows 3–4": both)."""
    stem = Path(path).stem
    if stem not in groups:
        return [stem]
    found = _NUMBERS.search(where or "")
    if found is None:
        return []
    first = int(found.group(1))
    last = int(found.group(2) or first)
    offset = 2 if "row" in found.group(0) else 1  # row 1 is the header
    group = groups[stem]
    return [
        group[n - offset]["_id"] for n in range(first, last + 1) if 0 <= n - offset < len(group)
    ]


def ndcg_by_question_language(engine: Engine) -> dict[str, float]:
    """nDCG@10, hybrid, of the built-in questions, per question language (doc = file stem,
    or the passages a grouped file's hit covers)."""
    groups = _groups(builtin_passages())
    (ds,) = load_dataset("builtin")
    engine.embed_queries([q.text for q in ds.queries.values()])  # batched, and cached
    figures: dict[str, float] = {}
    for lang in ("ne", "en"):
        qrels = {q: r for q, r in ds.qrels.items() if ds.queries[q].lang == lang and r}
        run = {}
        for qid in qrels:
            hits = engine.search(
                ds.queries[qid].text, SearchOptions(mode="hybrid", k=100, snippets=False)
            )
            found = (d for h in hits for d in hit_documents(h.path, h.where, groups))
            ranked = list(dict.fromkeys(found))
            run[qid] = {doc: float(len(ranked) - rank) for rank, doc in enumerate(ranked)}
        figures[lang] = evaluate(qrels, run, ["ndcg@10"])["ndcg@10"]
    return figures


def measure(base: Path, kind: str, passages: list[Passage]) -> tuple[dict[str, float], str]:
    folder = base / "corpus" / kind
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    WRITERS[kind](folder, passages)
    made = time.perf_counter() - started
    state = base / f"home-{kind}"
    state.mkdir(parents=True, exist_ok=True)
    paths.share_models(state)
    engine = Engine(home=state, vector_cache=base / "vector-cache.db")
    started = time.perf_counter()
    report = engine.index([folder])
    took = time.perf_counter() - started
    figures = ndcg_by_question_language(engine)
    documents = engine.status().documents
    engine.close()
    note = f"{documents} files indexed, {len(report.issues)} not"
    note += f", made in {made:.0f} s, indexed in {took:.0f} s"
    return figures, note


def run(base: Path, kinds: list[str]) -> list[str]:
    passages = builtin_passages()
    lines = [f"{len(passages)} passages, one a file (20 a file: -rows, -many); nDCG@10 hybrid"]
    results: dict[str, dict[str, float]] = {}
    for kind in kinds:
        if kind in NEEDS_SOFFICE and shutil.which("soffice") is None:
            lines.append(f"{kind:<5} skipped: LibreOffice (soffice) is not installed")
            print(lines[-1], flush=True)
            continue
        results[kind], note = measure(base, kind, passages)
        ne, en = results[kind]["ne"], results[kind]["en"]
        line = f"{kind:<5} ne {ne:.4f}  en {en:.4f}"
        if kind != "txt" and "txt" in results:
            base_ne, base_en = results["txt"]["ne"], results["txt"]["en"]
            line += f"  ratio ne {ne / base_ne:.3f}  en {en / base_en:.3f}"
        lines.append(f"{line}   ({note})")
        print(lines[-1], flush=True)
    others = [k for k in results if k != "txt"]
    if "txt" in results and others:
        mean = sum(results[k]["ne"] + results[k]["en"] for k in others) / (2 * len(others))
        baseline = (results["txt"]["ne"] + results["txt"]["en"]) / 2
        worst = min(others, key=lambda k: results[k]["ne"] + results[k]["en"])
        lines.append(f"overall ratio (mean over {len(others)} formats) {mean / baseline:.3f}; "
                     f"lowest {worst}")  # fmt: skip
        print(lines[-1])
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help="scratch folder (default: temp)")
    parser.add_argument("--formats", default=",".join(WRITERS), help="comma-separated list")
    args = parser.parse_args()
    kinds = ["txt", *(k for k in args.formats.split(",") if k and k != "txt")]
    if args.home is not None:
        lines = run(args.home, kinds)
    else:
        with tempfile.TemporaryDirectory(prefix="xlsearch-formats-") as scratch:
            lines = run(Path(scratch), kinds)
    command = "python benchmarks/formats.py " + " ".join(sys.argv[1:])
    RESULTS.write_text("\n".join([f"$ {command.strip()}", *lines]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
