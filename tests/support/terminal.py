"""A folder of files whose text and names try to drive the terminal that shows them.

Each kind is one small file holding a distinct harmless word ("vaccine", for the
searches) and one hostile sequence; some carry it in the file or folder name, a PDF's
page text, an HTML title or a .docx paragraph instead. ``PAYLOADS`` are words that only
the hostile sequences carry: a screen that shows one of them drew what the sequence
hid. ``NAME_PAYLOADS`` are carried by file and folder names, which must stay
recognisable, so they may be shown, with their controls made visible.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.corpora.hostile import make_docx, make_pdf

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

TEXT_KINDS: dict[str, str] = {
    "osc0_title": f"{ESC}]0;PWNTITLE{BEL}",
    "osc2_title": f"{ESC}]2;PWNTWO{ST}",
    "osc8_link": f"{ESC}]8;;https://evil.example/PWNLINK{ST}click{ESC}]8;;{ST}",
    "osc52_clipboard": f"{ESC}]52;c;PWNCLIP{BEL}",
    "csi_cursor": f"{ESC}[2J{ESC}[H{ESC}[5;5HPWNCSI{ESC}[1A",
    "dcs": f"{ESC}PqPWNDCS{ST}",
    "apc": f"{ESC}_PWNAPC{ST}",
    "pm": f"{ESC}^PWNPM{ST}",
    "sos": f"{ESC}XPWNSOS{ST}",
    "c1_csi": "\u009b2J\u009b1;1H",
    "c1_osc": "\u009d0;PWNCONE\u009c",
    "bel": BEL * 3,
    "backspace": "fake\b\b\b\b",
    "carriage_return": "truth\r",
    "delete": "\x7f\x7f",
    "other_c0": "\x01\x0b\x0c\x1a",
    **{f"bidi_{ord(c):04x}": c for c in BIDI},
}
PAYLOADS = [
    "PWNTITLE",
    "PWNTWO",
    "PWNLINK",
    "PWNCLIP",
    "PWNDCS",
    "PWNAPC",
    "PWNPM",
    "PWNSOS",
    "PWNCONE",
]
NAME_PAYLOADS = ["NAMEPWN", "DIRPWN"]
FILLER = "The ward health post runs the measles and polio rounds every month. " * 4
"""Plain words around a sequence, so the file reads as text, not binary data."""
ZWJ_NAME = "क्\u200dष र ज्\u200cञ.txt"
"""Devanagari written with a zero-width joiner and non-joiner, which must survive. (The
index keeps names as they are; text is stored normalised, without joiners.)"""


def make_terminal_hostile(root: Path) -> dict[str, Path]:
    """Write the folder under ``root``; returns each kind's file."""
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for kind, sequence in TEXT_KINDS.items():
        path = root / f"{kind}.txt"
        path.write_text(f"vaccine {kind} before {sequence} after campaign.\n{FILLER}", "utf-8")
        files[kind] = path
    named = {
        "name_osc": root / f"vaccine{ESC}]0;NAMEPWN{BEL}.txt",
        "name_bidi": root / "vaccine\u202eexe.txt",
        "name_newline": root / "vaccine\nsecond line.txt",
    }
    for kind, path in named.items():
        path.write_text(f"vaccine {kind} schedule for the ward.\n", encoding="utf-8")
        files[kind] = path
    folder = root / f"folder{ESC}]2;DIRPWN{BEL}"
    folder.mkdir()
    files["folder_name"] = folder / "notes.txt"
    files["folder_name"].write_text("vaccine folder_name notes.\n", encoding="utf-8")
    files["pdf_text"] = root / "report.pdf"
    files["pdf_text"].write_bytes(make_pdf([f"vaccine pdf_text {ESC}]0;PWNTITLE{BEL} end"]))
    files["html_title"] = root / "page.html"
    files["html_title"].write_text(
        f"<html><head><title>vaccine {ESC}]0;PWNTITLE{BEL}</title></head>"
        "<body><p>vaccine html_title body.</p></body></html>",
        encoding="utf-8",
    )
    files["docx_run"] = root / "letter.docx"
    # XML forbids C0 controls, so a .docx carries C1 and bidi controls instead.
    make_docx(files["docx_run"], ["vaccine docx_run \u009d0;PWNCONE\u009c \u202eend"])
    files["zwj"] = root / ZWJ_NAME
    files["zwj"].write_text("vaccine joiners in the name.\n", encoding="utf-8")
    return files


def unsafe_characters(text: str) -> list[str]:
    """The characters of ``text`` a terminal would obey: C0 but tab and newline, DEL,
    C1, and the bidi controls."""
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F or c in BIDI
    ]
