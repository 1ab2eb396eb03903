"""The one exception hierarchy of xlsearch.

The core raises these; the edges render them (the CLI prints ``message`` on stderr
and exits non-zero, the TUI shows ``title`` and ``message`` in a notification).
Every message says what went wrong and what to do about it, in one sentence.
"""

from __future__ import annotations


class XlsearchError(Exception):
    """Root of every error xlsearch raises on purpose."""

    title = "xlsearch error"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title


class ConfigError(XlsearchError):
    """The configuration file or an environment variable holds a bad value."""

    title = "Configuration error"


class ModelNotAvailable(XlsearchError):
    """A model was asked for that is not on this machine."""

    title = "Model not available"


class IndexMismatch(XlsearchError):
    """The index was built by another model or with other settings."""

    title = "Index built with another model"


class ExtractError(XlsearchError):
    """A file could not be turned into text; the message is its reason."""

    title = "Could not read file"


class DatasetError(XlsearchError):
    """An evaluation dataset is missing or malformed."""

    title = "Bad dataset"


class IndexBusy(XlsearchError):
    """Another process is indexing into the same state directory."""

    title = "Index in use"


class IndexDamaged(XlsearchError):
    """The database file is corrupt or cut short; it must be moved aside and rebuilt."""

    title = "Index damaged"


class StorageError(XlsearchError):
    """The state directory cannot be written: the disk is full or it is read-only."""

    title = "Cannot write the index"
