"""The series API names only the creators a series shows (polis.works.series): an anonymous
work is left out of a named series, and a series of anonymous works names nobody."""

import pytest

from polis.collections.actions.collections import CollectionInput, collection_create
from polis.collections.actions.items import item_add
from polis.works.series import series_add_work, series_create
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def series_pair(make_user, make_work):
    """alice's "Sea" (her "Shore", bea's anonymous "Masked") and bea's "Veil" ("Hidden")."""
    alice, bea = make_user("alice"), make_user("bea")
    fest = collection_create(
        actor=make_user("owner"), data=CollectionInput(name="fest", title="Fest", anonymous=True)
    )
    shore, masked, hidden = (
        make_work(alice, title="Shore"),
        make_work(bea, title="Masked"),
        make_work(bea, title="Hidden"),
    )
    sea, veil = series_create(actor=alice, title="Sea"), series_create(actor=bea, title="Veil")
    series_add_work(actor=alice, series=sea, work=shore)
    series_add_work(actor=bea, series=sea, work=masked)
    series_add_work(actor=bea, series=veil, work=hidden)
    for work in (masked, hidden):
        item_add(actor=bea, collection=fest, work=work)
    return sea, veil


def _summary(body: dict) -> tuple:
    return (
        [c["pseud"] for c in body["creators"]],
        [entry["work"]["title"] for entry in body["works"]],
    )


def test_series_api_names_only_the_creators_of_the_works_it_shows(series_pair):
    sea, veil = series_pair
    api = ApiClient()
    assert _summary(api.get(f"/series/{sea.pk}").json()) == (["alice"], ["Shore"])
    assert _summary(api.get(f"/series/{veil.pk}").json()) == ([], ["Hidden"])


def test_a_users_series_in_the_api_leave_out_series_only_through_anonymous_works(series_pair):
    api = ApiClient()
    assert api.get("/users/bea/series").json()["count"] == 0
    assert [s["title"] for s in api.get("/users/alice/series").json()["results"]] == ["Sea"]
