"""The documentation stays true to the repository: figures name their results file,
the README opens with the two commands that work on a fresh machine, and links resolve.

A table "holds figures" when one of its cells starts with a number (after bold marks and
signs such as ``≤`` or ``~``); a cell in backticks (a setting's default) is code, not a
figure. Such a table must name a ``benchmarks/results/...`` file that exists, within
:data:`NEAR` lines above or below it, so every figure can be traced to the run that made it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))

PENDING: set[str] = set()
"""Pages other branches add (formats, OCR, encoders, ranking): a link to one of these may
be missing until those branches are merged; empty this set once they are."""

NEAR = 4
"""How many lines above or below a table its results file may be named."""

FIRST_LINES = 30
"""The README's first screen, where the two commands must be."""

_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_RESULTS = re.compile(r"benchmarks/results/[\w./-]*[\w-]")
_FIGURE = re.compile(r"^[-+~≈≤≥<>]?\s*\d")


def _prose_lines(path: Path) -> list[str]:
    """The file's lines with fenced code blocks blanked (line numbers kept)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if _FENCE.match(line):
            inside = not inside
            out.append("")
            continue
        out.append("" if inside else line)
    return out


def _tables(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line index of each Markdown table: a run of lines starting with ``|``."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, line in enumerate([*lines, ""]):
        is_row = line.lstrip().startswith("|")
        if is_row and start is None:
            start = i
        elif not is_row and start is not None:
            spans.append((start, i - 1))
            start = None
    return spans


def _holds_figures(rows: list[str]) -> bool:
    for row in rows:
        for cell in row.strip().strip("|").split("|"):
            if _FIGURE.match(cell.replace("*", "").strip()):
                return True
    return False


def _figure_tables(path: Path) -> list[tuple[int, list[str]]]:
    """Each table holding figures, with its first line number (1-based) and the text near it."""
    lines = _prose_lines(path)
    found: list[tuple[int, list[str]]] = []
    for first, last in _tables(lines):
        if _holds_figures(lines[first : last + 1]):
            near = lines[max(0, first - NEAR) : last + 1 + NEAR]
            found.append((first + 1, near))
    return found


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_table_of_figures_names_its_results_file(path: Path) -> None:
    for line_no, near in _figure_tables(path):
        named = _RESULTS.findall("\n".join(near))
        assert named, f"{path.name}:{line_no}: a table of figures names no benchmarks/results file"
        for name in named:
            assert (ROOT / name).is_file(), f"{path.name}:{line_no}: {name} does not exist"


def test_figure_check_sees_tables(tmp_path: Path) -> None:
    """The check above would catch an unsourced table (guards against a regex that never
    matches anything)."""
    sample = tmp_path / "sample.md"
    text = "Intro\n\n| a | b |\n|---|---:|\n| x | **0.75** |\n\n```\n| c | 1 |\n```\n"
    sample.write_text(text, encoding="utf-8")
    tables = _figure_tables(sample)
    assert len(tables) == 1
    assert not _RESULTS.findall("\n".join(tables[0][1]))
    assert not _holds_figures(["| `model` | `200` | text |"])


def test_readme_starts_with_the_two_commands() -> None:
    first = "\n".join(README.read_text(encoding="utf-8").splitlines()[:FIRST_LINES])
    assert "./dev.sh demo" in first
    assert "./dev.sh test" in first
    dev = (ROOT / "dev.sh").read_text(encoding="utf-8")
    assert "  demo)" in dev and "  test)" in dev


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_relative_links_point_to_files(path: Path) -> None:
    for line_no, line in enumerate(_prose_lines(path), start=1):
        for target in _LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue
            resolved = (path.parent / target.split("#", 1)[0]).resolve()
            if resolved.exists():
                continue
            relative = resolved.relative_to(ROOT).as_posix()
            assert relative in PENDING, f"{path.name}:{line_no}: link to missing {target}"
