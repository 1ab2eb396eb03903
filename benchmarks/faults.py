"""Kill anywhere, lose nothing: SIGKILL the indexer at many moments, then check the index.

Indexes a real corpus (the demo documents plus the built-in benchmark's passages
written out as .txt, .md, .html, .docx, .odt and .pdf files) with the real e5 model
into a scratch home, and SIGKILLs the indexing process at ``--kills`` moments over
its whole life: during the float-model conversion (the float copy is removed for
those runs), mid-migration (the home starts from the schema before the newest
migration), while embedding, mid-transaction, at each step of an HNSW save, and at
random times. After each kill the next run resumes. At the end it checks SQLite's
integrity, that every file is there once with the chunk count a clean read gives,
that no chunk, embedding or keyword row is orphaned, that the HNSW file equals what
SQLite holds and that every file is found; then prints what it tried, the phases the
kills landed in and what survived.

    python benchmarks/faults.py [--kills 50] [--seed 1] [--passages 280]

The child (``--child``) is the real ``Engine.index`` with tracing hooks: it writes
``+phase``/``-phase`` lines to a trace file so the parent can tell where a kill
landed, and can kill itself at a chosen point of a chosen phase (the points too
short to hit from outside: a migration statement, an HNSW file rename).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from xlsearch.search.options import SearchOptions

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO)]

FLOAT = "multilingual-e5-small-f32"


# -- the child: one traced indexing run ---------------------------------------------------------
class Tracer:
    """Phase markers to a file (flushed, so they survive the kill), and a planned kill."""

    def __init__(self, trace: Path, fault: str) -> None:
        self.out = open(trace, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
        phase, _, arg = fault.partition(":")
        self.phase, self.arg = phase, arg
        self.calls: Counter[str] = Counter()

    def mark(self, text: str) -> None:
        self.out.write(text + "\n")
        os.fsync(self.out.fileno())

    @contextmanager
    def phase_of(self, name: str) -> Iterator[None]:
        self.mark(f"+{name}")
        self.calls[name] += 1
        if name == self.phase and self.arg.startswith("after="):
            delay = float(self.arg.removeprefix("after="))
            threading.Timer(delay, die).start()
        try:
            yield
        finally:
            self.mark(f"-{name}")

    def wrap(self, owner: Any, attr: str, name: str) -> None:
        original = getattr(owner, attr)
        tracer = self

        def traced(*args: Any, **kwargs: Any) -> Any:
            with tracer.phase_of(name):
                return original(*args, **kwargs)

        setattr(owner, attr, traced)

    def count_point(self, name: str) -> None:
        """Die at the N-th point of ``name`` when the fault says ``name:at=N``."""
        self.calls[f"{name}#"] += 1
        if self.phase == name and self.arg == f"at={self.calls[name + '#']}":
            self.mark(f"@{name}")
            die()


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def child(home: Path, corpus: Path, trace: Path, fault: str) -> None:
    import xlsearch.embed.e5_convert as convert_module
    import xlsearch.embed.loaded as loaded_module
    import xlsearch.engine as engine_module
    import xlsearch.index.indexer as indexer_module
    import xlsearch.store.ann as vectors_module
    import xlsearch.store.db as db_module
    from xlsearch.embed.st import SentenceTransformerEmbedder

    tracer = Tracer(trace, fault)
    tracer.mark("+start")
    migrate = vars(db_module)["migrate"]

    class CountingConnection:
        """The migration's connection, dying before the N-th statement when asked."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self._conn = conn

        def execute(self, *args: Any) -> Any:
            tracer.count_point("migrate")
            return self._conn.execute(*args)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._conn, name)

    def traced_migrate(conn: sqlite3.Connection) -> None:
        with tracer.phase_of("migrate"):
            migrate(CountingConnection(conn))

    vars(db_module)["migrate"] = traced_migrate
    replace = os.replace

    def counted_replace(src: Any, dst: Any) -> None:
        tracer.count_point("hnsw-save")
        replace(src, dst)

    vectors_module.os.replace = counted_replace  # type: ignore[attr-defined]
    write = db_module.Store.write_document

    def counted_write(self: Any, *args: Any) -> None:
        tracer.count_point("commit")
        write(self, *args)

    db_module.Store.write_document = counted_write  # type: ignore[method-assign,assignment]
    tracer.wrap(convert_module, "convert", "convert")
    tracer.wrap(loaded_module, "document_embedder", "load-model")
    tracer.wrap(indexer_module.Indexer, "_consider", "extract")
    tracer.wrap(SentenceTransformerEmbedder, "encode_documents", "embed")
    tracer.wrap(indexer_module.Indexer, "_flush", "write-batch")
    tracer.wrap(vectors_module.VectorIndex, "sync", "hnsw-sync")
    tracer.wrap(vectors_module.VectorIndex, "_save", "hnsw-save")
    with tracer.phase_of("open"):
        engine = engine_module.Engine(home=home)
    engine.index([corpus])
    tracer.mark("done")


