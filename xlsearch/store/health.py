"""Is the index usable? Damage found on open, full disks and read-only homes, in words.

SQLite is the source of truth, so a damaged ``index.db`` must be caught before
anything trusts it: on every open, SQLite's own refusal of a file that is not a
database and a size check (the header says how many pages the file holds; one cut
short is shorter than that), and a full ``PRAGMA quick_check`` on demand
(``xlsearch status``). Errors from writing
(SQLITE_FULL, ENOSPC, a read-only folder) are turned into one sentence that says
what to do; the failing batch's transaction is rolled back, so the index stays as
it was before it.
"""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from xlsearch.errors import IndexDamaged, StorageError

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def damaged(path: Path, why: str) -> IndexDamaged:
    """The one sentence for a damaged database at ``path``."""
    return IndexDamaged(
        f"The index at {path} is damaged ({why}); move it aside (e.g. rename it to "
        f"{path.name}.broken) and run 'xlsearch index' on your folders again to rebuild it."
    )


def size_problem(conn: sqlite3.Connection, path: Path) -> str | None:
    """Why the database at ``path`` is cut short, or None if it is as long as it says.

    SQLite's header records the page count; a file shorter than that lost its tail.
    The file is only ``stat``-ed, never opened here: closing any descriptor of a
    database file drops every POSIX lock this process holds on it, which would let
    another process reset a write-ahead log still in use (and lose commits). The
    check is skipped while a write-ahead log exists: a kill during a checkpoint may
    leave the file short until SQLite replays the log, which is recovery, not damage.
    """
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    size = path.stat().st_size if path.exists() else 0
    if size < pages * page_size:
        return f"the file is cut short: {size:,} bytes where {pages * page_size:,} were written"
    return None


def quick_check(conn: sqlite3.Connection) -> str:
    """'ok', or the first problem SQLite's ``PRAGMA quick_check`` reports."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    first = str(rows[0][0]) if rows else "ok"
    return first


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite raised ``exc`` because the file itself is broken."""
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def disk_full(home: Path) -> StorageError:
    return StorageError(
        f"The disk holding the index ({home}) is full; free some space and run the same "
        "command again (files indexed before this batch are kept)."
    )


def read_only(home: Path) -> StorageError:
    return StorageError(
        f"The index folder {home} is read-only; make it writable, or set XLSEARCH_HOME to "
        "a writable folder, to index (searching still works)."
    )


def storage_error(exc: BaseException, home: Path) -> StorageError | None:
    """The sentence for a write that failed because of the disk, or None for other errors."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "disk is full" in text:
            return disk_full(home)
        if "readonly" in text or "read-only" in text:
            return read_only(home)
        if "disk i/o error" in text:
            return StorageError(
                f"Writing the index in {home} failed (disk I/O error); check the disk's "
                "free space and health, then run the same command again."
            )
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return disk_full(home)
    if isinstance(exc, OSError) and exc.errno in _READ_ONLY_ERRNOS:
        return read_only(home)
    return None


@contextmanager
def storage_errors(home: Path) -> Iterator[None]:
    """Turn disk-full and read-only failures inside the block into StorageError."""
    try:
        yield
    except (sqlite3.OperationalError, OSError) as exc:
        mapped = storage_error(exc, home)
        if mapped is None:
            raise
        raise mapped from exc


OPEN_SECONDS = 30.0
"""How long opening an index keeps trying while another process is setting it up."""


def connect(
    path: Path, migrate: Callable[[sqlite3.Connection], None]
) -> tuple[sqlite3.Connection, bool]:
    """A migrated connection to the database at ``path``, and whether it is read-only.

    In a folder the user cannot write, SQLite cannot create the WAL's shared-memory
    file; the database is then opened read-only (``mode=ro``, else ``immutable``) so
    searching still works. Damage and write failures become one-sentence errors.
    """
    deadline = time.monotonic() + OPEN_SECONDS
    while True:
        try:
            return _connect_once(path, migrate)
        except sqlite3.OperationalError as exc:
            # Processes opening a new index at once (an indexer and searches started
            # together) can meet SQLite's deadlock guard, which answers "locked" at once
            # instead of waiting: open again until the first has set the index up.
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise _explain(exc, path) from exc
            time.sleep(0.1)


def _connect_once(
    path: Path, migrate: Callable[[sqlite3.Connection], None]
) -> tuple[sqlite3.Connection, bool]:
    conn, read_only = _connect(path)
    try:
        problem = size_problem(conn, path)
        if problem is not None:
            raise damaged(path, problem)
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except sqlite3.OperationalError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _explain(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn, read_only


def _connect(path: Path) -> tuple[sqlite3.Connection, bool]:
    try:
        return _open(str(path), False), False
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise damaged(path, str(exc)) from exc
        if _writable(path.parent):
            raise
    for query in ("mode=ro", "immutable=1"):
        try:
            return _open(f"{path.absolute().as_uri()}?{query}", True), True
        except sqlite3.OperationalError:
            continue
    raise read_only(path.parent)


def _explain(exc: sqlite3.DatabaseError, path: Path) -> Exception:
    if is_damage(exc):
        return damaged(path, str(exc))
    return storage_error(exc, path.parent) or exc


def _open(target: str, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, uri=uri)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        if not uri:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _writable(folder: Path) -> bool:
    import os

    try:
        return os.access(folder, os.W_OK) and not os.statvfs(folder).f_flag & os.ST_RDONLY
    except (AttributeError, OSError):
        return os.access(folder, os.W_OK)


def explain(exc: sqlite3.DatabaseError) -> str:
    """One sentence for an SQLite error met after the database was opened."""
    from xlsearch import paths

    home = paths.home()
    return _explain(exc, paths.database_path(home)).__str__() or str(exc)
