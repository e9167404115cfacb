"""Clarion: an open-source AI marketing team in a box."""

__version__ = "0.1.0"
