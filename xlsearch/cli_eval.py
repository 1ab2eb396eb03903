"""The ``xlsearch eval`` command: benchmark retrieval per direction from the shell.

Its options are many and its work is the evaluation's (:mod:`xlsearch.eval`), so it
lives apart from the everyday commands in :mod:`xlsearch.cli`, which adds it to the
group. Rich and the evaluation are imported inside the command: importing this
module costs a cold ``xlsearch search`` nothing but click.
"""

from __future__ import annotations

from pathlib import Path

import click

from xlsearch.display import inert_json


@click.command(name="eval")
@click.argument("datasets", nargs=-1)
@click.option(
    "--system",
    "systems",
    multiple=True,
    help="A system to compare: bm25, monolingual, multilingual, hybrid, or one of the last "
    "two with a query head, e.g. multilingual+head:NAME (repeatable; default: the four).",
)
@click.option("--model", help="Also evaluate this local sentence-transformers model, dense.")
@click.option(
    "--langs",
    help="Keep only these languages' documents and queries, comma-separated (e.g. en,ne).",
)
@click.option(
    "--max-queries",
    type=click.IntRange(1),
    help="At most this many queries per direction (a seeded sample).",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the results to this .json, .md or .csv file (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def evaluate(
    datasets: tuple[str, ...],
    systems: tuple[str, ...],
    model: str | None,
    langs: str | None,
    max_queries: int | None,
    outputs: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Benchmark retrieval on DATASETS (default: the built-in one) per direction.

    A dataset is 'builtin', a BEIR folder, an XQuAD-R folder, a FLORES-style folder of
    aligned files or a .tmx file. Each is indexed into a scratch folder with the real
    engine; every system then answers every query in every direction (en→ne, ne→en...).
    """
    from rich.console import Console

    from xlsearch.eval.report import rich_table, to_json, write_report
    from xlsearch.eval.runner import load_datasets, rich_progress, run_eval
    from xlsearch.eval.systems import costs_rich_table, time_spent_line

    keep = [lang.strip() for lang in langs.split(",") if lang.strip()] if langs else None
    found = load_datasets(list(datasets) or ["builtin"], keep)
    with rich_progress() as update:
        results = run_eval(found, systems, model, update, max_queries)
    for path in outputs:
        write_report(results, path)
    if as_json:
        click.echo(inert_json(to_json(results)))
        return
    console = Console()
    console.print(rich_table(results))
    console.print(costs_rich_table(results))
    console.print(time_spent_line(results))
