"""OpenDocument text (.odt): one Section per paragraph or heading, in document order.

odfpy loads the document; the paragraph text is gathered here rather than with
odfpy's ``teletype.extractText``, which recurses without limit and trusts the
repeat count of ``<text:s c="...">`` (a hostile count would fill memory).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from xlsearch.errors import ExtractError
from xlsearch.extract.common import check_zip, short_reason
from xlsearch.types import Section

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_PARAGRAPHS = frozenset({(_TEXT_NS, "p"), (_TEXT_NS, "h")})
_LINE_BREAK = (_TEXT_NS, "line-break")
_TAB = (_TEXT_NS, "tab")
_SPACES = (_TEXT_NS, "s")
_MAX_SPACES = 64

# odfpy has no type hints: its nodes are typed Any here.
OdfNode = Any


def extract_odt(data: bytes) -> list[Section]:
    """Sections of an .odt file, one per non-empty paragraph or heading."""
    check_zip(data, "ODT", required=("content.xml",))
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except Exception as exc:
        raise ExtractError(f"broken ODT: {short_reason(exc)}") from exc
    texts = (_paragraph_text(node).strip() for node in _paragraph_nodes(document.text))
    return [Section(text=text) for text in texts if text]


def _paragraph_nodes(root: OdfNode) -> Iterator[OdfNode]:
    """The <text:p> and <text:h> elements under ``root`` in document order, outermost only."""
    stack = [root]
    while stack:
        node = stack.pop()
        if getattr(node, "qname", None) in _PARAGRAPHS:
            yield node
        else:
            stack.extend(reversed(node.childNodes))


def _paragraph_text(paragraph: OdfNode) -> str:
    """The text of one paragraph with spaces, tabs and line breaks written out."""
    pieces: list[str] = []
    stack = list(reversed(paragraph.childNodes))
    while stack:
        node = stack.pop()
        qname = getattr(node, "qname", None)
        if qname is None:
            pieces.append(str(getattr(node, "data", "")))
        elif qname == _LINE_BREAK:
            pieces.append("\n")
        elif qname == _TAB:
            pieces.append("\t")
        elif qname == _SPACES:
            pieces.append(" " * _space_count(node))
        else:
            stack.extend(reversed(node.childNodes))
    return "".join(pieces)


def _space_count(node: OdfNode) -> int:
    """How many spaces a <text:s> stands for, capped at a sane number."""
    try:
        count = int(node.getAttribute("c") or 1)
    except (AttributeError, TypeError, ValueError):
        count = 1
    return max(1, min(count, _MAX_SPACES))
