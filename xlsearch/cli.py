"""The command line: a thin shell over the Engine.

Library errors become one sentence on stderr and a non-zero exit; a person never sees
a traceback for their own mistake or a bad file. Heavy modules (rich's progress,
Textual, the evaluation) are imported inside the commands that need them, so a cold
``xlsearch search`` starts fast; ``xlsearch eval`` lives in :mod:`xlsearch.cli_eval`.
"""

from __future__ import annotations

import gc
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from xlsearch import display
from xlsearch.cli_eval import evaluate
from xlsearch.errors import XlsearchError
from xlsearch.search.options import MODES
from xlsearch.types import Status

LANGS = click.Choice(["ne", "en", "hi", "other"])


def _engine(model: str | None = None) -> Any:
    """The engine for this command, closed when the command ends (its writes checkpointed
    into the database file: the process does not collect it on the way out, see main)."""
    from xlsearch.engine import Engine

    engine = Engine(model=model)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(engine.close)
    return engine


@click.group(invoke_without_command=True)
@click.version_option(package_name="xlsearch")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Search your Nepali and English documents offline, by meaning or by keyword.

    Run without a command to open the terminal app.
    """
    if ctx.invoked_subcommand is None:
        from xlsearch.tui.app import run_app

        run_app()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--model", help="Embedding model (default: the index's, else the config's).")
def index(paths: tuple[Path, ...], model: str | None) -> None:
    """Index the files under PATHS (only new or changed files are read again)."""
    from xlsearch.progress import progress_bar

    engine = _engine(model)
    with progress_bar() as update:
        report = engine.index(list(paths), progress=update)
    moved = f"{report.moved} moved, " if report.moved else ""
    say(
        f"Indexed {report.added} new and {report.updated} changed files "
        f"({report.chunks} chunks), {report.unchanged} unchanged, {moved}"
        f"{report.removed} removed, in {report.seconds:.1f} s."
    )
    say(
        f"Meaning vectors: {report.embedded} texts embedded, {report.reused} reused"
        + (
            f", {report.vectors_pending} still to do (run again)."
            if report.vectors_pending
            else "."
        )
    )
    if report.ocr_pages or report.ocr_waiting:
        say(_ocr_line(report.ocr_pages, report.ocr_waiting, engine.ocr_plan().hint))
    for issue in report.issues:
        say(f"  {issue.status}: {issue.path}: {issue.reason}", err=True)


def _ocr_line(read: int, waiting: int, hint: str) -> str:
    """'OCR: 12 pages read, 3 still wait (run again)' or why they wait."""
    line = f"OCR: {read} pages read"
    if waiting:
        line += f", {waiting} still wait ({hint or 'run again to read them'})"
    return line + "."


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def watch(paths: tuple[Path, ...]) -> None:
    """Keep PATHS (default: every indexed folder) indexed as files change, until ctrl+c."""
    from xlsearch.index.watch import watch as watch_folders

    engine = _engine()
    roots = list(paths) or [Path(r.path) for r in engine.status().roots]
    if not roots:
        raise XlsearchError("Nothing to watch; give a folder, or index one first.")
    for root in roots:
        if not root.is_dir():
            raise XlsearchError(f"{root} is not a folder; give folders to watch.")
    say(f"Watching {len(roots)} folder(s); ctrl+c stops.", err=True)
    watch_folders(engine, roots, _echo_report)


def _echo_report(report: Any) -> None:
    say(
        f"{report.added} new, {report.updated} changed, {report.moved} moved,"
        f" {report.removed} removed;"
        f" {report.embedded} texts embedded, {report.reused} reused."
    )


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="hybrid",
    show_default=True,
    help="hybrid fuses meaning (dense) and keyword (lexical).",
)
@click.option("--lang", type=LANGS, help="Only passages in this language.")
@click.option("--path", "path_prefix", help="Only files under this folder.")
@click.option(
    "--type", "file_type", help="Only this file type (txt, pdf, docx, xlsx, eml, zip...)."
)
@click.option(
    "-k",
    "k",
    default=10,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Number of results.",
)
@click.option("--head", help="Map the query with this head (see: xlsearch train).")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option(
    "--as-typed",
    is_flag=True,
    help="Search the query only as typed: no Devanagari reading of romanized Nepali.",
)
def search(
    query: tuple[str, ...],
    mode: str,
    lang: str | None,
    path_prefix: str | None,
    file_type: str | None,
    k: int,
    head: str | None,
    as_json: bool,
    as_typed: bool,
) -> None:
    """Search the index for QUERY, in Nepali (Devanagari or romanized) or English."""
    from xlsearch.search.options import SearchOptions

    prefix = str(Path(path_prefix).absolute()) if path_prefix else None
    options = SearchOptions(
        mode, k, lang, prefix, file_type, head=head, romanized=False if as_typed else None
    )
    results = _engine().find(" ".join(query), options)
    hits = results.hits
    searched_as = results.query.searched_as if results.query else None
    if as_json:
        rows = [{**h.to_json(), "searched_as": searched_as} for h in hits]
        click.echo(display.exact_json(rows))
        return
    if searched_as:
        say(f"searched as {searched_as}")
    if not hits:
        say("No results. Is the folder indexed? See: xlsearch status")
    for rank, hit in enumerate(hits, start=1):
        where = f"{hit.path}" + (f" ({hit.location})" if hit.location else "")
        if hit.converted_from:
            where += f" [converted from {hit.converted_from}]"
        say(f"{rank:>2}. {where}  [{hit.lang}] {hit.score:.4f} {hit.matched_by}")
        click.echo(f"    {_marked(hit.snippet, hit.highlights)}")


def _marked(snippet: str, spans: list[tuple[int, int]]) -> str:
    """The snippet made safe to print, matched words in bold (plain when not a terminal)."""
    text, spans = display.marked_passage(snippet, spans)
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], click.style(text[start:end], bold=True, fg="yellow")]
        last = end
    out.append(text[last:])
    return "".join(out)


def say(message: str, err: bool = False) -> None:
    """Print one line of ours, which may quote file names and reasons, through the
    display boundary: no control character reaches the terminal, and a newline inside
    a quoted name shows as ␊ instead of starting a line of its own."""
    click.echo(display.shown(message, newlines=False), err=err)


def _echo_ocr(state: Status) -> None:
    """The OCR line, and the files whose pages wait for it (those not listed already)."""
    say(f"OCR:       {state.ocr}")
    if not state.ocr_waiting:
        return
    pages = sum(state.ocr_waiting.values())
    say(f"OCR waits: {pages} pages in {len(state.ocr_waiting)} files")
    listed = {issue.path for issue in state.issues}
    for path, count in state.ocr_waiting.items():
        if path not in listed:
            say(f"Waiting:   {path}: {count} page(s) wait for OCR")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """What is indexed: counts, model, folders, and files that failed or were skipped."""
    from dataclasses import asdict

    state = _status_or_damage()
    if as_json:
        click.echo(display.exact_json(asdict(state)))
        return
    say(f"Index:     {state.home}")
    say(f"Model:     {state.model} ({state.dimension} dimensions)")
    say(f"Documents: {state.documents}   Chunks: {state.chunks}")
    say(f"Meaning:   {state.coverage}")
    made_by = ", ".join(f"{n:,} by {e}" for e, n in state.encoders.items()) or "none yet"
    say(f"Vectors:   {made_by}")
    if state.encoder_note:
        say(f"Encoder:   {state.encoder_note}")
    langs = ", ".join(f"{lang} {n}" for lang, n in state.languages.items()) or "none"
    say(f"Languages: {langs}")
    for root in state.roots:
        say(
            f"Folder:    {root.path}  {root.documents} documents, {root.chunks} chunks,"
            f" updated {root.updated_at or 'never'}"
            + ("" if root.present else "; not found now (kept until it is back; forget drops it)")
        )
    for path, font in state.converted.items():
        say(f"Converted: {path} (converted from {font})")
    for issue in state.issues:
        say(f"{issue.status.capitalize()}: {issue.path}: {issue.reason}")
    for note in state.left_out:
        say(f"Keywords only: {note.path}: {note.reason}")
    if state.unread:
        say(f"Not read:  {state.not_read} (types xlsearch does not read)")
    _echo_ocr(state)
    say(f"Health:    {state.health}")
    for warning in state.warnings:
        say(f"Warning:   {warning}")


def _status_or_damage() -> Any:
    """The engine's status; for a damaged index, say so and what to do, then exit 1."""
    from xlsearch.errors import IndexDamaged

    try:
        return _engine().status(check=True)
    except IndexDamaged as exc:
        say(f"Health:    damaged. {exc.message}")
        sys.exit(1)


