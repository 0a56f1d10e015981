"""Readers' tools against a live server: transactional databases, so the server thread sees
the rows a test makes."""

import importlib

import pytest


@pytest.fixture(autouse=True)
def _fixed_tags(transactional_db):
    """Earlier transactional tests flush the tables, and with them the ratings and warnings
    that a data migration made: make them again, as that migration does."""
    from django.apps import apps

    importlib.import_module("polis.tags.migrations.0002_fixed_tags").create(apps, None)
