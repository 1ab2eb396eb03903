"""The real CLI with the hash embedder, for child processes of tests and benchmarks.

``python -m benchmarks.corpora.fake_cli index FOLDER`` behaves like ``xlsearch index
FOLDER`` but embeds with ``benchmarks.corpora.hash_embedder.HashEmbedder``;
``XLSEARCH_TEST_EMBED_DELAY`` (seconds per batch) slows indexing down so that other
processes can meet it mid-run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import numpy as np

from benchmarks.corpora.hash_embedder import HashEmbedder, install_hash_embedder


class SlowHashEmbedder(HashEmbedder):
    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(float(os.environ.get("XLSEARCH_TEST_EMBED_DELAY", "0")))
        return super().encode_documents(texts)


def main() -> None:
    import xlsearch.embed.loaded as loaded_module
    from xlsearch.cli import main as cli_main

    install_hash_embedder()
    loaded_module.document_embedder = lambda name, home, *_: SlowHashEmbedder(name)  # type: ignore[attr-defined]
    cli_main()


if __name__ == "__main__":
    main()
