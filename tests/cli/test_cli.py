"""The command line through click's runner and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.fakes import use_hash_embedder
from xlsearch.cli import cli

COMMANDS = ["index", "search", "status", "models", "reindex", "forget", "train"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 3


def test_top_level_help_lists_the_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


def _corpus(root: Path) -> Path:
    (root / "ne").mkdir(parents=True)
    (root / "ne" / "khop.txt").write_text("बालबालिकालाई समयमै खोप लगाउनुहोस्।\n", encoding="utf-8")
    (root / "en.md").write_text("# Vaccines\n\nChildren need vaccines on time.\n")
    (root / "broken.pdf").write_text("not a pdf")
    return root


def test_index_search_status_forget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_hash_embedder(monkeypatch)
    corpus = _corpus(tmp_path / "corpus")
    runner = CliRunner()
    indexed = runner.invoke(cli, ["index", str(corpus)])
    assert indexed.exit_code == 0, indexed.output
    assert "Indexed 2 new" in indexed.output
    assert "broken.pdf" in indexed.output  # the failure and its reason, on stderr

    found = runner.invoke(cli, ["search", "--json", "--mode", "lexical", "खोपहरू"])
    hits = json.loads(found.output)
    assert [Path(h["path"]).name for h in hits] == ["khop.txt"]
    assert {"path", "score", "lang", "snippet"} <= set(hits[0])
    assert hits[0]["lang"] == "ne"

    en_only = json.loads(
        runner.invoke(cli, ["search", "--json", "--lang", "en", "vaccines"]).output
    )
    assert {h["lang"] for h in en_only} == {"en"}

    status = json.loads(runner.invoke(cli, ["status", "--json"]).output)
    assert status["documents"] == 2
    assert [Path(i["path"]).name for i in status["issues"]] == ["broken.pdf"]
    assert status["issues"][0]["reason"]

    text = runner.invoke(cli, ["status"]).output
    assert "Documents: 2" in text and "broken.pdf" in text

    forgot = runner.invoke(cli, ["forget", str(corpus / "ne")])
    assert "Forgot 1" in forgot.output
    after = json.loads(runner.invoke(cli, ["search", "--json", "--mode", "lexical", "खोप"]).output)
    assert after == []


def test_models_lists_the_bundled_models() -> None:
    result = CliRunner().invoke(cli, ["models"])
    assert result.exit_code == 0
    assert "multilingual-e5-small" in result.output
    assert "all-minilm-l6-v2" in result.output
    assert result.output.count("ready") >= 2


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from xlsearch.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    missing = _run("index", str(tmp_path / "nowhere"))
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0
    assert "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad_option = _run("search", "--mode", "fuzzy", "x")
    assert bad_option.returncode == 2
    assert "Traceback" not in bad_option.stderr


def test_unknown_model_says_how_to_provide_it(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    result = _run("index", "--model", str(tmp_path / "no-such-model"), str(corpus))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "--model" in result.stderr and "not on this machine" in result.stderr


def test_train_and_search_name_a_missing_head_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["train", "../bad", "--from", "builtin"])
    assert "not a usable head name" in str(result.exception)
    result = CliRunner().invoke(cli, ["train", "ok", "--from", str(tmp_path / "none")])
    assert "No dataset at" in str(result.exception)
