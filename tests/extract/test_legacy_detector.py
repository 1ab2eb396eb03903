"""The legacy-font detector, measured: no false conversions, and the recall it reaches.

The sets are built in benchmarks/corpora/legacy.py; benchmarks/legacy_fonts.py prints the same
figures. Measured when written: 0 false conversions of 547 negatives, recall 210/210 on
the Preeti-encoded built-in Nepali passages (and 99.3% on their single sentences).
"""

from __future__ import annotations

from benchmarks.corpora.legacy import negatives, preeti_passages
from xlsearch.extract.legacy import looks_legacy


def test_no_false_conversions_on_300_or_more_negatives() -> None:
    sets = negatives()
    total = sum(len(texts) for texts in sets.values())
    assert total >= 300
    assert all(len(texts) >= 40 for texts in sets.values()), {k: len(v) for k, v in sets.items()}
    wrong = [
        (kind, text[:60]) for kind, texts in sets.items() for text in texts if looks_legacy(text)
    ]
    assert wrong == []


def test_recall_on_preeti_encoded_nepali_passages() -> None:
    passages = preeti_passages()
    assert len(passages) >= 200
    found = sum(looks_legacy(preeti) for _, preeti in passages.values())
    assert found / len(passages) >= 0.99, f"recall {found}/{len(passages)}"
    # The Unicode originals are not legacy text.
    assert not any(looks_legacy(original) for original, _ in passages.values())


def test_short_or_empty_text_is_never_converted() -> None:
    for text in ("", "   ", "f]", "sf] 5", "12345 67890", "ok"):
        assert not looks_legacy(text), text
