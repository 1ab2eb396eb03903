"""Legacy-font (Preeti) documents: the detector, the conversion, and search over converted files.

Prints, in one run of a few minutes:

- the detector's false conversions on its negative sets (English prose, code, romanized
  Nepali, random Latin, URLs/CSV lines; built in benchmarks/corpora/legacy.py) and its recall on
  the Preeti-encoded built-in Nepali passages (whole passages and single sentences);
- the character error rate of Unicode -> Preeti -> Unicode round trips on those passages
  (npttf2utf both ways; edits counted from difflib's alignment);
- nDCG@10 (hybrid) of the built-in Nepali and English questions over the 210 Nepali
  passages indexed three ways, each file one passage, each in its own index: Unicode .txt
  (the baseline), Preeti .txt (no font named: the detector must find it), and Preeti .docx
  (runs in font "Preeti"); and each Preeti figure as a ratio of the Unicode one.

    python benchmarks/legacy_fonts.py [--home DIR]
"""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from pathlib import Path

import docx
from _common import REPO, row

sys.path.insert(0, str(REPO))  # for benchmarks.corpora: the sets the test measures too

from benchmarks.corpora.legacy import negatives, preeti_passages
from xlsearch import paths
from xlsearch.engine import Engine
from xlsearch.eval.datasets import load_dataset
from xlsearch.eval.metrics import evaluate
from xlsearch.extract.legacy import convert, looks_legacy, to_preeti
from xlsearch.search.options import SearchOptions
from xlsearch.text import sentences


def detector_figures(passages: dict[str, tuple[str, str]]) -> None:
    sets = negatives()
    wrong = 0
    for kind, texts in sets.items():
        found = sum(looks_legacy(t) for t in texts)
        wrong += found
        row(f"  false conversions: {kind}", f"{found}/{len(texts)}")
    total = sum(len(t) for t in sets.values())
    row("detector false conversions (all negatives)", f"{wrong}/{total}")
    whole = sum(looks_legacy(preeti) for _, preeti in passages.values())
    row(
        "detector recall, Preeti passages", f"{whole}/{len(passages)} = {whole / len(passages):.3f}"
    )
    parts = [s for original, _ in passages.values() for _, s in sentences(original)]

    hits = sum(looks_legacy(to_preeti(s)) for s in parts)
    row(
        "detector recall, single Preeti sentences", f"{hits}/{len(parts)} = {hits / len(parts):.3f}"
    )


def edits(a: str, b: str) -> int:
    """Character edits between ``a`` and ``b`` along difflib's alignment (close to
    Levenshtein when, as here, differences are sparse)."""
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")


def conversion_figures(passages: dict[str, tuple[str, str]]) -> None:
    errors = sum(
        edits(original, convert(preeti, "Preeti")) for original, preeti in passages.values()
    )
    chars = sum(len(original) for original, _ in passages.values())
    row("round-trip character error rate", f"{errors}/{chars} = {errors / chars:.4%}")


def write_folders(base: Path, passages: dict[str, tuple[str, str]]) -> dict[str, Path]:
    folders = {name: base / name for name in ("unicode-txt", "preeti-txt", "preeti-docx")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for doc_id, (original, preeti) in passages.items():
        (folders["unicode-txt"] / f"{doc_id}.txt").write_text(original + "\n", encoding="utf-8")
        (folders["preeti-txt"] / f"{doc_id}.txt").write_text(preeti + "\n", encoding="utf-8")
        document = docx.Document()
        document.add_paragraph().add_run(preeti).font.name = "Preeti"
        document.save(str(folders["preeti-docx"] / f"{doc_id}.docx"))
    return folders


def ndcg_by_question_language(engine: Engine) -> dict[str, float]:
    """nDCG@10, hybrid, of the built-in questions judged on Nepali passages, per language."""
    (ds,) = load_dataset("builtin")
    nepali = {d for d, lang in ds.doc_lang().items() if lang == "ne"}
    figures: dict[str, float] = {}
    for lang in ("ne", "en"):
        qrels = {
            q: {d: g for d, g in r.items() if d in nepali}
            for q, r in ds.qrels.items()
            if ds.queries[q].lang == lang
        }
        qrels = {q: r for q, r in qrels.items() if r}
        run = {}
        for qid in qrels:
            hits = engine.search(
                ds.queries[qid].text, SearchOptions(mode="hybrid", k=100, snippets=False)
            )
            ranked = list(dict.fromkeys(Path(h.path).stem for h in hits))
            run[qid] = {doc: float(len(ranked) - rank) for rank, doc in enumerate(ranked)}
        figures[lang] = evaluate(qrels, run, ["ndcg@10"])["ndcg@10"]
    return figures


def retrieval_figures(home: Path, passages: dict[str, tuple[str, str]]) -> None:
    folders = write_folders(home / "corpus", passages)
    results: dict[str, dict[str, float]] = {}
    for name, folder in folders.items():
        state = home / f"home-{name}"
        state.mkdir(parents=True, exist_ok=True)
        paths.share_models(state)
        engine = Engine(home=state)
        engine.index([folder])
        converted = len(engine.status().converted)
        results[name] = ndcg_by_question_language(engine)
        engine.close()
        row(
            f"nDCG@10 hybrid, {name}",
            f"ne questions {results[name]['ne']:.4f}  en questions {results[name]['en']:.4f}"
            f"  ({converted} of {len(passages)} files converted)",
        )
    base = results["unicode-txt"]
    for name in ("preeti-txt", "preeti-docx"):
        for lang in ("ne", "en"):
            ratio = results[name][lang] / base[lang]
            row(f"ratio {name} / unicode-txt, {lang} questions", f"{ratio:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help="scratch folder (default: temp)")
    args = parser.parse_args()
    passages = preeti_passages()
    detector_figures(passages)
    conversion_figures(passages)
    if args.home is not None:
        retrieval_figures(args.home, passages)
        return
    with tempfile.TemporaryDirectory(prefix="xlsearch-legacy-") as scratch:
        retrieval_figures(Path(scratch), passages)


if __name__ == "__main__":
    main()
