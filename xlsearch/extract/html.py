"""HTML pages (and EPUB chapters): visible text as one Section per block of text.

The page is parsed by selectolax's Lexbor parser. Only the <title> of the head is
kept; script, style, noscript and template contents never reach the index. Text
runs are grouped by block-level element (p, li, h1, td, ...), with whitespace
collapsed as a browser would. The tree is walked with an explicit stack, so
absurdly deep nesting cannot overflow Python's recursion limit.

Text set in a legacy Nepali font (Preeti, ...) is converted to Unicode. The font is
read where pages simply name it: ``<font face>``, an inline ``font-family``, and
``font-family`` rules for a tag, a class or tag.class in the page's <style> blocks (an
EPUB passes its stylesheets in too). An element inherits its parent's font unless it
names its own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xlsearch.extract.decode import decode_text
from xlsearch.extract.legacy import convert_runs, legacy_font
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
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;]+)", re.I)
_SIMPLE_SELECTOR = re.compile(r"^([a-z][a-z0-9]*)?(?:\.([\w-]+))?$", re.I)
Runs = list[tuple[str, str | None]]


def extract_html(data: bytes, stylesheet: str = "") -> list[Section]:
    """Sections of an HTML file: its title, then one per block of visible text.

    ``stylesheet`` is CSS that applies besides the page's own <style> blocks.
    """
    return html_sections(decode_text(data, declared_charset(data)), stylesheet)


def declared_charset(data: bytes) -> str | None:
    """The charset a <meta> tag near the top of the page declares, if any."""
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


def html_sections(markup: str, stylesheet: str = "") -> list[Section]:
    """Sections of already decoded HTML ``markup`` (line and page are None)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    sections: list[Section] = []
    title = tree.css_first("title")
    if title is not None:
        _append_collapsed(sections, [(title.text(), None)])
    if tree.body is not None:
        css = "\n".join([stylesheet, *(node.text() for node in tree.css("style"))])
        sections.extend(_block_texts(tree.body, font_rules(css)))
    return sections


def font_rules(css: str) -> dict[str, str]:
    """Simple selector ("p", ".np", "p.np") -> the first font family its rules name."""
    rules: dict[str, str] = {}
    for selectors, body in _CSS_RULE.findall(css):
        family = _FONT_FAMILY.search(body)
        if family is None:
            continue
        for selector in selectors.split(","):
            if _SIMPLE_SELECTOR.match(selector.strip()):
                rules[selector.strip().lower()] = _first_family(family.group(1))
    return rules


def _first_family(value: str) -> str:
    """The first name of a CSS font-family list, unquoted."""
    return value.split(",")[0].strip().strip("'\"")


def _declared_font(node: LexborNode, rules: dict[str, str]) -> str | None:
    """The font ``node`` itself names (inline style, face, then class and tag rules)."""
    attributes = node.attributes
    inline = _FONT_FAMILY.search(attributes.get("style") or "")
    if inline is not None:
        return _first_family(inline.group(1))
    if node.tag == "font" and attributes.get("face"):
        return _first_family(attributes.get("face") or "")
    tag = node.tag or ""
    for name in (attributes.get("class") or "").split():
        found = rules.get(f"{tag}.{name.lower()}") or rules.get(f".{name.lower()}")
        if found:
            return found
    return rules.get(tag)


def _block_texts(root: LexborNode, rules: dict[str, str]) -> list[Section]:
    """The visible text under ``root``, one Section per block-level run of text."""
    sections: list[Section] = []
    pieces: Runs = []
    stack: list[tuple[LexborNode, bool, str | None]] = [(root, False, None)]
    while stack:
        node, leaving, font = stack.pop()
        if node.is_text_node:
            pieces.append((node.text_content or "", font))
        elif leaving:
            _append_collapsed(sections, pieces)
        elif node.is_element_node and node.tag not in _SKIPPED:
            declared = _declared_font(node, rules)
            font = font if declared is None else legacy_font(declared)
            if node.tag in _BLOCKS:
                _append_collapsed(sections, pieces)
                stack.append((node, True, font))
            children = list(node.iter(include_text=True))
            stack.extend((child, False, font) for child in reversed(children))
    _append_collapsed(sections, pieces)
    return sections


def _append_collapsed(sections: list[Section], pieces: Runs) -> None:
    """Convert and join ``pieces`` with whitespace collapsed; append it if non-empty; clear."""
    joined, font = convert_runs(pieces)
    text = " ".join(joined.split())
    if text:
        sections.append(Section(text=text, converted_from=font))
    pieces.clear()
