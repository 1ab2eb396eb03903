"""Benchmark results as values, and their renderings: JSON, Markdown, CSV and a Rich table.

One :class:`RunResult` is one system on one direction of one dataset. The renderers are
pure functions of a list of them, so the CLI, the TUI and the benchmark script print the
same numbers the same way.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xlsearch import display
from xlsearch.errors import DatasetError

if TYPE_CHECKING:
    from rich.table import Table

# The metrics shown in tables (Markdown and Rich), with their column headings.
TABLE_METRICS = (
    ("map", "MAP"),
    ("mrr@10", "MRR@10"),
    ("ndcg@10", "nDCG@10"),
    ("recall@100", "R@100"),
)
MISSING = "–"
"""What a table shows for a missing or non-finite value."""


@dataclass
class RunResult:
    """One system on one direction of one dataset, with its cost.

    ``metrics`` maps metric names (``map``, ``ndcg@10``, ...) to means over queries;
    ``language_bias`` is None where no query is judged in two languages. Latencies are
    per query in milliseconds, ``index_bytes`` the on-disk size of the index, and
    ``p_values`` maps a comparison label (``"multilingual vs monolingual"``) to its p-value.
    """

    dataset: str
    system: str
    direction: str
    metrics: dict[str, float]
    language_bias: float | None = None
    queries: int = 0
    documents: int = 0
    index_seconds: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    index_bytes: int = 0
    p_values: dict[str, float] = field(default_factory=dict)
    # Where the time went, in seconds: embedding the documents and the queries (of the
    # index this run searched: shared by its directions and systems), this run's
    # searches, and scoring them (metrics and significance tests).
    model: str = ""  # the embedding model of the index searched
    embed_documents_s: float = 0.0
    embed_queries_s: float = 0.0
    search_s: float = 0.0
    score_s: float = 0.0


def _finite(value: object) -> object:
    """JSON has no NaN or infinity: those become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    return value


def to_json(results: list[RunResult]) -> str:
    """``{"runs": [{"dataset": ..., "system": ..., "direction": ..., "metrics": {...}, ...}]}``."""
    runs = [{key: _finite(value) for key, value in asdict(r).items()} for r in results]
    return json.dumps({"runs": runs}, ensure_ascii=False, indent=2)


def format_number(value: float | None, digits: int = 4) -> str:
    """``value`` to ``digits`` decimals; a dash for a missing or non-finite one."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:.{digits}f}"


def _p_values(result: RunResult) -> str:
    """``vs monolingual: 0.0001`` per comparison; the row already names the system."""
    own = f"{result.system} "
    return (
        "; ".join(f"{label.removeprefix(own)}: {p:.3g}" for label, p in result.p_values.items())
        or MISSING
    )


def _table_row(result: RunResult) -> list[str]:
    """System, direction, the table metrics, bias and p-values as display strings."""
    metrics = [format_number(result.metrics.get(name)) for name, _ in TABLE_METRICS]
    bias = format_number(result.language_bias, 2)
    return [result.system, result.direction, *metrics, bias, _p_values(result)]


def _headings() -> list[str]:
    return ["System", "Direction", *(heading for _, heading in TABLE_METRICS), "Bias", "p-values"]


def _by_dataset(results: list[RunResult]) -> dict[str, list[RunResult]]:
    grouped: dict[str, list[RunResult]] = {}
    for result in results:
        grouped.setdefault(result.dataset, []).append(result)
    return grouped


def _markdown_line(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def to_markdown(results: list[RunResult]) -> str:
    """One Markdown table per dataset, a row per system x direction, in the given order."""
    sections: list[str] = []
    for dataset, runs in _by_dataset(results).items():
        lines = [f"## {dataset}", "", _markdown_line(_headings())]
        lines.append(
            "|" + "|".join(["---"] * 2 + ["---:"] * (len(TABLE_METRICS) + 1) + ["---"]) + "|"
        )
        lines.extend(_markdown_line(_table_row(r)) for r in runs)
        sections.append("\n".join(lines))
    return "\n\n".join(sections) + "\n"


_CSV_FIELDS = (
    "language_bias", "queries", "documents", "index_seconds",
    "latency_p50_ms", "latency_p95_ms", "index_bytes",
)  # fmt: skip


def to_csv(results: list[RunResult]) -> str:
    """One row per run: dataset, system, direction, every metric seen, the costs, and one
    ``p:<comparison>`` column per comparison seen (empty where a run lacks one)."""
    metric_names = list(dict.fromkeys(name for r in results for name in r.metrics))
    comparisons = list(dict.fromkeys(label for r in results for label in r.p_values))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["dataset", "system", "direction", *metric_names, *_CSV_FIELDS]
        + [f"p:{label}" for label in comparisons]
    )
    for r in results:
        values = asdict(r)
        writer.writerow(
            [r.dataset, r.system, r.direction]
            + [r.metrics.get(name, "") for name in metric_names]
            + ["" if values[name] is None else values[name] for name in _CSV_FIELDS]
            + [r.p_values.get(label, "") for label in comparisons]
        )
    return out.getvalue()


def write_report(results: list[RunResult], path: Path) -> None:
    """Write ``results`` to ``path`` as JSON, Markdown or CSV, chosen by its suffix."""
    renderers = {".json": to_json, ".md": to_markdown, ".csv": to_csv}
    renderer = renderers.get(path.suffix.lower())
    if renderer is None:
        raise DatasetError(f"Cannot write a report as {path.name}; use a .json, .md or .csv path.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(renderer(results), encoding="utf-8")


def rich_table(results: list[RunResult]) -> Table:
    """The Markdown table's content as one Rich table; a dataset column when there are
    several datasets, else the dataset in the title."""
    from rich.table import Table

    datasets = [display.name(name) for name in _by_dataset(results)]
    several = len(datasets) > 1
    title = "Retrieval benchmark" + ("" if several else f": {', '.join(datasets)}")
    table = Table(title=title)
    if several:
        table.add_column("Dataset")
    for heading in _headings():
        numeric = heading not in ("System", "Direction", "p-values")
        table.add_column(heading, justify="right" if numeric else "left", no_wrap=numeric)
    for result in results:
        cells = _table_row(result)
        table.add_row(*([display.name(result.dataset), *cells] if several else cells))
    return table
