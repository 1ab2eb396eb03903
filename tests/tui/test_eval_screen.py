"""The evaluation screen driven through Pilot: run a tiny dataset, read the table, export."""

from __future__ import annotations

import asyncio
import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, SelectionList, Static

from tests.tui.helpers import settle
from xlsearch.config import Settings
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.engine import Engine
from xlsearch.errors import XlsearchError
from xlsearch.eval.report import RunResult
from xlsearch.eval.runner import EvalProgress
from xlsearch.search.head import Head
from xlsearch.tui.app import XlsearchApp
from xlsearch.tui.eval_results import (
    RESULT_HEADINGS,
    export_paths,
    p_values_cell,
    parse_max_queries,
    result_cells,
    views,
)
from xlsearch.tui.messages import EvalProgressed
from xlsearch.tui.screens.eval import SYSTEMS as EVAL_SYSTEMS
from xlsearch.tui.screens.eval import EvalScreen

pytestmark = pytest.mark.model

# Parallel pairs: each query is relevant to both language versions of one item.
ITEMS = (
    (
        "The Koshi is the largest river in Nepal; its floods displace families.",
        "कोशी नेपालको सबैभन्दा ठूलो नदी हो; यसको बाढीले परिवारहरू विस्थापित गर्छ।",
        "largest river in Nepal",
        "नेपालको सबैभन्दा ठूलो नदी",
    ),
    (
        "Dal bhat is the main meal, eaten twice a day in most homes.",
        "दाल भात मुख्य खाना हो, धेरैजसो घरमा दिनमा दुई पटक खाइन्छ।",
        "main meal eaten twice a day",
        "दिनमा दुई पटक खाइने खाना",
    ),
    (
        "The monsoon brings heavy rain between June and September.",
        "मनसुनले जुनदेखि सेप्टेम्बरसम्म भारी वर्षा ल्याउँछ।",
        "when does the monsoon rain come",
        "मनसुनको वर्षा कहिले आउँछ",
    ),
)
SYSTEMS = ("bm25", "multilingual")
PROGRESS_LINE = re.compile(r"^(Loading|Preparing|Indexing|Embedding|Searching) .*(…| · \d+/\d+)$")


def write_beir(folder: Path) -> Path:
    """A BEIR folder of ITEMS: docs en-N/ne-N, queries qen-N/qne-N, both docs relevant."""
    (folder / "qrels").mkdir(parents=True)
    docs, queries, qrels = [], [], ["query-id\tcorpus-id\tscore"]
    for n, (doc_en, doc_ne, query_en, query_ne) in enumerate(ITEMS):
        docs += [
            {"_id": f"en-{n}", "text": doc_en, "lang": "en"},
            {"_id": f"ne-{n}", "text": doc_ne, "lang": "ne"},
        ]
        queries += [
            {"_id": f"qen-{n}", "text": query_en, "lang": "en"},
            {"_id": f"qne-{n}", "text": query_ne, "lang": "ne"},
        ]
        qrels += [f"{q}-{n}\t{lang}-{n}\t1" for q in ("qen", "qne") for lang in ("en", "ne")]
    for name, records in (("corpus.jsonl", docs), ("queries.jsonl", queries)):
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "qrels" / "test.tsv").write_text("\n".join(qrels) + "\n", encoding="utf-8")
    return folder


def table_rows(screen: EvalScreen) -> dict[str, list[str]]:
    """The results table as system -> the row's cells."""
    table = screen.query_one("#results", DataTable)
    rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return {row[0]: row for row in rows}


async def open_eval(pilot: Pilot[None], app: XlsearchApp) -> EvalScreen:
    await settle(pilot, app)
    await pilot.press("f4")
    await settle(pilot, app)
    assert isinstance(app.screen, EvalScreen)
    return app.screen


def choose(screen: EvalScreen, dataset: Path, systems: tuple[str, ...]) -> None:
    """Only ``dataset`` (not the built-in one) and only ``systems``."""
    screen.query_one("#datasets", SelectionList).deselect_all()
    screen.query_one("#dataset-path", Input).value = str(dataset)
    chosen = screen.query_one("#systems", SelectionList)
    chosen.deselect_all()
    for name in systems:
        chosen.select(name)


