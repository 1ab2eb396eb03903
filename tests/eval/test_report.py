"""Report rendering: JSON shape, Markdown tables, CSV columns, file output, Rich table."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from xlsearch.errors import DatasetError
from xlsearch.eval.report import (
    RunResult,
    rich_table,
    to_csv,
    to_json,
    to_markdown,
    write_report,
)


def _results() -> list[RunResult]:
    return [
        RunResult(
            "flores",
            "multilingual",
            "ne→en",
            {"map": 0.81234, "mrr@10": 0.8, "ndcg@10": 0.85, "recall@100": 0.99},
            language_bias=None,
            queries=997,
            documents=281,
            index_seconds=12.5,
            latency_p50_ms=3.0,
            latency_p95_ms=7.25,
            index_bytes=1024,
            p_values={"multilingual vs monolingual": 0.0031},
        ),
        RunResult("flores", "monolingual", "ne→en", {"map": 0.2, "ndcg@10": 0.25}, queries=997),
        RunResult("xquad|r", "multilingual", "mixed", {"map": float("nan")}, language_bias=4.5),
    ]


def test_json_shape_round_trips() -> None:
    data = json.loads(to_json(_results()))
    assert list(data) == ["runs"]
    first = data["runs"][0]
    assert list(first)[:5] == ["dataset", "system", "direction", "metrics", "language_bias"]
    assert first["metrics"]["map"] == 0.81234
    assert first["p_values"] == {"multilingual vs monolingual": 0.0031}
    assert first["latency_p95_ms"] == 7.25
    # NaN is not JSON: it becomes null.
    assert data["runs"][2]["metrics"]["map"] is None
    assert data["runs"][2]["language_bias"] == 4.5


def test_markdown_one_table_per_dataset() -> None:
    text = to_markdown(_results())
    assert text.count("## ") == 2
    assert "## flores" in text and "## xquad|r" in text
    flores = text.split("## xquad|r")[0]
    rows = [
        line
        for line in flores.splitlines()
        if line.startswith("| multi") or line.startswith("| mono")
    ]
    assert rows[0].split(" | ")[:4] == ["| multilingual", "ne→en", "0.8123", "0.8000"]
    assert rows[0].endswith("| vs monolingual: 0.0031 |")
    # A metric the run lacks shows as a dash, as does a missing bias.
    assert rows[1].split(" | ")[3] == "–"
    header = flores.splitlines()[2]
    assert header == "| System | Direction | MAP | MRR@10 | nDCG@10 | R@100 | Bias | p-values |"


def test_csv_columns_cover_every_metric_and_comparison() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(_results()))))
    assert len(rows) == 3
    assert rows[0]["map"] == "0.81234"
    assert rows[1]["mrr@10"] == ""
    assert rows[0]["p:multilingual vs monolingual"] == "0.0031"
    assert rows[1]["p:multilingual vs monolingual"] == ""
    assert rows[0]["language_bias"] == ""
    assert rows[2]["language_bias"] == "4.5"
    assert rows[0]["index_bytes"] == "1024"


@pytest.mark.parametrize(
    ("suffix", "marker"), [(".json", '"runs"'), (".md", "## flores"), (".csv", "dataset,")]
)
def test_write_report_by_suffix(tmp_path: Path, suffix: str, marker: str) -> None:
    path = tmp_path / "out" / f"report{suffix}"
    write_report(_results(), path)
    assert marker in path.read_text(encoding="utf-8")


def test_write_report_refuses_other_suffixes(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"\.json, \.md or \.csv"):
        write_report(_results(), tmp_path / "report.txt")


def test_rich_table_rows_and_columns() -> None:
    table = rich_table(_results())
    headers = [str(column.header) for column in table.columns]
    assert headers[:4] == ["Dataset", "System", "Direction", "MAP"]
    assert table.row_count == 3
    assert next(iter(table.columns[3].cells)) == "0.8123"
    # One dataset: it moves into the title.
    single = rich_table(_results()[:2])
    assert [str(c.header) for c in single.columns][:2] == ["System", "Direction"]
    assert "flores" in str(single.title)


def test_eval_package_never_imports_textual() -> None:
    modules = [
        "xlsearch.eval",
        "xlsearch.eval.metrics",
        "xlsearch.eval.datasets",
        "xlsearch.eval.loaders",
        "xlsearch.eval.significance",
        "xlsearch.eval.report",
    ]
    code = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "from xlsearch.eval.report import rich_table\n"
        "rich_table([])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
