"""Settings: defaults < file < environment < flags, and clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlsearch.config import load_settings
from xlsearch.errors import ConfigError


def test_layers_override_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("keyword_weight = 0.5\ncandidates = 50\nscript_fair_fusion = false\n")
    monkeypatch.setenv("XLSEARCH_CANDIDATES", "70")
    settings = load_settings(config, keyword_weight=None, hnsw_ef_search=64)
    assert (settings.keyword_weight, settings.candidates, settings.hnsw_ef_search) == (0.5, 70, 64)
    assert settings.script_fair_fusion is False


@pytest.mark.parametrize(("word", "value"), [("0", False), ("off", False), ("Yes", True)])
def test_booleans_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, word: str, value: bool
) -> None:
    monkeypatch.setenv("XLSEARCH_SCRIPT_FAIR_FUSION", word)
    assert load_settings().script_fair_fusion is value


def test_bad_values_are_one_clear_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLSEARCH_SCRIPT_FAIR_FUSION", "maybe")
    with pytest.raises(ConfigError, match="must be true or false"):
        load_settings()
    monkeypatch.delenv("XLSEARCH_SCRIPT_FAIR_FUSION")
    monkeypatch.setenv("XLSEARCH_CANDIDATES", "sixty")
    with pytest.raises(ConfigError, match="must be a whole number"):
        load_settings()


def test_a_retired_setting_in_an_old_config_file_is_ignored(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("rrf_k = 60\ncandidates = 50\n", encoding="utf-8")
    assert load_settings(config).candidates == 50
