"""Polis: a self-hostable archive for fan fiction."""
