"""Names the dead-code check (vulture, in ./dev.sh test) cannot see used, and why.

Each line names something used from outside Python's view: by a library calling it
back, by a subprocess, or by the tests that observe the app. Nothing else belongs here.
"""

import types

from xlsearch.embed import e5_convert, encoder_gate, openvino_build
from xlsearch.extract import (
    archive,
    delimited,
    doc,
    docx,
    epub,
    guard,
    html,
    image,
    mail,
    odt,
    pdf,
    plain,
    ppt,
    rtf,
    sheets,
    slides,
)
from xlsearch.search import function_words
from xlsearch.store import db
from xlsearch.tui import app, cells
from xlsearch.tui.screens import eval as eval_screen
from xlsearch.tui.screens import index as index_screen

types.ModuleType.__path__  # the import system reads it (text._stemmer's package)
guard.serve  # the reader process runs it: python -c "from ...guard import serve; serve(n)"
image.Image.MAX_IMAGE_PIXELS  # Pillow's own decompression-bomb limit, set for Pillow
plain.extract_plain  # the format readers, imported by name (extract._READERS) when the
html.extract_html  # ... first file of their type is read
pdf.extract_pdf
docx.extract_docx
odt.extract_odt
epub.extract_epub
image.extract_image
sheets.extract_xlsx
sheets.extract_xls
sheets.extract_ods
delimited.extract_csv
delimited.extract_tsv
doc.extract_doc
rtf.extract_rtf
slides.extract_pptx
ppt.extract_ppt
slides.extract_odp
mail.extract_eml
mail.extract_mbox
archive.extract_zip
e5_convert.Tokenizer.normalizer  # tokenizers reads these attributes of the tokenizer it
e5_convert.Tokenizer.pre_tokenizer  # ... saves (normaliser, pre-tokenizer, post-
e5_convert.Tokenizer.post_processor  # ... processor, decoder)
e5_convert.Tokenizer.decoder
encoder_gate.Figures.passages_per_second  # written to the manifest by dataclasses.asdict
openvino_build.Pooled.forward  # torch calls a module's forward when OpenVINO traces it
db.Store.allowed_chunks  # the filter SQL's own unit test reads through it
app.XlsearchApp.watching  # the folders the watcher follows; tests wait on it
cells.restore_rich_widths  # tests undo the app's process-wide Rich width change
eval_screen.EvalScreen.disabled  # Textual reads a widget's disabled flag
index_screen.IndexScreen.last_report  # the last run's report; tests wait on it
function_words.write_function_words  # run by hand to write data/function_words.tsv anew
