"""Test and benchmark helpers for Clarion (fake model servers and the like)."""
