"""Make the legacy binary fixtures (.doc, .xls, .ppt) with LibreOffice; run by hand.

    apt-get install -y libreoffice-core libreoffice-writer libreoffice-calc \
        libreoffice-impress --no-install-recommends
    PYTHONPATH=. python tests/data/formats/make_fixtures.py

LibreOffice is needed only here, never by the tests or by xlsearch: the outputs are
committed. Each file holds a Nepali and an English sentence the tests look for.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEPALI = "नेपालको राजधानी काठमाडौं हो।"
ENGLISH = "The lighthouse keeper counts ships."
PREETI = "g]kfnsf] /fhwfgL sf7df8f}+ xf] ."  # नेपालको राजधानी काठमाडौं हो । in Preeti


def _convert(source: Path, target: str, out: Path, infilter: str | None = None) -> Path:
    command = ["soffice", "--headless", "--convert-to", target, "--outdir", str(out)]
    if infilter:
        command.append(f"--infilter={infilter}")
    subprocess.run([*command, str(source)], check=True, capture_output=True, timeout=120)
    return out / f"{source.stem}.{target.split(':')[0]}"


def _html(path: Path, body: str) -> Path:
    path.write_text(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>')
    return path


def make_doc(work: Path) -> None:
    # antiword refuses a text stream under a few hundred bytes: a page of filler.
    filler = "".join(f"<p>Filler paragraph {n} about nothing in particular.</p>" for n in range(12))
    body = f"<p>{NEPALI}</p><p>{ENGLISH}</p>{filler}"
    shutil.copy(_convert(_html(work / "words.html", body), "doc:MS Word 97", work), HERE)
    preeti = f'<p><font face="Preeti">{PREETI}</font></p>' * 12
    shutil.copy(_convert(_html(work / "preeti.html", preeti), "doc:MS Word 97", work), HERE)


def make_xls(work: Path) -> None:
    rows = ["जिल्ला,बिरामी,Note", "धादिङ,12,lighthouse keeper", "Kathmandu,7,नेपालको राजधानी"]
    (work / "table.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    shutil.copy(_convert(work / "table.csv", "xls", work, "CSV:44,34,76"), HERE)


def make_ppt(work: Path) -> None:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.presentation import Notes
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    deck = OpenDocumentPresentation()
    layout = PageLayout(name="layout")
    deck.automaticstyles.addElement(layout)
    master = MasterPage(name="master", pagelayoutname=layout)
    deck.masterstyles.addElement(master)
    for title, notes in ((NEPALI, "speaker notes in English"), (ENGLISH, "वक्ताको टिप्पणी")):
        page = Page(masterpagename=master)
        frame = Frame(width="20cm", height="3cm", x="1cm", y="1cm")
        box = TextBox()
        box.addElement(P(text=title))
        frame.addElement(box)
        page.addElement(frame)
        note_frame = Frame(width="20cm", height="3cm", x="1cm", y="1cm")
        note_box = TextBox()
        note_box.addElement(P(text=notes))
        note_frame.addElement(note_box)
        holder = Notes()
        holder.addElement(note_frame)
        page.addElement(holder)
        deck.presentation.addElement(page)
    deck.save(str(work / "slides.odp"))
    shutil.copy(_convert(work / "slides.odp", "ppt", work), HERE)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        for make in (make_doc, make_xls, make_ppt):
            make(Path(folder))
    print(sorted(p.name for p in HERE.iterdir()))
