"""Make the demo corpus's scanned notice (an image-only PDF) and phone photo (a JPEG).

Offices keep paper: these two files stand for it. Each is a made-up Nepali notice with
an English line, drawn in a Devanagari font, then degraded the way a flatbed scanner
(slight tilt, blur, specks) or a phone camera (tilt, blur, uneven light, a table around
the sheet) does; xlsearch reads them back with OCR. Run from the repository root:

    python assets/make_demo_scans.py

Needs Pillow with libraqm (the PyPI wheels have it; ``PIL.features.check('raqm')``),
without which Devanagari comes out unshaped, and the Lohit Devanagari font
(``apt install fonts-lohit-deva``). The words are in this file; the drawing helpers
are in ``benchmarks/corpora/scans.py``, shared with the OCR tests and benchmark.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.corpora.scans import (  # noqa: E402
    fonts,
    image_pdf,
    jpeg,
    photographed,
    render_page,
    scanned,
    shaping,
)

DEMO = REPO / "assets" / "demo"

BHATTA_NOTICE = """नेपाल सरकार
धुनिबेंसी नगरपालिका, वडा नं. ४ को कार्यालय
सूचना
सामाजिक सुरक्षा भत्ता वितरण सम्बन्धमा

यस वडाका जेष्ठ नागरिक, एकल महिला र अपाङ्गता भएका व्यक्तिहरूको चालु आर्थिक वर्षको दोस्रो \
किस्ताको सामाजिक सुरक्षा भत्ता बैंक खातामार्फत वितरण गरिने भएकाले सम्बन्धित सबैलाई जानकारी गराइन्छ।

१. बैंक खाता नभएका लाभग्राहीले नागरिकता प्रमाणपत्र र परिचयपत्रको प्रतिलिपि लिएर वडा \
कार्यालयमा सम्पर्क गर्नुहोला।
२. भत्ता लिने व्यक्तिको मृत्यु भएमा परिवारका सदस्यले पैंतीस दिनभित्र मृत्यु दर्ता गराउनुपर्नेछ।
३. जीवित रहेको प्रमाण (हाजिरी) वर्षमा एक पटक वडामा आएर दिनुपर्नेछ।

Social security allowance: second instalment paid into bank accounts; bring citizenship \
certificate and ID card to the ward office.

वडा सचिव"""

PANI_NOTICE = """स्वास्थ्य चौकी, सल्यानटार
सूचना: पिउने पानी शुद्धीकरण

वर्षायाममा झाडापखाला र हैजा फैलिन सक्ने भएकाले पिउने पानी उमालेर वा क्लोरिन (पियूष) \
हालेर मात्र पिउनुहोस्। एक लिटर पानीमा तीन थोपा पियूष हालेर आधा घण्टापछि पिउनुहोस्।
खाना खानुअघि र शौचालयबाट आएपछि साबुन पानीले हात धुनुहोस्।
Boil drinking water or add chlorine drops (Piyush) during the monsoon."""


def main() -> None:
    if not shaping():
        raise SystemExit("Pillow lacks libraqm: Devanagari would be drawn unshaped.")
    font = fonts(devanagari=True)[0]
    notice = render_page(BHATTA_NOTICE, font, dpi=200, points=11, width_in=5.83)
    pdf = DEMO / "law" / "scan_samajik_suraksha_bhatta_suchana.pdf"
    pdf.write_bytes(image_pdf([scanned(notice, tilt=0.7, blur=0.5, seed=7)], dpi=200, quality=35))
    poster = render_page(PANI_NOTICE, font, dpi=170, points=12, width_in=5.5)
    photo = DEMO / "health" / "photo_pani_shuddhikaran_suchana.jpg"
    photo.write_bytes(jpeg(photographed(poster, tilt=3.5, blur=1.0), quality=45))
    for path in (pdf, photo):
        print(f"{path.relative_to(REPO)}: {path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
