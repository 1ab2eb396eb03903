"""Screens of the xlsearch app, one per module."""
