"""Answering a query: reading it (``query``, ``romanize``, ``phonetic``, ``lexicon``),
its keyword expression (``lexical``), query heads (``head``, ``head_training``), the
options of one search (``options``), snippets (``snippet``) and the ``Searcher`` that
asks the store and hands the candidates to :mod:`xlsearch.rank`."""
