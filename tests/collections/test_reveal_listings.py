"""A collection's reveal reaches cached blurbs (polis.search.fragments) on the next listing:
an anonymous work's byline names its creator, an unrevealed work appears."""

import pytest

from polis.collections.actions import items
from polis.collections.actions.collections import collection_reveal
from tests.search.test_render_once import blurbs

pytestmark = pytest.mark.django_db


def test_revealing_creators_names_them_in_the_listed_blurb(
    client, make_collection, make_user, make_work
):
    owner, writer = make_user("owner"), make_user("writer")
    fest = make_collection(owner, name="fest", anonymous=True)
    work = make_work(writer, title="Hidden Hand")
    items.item_add(actor=writer, collection=fest, work=work)
    shown = blurbs(client.get("/works"))[work.pk]
    assert "by Anonymous" in " ".join(shown.split()) and "/users/writer" not in shown
    collection_reveal(actor=owner, collection=fest)
    shown = blurbs(client.get("/works"))[work.pk]
    assert '<a rel="author" href="/users/writer/pseuds/writer">writer</a>' in shown


def test_revealing_works_lists_them(client, make_collection, make_user, make_work):
    owner, writer = make_user("owner"), make_user("writer")
    fest = make_collection(owner, name="fest", unrevealed=True)
    other = make_work(writer, title="Already Out")
    work = make_work(writer, title="Not Yet")
    items.item_add(actor=writer, collection=fest, work=work)
    assert list(blurbs(client.get("/works"))) == [other.pk]
    collection_reveal(actor=owner, collection=fest)
    assert set(blurbs(client.get("/works"))) == {work.pk, other.pk}
