"""A moved or renamed file is the same document at a new path: it keeps its chunks,
keywords and vectors (chunk ids and all), so the HNSW graph is not even loaded, and a
renamed folder leaves no empty folder behind in status."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.cold_search import cli_process
from tests.support.fakes import CountingEmbedder, use_counting_embedder
from xlsearch.cli import cli
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions

LEAFLET = "Dengue spreads where water stands. Empty the pots near the house every week."


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> CountingEmbedder:
    return use_counting_embedder(monkeypatch, E5_MODEL_ID)


def _folder(folder: Path, count: int = 4) -> Path:
    folder.mkdir(parents=True)
    for n in range(count):
        text = f"{LEAFLET} Leaflet {n} for ward {n}, पानी जम्न नदिनुहोस् {n}."
        (folder / f"leaflet-{n}.txt").write_text(text, encoding="utf-8")
    return folder


def _chunks_by_path(engine: Engine) -> dict[str, list[int]]:
    rows = engine.store.conn.execute(
        "SELECT d.path, c.id FROM chunks c JOIN documents d ON d.id = c.document_id ORDER BY c.id"
    ).fetchall()
    found: dict[str, list[int]] = {}
    for path, chunk_id in rows:
        found.setdefault(str(path), []).append(int(chunk_id))
    return found


def test_a_renamed_folder_moves_its_documents_and_forgets_the_old_name(
    tmp_path: Path, counter: CountingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsearch.store.ann import VectorIndex

    folder = _folder(tmp_path / "ward-reports")
    first = Engine().index([folder])
    before = _chunks_by_path(Engine())
    renamed = folder.rename(tmp_path / "ward-reports-2026")

    loaded: list[str] = []
    with monkeypatch.context() as graph:
        graph.setattr(VectorIndex, "_load", lambda *a: loaded.append("load"))
        graph.setattr(VectorIndex, "_build", lambda *a: loaded.append("build"))
        engine = Engine()  # a fresh process's engine
        again = engine.index([renamed])

    assert (again.moved, again.added, again.removed, again.chunks) == (4, 0, 0, 0)
    assert (again.embedded, again.reused) == (0, 0)
    assert counter.documents == first.chunks  # nothing embedded a second time
    assert loaded == []  # no vector changed: the saved graph is not read
    after = _chunks_by_path(engine)
    assert after == {p.replace(str(folder), str(renamed)): ids for p, ids in before.items()}
    assert [r.path for r in engine.status().roots] == [str(renamed)]

    fresh = Engine()
    hits = fresh.search("Leaflet 2 for ward 2", SearchOptions(mode="dense", k=4))
    assert hits and all(h.path.startswith(str(renamed) + "/") for h in hits)
    assert hits[0].path == str(renamed / "leaflet-2.txt")
    words = fresh.search("ward", SearchOptions(mode="lexical", k=10))
    assert {h.path for h in words} == {str(renamed / f"leaflet-{n}.txt") for n in range(4)}


def test_a_file_renamed_inside_its_folder_keeps_its_document(
    tmp_path: Path, counter: CountingEmbedder
) -> None:
    folder = _folder(tmp_path / "reports")
    Engine().index([folder])
    before = _chunks_by_path(Engine())
    (folder / "leaflet-1.txt").rename(folder / "ward-one.txt")
    (folder / "leaflet-3.txt").unlink()

    report = Engine().index([folder])

    assert (report.moved, report.removed, report.added, report.unchanged) == (1, 1, 0, 2)
    after = _chunks_by_path(Engine())
    assert after[str(folder / "ward-one.txt")] == before[str(folder / "leaflet-1.txt")]
    assert str(folder / "leaflet-3.txt") not in after


def test_a_copied_folder_is_not_a_move_and_a_missing_drive_is_kept(
    tmp_path: Path, counter: CountingEmbedder
) -> None:
    folder = _folder(tmp_path / "usb" / "reports")
    Engine().index([folder])
    copy = Path(shutil.copytree(folder, tmp_path / "desk" / "reports"))
    copied = Engine().index([copy])
    assert (copied.moved, copied.added) == (0, 4)  # the originals are still there

    shutil.rmtree(tmp_path / "usb")  # a drive unplugged: its documents wait for it
    other = tmp_path / "notes"
    other.mkdir()
    (other / "visit.txt").write_text("Notes of the ward visit.", encoding="utf-8")
    Engine().index([other])
    roots = {r.path: (r.documents, r.present) for r in Engine().status().roots}
    assert roots == {str(folder): (4, False), str(copy): (4, True), str(other): (1, True)}
    said = CliRunner().invoke(cli, ["status"]).output
    missing = [line for line in said.splitlines() if "not found now" in line]
    assert len(missing) == 1 and str(folder) in missing[0]  # the person learns why


def test_two_new_files_with_the_content_of_one_moved_file(
    tmp_path: Path, counter: CountingEmbedder
) -> None:
    folder = _folder(tmp_path / "reports", count=1)
    Engine().index([folder])
    original = folder / "leaflet-0.txt"
    shutil.copy(original, folder / "second.txt")
    original.rename(folder / "first.txt")

    report = Engine().index([folder])

    assert (report.moved, report.added, report.removed) == (1, 1, 0)
    paths = set(_chunks_by_path(Engine()))
    assert paths == {str(folder / "first.txt"), str(folder / "second.txt")}


def test_re_indexing_a_renamed_folder_imports_no_numpy_sqlite_utils_or_graph(
    tmp_path: Path, counter: CountingEmbedder
) -> None:
    folder = _folder(tmp_path / "ward-reports")
    Engine().index([folder])
    renamed = folder.rename(tmp_path / "renamed")
    said, loaded = cli_process(["index", str(renamed)])
    assert "4 moved" in said  # it really indexed the folder
    heavy = {"numpy", "sqlite_utils", "hnswlib", "torch", "openvino", "xlsearch.search.searcher"}
    assert heavy & loaded == set()
    assert "xlsearch.index.indexer" in loaded  # what it does use


def test_a_run_that_changes_no_vector_saves_a_graph_left_behind(
    tmp_path: Path, counter: CountingEmbedder
) -> None:
    from xlsearch import paths
    from xlsearch.store.ann_manifest import in_step

    kept, dropped = _folder(tmp_path / "kept", count=2), _folder(tmp_path / "dropped", count=2)
    engine = Engine()
    engine.index([kept, dropped])
    graph = paths.vectors_dir(engine.home)
    assert in_step(graph, engine.model, engine.store)
    engine.forget(dropped)  # changes the vectors; the saved graph is now behind
    assert not in_step(graph, engine.model, engine.store)

    again = Engine().index([kept])

    assert (again.added, again.embedded) == (0, 0)  # nothing changed in this run
    assert in_step(graph, engine.model, engine.store)  # yet the graph is saved in step
