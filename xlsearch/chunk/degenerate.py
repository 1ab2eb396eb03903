"""Degenerate text: what it is, and how little of it meaning search needs.

A file of one word repeated, a base64 blob or a minified script bundle yields thousands
of chunks that say nothing a person would search for by meaning. Such a file keeps its
keyword entries (every chunk is still found by its words), and only a few distinct
chunks get vectors; the rest are recorded as left out, with the reason, in status.
The checks look at a bounded sample of the text, so they cost milliseconds on any file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from xlsearch.types import Chunk

SAMPLE_CHARS = 200_000
"""How much of the text the checks read (the start, where a blob shows at once)."""
MIN_TOKENS = 200
"""Shorter texts are never degenerate: a short note may well repeat one word."""
REPEATED_SHARE = 0.8
"""One token making up this share of all tokens: 'one word repeated'."""
BLOB_SHARE = 0.6
"""Share of the characters inside long base64-alphabet runs: 'encoded data'."""
MINIFIED_LINE = 2000
"""Mean line length (characters) above which code-like text counts as minified."""
CODE_PUNCTUATION = 0.08
"""Share of ``{}();=,`` characters that makes long-lined text code-like."""
SAMPLED_CHUNKS = 4
"""Distinct chunks of a degenerate file that still get vectors."""

_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=_-]{100,}")


def classify(text: str) -> str | None:
    """Why ``text`` is degenerate ("one word repeated", "encoded data (base64)",
    "minified code"), or None for ordinary text."""
    sample = text[:SAMPLE_CHARS]
    tokens = sample.split()
    if len(tokens) < MIN_TOKENS and len(sample) < 20 * MIN_TOKENS:
        return None
    blob = sum(len(m) for m in _BASE64_RUN.findall(sample))
    if blob >= BLOB_SHARE * len(sample):
        return "encoded data (base64)"
    lines = sample.count("\n") + 1
    punctuation = sum(sample.count(c) for c in "{}();=,")
    if len(sample) / lines > MINIFIED_LINE and punctuation >= CODE_PUNCTUATION * len(sample):
        return "minified code"
    top = Counter(tokens).most_common(1)[0][1] if tokens else 0
    if len(tokens) >= MIN_TOKENS and top >= REPEATED_SHARE * len(tokens):
        return "one word repeated"
    return None


def sample(chunks: Sequence[Chunk], limit: int = SAMPLED_CHUNKS) -> set[int]:
    """Ordinals of up to ``limit`` chunks with distinct texts, first ones first."""
    chosen: dict[str, int] = {}
    for chunk in chunks:
        if len(chosen) >= limit:
            break
        chosen.setdefault(chunk.text, chunk.ordinal)
    return set(chosen.values())


def skip_reason(kind: str) -> str:
    """The sentence status shows for a degenerate file's left-out chunks."""
    return f"{kind}: found by keywords; meaning search covers a sample of {SAMPLED_CHUNKS} passages"