# -- the corpus ---------------------------------------------------------------------------------
def write_corpus(folder: Path, passages: int) -> list[Path]:
    """The demo documents plus ``passages`` built-in passages in six formats."""
    from _common import builtin_passages

    from benchmarks.corpora.hostile import make_docx, make_pdf

    shutil.copytree(REPO / "assets" / "demo", folder / "demo")
    rows = builtin_passages()[:passages]
    for i, row in enumerate(rows):
        text, stem = row["text"], folder / "passages" / f"{i:03d}-{row['_id']}"
        stem.parent.mkdir(parents=True, exist_ok=True)
        kind = i % 6
        if kind == 0:
            stem.with_suffix(".txt").write_text(text, encoding="utf-8")
        elif kind == 1:
            stem.with_suffix(".md").write_text(f"# {row['title']}\n\n{text}\n", encoding="utf-8")
        elif kind == 2:
            page = f"<html><body><h1>{row['title']}</h1><p>{text}</p></body></html>"
            stem.with_suffix(".html").write_text(page, encoding="utf-8")
        elif kind == 3:
            make_docx(stem.with_suffix(".docx"), [text])
        elif kind == 4:
            write_odt(stem.with_suffix(".odt"), text)
        elif text.isascii():
            stem.with_suffix(".pdf").write_bytes(make_pdf([text[:90], text[90:200] or "."]))
        else:
            stem.with_suffix(".txt").write_text(text, encoding="utf-8")
    return sorted(p for p in folder.rglob("*") if p.is_file())


def write_odt(path: Path, text: str) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    document.save(str(path))


# -- the parent ---------------------------------------------------------------------------------
def innermost(trace: Path) -> str:
    """The phase the last run was in when it died: the innermost one still open."""
    stack: list[str] = []
    for line in trace.read_text(encoding="utf-8").splitlines():
        if line.startswith("+"):
            stack.append(line[1:])
        elif line.startswith("-") and stack and stack[-1] == line[1:]:
            stack.pop()
        elif line == "done":
            return "finished"
    return stack[-1] if stack else "startup"


def plan(kills: int, rng: random.Random, convert_s: float) -> list[str]:
    """Faults for each run: targeted ones first where they must come early."""
    faults = [f"migrate:at={rng.randint(1, 6)}" for _ in range(3)]
    faults += [f"convert:after={rng.uniform(0.2, 0.9) * convert_s:.2f}" for _ in range(4)]
    faults += [f"hnsw-save:at={n}" for n in (1, 2, 3, rng.randint(1, 3), rng.randint(1, 3))]
    faults += [f"embed:after={rng.uniform(0.0, 1.0):.2f}" for _ in range(5)]
    faults += [f"commit:at={rng.randint(1, 4)}" for _ in range(4)]
    rest = [f"outside:{rng.uniform(0.0, 12.0):.2f}" for _ in range(max(kills - len(faults), 0))]
    middle = faults[7:] + rest
    rng.shuffle(middle)
    return (faults[:7] + middle)[:kills]


