"""Where xlsearch keeps its state: the index, converted models and the config file.

``XLSEARCH_HOME`` relocates everything; without it the platform's user data dir is used.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "XLSEARCH_HOME"


def home() -> Path:
    """The state directory, created on first use, private to this user (0700)."""
    configured = os.environ.get(HOME_ENV)
    if configured:
        root = Path(configured).expanduser()
    else:
        from platformdirs import user_data_dir

        root = Path(user_data_dir("xlsearch", appauthor=False))
    from xlsearch.privacy import private_home

    return private_home(root)


def database_path(root: Path) -> Path:
    """The SQLite file, the source of truth."""
    return root / "index.db"


def vectors_dir(root: Path) -> Path:
    """Derived HNSW files, one per model; always rebuildable from the database."""
    return root / "vectors"


def models_dir(root: Path) -> Path:
    """Models prepared locally (the float copy of the bundled e5)."""
    return root / "models"


def share_models(scratch: Path) -> None:
    """Let a scratch state directory use the user's prepared models (made once: the
    float e5 copy is 470 MB), by linking its ``models`` folder to theirs."""
    link = models_dir(scratch)
    if not link.exists():
        models_dir(home()).mkdir(parents=True, exist_ok=True)
        link.symlink_to(models_dir(home()), target_is_directory=True)


def shared_vector_cache(root: Path) -> Path:
    """Vectors by (model, text hash) that scratch state directories (the evaluation's)
    consult and fill, so the same data is never embedded twice; safe to delete."""
    return root / "vector-cache.db"


def config_path(root: Path) -> Path:
    """The user's TOML configuration file."""
    return root / "config.toml"
