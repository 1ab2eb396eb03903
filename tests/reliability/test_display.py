"""The display boundary: what a terminal would obey is made visible or dropped."""

from __future__ import annotations

from xlsearch import display


def test_names_show_controls_visibly_and_keep_joiners() -> None:
    assert display.name("a\x1b]0;X\x07.txt") == "a␛]0;X␇.txt"
    assert display.name("vaccine\u202eexe.txt") == "vaccine\\u202eexe.txt"
    assert display.name("two\nlines\r.txt") == "two␊lines␍.txt"
    assert display.name("x\x7f\u0085\u2066") == "x␡\\x85\\u2066"
    assert display.name("क्\u200dष ज्\u200cञ\tok") == "क्\u200dष ज्\u200cञ\tok"


def test_shown_keeps_newlines_unless_asked() -> None:
    assert display.shown("a\nb\x1b") == "a\nb␛"
    assert display.shown("a\nb", newlines=False) == "a␊b"


def test_passages_lose_whole_sequences_and_their_payloads() -> None:
    cases = {
        "a\x1b]0;TITLE\x07b": "ab",
        "a\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\b": "alinkb",
        "a\x1b[2J\x1b[10;4Hb": "ab",
        "a\x1bPqDCS\x1b\\b": "ab",
        "a\x1b_APC\x1b\\b \x1b^PM\x1b\\c \x1bXSOS\x1b\\d": "ab c d",
        "a\u009b2Jb\u009d0;T\u009cc": "abc",
        "fake\b\b\b\btrue": "faketrue",
        "one\rtwo\r\nthree": "one two\nthree",
        "x\u202ey\u2067z\x7f\x00": "xyz",
        "क्\u200dष\tज्\u200cञ": "क्\u200dष\tज्\u200cञ",
    }
    for raw, safe in cases.items():
        assert display.passage(raw) == safe, raw


def test_marked_passage_moves_spans_with_the_text() -> None:
    text = "\x1b]0;T\x07nepal \x1b[1mriver\x1b[0m"
    safe, spans = display.marked_passage(text, [(6, 11), (16, 21)])
    assert safe == "nepal river"
    assert [safe[a:b] for a, b in spans] == ["nepal", "river"]


def test_invisible_removes_only_zero_width_controls() -> None:
    assert display.invisible("a\x1b]0;T\x07b\u202ec\u200d") == "a]0;Tbc\u200d"
