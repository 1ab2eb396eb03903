"""Files inside files (archive members, mail attachments): bounded recursion, places.

A zip holds documents, a mail holds attachments, and either may hold another zip or
mail. Each embedded file is read by the extractor of its own type, through
``extract_data``, so it gets the same care as a file on disk. Three bounds keep a
hostile file cheap: the nesting depth (a zip in a zip in a zip), the number of
embedded files read for one file on disk, and the bytes unpacked for it. A member
that cannot be read is passed over (its siblings still count); one over a bound is
not read at all.

An embedded file's Sections keep their own place under the member's name:
"report.zip › notes.pdf › page 2".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from xlsearch.errors import ExtractError
from xlsearch.types import Section, describe_location

MAX_DEPTH = 3
"""How deep files may nest: a file on disk is depth 1; a member of a member of its
member (depth 4) is not read."""
MAX_MEMBERS = 1_000
"""The most embedded files read for one file on disk."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""The most bytes unpacked for one file on disk, over all its embedded files."""
MAX_MEMBER_BYTES = 50 * 1024 * 1024
"""The largest embedded file read (the size limit of a file on disk)."""
SEPARATOR = " › "


@dataclass
class _Budget:
    depth: int = 1
    members: int = MAX_MEMBERS
    unpacked: int = MAX_UNPACKED_BYTES


_BUDGET: ContextVar[_Budget | None] = ContextVar("xlsearch_nested_budget", default=None)


@contextmanager
def top_level() -> Iterator[None]:
    """Start a fresh budget for one file on disk (nested calls keep the current one)."""
    if _BUDGET.get() is not None:
        yield
        return
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _budget() -> _Budget:
    budget = _BUDGET.get()
    if budget is None:
        raise RuntimeError("embedded files are read only inside nested.top_level()")
    return budget


def readable(name: str) -> bool:
    """Whether an embedded file called ``name`` is of a type xlsearch reads."""
    from xlsearch.extract import file_type

    return bool(file_type(PurePosixPath(name)))


def room() -> int:
    """How many more bytes an embedded file may unpack to (0: no more reading)."""
    budget = _budget()
    if budget.members <= 0 or budget.depth >= MAX_DEPTH:
        return 0
    return max(0, min(MAX_MEMBER_BYTES, budget.unpacked))


def member_sections(name: str, data: bytes, label: str | None = None) -> list[Section]:
    """The Sections of the embedded file ``name`` with ``data``, placed under ``label``
    (default ``name``); [] for a type xlsearch does not read or a member that fails."""
    from xlsearch.extract import extract_data, file_type
    from xlsearch.extract.ocr import NeedsOcr

    kind = file_type(PurePosixPath(name))
    budget = _budget()
    if not kind or not data or budget.members <= 0 or budget.depth >= MAX_DEPTH:
        return []
    budget.members -= 1
    budget.unpacked -= len(data)
    budget.depth += 1
    try:
        sections = extract_data(kind, data)
    except NeedsOcr as exc:  # a scan inside an archive or mail: its text pages only
        sections = exc.sections
    except ExtractError:
        return []
    finally:
        budget.depth -= 1
    return [placed(section, label or name) for section in sections]


def placed(section: Section, label: str) -> Section:
    """``section`` moved under ``label``: its page, line or place joins the label."""
    own = describe_location(section.page, section.line, section.where)
    where = f"{label}{SEPARATOR}{own}" if own else label
    return replace(section, page=None, line=None, where=where)
