"""Every surface that lists works lists the same ones for the same reader: the tag page, the
collection page, the user page, the API, the Atom feed and the OPDS catalog, with the
reader's blocklist and mutes applied alike (they all run `work_search`)."""

from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from polis.api.actions import token_create
from polis.collections.actions.collections import CollectionInput, collection_create
from polis.collections.actions.items import item_add
from polis.engagement.relations import mute_add
from polis.search.actions import tag_block_add
from polis.works.models import Work
from tests.api.conftest import ApiClient
from tests.works.support import listed_work_ids

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
OPDS_ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"

# Newest first: every listing here sorts by date updated (the feed by date posted, which for
# works posted in order is the same order).
ANONYMOUS_TAG_PAGE = ["Sub", "Loud", "Angsty", "Plain"]
READER_TAG_PAGE = ["Sub", "Locked", "Plain"]  # no Angst (blocked), no Loud (muted)
READER_ALICE_PAGE = ["Locked", "Plain"]
ANONYMOUS_ALICE_PAGE = ["Angsty", "Plain"]


@pytest.fixture
def archive(make_user, make_work, canonical):
    """Alice's works (one restricted, one tagged Angst, one draft), Loud's work, Bob's work in
    a sub-collection, and a work outside the tag: all but the last in the collection "fest"."""
    alice, loud, bob = make_user("alice"), make_user("loud"), make_user("bob")
    owner = make_user("owner")
    fest = collection_create(actor=owner, data=CollectionInput(name="fest", title="Fest"))
    sub = collection_create(
        actor=owner, data=CollectionInput(name="festsub", title="Fest Sub", parent_name="fest")
    )
    plain = make_work(alice, title="Plain")
    angsty = make_work(alice, title="Angsty", freeforms=["Angst"])
    draft = make_work(alice, title="Draft", post=False)
    loud_work = make_work(loud, title="Loud")
    locked = make_work(alice, title="Locked", restricted=True)
    sub_work = make_work(bob, title="Sub")
    make_work(bob, title="Outside", fandoms=["Elsewhere"])
    canonical("Original Work", "Angst")
    for writer, work in [
        (alice, plain),
        (alice, angsty),
        (alice, draft),
        (loud, loud_work),
        (alice, locked),
    ]:
        item_add(actor=writer, collection=fest, work=work)
    item_add(actor=bob, collection=sub, work=sub_work)
    reader = make_user("reader")
    tag_block_add(actor=reader, name="Angst")
    mute_add(actor=reader, target=loud)
    return {"reader": reader}


def _blurb_titles(response) -> list[str]:
    assert response.status_code == 200
    titles = dict(Work.objects.values_list("pk", "title"))
    return [titles[work_id] for work_id in listed_work_ids(response)]


def _api_titles(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [work["title"] for work in response.json()["results"]]


def _feed_titles(response, content_type: str) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == content_type
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def _surfaces(client: Client, api: ApiClient, opds_headers: dict) -> dict[str, list[str]]:
    return {
        "tag page": _blurb_titles(client.get("/tags/Original Work/works")),
        "collection page": _blurb_titles(client.get("/collections/fest/works")),
        "API tag": _api_titles(api.get("/works", tag="Original Work")),
        "API collection": _api_titles(api.get("/collections/fest/works")),
        "OPDS tag": _feed_titles(
            client.get("/opds/tags/Original Work", headers=opds_headers), OPDS_ACQUISITION
        ),
    }


def test_every_surface_lists_the_same_works_to_a_guest(client, archive):
    surfaces = _surfaces(client, ApiClient(), {})
    surfaces["Atom feed"] = _feed_titles(
        client.get("/tags/Original Work/feed.atom"), "application/atom+xml; charset=utf-8"
    )

    assert surfaces == {name: ANONYMOUS_TAG_PAGE for name in surfaces}
    assert _blurb_titles(client.get("/users/alice/works")) == ANONYMOUS_ALICE_PAGE
    assert _api_titles(ApiClient().get("/users/alice/works")) == ANONYMOUS_ALICE_PAGE


def test_every_surface_applies_the_readers_blocklist_and_mutes_alike(client, archive):
    reader = archive["reader"]
    token = token_create(actor=reader, name="tests")[1]
    client.force_login(reader)

    surfaces = _surfaces(client, ApiClient(token), {"Authorization": f"Bearer {token}"})

    assert surfaces == {name: READER_TAG_PAGE for name in surfaces}
    assert _blurb_titles(client.get("/users/alice/works")) == READER_ALICE_PAGE
    assert _api_titles(ApiClient(token).get("/users/alice/works")) == READER_ALICE_PAGE
    # The Atom feed is the same for everyone: the guest's tag page, whoever fetches it.
    feed = client.get("/tags/Original Work/feed.atom")
    assert _feed_titles(feed, "application/atom+xml; charset=utf-8") == ANONYMOUS_TAG_PAGE
