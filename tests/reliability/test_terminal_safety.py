"""No control sequence from a document or a file name reaches the terminal through the CLI.

The hostile folder (tests/support/terminal.py) is indexed, listed and searched; every
byte the CLI writes is checked: no C0 control but tab and newline, no DEL, no C1 and no
bidi control, and no word that only a hostile sequence carried. File names stay
recognisable with their controls made visible; --json stays exact.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.support.fakes import use_hash_embedder
from tests.support.terminal import (
    PAYLOADS,
    TEXT_KINDS,
    ZWJ_NAME,
    make_terminal_hostile,
    unsafe_characters,
)
from xlsearch.cli import cli


def _written(result: Result) -> str:
    """Everything the command wrote, stdout and stderr, as the terminal would get it."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return (result.stdout_bytes + result.stderr_bytes).decode("utf-8")


@pytest.fixture()
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CliRunner, dict[str, Path]]:
    use_hash_embedder(monkeypatch)
    files = make_terminal_hostile(tmp_path / "hostile")
    return CliRunner(), files


def test_index_status_and_search_write_no_control_character(
    hostile: tuple[CliRunner, dict[str, Path]],
) -> None:
    runner, files = hostile
    assert len(files) >= 20
    written = {
        "index": _written(runner.invoke(cli, ["index", str(files["zwj"].parent)])),
        "status": _written(runner.invoke(cli, ["status"])),
        "search": _written(
            runner.invoke(cli, ["search", "-k", "100", "--mode", "lexical", "vaccine"])
        ),
        "lexical": _written(
            runner.invoke(cli, ["search", "-k", "100", "--mode", "lexical", "before after"])
        ),
    }
    for command, text in written.items():
        assert unsafe_characters(text) == [], command
        for payload in PAYLOADS:
            assert payload not in text, (command, payload)
    found = written["search"]
    # Every file was indexed and found: the hostile ones are searchable, not dropped.
    for kind, path in files.items():
        if kind.startswith("name_") or kind == "folder_name":
            continue
        assert path.name in found, kind
    for kind in TEXT_KINDS:
        assert f"{kind}.txt" in written["lexical"], kind
    # Names stay recognisable, their controls shown as GNU ls would show them.
    assert "vaccine␛]0;NAMEPWN␇.txt" in found
    assert "vaccine\\u202eexe.txt" in found
    assert "vaccine␊second line.txt" in found
    assert "folder␛]2;DIRPWN␇" in written["status"] + found
    # A carriage return or backspace cannot make a line show what the file does not say.
    assert "truth" in written["lexical"] and "fake" in written["lexical"]


def test_devanagari_joiners_in_names_print_unchanged(
    hostile: tuple[CliRunner, dict[str, Path]],
) -> None:
    runner, files = hostile
    runner.invoke(cli, ["index", str(files["zwj"])])
    found = _written(runner.invoke(cli, ["search", "--mode", "lexical", "joiners"]))
    status = _written(runner.invoke(cli, ["status"]))
    assert ZWJ_NAME in found and ZWJ_NAME in status


def test_json_output_is_exact_and_still_inert(
    hostile: tuple[CliRunner, dict[str, Path]],
) -> None:
    runner, files = hostile
    runner.invoke(cli, ["index", str(files["zwj"].parent)])
    result = runner.invoke(cli, ["search", "--json", "-k", "100", "vaccine"])
    assert unsafe_characters(result.stdout_bytes.decode("utf-8")) == []
    hits = json.loads(result.stdout_bytes)
    paths = {hit["path"] for hit in hits}
    assert str(files["name_osc"]) in paths and str(files["name_bidi"]) in paths
    osc = next(hit for hit in hits if hit["path"] == str(files["osc0_title"]))
    assert TEXT_KINDS["osc0_title"] in osc["snippet"]  # the stored text, exactly
    docx = next(hit for hit in hits if hit["path"] == str(files["docx_run"]))
    assert "\u009d0;PWNCONE" in docx["snippet"]
    status = runner.invoke(cli, ["status", "--json"])
    assert unsafe_characters(status.stdout_bytes.decode("utf-8")) == []
    json.loads(status.stdout_bytes)


def test_error_sentences_quote_paths_safely(tmp_path: Path) -> None:
    missing = tmp_path / f"gone{chr(27)}]0;PWNTITLE{chr(7)}"
    result = CliRunner().invoke(cli, ["forget", str(missing)])
    text = _written(result)
    assert unsafe_characters(text) == []
    assert "gone␛]0;PWNTITLE␇" in text
