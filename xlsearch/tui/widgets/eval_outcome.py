"""What an evaluation run found: a table per direction, a chart of every direction, costs.

The evaluation screen hands it a run's results (:meth:`EvalOutcome.show`); choosing
another direction or metric redraws the table and the chart from them. The cells, the
views and the chart's series are pure functions in :mod:`xlsearch.tui.eval_results`.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, Select, Static

from xlsearch.eval.report import TABLE_METRICS, RunResult
from xlsearch.tui.eval_results import (
    COST_HEADINGS,
    RESULT_HEADINGS,
    View,
    chart_series,
    cost_cells,
    in_view,
    result_cells,
    views,
)
from xlsearch.tui.widgets.metric_chart import MetricChart
from xlsearch.tui.widgets.text_box import TextBox

CHART_METRIC = "ndcg@10"


class EvalOutcome(Vertical):
    """The results of one run per direction, a chart of a metric, what each system cost,
    and where to export them."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results: list[RunResult] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="view-row"):
            yield Label("Table", classes="field")
            yield Select[View]([], prompt="Direction", allow_blank=True, id="direction")
            yield Label("Chart", classes="field")
            metrics = [(heading, name) for name, heading in TABLE_METRICS]
            yield Select[str](metrics, value=CHART_METRIC, allow_blank=False, id="metric")
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield MetricChart(id="chart")
        yield Static("Costs", classes="heading")
        yield DataTable(id="costs", cursor_type="row")
        yield TextBox(placeholder="Export to a folder or file name (blank: here)", id="export-path")

    def on_mount(self) -> None:
        self.query_one("#results", DataTable).add_columns(*RESULT_HEADINGS)
        self.query_one("#costs", DataTable).add_columns(*COST_HEADINGS)

    def show(self, results: list[RunResult]) -> None:
        """Show ``results``: their directions to choose from (the first chosen), costs."""
        self.results = results
        options = views(results)
        direction = self.query_one("#direction", Select)
        direction.set_options(options)
        if options:
            direction.value = options[0][1]
        self._show_costs()

    @property
    def view(self) -> View | None:
        value = self.query_one("#direction", Select).value
        return value if isinstance(value, tuple) else None

    @on(Select.Changed, "#direction, #metric")
    def _view_changed(self) -> None:
        view = self.view
        if view is not None:
            self._show_table(view)
            self._show_chart(view[0])

    def _show_table(self, view: View) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        for result in in_view(self.results, view):
            table.add_row(*result_cells(result), key=result.system)

    def _show_chart(self, dataset: str) -> None:
        metric = str(self.query_one("#metric", Select).value)
        heading = dict(TABLE_METRICS).get(metric, metric)
        directions, series = chart_series(self.results, dataset, metric)
        self.query_one("#chart", MetricChart).show(
            f"{heading} by direction · {dataset}", directions, series
        )

    def _show_costs(self) -> None:
        table = self.query_one("#costs", DataTable)
        table.clear()
        for cells in cost_cells(self.results):
            table.add_row(*cells)
