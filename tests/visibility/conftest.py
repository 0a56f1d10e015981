"""Fixtures of the visibility matrix: its world, built once per module, and which path served
each search."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from polis.engagement.digests import digests_send
from polis.search import accel, service
from tests.visibility.rule import IMMEDIATE_TASKS
from tests.visibility.world import _build, _login, _step


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module inside a transaction rolled back at its end."""
    data_dir = tmp_path_factory.mktemp("matrix")
    with (
        django_db_blocker.unblock(),
        override_settings(TASKS=IMMEDIATE_TASKS, DATA_DIR=data_dir),
        transaction.atomic(),
    ):
        built = _build()
        mail.outbox = []
        with _step():
            digests_send()
        built.digests = {message.to[0]: message.body for message in mail.outbox}
        built.data_dir = data_dir
        built.clients = _login(built)
        accel.reset()
        yield built
        accel.reset()
        transaction.set_rollback(True)


@pytest.fixture
def served(monkeypatch) -> list[str]:
    """Which path answered each search: "accelerator" or "sql"."""
    paths: list[str] = []
    accelerated = service._accelerated
    backend = service.get_backend

    def spy_accelerated(*args, **kwargs):
        paths.append("accelerator")
        return accelerated(*args, **kwargs)

    class Spied:
        def __init__(self, backend):
            self._backend = backend

        def search(self, *args, **kwargs):
            paths.append("sql")
            return self._backend.search(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self._backend, name)

    monkeypatch.setattr(service, "_accelerated", spy_accelerated)
    monkeypatch.setattr(service, "get_backend", lambda: Spied(backend()))
    return paths
