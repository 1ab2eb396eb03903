"""Files of a type xlsearch does not read are counted by type, never passed over in silence."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.fakes import use_hash_embedder
from xlsearch.cli import cli
from xlsearch.index.walk import walk
from xlsearch.types import describe_unread


def _folder(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "note.txt").write_text("खोप लगाउनुहोस्। Vaccinate on time.\n", encoding="utf-8")
    for name in ("a.msg", "sub/b.MSG", "sub/c.msg", "plan.dwg", "sub/plan2.dwg", "Makefile"):
        (root / name).write_bytes(b"\x00\x01 not read")
    (root / ".hidden.msg").write_bytes(b"hidden files are left alone")
    return root


def test_walk_counts_unread_files_by_suffix(tmp_path: Path) -> None:
    unread: Counter[str] = Counter()
    found = list(walk(_folder(tmp_path / "docs"), unread))
    assert [Path(f.path).name for f in found] == ["note.txt"]
    assert unread == {".msg": 3, ".dwg": 2, "": 1}
    assert describe_unread(dict(unread)) == "3 .msg, 2 .dwg, 1 without extension"


def test_status_says_what_was_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_hash_embedder(monkeypatch)
    folder = _folder(tmp_path / "docs")
    runner = CliRunner()
    assert runner.invoke(cli, ["index", str(folder)]).exit_code == 0
    shown = runner.invoke(cli, ["status"]).output
    assert "Not read:  3 .msg, 2 .dwg, 1 without extension" in shown
    assert json.loads(runner.invoke(cli, ["status", "--json"]).output)["unread"] == {
        ".msg": 3,
        ".dwg": 2,
        "": 1,
    }
    (folder / "a.msg").unlink()  # the count follows the folder on the next run
    assert runner.invoke(cli, ["index", str(folder)]).exit_code == 0
    assert "Not read:  2 .dwg, 2 .msg, 1 without" in runner.invoke(cli, ["status"]).output
    assert runner.invoke(cli, ["forget", str(folder)]).exit_code == 0
    assert "Not read" not in runner.invoke(cli, ["status"]).output
