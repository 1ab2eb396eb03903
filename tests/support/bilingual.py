"""Four short documents, two in Nepali and two in English, each answering its questions in
one language only; and the name of the file a query finds first."""

from __future__ import annotations

from pathlib import Path

from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions

DOCS = {
    # Only in Nepali: how to stop dengue mosquitoes breeding.
    "health/dengue.txt": (
        "डेङ्गु रोग एडिस जातको लामखुट्टेको टोकाइबाट सर्छ। यो लामखुट्टे सफा जमेको पानीमा फुल पार्छ।\n\n"
        "घर वरपर पानी जम्न नदिनुहोस्। पुराना टायर, भाँडा र गमलामा जमेको पानी हप्तामा एक पटक फाल्नुहोस्।\n"
    ),
    # Only in Nepali: what to do in an earthquake.
    "safety/earthquake.txt": (
        "भूकम्प आउँदा टेबलमुनि बस्नुहोस्, टाउको छोप्नुहोस् र बलियोसँग समात्नुहोस्।\n"
        "झ्याल र ऐनाबाट टाढा रहनुहोस्। कम्पन रोकिएपछि मात्र खुला ठाउँमा जानुहोस्।\n"
    ),
    # Only in English: citizenship certificate.
    "law/citizenship.md": (
        "# Citizenship certificate\n\n"
        "To obtain a citizenship certificate, apply at the District Administration Office. "
        "Bring your father's or mother's certificate, your birth registration and a "
        "recommendation letter from your ward office.\n"
    ),
    # Only in English: apples.
    "farm/apples.txt": (
        "Apple orchards in Mustang and Jumla ripen in autumn. Farmers wrap the fruit in paper "
        "boxes and carry them to markets in Pokhara.\n"
    ),
}


def write_corpus(root: Path) -> Path:
    for name, text in DOCS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def top_path(engine: Engine, query: str, mode: str = "hybrid") -> str:
    hits = engine.search(query, SearchOptions(mode))
    assert hits, query
    return Path(hits[0].path).name
