"""The systems the benchmark compares, the pairs it tests, and how their costs read.

A system is an embedding model plus an engine search mode. ``bm25`` and ``hybrid`` use
the multilingual index (lexical search needs no model, and hybrid fuses the two), so a
dataset is embedded at most once per model. Costs (indexing time, query latency, index
size) belong to a (dataset, system) pair, not to a direction, so they get a table of
their own beside the quality tables of :mod:`~xlsearch.eval.report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.embed.registry import MINILM_ID
from xlsearch.errors import XlsearchError
from xlsearch.eval.report import RunResult

if TYPE_CHECKING:
    from rich.table import Table


@dataclass(frozen=True)
class System:
    """A named retriever: which model's index it searches and in which engine mode."""

    name: str
    model: str
    mode: str  # "dense", "lexical" or "hybrid", as Engine.search takes it
    head: str = ""  # a query head by name (see xlsearch.search.head), or none


BUILTIN_SYSTEMS = {
    "bm25": System("bm25", E5_MODEL_ID, "lexical"),
    "monolingual": System("monolingual", MINILM_ID, "dense"),
    "multilingual": System("multilingual", E5_MODEL_ID, "dense"),
    "hybrid": System("hybrid", E5_MODEL_ID, "hybrid"),
}
DEFAULT_SYSTEMS = tuple(BUILTIN_SYSTEMS)

# (a, b): the paired test of a against b is stored on a's result as "a vs b".
COMPARISONS = (
    ("multilingual", "monolingual"),
    ("hybrid", "multilingual"),
    ("bm25", "multilingual"),
)


def model_system_name(model: str) -> str:
    """The system name for ``--model``: the folder's name for a path, else the id."""
    location = Path(model).expanduser()
    return location.name if location.exists() else model


HEAD_MARK = "+head:"
"""``multilingual+head:NAME`` is multilingual search with the query head NAME."""


def takes_head(system: System) -> bool:
    """Whether a query head applies: it maps e5 query vectors, so e5 systems that embed
    the query (not bm25)."""
    return system.model == E5_MODEL_ID and system.mode != "lexical"


HEAD_BASES = tuple(name for name, system in BUILTIN_SYSTEMS.items() if takes_head(system))
"""The built-in systems a head can be added to (``BASE+head:NAME``)."""


def system_named(name: str) -> System:
    """A built-in system, or ``BASE+head:NAME`` for an e5 system with a query head.

    Raises XlsearchError for an unknown name.
    """
    base, _, head = name.partition(HEAD_MARK)
    found = BUILTIN_SYSTEMS.get(base)
    heads_ok = found is not None and takes_head(found)
    if found is None or (head and not heads_ok) or (HEAD_MARK in name and not head):
        raise XlsearchError(
            f"Unknown system '{name}'; use {', '.join(BUILTIN_SYSTEMS)}, "
            "multilingual+head:NAME, hybrid+head:NAME, or --model PATH.",
            title="Unknown system",
        )
    return System(name, found.model, found.mode, head) if head else found


def resolve_systems(names: list[str] | tuple[str, ...], model: str | None) -> list[System]:
    """The systems for ``names`` (all four when empty), then a dense one for ``model``.

    Raises XlsearchError for an unknown name.
    """
    chosen = [system_named(n) for n in dict.fromkeys(names or DEFAULT_SYSTEMS)]
    if model is not None:
        name = model_system_name(model)
        if name not in {s.name for s in chosen}:
            chosen.append(System(name, model, "dense"))
    return chosen


def comparisons(systems: list[System]) -> list[tuple[str, str]]:
    """The tested pairs among ``systems``: the fixed ones, a system with a head against
    the same system without, and any extra model against ``multilingual``."""
    names = {s.name for s in systems}
    pairs = [(a, b) for a, b in COMPARISONS if a in names and b in names]
    for s in systems:
        base = s.name.partition(HEAD_MARK)[0]
        if s.head and base in names:
            pairs.append((s.name, base))
    extra = [s.name for s in systems if s.name not in BUILTIN_SYSTEMS and not s.head]
    pairs += [(name, "multilingual") for name in extra if "multilingual" in names]
    return pairs


@dataclass(frozen=True)
class Cost:
    """What one system costs on one dataset: index build, query latency, disk."""

    dataset: str
    system: str
    index_seconds: float
    latency_p50_ms: float
    latency_p95_ms: float
    index_bytes: int


def costs(results: list[RunResult]) -> list[Cost]:
    """One cost row per (dataset, system); latencies are the median over its directions,
    which share the index, so the other figures are the same on every direction."""
    grouped: dict[tuple[str, str], list[RunResult]] = {}
    for r in results:
        grouped.setdefault((r.dataset, r.system), []).append(r)
    rows = []
    for (dataset, system), runs in grouped.items():
        p50 = sorted(r.latency_p50_ms for r in runs)[len(runs) // 2]
        p95 = sorted(r.latency_p95_ms for r in runs)[len(runs) // 2]
        first = runs[0]
        rows.append(Cost(dataset, system, first.index_seconds, p50, p95, first.index_bytes))
    return rows


def cost_row(cost: Cost) -> list[str]:
    """One cost as display strings: dataset, system, index s, p50/p95 ms, index MB."""
    return [
        cost.dataset,
        cost.system,
        f"{cost.index_seconds:.1f}",
        f"{cost.latency_p50_ms:.1f}",
        f"{cost.latency_p95_ms:.1f}",
        f"{cost.index_bytes / 1e6:.1f}",
    ]


_COST_HEADINGS = ["Dataset", "System", "Index s", "p50 ms", "p95 ms", "Index MB"]


def costs_markdown(results: list[RunResult]) -> str:
    """The cost rows as one Markdown table under a ``## Costs`` heading."""
    lines = ["## Costs", "", "| " + " | ".join(_COST_HEADINGS) + " |"]
    lines.append("|---|---|" + "---:|" * (len(_COST_HEADINGS) - 2))
    lines += ["| " + " | ".join(cost_row(c)) + " |" for c in costs(results)]
    return "\n".join(lines) + "\n"


def costs_rich_table(results: list[RunResult]) -> Table:
    """The cost rows as a Rich table."""
    from rich.table import Table

    table = Table(title="Costs (index build, query latency, index size)")
    for heading in _COST_HEADINGS:
        table.add_column(heading, justify="left" if heading in ("Dataset", "System") else "right")
    for cost in costs(results):
        table.add_row(*cost_row(cost))
    return table


def time_spent(results: list[RunResult]) -> dict[str, float]:
    """Seconds by kind of work: document and query embedding (counted once per dataset
    and model, as they are shared), searching and scoring (summed over runs)."""
    shared = {(r.dataset, r.model): r for r in results}
    return {
        "document embedding": sum(r.embed_documents_s for r in shared.values()),
        "query embedding": sum(r.embed_queries_s for r in shared.values()),
        "search": sum(r.search_s for r in results),
        "scoring": sum(r.score_s for r in results),
    }


def time_spent_line(results: list[RunResult]) -> str:
    """'Time: document embedding 21.0 s · query embedding 9.8 s · search 4.1 s · ...'."""
    parts = [f"{kind} {seconds:.1f} s" for kind, seconds in time_spent(results).items()]
    return "Time: " + " · ".join(parts)
