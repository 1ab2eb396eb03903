"""Which font each run of a .docx is set in, resolved the way Word resolves it.

Word takes a run's font from the first place that names one: the run's own properties,
its character style and that style's bases, the paragraph's style and its bases, and
finally the document defaults. Any of them may name a theme font (``minorHAnsi``)
instead, which the theme part maps to a typeface. Only the Latin slots (``w:ascii``,
then ``w:hAnsi``) matter here: legacy Nepali fonts draw over ASCII codes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from xlsearch.extract.legacy import legacy_font

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MAX_BASES = 16  # a basedOn loop must not hang the reader
# lxml elements from python-docx are untyped here.
Element = Any


class FontResolver:
    """Legacy-font lookups for the runs of one document."""

    def __init__(self, document: Document) -> None:
        self._styles: dict[str, Element] = {}
        for style in document.styles.element.iterfind(f"{_W}style"):
            self._styles[str(style.get(f"{_W}styleId"))] = style
        self._defaults = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self._theme = _theme_fonts(document)
        self._default_style = next(
            (
                style_id
                for style_id, style in self._styles.items()
                if style.get(f"{_W}type") == "paragraph"
                and style.get(f"{_W}default") in ("1", "true")
            ),
            None,
        )

    def runs(self, paragraph: Paragraph) -> Iterator[tuple[str, str | None]]:
        """(text, legacy font or None) for each run of ``paragraph``, links included."""
        from docx.text.run import Run

        pstyle = paragraph._p.find(f"{_W}pPr/{_W}pStyle")
        paragraph_style = None if pstyle is None else pstyle.get(f"{_W}val")
        for item in paragraph.iter_inner_content():
            for run in [item] if isinstance(item, Run) else item.runs:
                yield run.text, legacy_font(self.font(run._r, paragraph_style))

    def font(self, run: Element, paragraph_style: str | None) -> str | None:
        """The font name ``run`` is drawn in, None if nothing names one."""
        rpr = run.find(f"{_W}rPr")
        found = self._named(rpr)
        if found is None and rpr is not None:
            rstyle = rpr.find(f"{_W}rStyle")
            found = self._from_style(None if rstyle is None else rstyle.get(f"{_W}val"))
        if found is None:
            found = self._from_style(paragraph_style or self._default_style)
        return found if found is not None else self._named(self._defaults)

    def _from_style(self, style_id: str | None) -> str | None:
        for _ in range(_MAX_BASES):
            style = self._styles.get(style_id or "")
            if style is None:
                return None
            found = self._named(style.find(f"{_W}rPr"))
            if found is not None:
                return found
            based = style.find(f"{_W}basedOn")
            style_id = None if based is None else based.get(f"{_W}val")
        return None

    def _named(self, rpr: Element | None) -> str | None:
        """The Latin font an ``w:rPr`` element names, directly or through the theme."""
        fonts = None if rpr is None else rpr.find(f"{_W}rFonts")
        if fonts is None:
            return None
        for slot in ("ascii", "hAnsi"):
            name = fonts.get(f"{_W}{slot}")
            if name:
                return str(name)
            theme = fonts.get(f"{_W}{slot}Theme")
            if theme:
                return self._theme.get("major" if theme.startswith("major") else "minor")
        return None


def _theme_fonts(document: Document) -> dict[str, str]:
    """{"major": typeface, "minor": typeface} from the document's theme, if it has one."""
    from lxml import etree

    for part in document.part.package.iter_parts():
        if str(part.partname).startswith("/word/theme/"):
            root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False))
            found = {}
            for kind in ("major", "minor"):
                latin = root.find(f".//{_A}{kind}Font/{_A}latin")
                if latin is not None and latin.get("typeface"):
                    found[kind] = str(latin.get("typeface"))
            return found
    return {}