async def watch_progress(pilot: Pilot[None], screen: EvalScreen) -> list[str]:
    """Progress lines seen while the evaluation runs."""
    seen: list[str] = []
    for _ in range(45_000):  # 15 minutes
        line = str(screen.query_one("#progress-text", Static).render())
        if not seen or seen[-1] != line:
            seen.append(line)
        if not screen.evaluating:
            break
        await pilot.pause(0.02)
    return seen


async def run_and_read(pilot: Pilot[None], app: XlsearchApp, screen: EvalScreen) -> None:
    await pilot.press("ctrl+r")
    seen = await watch_progress(pilot, screen)
    await settle(pilot, app, timeout_s=900)
    assert seen and all(PROGRESS_LINE.match(line) for line in seen), seen
    assert {r.system for r in screen.results} == set(SYSTEMS)
    assert {r.direction for r in screen.results} == {"en→en", "en→ne", "ne→en", "ne→ne", "mixed"}
    first = table_rows(screen)
    assert set(first) == set(SYSTEMS)
    ndcg, bias = RESULT_HEADINGS.index("nDCG@10"), RESULT_HEADINGS.index("Bias")
    for row in first.values():
        assert 0.0 <= float(row[ndcg]) <= 1.0
    assert first["bm25"][-1].startswith("vs multilingual ")
    direction = screen.query_one("#direction", Select)
    assert direction.value == ("tiny", "en→en")
    direction.value = ("tiny", "mixed")
    await pilot.pause()
    mixed = table_rows(screen)
    assert set(mixed) == set(SYSTEMS)
    assert all(row[bias] != "–" for row in mixed.values()), "the mixed pool has a language bias"
    assert all(row[bias] == "–" for row in first.values())
    assert screen.query_one("#costs", DataTable).row_count == len(SYSTEMS)


async def export_and_check(pilot: Pilot[None], screen: EvalScreen, tmp_path: Path) -> None:
    out = tmp_path / "out"
    screen.query_one("#export-path", Input).value = f"{out}/"
    await pilot.press("ctrl+s")
    await pilot.pause()
    markdown = (out / "xlsearch-eval.md").read_text(encoding="utf-8")
    assert (
        "## tiny" in markdown and "## Costs" in markdown and "| multilingual | mixed |" in markdown
    )
    with (out / "xlsearch-eval.csv").open(encoding="utf-8") as rows:
        assert len(list(csv.DictReader(rows))) == len(screen.results)
    runs = json.loads((out / "xlsearch-eval.json").read_text(encoding="utf-8"))["runs"]
    assert {(r["system"], r["direction"]) for r in runs} == {
        (r.system, r.direction) for r in screen.results
    }


def test_run_a_small_dataset_read_the_table_and_export(tmp_path: Path, xlsearch_home: Path) -> None:
    dataset = write_beir(tmp_path / "tiny")

    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        phases: list[EvalProgress] = []

        def record(message: Message) -> None:
            if isinstance(message, EvalProgressed):
                phases.append(message.progress)

        async with app.run_test(size=(100, 35), message_hook=record) as pilot:
            screen = await open_eval(pilot, app)
            choose(screen, dataset, SYSTEMS)
            await run_and_read(pilot, app, screen)
            legend = str(screen.query_one("#chart #legend", Static).render())
            assert legend.split() == ["██", "bm25", "██", "multilingual"]
            assert any(p.phase == "Indexing tiny with multilingual-e5-small" for p in phases)
            done = {p.phase for p in phases if p.done == p.total}
            assert "Searching tiny en→ne with multilingual" in done
            await export_and_check(pilot, screen, tmp_path)
            assert not list((xlsearch_home / "eval-tmp").iterdir()), "scratch indexes removed"
        engine.close()

    asyncio.run(body())


def test_a_bad_dataset_path_is_an_error_not_a_crash(tmp_path: Path, xlsearch_home: Path) -> None:
    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_eval(pilot, app)
            choose(screen, tmp_path / "no-such-dataset", ("bm25",))
            await pilot.press("ctrl+r")
            await settle(pilot, app)
            errors = [n for n in app._notifications if n.severity == "error"]
            assert errors and "No dataset at" in errors[-1].message
            assert screen.results == [] and not screen.evaluating
            assert not screen.query_one("#run").disabled
            # Nothing to export yet, and a bad query cap is refused before running.
            await pilot.press("ctrl+s")
            screen.query_one("#max-queries", Input).value = "0"
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert not screen.evaluating
            assert isinstance(app.screen, EvalScreen)
        engine.close()

    asyncio.run(body())


