"""HTML pages (and EPUB chapters): visible text as one Section per block of text.

The page is parsed by selectolax's Lexbor parser. Only the <title> of the head is
kept; script, style, noscript and template contents never reach the index. Text
runs are grouped by block-level element (p, li, h1, td, ...), with whitespace
collapsed as a browser would. The tree is walked with an explicit stack, so
absurdly deep nesting cannot overflow Python's recursion limit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xlsearch.extract.decode import decode_text
from xlsearch.types import Section

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "math"})
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd",
        "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td",
        "th", "tr", "ul",
    }
)  # fmt: skip
# A charset named in <meta charset=...> or <meta http-equiv ... content="...; charset=...">.
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_SNIFF_BYTES = 4096


def extract_html(data: bytes) -> list[Section]:
    """Sections of an HTML file: its title, then one per block of visible text."""
    return html_sections(decode_text(data, declared_charset(data)))


def declared_charset(data: bytes) -> str | None:
    """The charset a <meta> tag near the top of the page declares, if any."""
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


def html_sections(markup: str) -> list[Section]:
    """Sections of already decoded HTML ``markup`` (line and page are None)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    texts: list[str] = []
    title = tree.css_first("title")
    if title is not None:
        _append_collapsed(texts, [title.text()])
    if tree.body is not None:
        texts.extend(_block_texts(tree.body))
    return [Section(text=text) for text in texts]


def _block_texts(root: LexborNode) -> list[str]:
    """The visible text under ``root``, one string per block-level run of text."""
    texts: list[str] = []
    pieces: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if node.is_text_node:
            pieces.append(node.text_content or "")
        elif leaving:
            _append_collapsed(texts, pieces)
        elif node.is_element_node and node.tag not in _SKIPPED:
            if node.tag in _BLOCKS:
                _append_collapsed(texts, pieces)
                stack.append((node, True))
            children = list(node.iter(include_text=True))
            stack.extend((child, False) for child in reversed(children))
    _append_collapsed(texts, pieces)
    return texts


def _append_collapsed(texts: list[str], pieces: list[str]) -> None:
    """Join ``pieces`` with whitespace collapsed, append it to ``texts`` if non-empty, clear."""
    text = " ".join("".join(pieces).split())
    if text:
        texts.append(text)
    pieces.clear()
