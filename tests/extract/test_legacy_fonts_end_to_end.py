"""Preeti documents in a folder, indexed and searched end to end.

With the real multilingual model: a Preeti .txt (no font named, found by the detector)
and a Preeti .docx (runs in font "Preeti", one English run) are found by Nepali and by
English questions among Unicode distractors. With the hash embedder (fast): the CLI's
status and --json say what was converted, and the detection setting switches it off.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tests.support.fakes import use_hash_embedder
from xlsearch.cli import cli
from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions

DEMO = REPO / "assets" / "demo"
PREETI_TXT = "preeti_khop_abhiyan_suchana.txt"
PREETI_DOCX = "preeti_janma_darta_suchana.docx"
DISTRACTORS = {
    "dengue.txt": "डेङ्गु रोग एडिस जातको लामखुट्टेको टोकाइबाट सर्छ। घर वरपर पानी जम्न नदिनुहोस्।\n",
    "citizenship.md": "# Citizenship\n\nApply at the District Administration Office with your "
    "parents' certificates and a recommendation letter from the ward office.\n",
    "apples.txt": "Apple orchards in Mustang and Jumla ripen in autumn; farmers carry the fruit "
    "to markets in Pokhara.\n",
}


def _folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEMO / "health" / PREETI_TXT, root / PREETI_TXT)
    shutil.copy(DEMO / "law" / PREETI_DOCX, root / PREETI_DOCX)
    for name, text in DISTRACTORS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, shared_models: Path) -> Engine:
    home = tmp_path_factory.mktemp("legacy-home")
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    found = Engine(home=home)
    found.index([_folder(tmp_path_factory.mktemp("legacy-corpus"))])
    return found


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("दादुरा रुबेला खोप कहाँ र कहिले लगाइन्छ?", PREETI_TXT),
        ("Where and when can children get the measles rubella vaccine?", PREETI_TXT),
        ("जन्म दर्ता गर्न कुन कुन कागजात चाहिन्छ?", PREETI_DOCX),
        ("Within how many days must a newborn's birth be registered?", PREETI_DOCX),
    ],
)
def test_preeti_documents_are_found_by_nepali_and_english_questions(
    engine: Engine, question: str, expected: str
) -> None:
    hits = engine.search(question, SearchOptions(mode="hybrid", k=3))
    assert Path(hits[0].path).name == expected, [Path(h.path).name for h in hits]
    assert hits[0].converted_from == "Preeti"


@pytest.mark.model
def test_the_english_run_of_the_mixed_docx_stays_english(engine: Engine) -> None:
    hits = engine.search("birth registration", SearchOptions(mode="lexical", k=5))
    texts = [h.text for h in hits if Path(h.path).name == PREETI_DOCX]
    assert texts and "(birth registration)" in texts[0]
    assert "जन्म दर्ता (birth registration) जन्मेको ३५ दिनभित्र" in texts[0]


def test_status_and_json_say_what_was_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    corpus = _folder(tmp_path / "corpus")
    runner = CliRunner()
    assert runner.invoke(cli, ["index", str(corpus)]).exit_code == 0
    status = runner.invoke(cli, ["status"]).output
    assert f"{corpus / PREETI_TXT} (converted from Preeti)" in status
    assert f"{corpus / PREETI_DOCX} (converted from Preeti)" in status
    assert "dengue.txt (converted" not in status
    hits = json.loads(runner.invoke(cli, ["search", "--json", "--mode", "lexical", "खोप"]).output)
    assert {(Path(h["path"]).name, h["converted_from"]) for h in hits} == {(PREETI_TXT, "Preeti")}
    plain = json.loads(runner.invoke(cli, ["search", "--json", "लामखुट्टे"]).output)
    assert plain[0]["converted_from"] is None
    as_text = runner.invoke(cli, ["search", "--mode", "lexical", "खोप"]).output
    assert "[converted from Preeti]" in as_text


def test_detection_off_leaves_unmarked_text_but_converts_named_fonts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    monkeypatch.setenv("XLSEARCH_DETECT_LEGACY_FONTS", "false")
    engine = Engine()
    engine.index([_folder(tmp_path / "corpus")])
    assert engine.search("खोप", SearchOptions(mode="lexical")) == []  # the .txt names no font
    assert {Path(h.path).name for h in engine.search("दर्ता", SearchOptions(mode="lexical"))} == {
        PREETI_DOCX
    }
    assert set(engine.status().converted) == {str(tmp_path / "corpus" / PREETI_DOCX)}
