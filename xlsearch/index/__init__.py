"""Changing the index: finding files (``walk``), turning batches of them into committed
documents (``indexer``), reading scanned pages last (``scans``), the service that holds
the writer lock (``service``) and watching folders (``watch``)."""
