"""Training a query head with the seed method's hybrid batches, on frozen e5 vectors.

The research behind xlsearch (arXiv 2408.10536) fine-tunes the encoder on batches that
hold, with probability alpha = 0.5, monolingual pairs (query and passage in one
language) and otherwise cross-lingual pairs, with an in-batch-negatives contrastive
(InfoNCE) loss. Fine-tuning e5 on a laptop CPU is impractical (about 0.5 pairs/s), so
here the encoder is frozen: every text is embedded once, then only the low-rank query
map of :mod:`xlsearch.search.head` is trained, in seconds.

Pairs come from any evaluation-format dataset (:func:`~xlsearch.eval.datasets.load_dataset`):
a judged (query, passage) pair is cross-lingual when their languages differ and
monolingual otherwise. Parallel text (a TMX translation memory, FLORES-style files) has
only cross-lingual pairs; its monolingual pairs are each segment against itself, read as
a query and as a passage, which teaches the head to keep same-language matching intact
while the cross-lingual batches pull translations together.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from xlsearch.embed.registry import document_embedder, query_embedder
from xlsearch.errors import XlsearchError
from xlsearch.eval.datasets import Dataset, load_dataset
from xlsearch.search.head import Head, check_name, heads_dir

ARMS = ("hybrid", "mono", "cross")
ALPHA = 0.5
"""The hybrid arm's probability of a monolingual batch (the paper's alpha)."""

Pair = tuple[str, str]


@dataclass(frozen=True)
class TrainOptions:
    """How a head is trained; the defaults take about a minute after embedding."""

    arm: str = "hybrid"
    max_pairs: int = 1000
    steps: int = 600
    batch: int = 32
    rank: int = 32
    temperature: float = 0.05
    learning_rate: float = 2e-3
    seed: int = 0


@dataclass(frozen=True)
class TrainReport:
    """What training did: the pairs it used and the loss before and after."""

    folder: Path
    mono_pairs: int
    cross_pairs: int
    loss_before: float
    loss_after: float
    seconds: float


def pairs(ds: Dataset) -> tuple[list[Pair], list[Pair]]:
    """(monolingual, cross-lingual) (query text, passage text) pairs from ``ds``'s qrels;
    with no monolingual pair, each passage against itself (see the module docstring)."""
    mono: list[Pair] = []
    cross: list[Pair] = []
    for qid, qrel in ds.qrels.items():
        query = ds.queries[qid]
        for doc_id, grade in qrel.items():
            doc = ds.docs.get(doc_id)
            if doc is not None and grade > 0:
                (mono if doc.lang == query.lang else cross).append((query.text, doc.text))
    if not mono:
        mono = [(doc.text, doc.text) for doc in ds.docs.values()]
    return mono, cross


def _sample(found: list[Pair], limit: int, seed: int) -> list[Pair]:
    return found if len(found) <= limit else random.Random(seed).sample(found, limit)


def _embed(
    found: list[Pair], model: str, home: Path, progress: Callable[[str], None]
) -> tuple[np.ndarray, np.ndarray]:
    """(query vectors, passage vectors) as search and indexing make them, cached under
    ``<home>/heads/.pairs`` by the texts' hash, so the three arms embed a source once."""
    digest = hashlib.sha256(json.dumps([model, found], ensure_ascii=False).encode()).hexdigest()
    cache = heads_dir(home) / ".pairs" / f"{digest[:24]}.npz"
    if cache.is_file():
        with np.load(cache) as arrays:
            return np.asarray(arrays["queries"]), np.asarray(arrays["passages"])
    progress(f"Embedding {len(found)} queries")
    queries = query_embedder(model, home).encode_queries([q for q, _ in found])
    progress(f"Embedding {len(found)} passages")
    passages = document_embedder(model, home).encode_documents([p for _, p in found])
    q = np.asarray(queries, dtype=np.float32)
    p = np.asarray(passages, dtype=np.float32)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache, queries=q, passages=p)
    return q, p


