"""``python -m xlsearch``: the same entry point as the ``xlsearch`` script."""

from __future__ import annotations

from xlsearch.cli import main

if __name__ == "__main__":
    main()
