"""OpenDocument text (.odt): one Section per paragraph or heading, in document order.

odfpy loads the document; the paragraph text is gathered here rather than with
odfpy's ``teletype.extractText``, which recurses without limit and trusts the
repeat count of ``<text:s c="...">`` (a hostile count would fill memory).

Text set in a legacy Nepali font (Preeti, ...) is converted to Unicode. A paragraph or
span takes its font from its style (``style:font-name`` through the font-face
declarations, or ``fo:font-family``), that style's parents, and for paragraphs the
default paragraph style; a span without a font of its own keeps its paragraph's.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from xlsearch.errors import ExtractError
from xlsearch.extract.common import check_zip, short_reason
from xlsearch.extract.legacy import convert_runs, legacy_font
from xlsearch.types import Section

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_SVG_NS = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
_STYLE_NAME = (_TEXT_NS, "style-name")
_MAX_PARENTS = 16  # a parent-style loop must not hang the reader
_PARAGRAPHS = frozenset({(_TEXT_NS, "p"), (_TEXT_NS, "h")})
_LINE_BREAK = (_TEXT_NS, "line-break")
_TAB = (_TEXT_NS, "tab")
_SPACES = (_TEXT_NS, "s")
_MAX_SPACES = 64

# odfpy has no type hints: its nodes are typed Any here.
OdfNode = Any


def open_document(data: bytes, kind: str) -> OdfNode:
    """The OpenDocument in ``data`` (``kind`` "ODT", "ODP": for reasons), parsed."""
    check_zip(data, kind, required=("content.xml",))
    from odf.opendocument import load

    try:
        return load(io.BytesIO(data))
    except Exception as exc:
        raise ExtractError(f"broken {kind}: {short_reason(exc)}") from exc


def extract_odt(data: bytes) -> list[Section]:
    """Sections of an .odt file, one per non-empty paragraph or heading."""
    document = open_document(data, "ODT")
    fonts = StyleFonts(document)
    sections = []
    for node in _paragraph_nodes(document.text):
        text, font = convert_runs(_paragraph_runs(node, fonts))
        if text.strip():
            sections.append(Section(text=text.strip(), converted_from=font))
    return sections


class StyleFonts:
    """The font each named style of one document declares, through its parents."""

    def __init__(self, document: OdfNode) -> None:
        faces = {
            face.attributes.get((_STYLE_NS, "name")): face.attributes.get((_SVG_NS, "font-family"))
            for face in _children(document.fontfacedecls)
        }
        self._own: dict[str, tuple[str | None, str | None]] = {}
        self.default: str | None = None
        for holder in (document.styles, document.automaticstyles):
            for style in _children(holder):
                family = _declared_family(style, faces)
                if style.qname == (_STYLE_NS, "default-style"):
                    if style.attributes.get((_STYLE_NS, "family")) == "paragraph" and family:
                        self.default = family
                    continue
                parent = style.attributes.get((_STYLE_NS, "parent-style-name"))
                self._own[str(style.attributes.get((_STYLE_NS, "name")))] = (family, parent)

    def declared(self, name: str | None) -> str | None:
        """The font family style ``name`` (or a parent) declares, None if none does."""
        for _ in range(_MAX_PARENTS):
            if name is None or name not in self._own:
                return None
            family, name = self._own[name]
            if family:
                return family
        return None


def _children(node: OdfNode | None) -> list[OdfNode]:
    return [] if node is None else [c for c in node.childNodes if getattr(c, "qname", None)]


def _declared_family(style: OdfNode, faces: dict[Any, Any]) -> str | None:
    """The font family a style's own <style:text-properties> names."""
    for child in _children(style):
        if child.qname == (_STYLE_NS, "text-properties"):
            face = child.attributes.get((_STYLE_NS, "font-name"))
            family = faces.get(face) or face or child.attributes.get((_FO_NS, "font-family"))
            return str(family).strip("'\"") if family else None
    return None


def _paragraph_nodes(root: OdfNode) -> Iterator[OdfNode]:
    """The <text:p> and <text:h> elements under ``root`` in document order, outermost only."""
    stack = [root]
    while stack:
        node = stack.pop()
        if getattr(node, "qname", None) in _PARAGRAPHS:
            yield node
        else:
            stack.extend(reversed(node.childNodes))


def _paragraph_runs(paragraph: OdfNode, fonts: StyleFonts) -> list[tuple[str, str | None]]:
    """(text, legacy font or None) runs of one paragraph, spaces, tabs and breaks written out."""
    declared = fonts.declared(paragraph.attributes.get(_STYLE_NAME)) or fonts.default
    runs: list[tuple[str, str | None]] = []
    stack = [(child, legacy_font(declared)) for child in reversed(paragraph.childNodes)]
    while stack:
        node, font = stack.pop()
        qname = getattr(node, "qname", None)
        if qname is None:
            runs.append((str(getattr(node, "data", "")), font))
        elif qname == _LINE_BREAK:
            runs.append(("\n", font))
        elif qname == _TAB:
            runs.append(("\t", font))
        elif qname == _SPACES:
            runs.append((" " * _space_count(node), font))
        else:
            own = fonts.declared(node.attributes.get(_STYLE_NAME))
            font = font if own is None else legacy_font(own)
            stack.extend((child, font) for child in reversed(node.childNodes))
    return runs


def _space_count(node: OdfNode) -> int:
    """How many spaces a <text:s> stands for, capped at a sane number."""
    try:
        count = int(node.getAttribute("c") or 1)
    except (AttributeError, TypeError, ValueError):
        count = 1
    return max(1, min(count, _MAX_SPACES))
