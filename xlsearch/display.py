"""What may reach a person's terminal: text that strangers wrote, made safe to print.

Snippets, titles and file names come from files a person did not write (a downloaded
report, a mail, a USB stick). A terminal obeys control characters wherever they come
from: ``ESC ] 0 ;`` retitles the window, OSC 52 writes the clipboard, OSC 8 makes a link
whose text lies, CR and BS overwrite what was printed, and bidirectional overrides make
``vaccine<U+202E>exe.txt`` read as ``vaccinetxt.exe``. Every path to the screen goes
through this module:

- :func:`shown` is the boundary itself: each control character becomes visible text, C0
  controls as their Unicode pictures (``␛``, ``␇``), DEL as ``␡``, C1 controls and bidi
  controls as ``\\x85`` / ``\\u202e``, so a hostile file name stays recognisable and
  cannot act. Tab and newline pass; zero-width joiner and non-joiner, which written
  Devanagari needs, pass too.
- :func:`passage` is for document text (snippets, previews): whole escape sequences are
  dropped with their payload, CR and other controls become spaces or go, and bidi
  controls are neutralised, so the passage reads as the file's text.
- :func:`invisible` drops what a terminal would obey without changing a line's width;
  the app applies it to every drawn line as the last guard.

``--json`` output is exact instead (:func:`exact_json`): JSON escapes C0 controls
itself, and :func:`inert_json` escapes the C1 and bidi controls it leaves raw.
"""

from __future__ import annotations

import json
import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Arabic letter mark, LRM/RLM, embeddings, overrides, pop and the isolates."""

_CONTROLS = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI}]")
"""Everything :func:`shown` rewrites (tab is kept; newline is handled by the caller)."""

_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?     # CSI: colours, cursor moves
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])               # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?                 # ... their payload and end
    | \x1b[\x20-\x2f]*[\x30-\x7e]?                          # two-byte escapes (ESC c)
    """,
    re.VERBOSE,
)
_PASSAGE_DROP = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_INVISIBLE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI}]")
"""What ``json.dumps(ensure_ascii=False)`` leaves raw that a terminal would obey."""


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ .. ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def shown(text: str, newlines: bool = True) -> str:
    """``text`` with every control character made visible (see the module docstring);
    with ``newlines`` False a newline is made visible too (a file name on one line)."""
    if newlines:
        return "\n".join(_CONTROLS.sub(_picture, line) for line in text.split("\n"))
    return _CONTROLS.sub(_picture, text)


def name(path: str) -> str:
    """A file or folder name as a person may safely see it: one line, controls visible."""
    return shown(path, newlines=False)


def passage(text: str) -> str:
    """Document text to print: escape sequences dropped whole with their payload, CR as
    a space, other controls and bidi controls removed; tab and newline kept."""
    text = _SEQUENCE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", " ")
    return _PASSAGE_DROP.sub("", text)


def marked_passage(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """:func:`passage` of ``text`` made visible with :func:`shown`, and the (start, end)
    spans of its marked words moved to where they sit in the result."""
    out: list[str] = []
    moved: list[tuple[int, int]] = []
    last = 0
    for start, end in spans:
        out.append(shown(passage(text[last:start])))
        at = sum(len(piece) for piece in out)
        out.append(shown(passage(text[start:end])))
        moved.append((at, at + len(out[-1])))
        last = end
    out.append(shown(passage(text[last:])))
    return "".join(out), moved


def invisible(text: str) -> str:
    """``text`` without any control or bidi character: a terminal draws them in no
    cell, so removing them keeps a drawn line's width."""
    return _INVISIBLE.sub("", text)


def exact_json(value: object) -> str:
    """``value`` as JSON that decodes to exactly the stored strings; JSON escapes C0
    controls itself, and C1 and bidi controls are escaped here too (``\\u202e``) so
    that printing the JSON cannot move a terminal either."""
    return inert_json(json.dumps(value, ensure_ascii=False, indent=1))


def inert_json(text: str) -> str:
    """JSON ``text`` with C1 and bidi controls escaped (``\\u202e``): the same JSON."""
    return UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