class Bench:
    def __init__(self, base: Path, corpus: Path, cache: Path) -> None:
        self.base, self.corpus, self.cache = base, corpus, cache
        self.home = base / "home"
        self.trace = base / "trace.log"
        self.extra = 0

    def link_model(self, present: bool) -> None:
        """The float copy: linked from the cache, or absent so that it is converted."""
        models = self.home / "models"
        models.mkdir(parents=True, exist_ok=True)
        target = models / FLOAT
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        for leftover in models.glob(f".{FLOAT}.*"):
            shutil.rmtree(leftover, ignore_errors=True)
        if present:
            target.symlink_to(self.cache / FLOAT, target_is_directory=True)

    def add_file(self) -> None:
        """New work for a run that must reach an HNSW save."""
        self.extra += 1
        note = f"Added note {self.extra}: the faultbench{self.extra:02d} record of the day."
        (self.corpus / "added").mkdir(exist_ok=True)
        (self.corpus / "added" / f"note{self.extra:02d}.txt").write_text(note)

    def churn(self, rng: random.Random) -> None:
        """A person's edits between runs: a new file and a few changed ones, so every run
        has fresh work to be killed in (updates replace a file's chunks)."""
        self.add_file()
        texts = sorted((self.corpus / "passages").glob("*.txt"))
        for path in rng.sample(texts, min(3, len(texts))):
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f" Revised {rng.randrange(10**6)}.")

    def run(self, fault: str, rng: random.Random) -> tuple[str, float, int]:
        """One indexing run with ``fault``; (phase it died in, seconds, exit code)."""
        kind = fault.partition(":")[0]
        self.link_model(present=kind != "convert")
        if kind != "migrate":
            self.churn(rng)
        self.trace.write_text("")
        env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
        command = [
            sys.executable,
            __file__,
            "--child",
            str(self.home),
            str(self.corpus),
            str(self.trace),
            fault if kind != "outside" else "none",
        ]
        started = time.monotonic()
        proc = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        if kind == "outside":
            self.kill_later(proc, float(fault.partition(":")[2]))
        _, err = proc.communicate()
        if proc.returncode not in (0, -signal.SIGKILL):
            raise SystemExit(f"the indexer failed ({proc.returncode}): {err[-2000:]}")
        return innermost(self.trace), time.monotonic() - started, proc.returncode

    def kill_later(self, proc: subprocess.Popen[str], delay: float) -> None:
        """SIGKILL ``delay`` s after the run's real work starts (its first extraction):
        the random moments then fall on the indexing, not on the model loading."""
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if "+extract" in self.trace.read_text(encoding="utf-8"):
                break
            time.sleep(0.05)
        try:
            proc.wait(delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)