def test_stop_a_running_evaluation(tmp_path: Path, xlsearch_home: Path) -> None:
    dataset = write_beir(tmp_path / "tiny")

    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_eval(pilot, app)
            choose(screen, dataset, ("multilingual",))
            # Directly, not through pilot.press: after each key Pilot waits for the busy
            # process to idle (up to seconds), long enough for this tiny run to finish.
            screen.action_run_eval()
            assert screen.evaluating and screen.query_one("#run").disabled
            screen.action_stop_eval()
            await settle(pilot, app, timeout_s=300)
            assert not screen.query_one("#run").disabled
            assert screen.results == []
            assert any(n.title == "Stopped" for n in app._notifications)
            assert not list((xlsearch_home / "eval-tmp").iterdir()), "scratch indexes removed"
        engine.close()

    asyncio.run(body())


def _save_head(home: Path, name: str, arm: str, model: str = E5_MODEL_ID) -> None:
    """A head as ``xlsearch train`` leaves it (an identity map: B is zero)."""
    down = np.zeros((384, 2), dtype=np.float32)
    Head(down, down.copy(), model, {"arm": arm, "source": "tiny"}).save(home, name)


def system_entries(screen: EvalScreen) -> list[tuple[str, str]]:
    """(label, name) of every entry in the systems list, in order."""
    systems: SelectionList[str] = screen.query_one("#systems", SelectionList)
    options = [systems.get_option_at_index(i) for i in range(systems.option_count)]
    return [(str(o.prompt), o.value) for o in options]


def test_trained_heads_are_listed_after_the_built_in_systems(xlsearch_home: Path) -> None:
    builtin = [name for _, name in EVAL_SYSTEMS]

    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=(100, 35)) as pilot:
            screen = await open_eval(pilot, app)
            assert system_entries(screen) == list(EVAL_SYSTEMS)  # no heads: as before
            _save_head(xlsearch_home, "tico", "cross")
            _save_head(xlsearch_home, "mini", "mono", model="all-minilm-l6-v2")
            await pilot.press("f2")  # trained in a shell while the screen was away
            screen = await open_eval(pilot, app)
            assert system_entries(screen)[len(builtin) :] == [
                ("multilingual + head tico · cross arm", "multilingual+head:tico"),
                ("hybrid + head tico · cross arm", "hybrid+head:tico"),
            ]
            systems = screen.query_one("#systems", SelectionList)
            assert systems.selected == builtin
            systems.select("hybrid+head:tico")
            assert screen._request()[1] == [*builtin, "hybrid+head:tico"]
        engine.close()

    asyncio.run(body())


def _result(system: str, direction: str, dataset: str = "tiny") -> RunResult:
    return RunResult(
        dataset,
        system,
        direction,
        {"map": 0.5, "mrr@10": 1.0, "ndcg@10": 0.6131, "recall@100": 1.0},
    )


def test_cells_views_and_paths(tmp_path: Path) -> None:
    result = _result("multilingual", "en→ne")
    result.p_values = {"multilingual vs monolingual": 0.0012}
    assert result_cells(result) == [
        "multilingual", "0.500", "1.000", "0.613", "1.000", "–", "vs monolingual 0.0012",
    ]  # fmt: skip
    assert p_values_cell(_result("bm25", "mixed")) == "–"
    two = [_result("bm25", "en→ne", "a"), _result("bm25", "en→ne", "b")]
    assert [label for label, _ in views(two)] == ["a · en→ne", "b · en→ne"]
    assert views(two[:1]) == [("en→ne", ("a", "en→ne"))]
    assert parse_max_queries(" ") is None and parse_max_queries("20") == 20
    with pytest.raises(XlsearchError, match="whole number"):
        parse_max_queries("0")
    names = [p.name for p in export_paths("", tmp_path)]
    assert names == ["xlsearch-eval.md", "xlsearch-eval.csv", "xlsearch-eval.json"]
    assert export_paths("runs/one.md", tmp_path)[1] == tmp_path / "runs" / "one.csv"
    assert export_paths(str(tmp_path), tmp_path)[0] == tmp_path / "xlsearch-eval.md"
