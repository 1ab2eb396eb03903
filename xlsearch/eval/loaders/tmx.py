"""Reads a TMX 1.4 translation memory as a bitext retrieval dataset.

Each translation unit (``<tu>``) holds one segment per language (``<tuv xml:lang>``);
a segment is the query and its translation in another language the one relevant doc.
The file is streamed with ``iterparse`` so large memories stay small in memory.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path

from xlsearch.errors import DatasetError
from xlsearch.eval.datasets import Dataset, EvalDoc, EvalQuery, with_judged_queries

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _short_lang(code: str) -> str:
    """``ne-NP`` and ``ne_NP`` become ``ne``: the datasets' language codes are bare."""
    return code.replace("_", "-").split("-")[0].lower()


def _segment_text(element: ET.Element) -> str:
    """The segment's words: ``bpt``/``ept``/``ph``/``it`` hold native markup, not text."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in ("hi", "sub"):
            parts.append(_segment_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _segments(tu: ET.Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for tuv in tu.iter("tuv"):
        # TMX 1.4 uses xml:lang; TMX 1.1 files used a plain lang attribute.
        code = tuv.get(_XML_LANG) or tuv.get("lang") or ""
        seg = tuv.find("seg")
        if seg is not None:
            found[_short_lang(code)] = " ".join(_segment_text(seg).split())
    return found


def _units(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    try:
        for number, (_, element) in enumerate(ET.iterparse(path, events=("end",))):
            if element.tag == "tu":
                yield element.get("tuid") or f"tu{number}", _segments(element)
                element.clear()
    except FileNotFoundError:
        raise DatasetError(f"{path} is missing; give an existing .tmx file.") from None
    except ET.ParseError as error:
        raise DatasetError(f"{path} is not well-formed TMX: {error}.") from None


def load_tmx(path: Path, langs: Sequence[str] = ("en", "ne"), name: str | None = None) -> Dataset:
    """The translation units of ``path`` in ``langs`` as bitext retrieval.

    Doc ids are ``<lang>-<tuid>``, query ids ``<lang>:<tuid>``; a query is relevant
    (grade 1) to the same unit's segment in each other language. Units with fewer than
    two of ``langs`` are skipped; a repeated tuid is an error, since ids would clash.
    """
    docs: dict[str, EvalDoc] = {}
    queries: dict[str, EvalQuery] = {}
    qrels: dict[str, dict[str, int]] = {}
    for tuid, segments in _units(path):
        kept = {lang: text for lang, text in segments.items() if lang in langs and text}
        if len(kept) < 2:
            continue
        if f"{next(iter(kept))}-{tuid}" in docs:
            raise DatasetError(f"{path} repeats tuid {tuid!r}; tuids must be unique.")
        for lang, text in kept.items():
            docs[f"{lang}-{tuid}"] = EvalDoc(f"{lang}-{tuid}", text, lang)
            queries[f"{lang}:{tuid}"] = EvalQuery(f"{lang}:{tuid}", text, lang)
            qrels[f"{lang}:{tuid}"] = {f"{other}-{tuid}": 1 for other in kept if other != lang}
    if not queries:
        raise DatasetError(f"{path} has no translation unit in two of {', '.join(langs)}.")
    return with_judged_queries(Dataset(name or path.stem, docs, queries, qrels))
