"""The quality gate a fast document encoder must pass on this machine before it is used.

Shipped text only: the built-in benchmark's topics (``assets/benchmark``, each in
Nepali and English) are split in two by a hash of the topic id. One half calibrates
int8 quantisation; the other half is the probe: its passages are encoded by the float
model (torch, the reference) and by the candidate, and the candidate is kept only if

- mean cosine between the two vectors of a passage >= ``mean_cosine``,
- the worst passage's cosine >= ``min_cosine``,
- top-1 agreement (the probe questions' best passage, ranked with the reference's query
  vectors, is the same under both) >= ``top1``,
- nDCG@10 of the probe questions drops by at most ``ndcg_drop``.

The limits were set from measurement (docs/encoders.md): every variant that works
clears them with room; a variant whose vectors are off by a few percent does not.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from xlsearch.embed.base import Embedder


@dataclass(frozen=True)
class Limits:
    """What a candidate must reach against the float model on the probe."""

    mean_cosine: float = 0.9995
    min_cosine: float = 0.98
    top1: float = 0.95
    ndcg_drop: float = 0.005


@dataclass
class Figures:
    """One candidate measured against the reference on the probe."""

    mean_cosine: float
    min_cosine: float
    top1: float
    ndcg_reference: float
    ndcg: float
    passages_per_second: float
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        """'cos 0.9977 (min 0.9963), top-1 0.99, nDCG@10 0.912 vs 0.914'."""
        return (
            f"cos {self.mean_cosine:.4f} (min {self.min_cosine:.4f}), top-1 {self.top1:.2f},"
            f" nDCG@10 {self.ndcg:.3f} vs {self.ndcg_reference:.3f}"
        )


@dataclass(frozen=True)
class ShippedText:
    """The built-in benchmark split for calibration and the probe."""

    calibration: list[str]
    passages: list[str]  # the probe's passages
    queries: list[str]  # the probe's questions
    qrels: dict[int, set[int]]  # question index -> indexes of its relevant passages

    def digest(self) -> str:
        """sha256 of everything the probe and the calibration read, for the manifest."""
        blob = json.dumps([self.calibration, self.passages, self.queries], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _topic(doc_id: str) -> str:
    """'health-01-en' -> 'health-01' (a topic's passages are translations)."""
    return doc_id.rsplit("-", 1)[0]


def _calibrates(doc_id: str) -> bool:
    return hashlib.sha256(_topic(doc_id).encode()).digest()[0] % 2 == 0


def _jsonl(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def shipped_text(folder: Path, max_queries: int = 160) -> ShippedText:
    """Calibration texts and the probe from a BEIR folder (the built-in benchmark)."""
    docs = _jsonl(folder / "corpus.jsonl")
    calibration = [d["text"] for d in docs if _calibrates(d["_id"])]
    probe = [d for d in docs if not _calibrates(d["_id"])]
    position = {d["_id"]: i for i, d in enumerate(probe)}
    judged: dict[str, set[int]] = {}
    for line in (folder / "qrels" / "test.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        query, doc, grade = line.split("\t")
        if doc in position and float(grade) > 0:
            judged.setdefault(query, set()).add(position[doc])
    questions = [q for q in _jsonl(folder / "queries.jsonl") if q["_id"] in judged]
    questions = questions[:max_queries]
    return ShippedText(
        calibration,
        [d["text"] for d in probe],
        [q["text"] for q in questions],
        {i: judged[q["_id"]] for i, q in enumerate(questions)},
    )


@dataclass(frozen=True)
class Reference:
    """The float model's vectors of the probe (computed once per gate run)."""

    passages: np.ndarray
    queries: np.ndarray

    @classmethod
    def of(cls, model: Embedder, text: ShippedText) -> Reference:
        return cls(model.encode_documents(text.passages), model.encode_queries(text.queries))


def _ndcg(queries: np.ndarray, passages: np.ndarray, qrels: dict[int, set[int]]) -> float:
    from xlsearch.eval.metrics import ndcg  # the evaluation package stays off search's path

    scores = queries @ passages.T
    values = []
    for q, relevant in qrels.items():
        run = {str(d): float(s) for d, s in enumerate(scores[q])}
        values.append(ndcg({str(d): 1.0 for d in relevant}, run, 10))
    return float(np.mean(values)) if values else 0.0


def measure(
    reference: Reference, vectors: np.ndarray, seconds: float, text: ShippedText
) -> Figures:
    """Agreement of ``vectors`` (the candidate's probe passages) with the reference."""
    cosines = np.sum(reference.passages * vectors, axis=1)
    best_reference = np.argmax(reference.queries @ reference.passages.T, axis=1)
    best = np.argmax(reference.queries @ vectors.T, axis=1)
    return Figures(
        mean_cosine=float(cosines.mean()),
        min_cosine=float(cosines.min()),
        top1=float(np.mean(best == best_reference)) if len(best) else 1.0,
        ndcg_reference=_ndcg(reference.queries, reference.passages, text.qrels),
        ndcg=_ndcg(reference.queries, vectors, text.qrels),
        passages_per_second=len(vectors) / max(seconds, 1e-9),
    )


def judge(figures: Figures, limits: Limits) -> Figures:
    """``figures`` with the failed limits, each said in words, in ``failures``."""
    checks = [
        (figures.mean_cosine >= limits.mean_cosine, f"mean cosine < {limits.mean_cosine}"),
        (figures.min_cosine >= limits.min_cosine, f"min cosine < {limits.min_cosine}"),
        (figures.top1 >= limits.top1, f"top-1 agreement < {limits.top1}"),
        (
            figures.ndcg >= figures.ndcg_reference - limits.ndcg_drop,
            f"nDCG@10 drop > {limits.ndcg_drop}",
        ),
    ]
    figures.failures = [reason for ok, reason in checks if not ok]
    return figures


def gate(candidate: Embedder, reference: Reference, text: ShippedText, limits: Limits) -> Figures:
    """Encode the probe with ``candidate`` (after one warm-up batch) and judge it."""
    candidate.encode_documents(text.passages[:4])
    started = time.perf_counter()
    vectors = candidate.encode_documents(text.passages)
    seconds = time.perf_counter() - started
    return judge(measure(reference, vectors, seconds, text), limits)


def as_record(figures: Figures) -> dict[str, object]:
    """The figures as the manifest stores them."""
    return {**asdict(figures), "passed": figures.passed}
