"""How the evaluation screen reads and writes results: views, table cells, chart series, export.

Pure functions of :class:`~xlsearch.eval.report.RunResult` lists (no Textual), so they
are tested without an app. A *view* is one (dataset, direction) pair: the results
table shows one view at a time, the chart every direction of the view's dataset.
"""

from __future__ import annotations

import math
from pathlib import Path

from xlsearch.errors import XlsearchError
from xlsearch.eval.report import (
    MISSING,
    TABLE_METRICS,
    RunResult,
    format_number,
    to_markdown,
    write_report,
)
from xlsearch.eval.systems import cost_row, costs, costs_markdown

View = tuple[str, str]
"""(dataset, direction)."""

RESULT_HEADINGS = ("System", *(heading for _, heading in TABLE_METRICS), "Bias", "p-values")
COST_HEADINGS = ("Dataset", "System", "Index s", "p50 ms", "p95 ms", "Index MB")
EXPORT_STEM = "xlsearch-eval"
EXPORT_SUFFIXES = (".md", ".csv", ".json")


def views(results: list[RunResult]) -> list[tuple[str, View]]:
    """(label, view) for every dataset x direction, in run order.

    The label is the direction (``en→ne``), prefixed by the dataset when there are several.
    """
    found = list(dict.fromkeys((r.dataset, r.direction) for r in results))
    several = len({dataset for dataset, _ in found}) > 1
    return [(f"{ds} · {d}" if several else d, (ds, d)) for ds, d in found]


def in_view(results: list[RunResult], view: View) -> list[RunResult]:
    """The results of one dataset and direction, one per system."""
    return [r for r in results if (r.dataset, r.direction) == view]


def p_values_cell(result: RunResult) -> str:
    """'vs multilingual 0.031' per comparison; the row already names the first system."""
    prefix = f"{result.system} "
    parts = [f"{label.removeprefix(prefix)} {p:.2g}" for label, p in result.p_values.items()]
    return "; ".join(parts) or MISSING


def result_cells(result: RunResult) -> list[str]:
    """One results-table row: system, the table metrics, language bias, p-values."""
    metrics = [format_number(result.metrics.get(name), 3) for name, _ in TABLE_METRICS]
    return [result.system, *metrics, format_number(result.language_bias, 2), p_values_cell(result)]


def cost_cells(results: list[RunResult]) -> list[list[str]]:
    """One costs-table row per (dataset, system): index seconds, latency p50/p95, size."""
    return [cost_row(c) for c in costs(results)]


def chart_series(
    results: list[RunResult], dataset: str, metric: str
) -> tuple[list[str], dict[str, list[float]]]:
    """Directions of ``dataset`` and, per system, its ``metric`` on each (0 where absent)."""
    runs = [r for r in results if r.dataset == dataset]
    directions = list(dict.fromkeys(r.direction for r in runs))
    score = {(r.system, r.direction): r.metrics.get(metric, math.nan) for r in runs}
    series = {
        system: [_finite_or_zero(score.get((system, d), math.nan)) for d in directions]
        for system in dict.fromkeys(r.system for r in runs)
    }
    return directions, series


def _finite_or_zero(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def parse_max_queries(text: str) -> int | None:
    """The 'max queries per direction' field: blank is every query, else a positive int.

    Raises XlsearchError for anything else.
    """
    if not text.strip():
        return None
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise XlsearchError(
            f"'{text}' is not a number of queries; type a whole number from 1 up, or "
            "leave it blank for all.",
            title="Max queries",
        )
    return value


def export_paths(target: str, cwd: Path) -> list[Path]:
    """Where an export goes: ``xlsearch-eval.{md,csv,json}`` in ``cwd`` for a blank target
    or in a folder target, else ``target`` with each suffix (``out/run1.md`` -> ``out/run1.*``).
    """
    text = target.strip()
    base = cwd / Path(text).expanduser() if text else cwd
    if not text or base.is_dir() or text.endswith(("/", "\\")):
        base = base / EXPORT_STEM
    elif base.suffix.lower() in EXPORT_SUFFIXES:
        base = base.with_suffix("")
    return [base.with_name(base.name + suffix) for suffix in EXPORT_SUFFIXES]


def export(results: list[RunResult], targets: list[Path]) -> None:
    """Write ``results`` to each target by suffix; the Markdown also gets the costs table."""
    for path in targets:
        if path.suffix == ".md":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(to_markdown(results) + "\n" + costs_markdown(results), "utf-8")
        else:
            write_report(results, path)