@cli.command()
def models() -> None:
    """List the embedding models xlsearch can use here."""
    from xlsearch import paths
    from xlsearch.embed.registry import known_models

    for spec in known_models(paths.home()):
        ready = "ready" if spec.ready else "missing"
        say(f"{spec.name:<24} {ready:<8} dim {spec.dimension}  languages: {spec.languages}")
        say(f"{'':<24} {spec.location}")
        if spec.note:
            say(f"{'':<24} {spec.note}")
        if spec.encoder:
            say(f"{'':<24} {spec.encoder}")


@cli.command()
@click.option("--model", help="Rebuild with this model instead of the current one.")
def reindex(model: str | None) -> None:
    """Embed every indexed folder again (after changing the model)."""
    from xlsearch.progress import progress_bar

    engine = _engine()
    with progress_bar() as update:
        report = engine.reindex(model, progress=update)
    say(
        f"Re-indexed {report.added + report.updated} files ({report.chunks} chunks) "
        f"with {engine.model}."
    )


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
def forget(path: Path) -> None:
    """Remove PATH (a folder or file) and everything under it from the index."""
    removed = _engine().forget(path)
    say(f"Forgot {removed} documents under {path}.")


@cli.command()
@click.argument("name")
@click.option(
    "--from",
    "source",
    required=True,
    help="Training pairs: a .tmx file, a FLORES-style or BEIR folder, or 'builtin'.",
)
@click.option(
    "--arm",
    type=click.Choice(["hybrid", "mono", "cross"]),
    default="hybrid",
    show_default=True,
    help="Batches of both kinds of pair (hybrid), same-language only, or cross-language only.",
)
@click.option(
    "--max-pairs",
    type=click.IntRange(32),
    default=1000,
    show_default=True,
    help="At most this many pairs of each kind (a seeded sample).",
)
@click.option("--steps", type=click.IntRange(1), default=600, show_default=True)
def train(name: str, source: str, arm: str, max_pairs: int, steps: int) -> None:
    """Train the query head NAME on pairs from --from; use it with --head NAME."""
    from xlsearch import paths
    from xlsearch.config import load_settings
    from xlsearch.search.head_training import TrainOptions, train_head

    home = paths.home()
    model = load_settings(paths.config_path(home)).model
    options = TrainOptions(arm=arm, max_pairs=max_pairs, steps=steps)
    report = train_head(name, source, home, model, options, lambda m: say(m, err=True))
    say(
        f"Trained head '{name}' ({arm}) on {report.mono_pairs} same-language and "
        f"{report.cross_pairs} cross-language pairs in {report.seconds:.0f} s: loss "
        f"{report.loss_before:.3f} -> {report.loss_after:.3f}; saved in {report.folder}."
    )


cli.add_command(evaluate)


def main() -> None:
    """Console entry point: run the CLI, turning xlsearch errors into one line."""
    try:
        _run()
    finally:
        # The process ends here, so what it made need not be garbage-collected object by
        # object on the way out (that final collection cost a cold search some 40 ms,
        # a quarter of loading the query model and embedding the query).
        gc.freeze()


def _run() -> None:
    try:
        cli.main(standalone_mode=False)
    except XlsearchError as exc:
        say(f"xlsearch: {exc.message}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        say("xlsearch: interrupted; work already saved is kept.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        say("xlsearch: interrupted; run the same command again to resume.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except sqlite3.DatabaseError as exc:  # damage found mid-query, after the open checks
        from xlsearch.store.health import explain

        say(f"xlsearch: {explain(exc)}", err=True)
        sys.exit(1)
