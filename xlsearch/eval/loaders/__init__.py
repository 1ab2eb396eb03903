"""Format readers for evaluation datasets, and the choice of reader from a path's layout.

Each reader returns a :class:`~xlsearch.eval.datasets.Dataset` and raises
:class:`~xlsearch.errors.DatasetError` with a one-sentence message on bad input.
"""

from __future__ import annotations

from pathlib import Path

from xlsearch.errors import DatasetError
from xlsearch.eval.datasets import Dataset
from xlsearch.eval.loaders.beir import load_beir
from xlsearch.eval.loaders.parallel import load_parallel
from xlsearch.eval.loaders.romanized import FILE as ROMANIZED_FILE
from xlsearch.eval.loaders.romanized import with_romanized
from xlsearch.eval.loaders.tmx import load_tmx
from xlsearch.eval.loaders.xquad_r import is_lareqa, load_xquad_r

__all__ = ["load_beir", "load_parallel", "load_path", "load_tmx", "load_xquad_r"]

# FLORES names files by ISO 639-3 code (eng.dev, npi_Deva.dev); the project uses 639-1.
_FLORES_CODES = {"eng": "en", "npi": "ne", "nep": "ne", "hin": "hi"}
_ALIGNED_SUFFIXES = {".dev", ".devtest", ".test", ".txt"}


def _aligned_files(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in _ALIGNED_SUFFIXES:
            code = path.stem.split("_")[0].lower()
            files[_FLORES_CODES.get(code, code)] = path
    return files


def _parallel(folder: Path) -> Dataset | None:
    metadata = sorted(folder.glob("metadata*.tsv"))
    files = _aligned_files(folder)
    if not metadata or len(files) < 2:
        return None
    return load_parallel(files, metadata[0], level="article")


def _load_one(path: Path) -> Dataset | None:
    """The dataset at ``path`` when its layout is one this package reads, else None."""
    if path.is_file():
        return load_tmx(path) if path.suffix == ".tmx" else None
    if not path.is_dir():
        return None
    if (path / "corpus.jsonl").is_file():
        ds = load_beir(path)
        romanized = path / ROMANIZED_FILE
        return with_romanized(ds, romanized) if romanized.is_file() else ds
    lareqa = [p for p in sorted(path.glob("*.json")) if is_lareqa(p)]
    if lareqa:
        return load_xquad_r(lareqa, name=path.name)
    tmx = sorted(path.glob("*.tmx"))
    if len(tmx) == 1:
        return load_tmx(tmx[0], name=path.name)
    return _parallel(path)


def load_path(path: Path) -> list[Dataset]:
    """The dataset at ``path``, or failing that every dataset among its direct children."""
    found = _load_one(path)
    if found is not None:
        return [found]
    if path.is_dir():
        children = [_load_one(child) for child in sorted(path.iterdir())]
        datasets = [ds for ds in children if ds is not None]
        if datasets:
            return datasets
    raise DatasetError(
        f"No dataset layout recognised at {path}; expected BEIR, XQuAD-R, TMX or parallel files."
    )