def start_schema(home: Path) -> int:
    """A database at the schema before the newest migration, so a run must migrate."""
    from xlsearch.store.migrations import MIGRATIONS, migrate

    before = max(len(MIGRATIONS) - 1, 0)
    home.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(home / "index.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, MIGRATIONS[:before])
    conn.close()
    return before


def prepare_cache(cache: Path) -> float:
    """Convert the float model once (timed), reused by every run but the conversion ones."""
    from xlsearch.embed.e5_convert import convert

    started = time.monotonic()
    if not (cache / FLOAT).exists():
        convert(cache / FLOAT)
    return time.monotonic() - started


def expected_chunks(home: Path, files: list[Path]) -> dict[str, int]:
    """Each file's chunk count from a clean read, counting tokens as the engine's chunking
    does (for e5, with the query model's tokenizer) under the default settings."""
    from xlsearch.chunk.sections import chunk_sections
    from xlsearch.config import Settings
    from xlsearch.engine import Engine
    from xlsearch.errors import ExtractError
    from xlsearch.extract import extract

    engine = Engine(home=home)
    embedder, s = engine.models.token_counter(), Settings()
    engine.close()
    target = min(s.chunk_tokens, embedder.max_tokens - 16)
    counts = {}
    for path in files:
        try:
            sections = extract(path)
        except ExtractError:
            continue
        chunks = chunk_sections(sections, embedder.count_tokens, target, s.chunk_overlap)
        if chunks:
            counts[str(path)] = len(chunks)
    return counts


def verify(home: Path, files: list[Path]) -> dict[str, Any]:
    """What survived: counts, consistency problems and files that cannot be found."""
    from benchmarks.corpora.consistency import problems
    from xlsearch.engine import Engine
    from xlsearch.text import words

    wanted = expected_chunks(home, files)
    with sqlite3.connect(home / "index.db") as conn:
        stored = dict(
            conn.execute(
                "SELECT d.path, count(c.id) FROM documents d LEFT JOIN chunks c"
                " ON c.document_id = d.id WHERE d.status = 'indexed' GROUP BY d.path"
            )
        )
        copies = dict(conn.execute("SELECT path, count(*) FROM documents GROUP BY path"))
        first = dict(
            conn.execute(
                "SELECT d.path, c.text FROM chunks c JOIN documents d ON d.id = c.document_id"
                " WHERE c.ordinal = 0"
            )
        )
    engine = Engine(home=home)
    unfound = []
    for path in wanted:
        query = " ".join(words(first.get(path, ""))[:8])
        hits = engine.search(query, SearchOptions(mode="lexical", k=50)) if query else []
        if path not in {h.path for h in hits}:
            unfound.append(path)
    engine.close()
    return {
        "files expected": len(wanted),
        "lost": sorted(set(wanted) - set(stored)),
        "indexed but not expected": sorted(set(stored) - set(wanted)),
        "duplicated": sorted(p for p, n in copies.items() if n > 1),
        "wrong chunk count": sorted(p for p in wanted if p in stored and stored[p] != wanted[p]),
        "problems": problems(home),
        "not findable": unfound,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--passages", type=int, default=280)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    base = Path(tempfile.mkdtemp(prefix="xlsearch-faults-"))
    started = time.monotonic()
    try:
        report(base, args, rng, started)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


def report(base: Path, args: argparse.Namespace, rng: random.Random, started: float) -> None:
    corpus = base / "corpus"
    files = write_corpus(corpus, args.passages)
    cache = base / "model-cache"
    convert_s = prepare_cache(cache)
    schema = start_schema(base / "home")
    print(
        f"corpus: {len(files)} files; float model converted in {convert_s:.1f} s;"
        f" home starts at schema {schema}"
    )
    bench = Bench(base, corpus, cache)
    landed: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    kills = finished = 0
    faults = plan(args.kills, rng, convert_s)
    while faults:
        fault = faults.pop(0)
        phase, seconds, code = bench.run(fault, rng)
        if code == -signal.SIGKILL and phase == "finished":
            phase = "exit"  # the work was done and committed; killed on the way out
        if code != -signal.SIGKILL and kills + len(faults) < args.kills:
            faults.append(f"outside:{rng.uniform(0.0, 8.0):.2f}")  # top up to --kills
        tried[fault.partition(":")[0]] += 1
        if code == -signal.SIGKILL:
            kills += 1
            landed[phase] += 1
        else:
            finished += 1
        print(
            f"  {fault:<22} -> {'killed in ' + phase if code else 'finished':<24} {seconds:5.1f} s",
            flush=True,
        )
    phase, seconds, code = bench.run("none", rng)
    print(f"  final run              -> {phase:<24} {seconds:5.1f} s")
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    result = verify(base / "home", files)
    summary = {
        "kills": kills,
        "runs that finished before their kill point": finished,
        "faults tried": dict(tried),
        "phases the kills landed in": dict(landed),
        "distinct phases": len(landed),
        "files": len(files),
        **{k: (len(v) if isinstance(v, list) else v) for k, v in result.items()},
        "wall seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    bad = {k: v for k, v in result.items() if isinstance(v, list) and v}
    if bad:
        print("FAILURES:", json.dumps(bad, indent=1, ensure_ascii=False)[:4000])
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[5])
    else:
        main()
