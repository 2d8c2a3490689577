"""Widgets of the coverage-tui app (presentation only: data comes from index.service.Corpus)."""
