"""The state folder is private: files 0600 and folders 0700 whatever the umask, and a
looser folder that exists already is reported, not changed."""

from __future__ import annotations

import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from benchmarks.corpora.concurrency import command, environment, make_corpus
from tests.support.indexes import POSIX


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@POSIX
def test_state_is_private_by_default(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "home"  # does not exist yet: xlsearch creates it
    env = {**environment(home, delay=0.0)}
    code = textwrap.dedent(
        f"""
        import os, sqlite3, sys
        sys.argv = ["xlsearch", "index", {str(make_corpus(tmp_path / "corpus", 5))!r}]
        os.umask(0o022)  # a typical, permissive user umask
        from benchmarks.corpora.fake_cli import main
        from xlsearch.eval.runner import _scratch
        with _scratch() as scratch:
            (scratch / "probe").write_text("x")
            modes = [os.stat(p).st_mode & 0o777 for p in (scratch, scratch / "probe")]
            print(*map(oct, modes))
        main()
        os.umask(0o022)  # SQLite gives its -wal and -shm the database's own mode
        conn = sqlite3.connect({str(home / "index.db")!r})
        conn.execute("INSERT INTO meta VALUES ('probe', 'x')")
        conn.commit()
        for name in ("index.db-wal", "index.db-shm"):
            print(name, oct(os.stat({str(home)!r} + "/" + name).st_mode & 0o777))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[:2] == ["0o700", "0o600"]  # evaluation scratch folders
    assert _mode(home) == 0o700
    files = [p for p in home.rglob("*") if p.is_file() and not p.is_symlink()]
    names = {p.name for p in files}
    assert "index.db" in names and "index.lock" in names
    assert "index.db-wal 0o600" in done.stdout and "index.db-shm 0o600" in done.stdout
    assert any(p.suffix == ".bin" for p in files)
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert {_mode(p) for p in home.rglob("*") if p.is_dir() and not p.is_symlink()} == {0o700}


@POSIX
def test_a_looser_existing_home_is_reported_not_changed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    env = environment(home, delay=0.0)
    done = subprocess.run(command("status"), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    warning = [line for line in done.stdout.splitlines() if line.startswith("Warning:")]
    assert warning and f"{home} can be read by other accounts (mode 755)" in warning[0]
    assert f"chmod 700 {home}" in warning[0]
    assert _mode(home) == 0o755  # reported, not silently changed
