"""The benchmarks stand on their own: nothing under benchmarks/ imports tests/ or starts one
of its modules in a child process (what both use lives in benchmarks/corpora)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _uses_of_tests(path: Path) -> list[str]:
    """The names of tests modules ``path`` imports or names to run, with their line."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if node.value.startswith("tests.") else []
        else:
            continue
        found += [
            f"{path.name}:{node.lineno}: {name}"
            for name in names
            if name == "tests" or name.startswith("tests.")
        ]
    return found


def test_no_benchmark_imports_tests() -> None:
    scripts = sorted((ROOT / "benchmarks").rglob("*.py"))
    assert len(scripts) > 10 and any(p.parent.name == "corpora" for p in scripts)
    assert [f"{path.parent.name}/{use}" for path in scripts for use in _uses_of_tests(path)] == []


def test_the_check_sees_imports_and_child_modules(tmp_path: Path) -> None:
    """The check above would catch each way in (guards against a check that sees nothing)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import tests.fakes\n"
        "from tests.scans import png\n"
        "def run():\n"
        "    from tests import conftest\n"
        "    return ['python', '-m', 'tests.fake_cli']\n"
        "from .tests import x\n"
        "import testsuite\n",
        encoding="utf-8",
    )
    assert sorted(_uses_of_tests(sample)) == [
        "sample.py:1: tests.fakes",
        "sample.py:2: tests.scans",
        "sample.py:4: tests",
        "sample.py:5: tests.fake_cli",
    ]
