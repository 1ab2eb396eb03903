"""Search: lexical (FTS5 BM25), dense (HNSW), reciprocal rank fusion and snippets."""
