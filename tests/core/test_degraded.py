"""A read-only database (as when the disk fills or turns read-only): reads work, writes 503.

The database itself is made read-only, for real: SQLite's `query_only` pragma, PostgreSQL's
`default_transaction_read_only`, on the connection the requests use.
"""

import pytest
from django.db import connection
from django.test import Client

from polis.api.actions import token_create
from polis.core.degraded import MESSAGE
from polis.engagement.models import Kudos

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _read_only(on: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA query_only = {int(on)}")
        else:
            cursor.execute(f"SET default_transaction_read_only = {'on' if on else 'off'}")


@pytest.fixture
def read_only_database():
    _read_only(True)
    yield
    _read_only(False)


def test_reads_work_and_writes_get_a_clear_503(make_work, make_user, request):
    work = make_work(title="Still Readable")
    reader = make_user("reader")
    _, token = token_create(actor=reader, name="e-reader")
    browser = Client()
    browser.force_login(reader)
    request.getfixturevalue("read_only_database")

    page = Client().get(f"/works/{work.pk}")
    assert page.status_code == 200
    assert "Still Readable" in page.content.decode()
    assert browser.get(f"/works/{work.pk}").status_code == 200

    refused = browser.post(f"/works/{work.pk}/kudos")
    assert refused.status_code == 503
    assert refused["Retry-After"] == "300"
    assert MESSAGE in refused.content.decode()

    api = Client().post(
        f"/api/v1/works/{work.pk}/kudos",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 503
    assert api.json() == {"detail": MESSAGE, "errors": []}

    _read_only(False)
    assert Kudos.objects.count() == 0  # nothing was half-saved
    assert browser.post(f"/works/{work.pk}/kudos").status_code == 302
    assert Kudos.objects.count() == 1
