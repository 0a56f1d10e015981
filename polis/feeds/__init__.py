"""Atom feeds of the latest works per tag (the OPDS catalog will live here too)."""
