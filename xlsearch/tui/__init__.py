"""The terminal app: the only package of xlsearch that imports Textual.

It receives an :class:`~xlsearch.engine.Engine` by injection and calls it from thread
workers; it holds no search logic of its own.
"""
