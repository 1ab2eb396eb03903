"""A grouped bar chart of one metric per direction, a bar per system (plotext).

Comparing four systems over five directions reads faster as bars than as twenty
numbers; the table above it keeps the exact values. Bars are drawn one system at a
time at x = group * (systems + 1) + system, so a one-bar gap separates the groups
(plotext's own ``multiple_bar`` runs the groups into each other). The legend is a line
of its own under the plot: plotext's sits inside the plot, on top of the tallest bars.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

PALETTE = ((66, 135, 245), (46, 204, 113), (241, 196, 15), (231, 76, 60), (155, 89, 182))
"""Bar colours (RGB), one per system in order; the legend uses the same ones."""
TICKS = [0.0, 0.25, 0.5, 0.75, 1.0]


def legend(systems: list[str]) -> Text:
    """'██ bm25  ██ multilingual …', each block in its system's bar colour."""
    text = Text()
    for number, system in enumerate(systems):
        r, g, b = PALETTE[number % len(PALETTE)]
        text.append("██", style=f"rgb({r},{g},{b})")
        text.append(f" {system}  ")
    return text


class MetricChart(Vertical):
    """Bars of a metric in [0, 1]: x is the direction, one coloured bar per system."""

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="plot")
        yield Static("", id="legend")

    def show(self, title: str, directions: list[str], series: dict[str, list[float]]) -> None:
        """Draw ``series`` (system -> value per direction); an empty one clears the chart."""
        plot = self.query_one("#plot", PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        plt.title(title)
        step = len(series) + 1
        for number, values in enumerate(series.values()):
            xs = [group * step + number for group in range(len(directions))]
            plt.bar(xs, values, color=PALETTE[number % len(PALETTE)], width=1 / step)
        if directions and series:
            middle = (len(series) - 1) / 2
            plt.xticks([group * step + middle for group in range(len(directions))], directions)
            plt.xlim(-0.7, (len(directions) - 1) * step + len(series) - 0.3)
            plt.ylim(0, 1)
            plt.yticks(TICKS)
        plot.refresh()
        self.query_one("#legend", Static).update(legend(list(series)))
