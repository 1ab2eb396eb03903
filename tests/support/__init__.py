"""Helpers that tests share (not imported by benchmarks)."""
