"""Shared building blocks: sanitizer, word counter, text conversion, pagination."""
