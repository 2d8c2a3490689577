"""Screens of the coverage-tui app."""
