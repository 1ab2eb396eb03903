"""The engine end to end with the real bundled multilingual model."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.corpora.hostile import ENGLISH_WORD, NEPALI_WORD, make_hostile_folder
from tests.conftest import REPO
from tests.support.fakes import use_hash_embedder
from xlsearch.engine import Engine
from xlsearch.errors import IndexMismatch, XlsearchError
from xlsearch.rank import balance
from xlsearch.search.head import load_head
from xlsearch.search.head_training import TrainOptions, train_head
from xlsearch.search.options import SearchOptions
from xlsearch.store.db import Store

pytestmark = pytest.mark.model

DOCS = {
    # Only in Nepali: how to stop dengue mosquitoes breeding.
    "health/dengue.txt": (
        "डेङ्गु रोग एडिस जातको लामखुट्टेको टोकाइबाट सर्छ। यो लामखुट्टे सफा जमेको पानीमा फुल पार्छ।\n\n"
        "घर वरपर पानी जम्न नदिनुहोस्। पुराना टायर, भाँडा र गमलामा जमेको पानी हप्तामा एक पटक फाल्नुहोस्।\n"
    ),
    # Only in Nepali: what to do in an earthquake.
    "safety/earthquake.txt": (
        "भूकम्प आउँदा टेबलमुनि बस्नुहोस्, टाउको छोप्नुहोस् र बलियोसँग समात्नुहोस्।\n"
        "झ्याल र ऐनाबाट टाढा रहनुहोस्। कम्पन रोकिएपछि मात्र खुला ठाउँमा जानुहोस्।\n"
    ),
    # Only in English: citizenship certificate.
    "law/citizenship.md": (
        "# Citizenship certificate\n\n"
        "To obtain a citizenship certificate, apply at the District Administration Office. "
        "Bring your father's or mother's certificate, your birth registration and a "
        "recommendation letter from your ward office.\n"
    ),
    # Only in English: apples.
    "farm/apples.txt": (
        "Apple orchards in Mustang and Jumla ripen in autumn. Farmers wrap the fruit in paper "
        "boxes and carry them to markets in Pokhara.\n"
    ),
}


def write_corpus(root: Path) -> Path:
    for name, text in DOCS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Path]:
    base = tmp_path_factory.mktemp("engine")
    (base / "home").mkdir()
    corpus = write_corpus(base / "corpus")
    engine = Engine(home=base / "home")
    report = engine.index([corpus])
    assert report.added == len(DOCS)
    return engine, corpus


def top_path(engine: Engine, query: str, mode: str = "hybrid") -> str:
    hits = engine.search(query, SearchOptions(mode))
    assert hits, query
    return Path(hits[0].path).name


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_english_question_finds_the_nepali_passage(indexed: tuple[Engine, Path], mode: str) -> None:
    engine, _ = indexed
    assert (
        top_path(engine, "How can I stop mosquitoes breeding around my house?", mode=mode)
        == "dengue.txt"
    )
    assert top_path(engine, "What should I do during an earthquake?", mode=mode) == "earthquake.txt"


def test_nepali_question_finds_the_english_passage(indexed: tuple[Engine, Path]) -> None:
    engine, _ = indexed
    question = "नागरिकताको प्रमाणपत्र बनाउन कहाँ जानुपर्छ?"
    assert top_path(engine, question, mode="dense") == "citizenship.md"
    # In hybrid mode the Nepali verb जानुपर्छ shares a stem with जानुहोस् in the Nepali
    # earthquake text. Plain RRF rewarded that keyword match over the English answer,
    # which keywords could never match. Weighted fusion keeps the answer first, even
    # without script fairness: one shared stem is weak evidence against meaning.
    assert top_path(engine, question) == "citizenship.md"
    engine.settings.script_fair_fusion = False
    try:
        assert top_path(engine, question) == "citizenship.md"
    finally:
        engine.settings.script_fair_fusion = True
    # Nepali questions lean towards Nepali passages (language bias): "स्याउ खेती कहाँ
    # हुन्छ?" ranks dengue.txt above apples.txt with e5-small. This one is answered.
    assert top_path(engine, "शरद ऋतुमा कुन फल पाक्छ?", mode="dense") == "apples.txt"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, shared_models: Path) -> Engine:
    """The bundled demo corpus (18 files in English and Nepali, two typed in Preeti), indexed."""
    home = tmp_path_factory.mktemp("demo-home")
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    engine = Engine(home=home)
    engine.index([REPO / "assets" / "demo"])
    return engine


def test_balancing_languages_lifts_the_other_languages_answer(demo: Engine) -> None:
    question = "how do I stop mosquitoes breeding near the house"

    def rank_of_leaflet(mode: str) -> int:
        names = [Path(h.path).name for h in demo.search(question, SearchOptions(mode=mode, k=20))]
        return names.index("dengue_rokthaam.txt") + 1 if "dengue_rokthaam.txt" in names else 99

    # e5-small rates English passages higher whatever they say: unbalanced, the Nepali
    # dengue leaflet sits below a dozen English passages; balanced, it is in the top 3.
    assert rank_of_leaflet("dense") <= 3
    assert rank_of_leaflet("hybrid") <= 3
    demo.settings.balance_languages = False
    try:
        assert rank_of_leaflet("dense") > 10
    finally:
        demo.settings.balance_languages = True
    # A language filter searches one language, so there is nothing to balance.
    hits = demo.search(question, SearchOptions(mode="dense", lang="ne", k=1))
    assert Path(hits[0].path).name == "dengue_rokthaam.txt"
    assert 0 < hits[0].score <= 1  # a cosine, not a z-score


def test_balancing_lifts_only_the_other_languages_close_matches(demo: Engine) -> None:
    # The answer exists in Nepali only. Per-language z-scores lifted the best Nepali
    # passages whatever they said: the safe-motherhood leaflet came 4th and 6th.
    # Removing the language subspace lifts the dengue leaflet alone.
    question = "how do I stop mosquitoes breeding near the house"
    assert balance.stored(demo.store, demo.model) is not None  # measured at index time
    for mode in ("dense", "hybrid"):
        names = [Path(h.path).name for h in demo.search(question, SearchOptions(mode=mode, k=6))]
        assert "dengue_rokthaam.txt" in names[:3], (mode, names)
        assert "surakshit_matritwa.md" not in names, (mode, names)


def test_a_trained_head_loads_by_name_and_changes_query_vectors(demo: Engine) -> None:
    tmx = REPO / "tests" / "data" / "eval" / "tmx" / "tiny.tmx"
    options = TrainOptions(batch=4, steps=30, max_pairs=50)
    report = train_head("tiny", str(tmx), demo.home, demo.model, options)
    assert (report.folder / "head.npz").is_file() and (report.folder / "head.json").is_file()
    # 3 of the 4 units hold both languages; each segment is the query once.
    assert (report.mono_pairs, report.cross_pairs) == (6, 6)
    assert report.loss_after < report.loss_before
    head = load_head(demo.home, "tiny", demo.model)
    assert head.info["arm"] == "hybrid"
    question = "how do I stop mosquitoes breeding near the house"
    plain = demo.search(question, SearchOptions(mode="dense", lang="en", k=3))
    settings = replace(demo.settings)
    mapped = demo.search(question, SearchOptions(mode="dense", lang="en", k=3, head="tiny"))
    assert [h.score for h in mapped] != pytest.approx([h.score for h in plain])
    with pytest.raises(XlsearchError, match="xlsearch train missing"):
        demo.search(question, SearchOptions(mode="dense", head="missing"))
    assert demo.settings == settings  # a search's options never change the settings


def test_hits_carry_language_location_and_reasons(indexed: tuple[Engine, Path]) -> None:
    engine, corpus = indexed
    hits = engine.search("लामखुट्टेहरू", SearchOptions(mode="hybrid", k=4))
    first = hits[0]
    assert first.path == str(corpus / "health/dengue.txt")
    assert first.lang == "ne"
    assert first.line == 1
    assert first.lexical_rank == 1 and first.matched_by == "both"
    marked = [first.snippet[a:b] for a, b in first.highlights]
    assert "लामखुट्टेको" in marked  # a suffixed form of the query word, whole


def test_ranking_without_snippets_is_the_same(indexed: tuple[Engine, Path]) -> None:
    engine, _ = indexed
    query = "भूकम्पमा के गर्ने"
    full = engine.search(query, SearchOptions(k=4))
    bare = engine.search(query, SearchOptions(k=4, snippets=False))
    assert [h.chunk_id for h in bare] == [h.chunk_id for h in full]
    assert all(h.snippet for h in full)
    assert all(h.snippet == "" and h.highlights == [] for h in bare)


def test_keyword_search_matches_suffixed_nepali_forms_only(
    indexed: tuple[Engine, Path],
) -> None:
    engine, _ = indexed
    hits = engine.search("टायरहरू", SearchOptions(mode="lexical"))
    assert [Path(h.path).name for h in hits] == ["dengue.txt"]
    assert engine.search("किताब", SearchOptions(mode="lexical")) == []


def test_filters(indexed: tuple[Engine, Path]) -> None:
    engine, corpus = indexed
    assert {h.lang for h in engine.search("safety at home", SearchOptions(lang="ne", k=10))} == {
        "ne"
    }
    md = engine.search("certificate", SearchOptions(file_type="md", k=10))
    assert {Path(h.path).name for h in md} == {"citizenship.md"}
    farm = engine.search("fruit", SearchOptions(path_prefix=str(corpus / "farm"), k=10))
    assert {Path(h.path).name for h in farm} == {"apples.txt"}


def test_a_model_never_silently_mixes_with_another(indexed: tuple[Engine, Path]) -> None:
    engine, _ = indexed
    with pytest.raises(IndexMismatch, match="reindex"):
        Engine(home=engine.home, model="all-minilm-l6-v2")


def test_bad_mode_and_missing_folder_are_clear_errors(indexed: tuple[Engine, Path]) -> None:
    engine, corpus = indexed
    with pytest.raises(XlsearchError, match="Unknown mode"):
        engine.search("x", SearchOptions(mode="fuzzy"))
    with pytest.raises(XlsearchError, match="does not exist"):
        engine.index([corpus / "nope"])


def test_hostile_folder_indexes_without_crashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)  # indexing mechanics, not model behaviour
    expected = make_hostile_folder(tmp_path / "hostile")
    engine = Engine(home=tmp_path / "home")
    report = engine.index([tmp_path / "hostile"])
    status = engine.status()
    recorded = {Path(i.path).relative_to(tmp_path / "hostile").as_posix(): i for i in status.issues}
    for name, outcome in expected.items():
        if outcome == "failed":
            assert name in recorded, name
            assert recorded[name].reason, name
        elif outcome == "empty":
            assert recorded[name].status == "skipped"
        else:
            assert name not in recorded, (name, recorded.get(name))
    assert report.added == sum(v == "ok" for v in expected.values())
    assert top_path(engine, ENGLISH_WORD, mode="lexical") == "english.txt"
    assert top_path(engine, NEPALI_WORD, mode="lexical") == "nepali.txt"
    # The directory link back to the root was not walked into: no path through "loop".
    assert not any("/loop/" in p for p in engine.store.document_paths())


def _indexed_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, Path]:
    """The test corpus indexed with the hash embedder: indexing mechanics, not model
    behaviour."""
    use_hash_embedder(monkeypatch)
    corpus = write_corpus(tmp_path / "corpus")
    engine = Engine(home=tmp_path / "home")
    engine.index([corpus])
    return engine, corpus


def test_incremental_runs_redo_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, corpus = _indexed_corpus(tmp_path, monkeypatch)
    again = engine.index([corpus])
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(DOCS))
    (corpus / "farm/apples.txt").write_text("Oranges grow in Dhankuta and Syangja.\n")
    (corpus / "safety/earthquake.txt").unlink()
    third = engine.index([corpus])
    assert (third.added, third.updated, third.removed) == (0, 1, 1)
    assert top_path(engine, "oranges", mode="lexical") == "apples.txt"
    assert engine.search("भूकम्प", SearchOptions(mode="lexical")) == []
    names = {Path(h.path).name for h in engine.search("earthquake safety", SearchOptions(k=10))}
    assert "earthquake.txt" not in names


def test_a_run_with_no_file_to_read_loads_no_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)  # indexing mechanics, not model behaviour
    corpus = write_corpus(tmp_path / "corpus")
    Engine(home=tmp_path / "home").index([corpus])
    (corpus / "safety/earthquake.txt").unlink()
    engine = Engine(home=tmp_path / "home")  # a fresh one, as when the app opens
    report = engine.index([corpus])
    assert (report.removed, report.unchanged) == (1, len(DOCS) - 1)
    assert engine.models.query is None and engine.models.document is None


def test_the_language_subspace_is_remeasured_only_when_vectors_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, corpus = _indexed_corpus(tmp_path, monkeypatch)
    measured: list[str] = []
    real = balance.measure

    def counted(store: Store, model: str) -> balance.LanguageSubspace | None:
        measured.append(model)
        return real(store, model)

    monkeypatch.setattr(balance, "measure", counted)
    engine.index([corpus])  # nothing changed: reading every vector again buys nothing
    assert measured == []
    (corpus / "safety/earthquake.txt").unlink()
    engine.index([corpus])
    assert measured == [engine.model]


def test_forget_removes_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, corpus = _indexed_corpus(tmp_path, monkeypatch)
    assert engine.forget(corpus / "law") == 1
    assert engine.search("citizenship", SearchOptions(mode="lexical")) == []
    names = {
        Path(h.path).name for h in engine.search("citizenship certificate", SearchOptions(k=10))
    }
    assert names == {"dengue.txt", "earthquake.txt", "apples.txt"}


def _xlsearch() -> list[str]:
    return [sys.executable, "-c", "from xlsearch.cli import main; main()"]


def test_kill_9_during_indexing_resumes_without_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(240):
        (corpus / f"note{i:03d}.txt").write_text(f"Field note number {i}: token{i:03d}x was seen.")
    env = {**os.environ, "XLSEARCH_HOME": str(tmp_path / "home")}
    db = tmp_path / "home" / "index.db"
    proc = subprocess.Popen(
        [*_xlsearch(), "index", str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    committed = 0
    deadline = time.monotonic() + 240
    while committed == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
        committed = _count(db, "SELECT count(*) FROM documents")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Text and keywords are committed first, vectors after: either may be cut short.
    embedded = _count(db, "SELECT count(*) FROM embeddings")
    assert committed > 0 and (committed < 240 or embedded < 240), "the kill should land mid-run"
    done = subprocess.run(
        [*_xlsearch(), "index", str(corpus)], env=env, capture_output=True, text=True, check=True
    )
    assert "240" not in done.stdout.split("new")[0]  # committed files were not redone
    assert _count(db, "SELECT count(*) FROM documents") == 240
    assert _count(db, "SELECT count(DISTINCT document_id) FROM chunks") == 240
    assert _count(db, "SELECT count(*) FROM chunks") == 240
    assert _count(db, "SELECT count(*) FROM embeddings") == 240
    engine = Engine(home=tmp_path / "home")
    for i in (0, 119, 239):
        hits = engine.search(f"token{i:03d}x", SearchOptions(mode="lexical"))
        assert [Path(h.path).name for h in hits] == [f"note{i:03d}.txt"]
        dense = engine.search(
            f"Field note number {i}: token{i:03d}x was seen.", SearchOptions(mode="dense", k=240)
        )
        assert len({h.path for h in dense}) == 240  # every file once, none twice


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare is not installed")
def test_index_and_search_with_the_network_switched_off(tmp_path: Path) -> None:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here")
    corpus = write_corpus(tmp_path / "corpus")
    env = {**os.environ, "XLSEARCH_HOME": str(tmp_path / "home")}
    subprocess.run(
        ["unshare", "-n", *_xlsearch(), "index", str(corpus)],
        env=env,
        check=True,
        capture_output=True,
    )
    found = subprocess.run(
        [
            "unshare",
            "-n",
            *_xlsearch(),
            "search",
            "--json",
            "How can I stop mosquitoes breeding around my house?",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "dengue.txt" in found.stdout.split("\n", 3)[2]


def test_nothing_in_the_package_changes_settings_per_query() -> None:
    """Options travel in a SearchOptions value; no module assigns to a settings field
    (the CLI, the app and the evaluation once did, per query)."""
    package = Path(__file__).resolve().parents[2] / "xlsearch"
    assigning = re.compile(r"\bsettings\.\w+\s*=[^=]")
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if assigning.search(line)
    ]
    assert offenders == []
