"""Rich Text Format (.rtf): paragraphs as Sections, legacy-font runs converted.

A small reader of our own rather than striprtf: striprtf handles ``\\uN`` escapes well
but returns one string, and converting Preeti text needs to know which font each run
is set in. RTF is a flat stream of groups, control words and text, so one linear pass
with a stack of group states (font, Unicode skip count, hidden destination) suffices;
the stack is bounded, so deep nesting cannot exhaust memory or recursion.

Fonts come from the font table: a font named there that is a legacy Nepali font
(Preeti, Kantipur, ...: :func:`xlsearch.extract.legacy.legacy_font`) marks its runs
for conversion. ``\\'hh`` bytes are decoded in the font's charset (``\\fcharset``)
or the document's ``\\ansicpg``; a legacy font's bytes stay as the cp1252 characters
the converter expects. Headers, footers, pictures, objects and other destinations
that are not body text are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from xlsearch.errors import ExtractError
from xlsearch.extract.decode import decode_text
from xlsearch.extract.legacy import convert_runs, legacy_font
from xlsearch.types import Section

MAX_DEPTH = 1_000
"""Groups nested deeper than this share the state of the group at this depth."""

_TOKEN = re.compile(
    r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # a control word, its number, its delimiting space
    r"|\\'([0-9a-fA-F]{2})"  # a byte in hex
    r"|\\([^a-zA-Z])"  # a control symbol (\*, \~, \{, ...)
    r"|([{}])"  # a group opens or closes
    r"|[\r\n]+"  # raw line ends mean nothing in RTF
    r"|([^\\{}\r\n]+)"  # text
)
_SKIPPED = frozenset(
    {
        "colortbl", "stylesheet", "info", "pict", "object", "header", "footer",
        "headerl", "headerr", "headerf", "footerl", "footerr", "footerf", "footnote",
        "fldinst", "themedata", "colorschememapping", "datastore", "latentstyles",
        "listtable", "listoverridetable", "rsidtbl", "xmlnstbl", "generator", "filetbl",
        "revtbl", "pgdsctbl", "bkmkstart", "bkmkend", "nonshppict", "shpinst",
        "panose", "falt", "fontemb", "fontfile",
    }
)  # fmt: skip
_BREAKS = {"par": "\n\n", "line": "\n", "sect": "\n\n", "page": "\n\n", "row": "\n\n"}
_SYMBOLS = {
    "tab": "\t", "cell": "\t", "emdash": "—", "endash": "–", "bullet": "•",
    "lquote": "‘", "rquote": "’", "ldblquote": "“", "rdblquote": "”", "emspace": " ",
    "enspace": " ", "qmspace": " ",
}  # fmt: skip
_CHARSETS = {0: "cp1252", 161: "cp1253", 162: "cp1254", 177: "cp1255", 178: "cp1256",
             186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250"}  # fmt: skip


@dataclass(frozen=True)
class _Group:
    font: int | None = None
    uc: int = 1
    skip: bool = False
    fonttbl: bool = False


@dataclass
class _Font:
    raw: str = ""  # the table's text for this font: "Preeti;"
    codepage: str | None = None

    @property
    def name(self) -> str:
        return self.raw.split(";")[0].strip()


def extract_rtf(data: bytes) -> list[Section]:
    """Sections of an RTF file, one per paragraph."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ExtractError("broken RTF: it does not start with {\\rtf")
    text = decode_text(data) if b"\x00" not in data[:4096] else data.decode("latin-1")
    return _Reader(text).sections()


class _Reader:
    """One pass over an RTF document: runs of (text, legacy font) split into paragraphs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.fonts: dict[int, _Font] = {}
        self.codepage = "cp1252"
        self.default_font: int | None = None
        self.runs: list[tuple[str, str | None]] = []
        self.skip_chars = 0

    def sections(self) -> list[Section]:
        stack = [_Group()]
        table_font: int | None = None
        overflow = 0  # groups opened past MAX_DEPTH, which share the deepest state
        for match in _TOKEN.finditer(self.text):
            word, number, hexbyte, symbol, brace, plain = match.groups()
            group = stack[-1]
            if brace == "{":
                if len(stack) < MAX_DEPTH:
                    stack.append(group)
                else:
                    overflow += 1
            elif brace == "}":
                if overflow:
                    overflow -= 1
                elif len(stack) > 1:
                    stack.pop()
            elif group.fonttbl and not group.skip:
                table_font = self._font_table(word, number, symbol, plain, table_font, stack)
            elif word is not None:
                self._word(word, number, stack)
            elif symbol is not None:
                self._symbol(symbol, stack)
            elif not group.skip and hexbyte is not None:
                self._byte(int(hexbyte, 16), group)
            elif not group.skip and plain is not None:
                self._text(plain, group)
        return self._paragraphs()

    # -- control words ----------------------------------------------------------------
    def _word(self, word: str, number: str | None, stack: list[_Group]) -> None:
        group = stack[-1]
        value = int(number) if number is not None else None
        if word in _SKIPPED:
            stack[-1] = replace(group, skip=True)
        elif word == "fonttbl":
            stack[-1] = replace(group, fonttbl=True)
        elif group.skip:
            return
        elif word == "f" and value is not None:
            stack[-1] = replace(group, font=value)
        elif word == "uc" and value is not None:
            stack[-1] = replace(group, uc=max(0, min(value, 8)))
        elif word == "u" and value is not None:
            self._emit(chr(value % 65536), group)
            self.skip_chars = group.uc
        elif word == "ansicpg" and value is not None:
            self.codepage = f"cp{value}"
        elif word == "deff" and value is not None:
            self.default_font = value
        elif word in _BREAKS:
            self._emit(_BREAKS[word], group)
        elif word in _SYMBOLS:
            self._emit(_SYMBOLS[word], group)

    def _symbol(self, symbol: str, stack: list[_Group]) -> None:
        group = stack[-1]
        if symbol == "*":  # an optional destination this reader does not know: skip it
            stack[-1] = replace(group, skip=True)
        elif group.skip:
            return
        elif symbol in "\\{}":
            self._text(symbol, group)
        elif symbol == "~":
            self._emit("\u00a0", group)
        elif symbol in "\n\r":
            self._emit("\n\n", group)

    def _font_table(
        self, word: str | None, number: str | None, symbol: str | None, plain: str | None,
        current: int | None, stack: list[_Group],
    ) -> int | None:  # fmt: skip
        """Record font numbers, names and charsets; return the font being described."""
        if word in _SKIPPED or symbol == "*":
            stack[-1] = replace(stack[-1], skip=True)
        elif word == "f" and number is not None:
            current = int(number)
            self.fonts.setdefault(current, _Font())
        elif word == "fcharset" and number is not None and current is not None:
            self.fonts[current].codepage = _CHARSETS.get(int(number))
        elif plain and current is not None:
            self.fonts[current].raw += plain
        return current

    # -- text -------------------------------------------------------------------------
    def _byte(self, value: int, group: _Group) -> None:
        if self.skip_chars:
            self.skip_chars -= 1
            return
        font = self.fonts.get(group.font if group.font is not None else self.default_font or 0)
        codepage = self.codepage
        if font is not None and legacy_font(font.name) is not None:
            codepage = "cp1252"  # the converter reads a legacy font's codes as cp1252
        elif font is not None and font.codepage:
            codepage = font.codepage
        try:
            char = bytes([value]).decode(codepage)
        except (LookupError, UnicodeDecodeError):
            char = bytes([value]).decode("cp1252", "replace")
        self._emit(char, group)

    def _text(self, text: str, group: _Group) -> None:
        if self.skip_chars:
            cut = min(self.skip_chars, len(text))
            self.skip_chars -= cut
            text = text[cut:]
        if text:
            self._emit(text, group)

    def _emit(self, text: str, group: _Group) -> None:
        number = group.font if group.font is not None else self.default_font
        font = self.fonts.get(number) if number is not None else None
        self.runs.append((text, legacy_font(font.name) if font is not None else None))

    def _paragraphs(self) -> list[Section]:
        sections: list[Section] = []
        paragraph: list[tuple[str, str | None]] = []
        for text, font in [*self.runs, ("\n\n", None)]:
            parts = text.split("\n\n")
            for index, part in enumerate(parts):
                if index:
                    joined, converted = convert_runs(paragraph)
                    if joined.strip():
                        sections.append(Section(text=joined.strip(), converted_from=converted))
                    paragraph = []
                if part:
                    paragraph.append((part, font))
        return sections
