"""The ranking policy's decisions on hand-made candidates (no SQLite, no graph):
coverage of the query's idf, evidence lent to other-script passages, and twins."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from xlsearch.rank.policy import POLICY
from xlsearch.rank.ranking import (
    Candidates,
    IndexFacts,
    coverage,
    fuse,
    idf,
    keyword_weight,
    lending,
    standout,
    twin_evidence,
    unseen_chunks,
    unseen_share,
)
from xlsearch.search.query import analyse

CHUNKS = 43
DOCUMENTS = {"alpha": 2, "beta": 1, "gamma": 1, "delta": 1}
ENGLISH, SECOND, NEPALI, FILLER = 1, 2, 3, 4
LANGUAGES = {ENGLISH: "en", SECOND: "en", NEPALI: "ne", FILLER: "en"}


def _candidates(
    typed: str,
    dense: list[tuple[int, float]],
    lexical: list[tuple[int, float]] | None = None,
    best_terms: frozenset[str] = frozenset({"alpha", "beta", "gamma"}),
) -> Candidates:
    query = analyse(typed, None)
    assert query is not None
    found = {t: DOCUMENTS[t] for t in query.keyword_terms if t in DOCUMENTS}
    lexical = [(ENGLISH, 4.0), (SECOND, 1.0)] if lexical is None else lexical
    facts = IndexFacts(1, CHUNKS, found)
    return Candidates(query, lexical, dense, facts, LANGUAGES, frozenset(), best_terms)


def test_coverage_is_the_share_of_the_querys_idf_the_best_keyword_match_holds() -> None:
    dense = [(ENGLISH, 0.9)]
    assert coverage(POLICY, _candidates("alpha beta gamma", dense)) == pytest.approx(1.0)
    # "gamma" is held by one chunk, "zeta" by none: the best match holds gamma's share.
    held, missing = idf(1, CHUNKS), idf(0, CHUNKS)
    share = coverage(POLICY, _candidates("gamma zeta", dense))
    assert share == pytest.approx(held / (held + missing))
    assert coverage(POLICY, _candidates("omega", dense, lexical=[])) == 0.0


def test_other_script_passages_get_less_lent_evidence_when_keywords_explain_the_query() -> None:
    policy = replace(POLICY, keyword_weight=0.5)
    dense = [(NEPALI, 0.9), (ENGLISH, 0.8), (FILLER, 0.5)]  # Nepali first by meaning
    # Every word of the query is in the English passage: it is the answer.
    assert fuse(policy, _candidates("alpha beta gamma", dense))[0][0] == ENGLISH
    # The English passage holds two words of five, and no passage the other three: the
    # Nepali one may be the answer.
    few = _candidates("alpha beta zeta eta theta", dense, best_terms=frozenset({"alpha", "beta"}))
    assert fuse(policy, few)[0][0] == NEPALI
    assert unseen_share(POLICY, 1.0) == pytest.approx(1 - POLICY.explained_trust)
    assert unseen_share(POLICY, 0.0) == 1.0


def test_other_script_passages_are_lent_what_own_script_passages_of_their_meaning_hold() -> None:
    beta = 0.25  # the second match's keyword evidence (1.0 over the best 4.0)
    # Own-script meaning equal to keyword evidence: b = m on the line through them.
    dense = [(ENGLISH, 1.0), (SECOND, beta), (NEPALI, 0.5), (FILLER, 0.0)]
    dense.sort(key=lambda pair: -pair[1])
    found = _candidates("alpha beta gamma", dense)
    assert unseen_chunks(POLICY, found) == {NEPALI}
    line = lending(POLICY, found, {NEPALI})
    assert line.slope == pytest.approx(1.0) and line.intercept == pytest.approx(0.0, abs=1e-9)
    fused = dict(fuse(POLICY, found))
    weight = keyword_weight(POLICY, found)
    assert fused[NEPALI] == pytest.approx(0.5 + weight * POLICY.lent_scale * 0.5)
    # With under three own-script passages to read it from, the unexplained share lends.
    few = _candidates("alpha beta gamma", [(ENGLISH, 1.0), (NEPALI, 0.5), (FILLER, 0.0)])
    fallback = lending(POLICY, few, {NEPALI, FILLER})
    assert fallback(1.0) == pytest.approx(unseen_share(POLICY, coverage(POLICY, few)))


@pytest.mark.parametrize("twin", [True, False])
def test_a_translation_of_a_top_keyword_match_borrows_its_keyword_evidence(twin: bool) -> None:
    lexical = [(ENGLISH, 4.0), (SECOND, 1.0)]
    english, second = np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0]])
    nepali = english if twin else np.array([[0.0, 0.0, 1.0]])
    left = np.vstack([english, second])
    borrowed = twin_evidence(POLICY, lexical, [ENGLISH, SECOND], left, [NEPALI], nepali)
    assert borrowed == ({NEPALI: pytest.approx(1.0)} if twin else {})
    dense = [(FILLER, 0.9), (ENGLISH, 0.8), (NEPALI, 0.8)]
    found = replace(_candidates("alpha beta gamma", dense), borrowed=borrowed)
    fused = dict(fuse(POLICY, found))
    # The twin stands level with the passage it translates; a stranger is far below.
    assert (fused[NEPALI] == pytest.approx(fused[ENGLISH])) is twin


def test_the_keyword_weight_follows_how_far_bm25s_best_stands_out() -> None:
    policy = replace(POLICY, keyword_weight=0.1, standout_gain=1.0, max_keyword_weight=0.6)
    assert standout([]) == 0.0
    assert standout([(1, 5.0)]) == 1.0
    assert standout([(1, 4.0), (2, 3.0), (3, 1.0)]) == pytest.approx(0.25)
    assert keyword_weight(
        policy, _candidates("alpha", [], lexical=[(1, 4.0), (2, 4.0)])
    ) == pytest.approx(0.1)
    assert keyword_weight(
        policy, _candidates("alpha", [], lexical=[(1, 4.0), (2, 3.0)])
    ) == pytest.approx(0.35)
    assert keyword_weight(policy, _candidates("alpha", [], lexical=[(1, 4.0)])) == pytest.approx(
        0.6
    )  # capped
    # A lone strong keyword match overtakes a meaning lead that level BM25 scores do not.
    dense = [(FILLER, 0.9), (ENGLISH, 0.85), (SECOND, 0.5)]
    level = _candidates("alpha beta", dense, lexical=[(ENGLISH, 4.0), (FILLER, 3.9)])
    alone = _candidates("alpha beta", dense, lexical=[(ENGLISH, 4.0), (FILLER, 0.4)])
    assert fuse(policy, level)[0][0] == FILLER
    assert fuse(policy, alone)[0][0] == ENGLISH


def test_a_lone_match_of_one_word_of_several_is_weak_evidence() -> None:
    # One passage matches, so BM25's best stands out fully; but it holds one of the
    # query's three words: the weight rises by a third of the standout only.
    whole = _candidates("alpha beta gamma", [], lexical=[(ENGLISH, 4.0)])
    part = _candidates("alpha beta gamma", [], [(ENGLISH, 4.0)], frozenset({"alpha"}))
    share = coverage(POLICY, part)
    assert 0 < share < 0.5
    assert keyword_weight(POLICY, whole) == pytest.approx(POLICY.max_keyword_weight)
    expected = POLICY.keyword_weight + POLICY.standout_gain * share
    assert keyword_weight(POLICY, part) == pytest.approx(min(expected, POLICY.max_keyword_weight))