def train_head(
    name: str,
    source: str,
    home: Path,
    model: str,
    options: TrainOptions = TrainOptions(),
    progress: Callable[[str], None] = lambda _: None,
) -> TrainReport:
    """Train the head ``name`` on the pairs of dataset ``source`` and save it in ``home``."""
    import time

    check_name(name)
    if options.arm not in ARMS:
        raise XlsearchError(f"Unknown arm '{options.arm}'; use one of {', '.join(ARMS)}.")
    started = time.perf_counter()
    datasets = load_dataset(source)
    mono = [p for ds in datasets for p in pairs(ds)[0]]
    cross = [p for ds in datasets for p in pairs(ds)[1]]
    mono = _sample(mono, options.max_pairs, options.seed)
    cross = _sample(cross, options.max_pairs, options.seed)
    # Every arm embeds the same sample of both kinds (cached), then keeps its own kinds.
    q, p = _embed(mono + cross, model, home, progress)
    keep = [i < len(mono) for i in range(len(q))]
    if options.arm == "cross":
        mono, keep = [], [not k for k in keep]
    elif options.arm == "mono":
        cross = []
    else:
        keep = [True] * len(q)
    if len(mono) + len(cross) < options.batch:
        raise XlsearchError(
            f"{source} gives {len(mono) + len(cross)} training pairs for the {options.arm} "
            f"arm; a head needs at least {options.batch}."
        )
    rows = np.flatnonzero(keep)
    progress(f"Training ({options.arm}, {options.steps} steps)")
    down, up, before, after = _fit(q[rows], p[rows], len(mono), options)
    info = {
        "arm": options.arm,
        "alpha": ALPHA if options.arm == "hybrid" else (1.0 if options.arm == "mono" else 0.0),
        "source": source,
        "mono_pairs": len(mono),
        "cross_pairs": len(cross),
        "steps": options.steps,
        "rank": options.rank,
        "temperature": options.temperature,
    }
    folder = Head(down, up, model, info).save(home, name)
    seconds = time.perf_counter() - started
    return TrainReport(folder, len(mono), len(cross), before, after, seconds)


def _fit(
    q: np.ndarray, p: np.ndarray, n_mono: int, options: TrainOptions
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Learn A, B by InfoNCE over in-batch negatives; rows < ``n_mono`` are monolingual.

    Each step draws one batch from one kind of pair: monolingual with probability
    ALPHA in the hybrid arm (the other arms have one kind only). Returns A, B and the
    mean loss of the first and the last 50 steps (a quarter of them, when fewer).
    """
    import torch

    torch.manual_seed(options.seed)
    torch.set_num_threads(1)  # small matrices: more threads only contend
    rng = random.Random(options.seed)
    queries, passages = torch.from_numpy(q), torch.from_numpy(p)
    kinds = [list(range(n_mono)), list(range(n_mono, len(q)))]
    kinds = [rows for rows in kinds if len(rows) >= 2]
    dim = q.shape[1]
    down = torch.nn.Parameter(torch.randn(dim, options.rank) * 0.01)
    up = torch.nn.Parameter(torch.zeros(dim, options.rank))
    optimiser = torch.optim.Adam([down, up], lr=options.learning_rate, weight_decay=1e-4)
    losses: list[float] = []
    for _ in range(options.steps):
        pool = kinds[0] if len(kinds) == 1 or rng.random() < ALPHA else kinds[1]
        rows = torch.tensor(rng.sample(pool, min(options.batch, len(pool))))
        batch = queries[rows]
        mapped = torch.nn.functional.normalize(batch + (batch @ down) @ up.T, dim=1)
        logits = mapped @ passages[rows].T / options.temperature
        loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(rows)))
        optimiser.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimiser.step()
        losses.append(float(loss.detach()))
    window = max(1, min(50, len(losses) // 4))
    before, after = float(np.mean(losses[:window])), float(np.mean(losses[-window:]))
    return down.detach().numpy().copy(), up.detach().numpy().copy(), before, after
