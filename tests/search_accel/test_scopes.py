"""A collection's works page lists exactly its approved works, whether the accelerator or the
SQL backend answers (the `work_ids` scope is the same filter on both)."""

import pytest

from polis.collections.actions.collections import CollectionInput, collection_create
from polis.collections.actions.items import item_add
from polis.search import accel
from polis.search.actions import tag_block_add
from polis.tags.models import Tag
from polis.tags.names import tag_key
from polis.tags.wrangling import tag_set_canonical
from polis.works.models import Work
from tests.works.support import listed_work_ids

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["sql", "accelerator"])
def accelerated(request, settings, tmp_path):
    settings.POLIS_SEARCH_ACCEL = request.param
    settings.POLIS_SEARCH_SNAPSHOT_DIR = tmp_path / "search"
    accel.reset()
    yield request.param
    accel.reset()


@pytest.fixture
def fest(make_user, make_work):
    """ "fest" holds Plain, Angsty (tagged Angst), Locked (restricted) and a draft; its
    moderated sub-collection holds Sub and, still unreviewed, Pending; Outside is in neither."""
    owner, alice, bob = make_user("owner"), make_user("alice"), make_user("bob")
    fest = collection_create(actor=owner, data=CollectionInput(name="fest", title="Fest"))
    sub = collection_create(
        actor=owner,
        data=CollectionInput(name="festsub", title="Sub", parent_name="fest", moderated=True),
    )
    for title, fields in [
        ("Plain", {"text": "<p>The tide came in.</p>"}),
        ("Angsty", {"freeforms": ["Angst"], "text": "<p>The tide went out.</p>"}),
        ("Locked", {"restricted": True}),
        ("Draft", {"post": False}),
    ]:
        item_add(actor=alice, collection=fest, work=make_work(alice, title=title, **fields))
    owner_work = make_work(owner, title="Sub", text="<p>A tide pool.</p>")
    item_add(actor=owner, collection=sub, work=owner_work)
    item_add(actor=bob, collection=sub, work=make_work(bob, title="Pending"))
    make_work(bob, title="Outside", freeforms=["Angst"], text="<p>The tide.</p>")
    tag_set_canonical(
        actor=make_user("wrangler", is_tag_wrangler=True),
        tag=Tag.objects.get(key=tag_key("Angst")),
        canonical=True,
    )
    return fest


def _titles(response) -> list[str]:
    assert response.status_code == 200
    titles = dict(Work.objects.values_list("pk", "title"))
    return [titles[work_id] for work_id in listed_work_ids(response)]


def _angst() -> int:
    return Tag.objects.get(key=tag_key("Angst")).pk


def test_a_guest_sees_the_collections_approved_public_works(client, fest, accelerated):
    assert _titles(client.get("/collections/fest/works")) == ["Sub", "Angsty", "Plain"]
    assert (accel._holder.accelerator is not None) is accelerated


def test_a_reader_sees_restricted_works_without_their_blocked_tags(
    client, fest, accelerated, make_user
):
    reader = make_user("reader")
    tag_block_add(actor=reader, name="Angst")
    client.force_login(reader)
    assert _titles(client.get("/collections/fest/works")) == ["Sub", "Locked", "Plain"]
    assert (accel._holder.accelerator is not None) is accelerated


def test_filters_and_text_apply_within_the_collection(client, fest, accelerated):
    by_tag = client.get(
        "/collections/fest/works", {"include_work_search[freeform_ids][]": _angst()}
    )
    assert _titles(by_tag) == ["Angsty"]
    by_text = client.get("/collections/fest/works", {"work_search[query]": "tide"})
    # Ranked best match first; equal matches tie in either order, so compare the set.
    assert sorted(_titles(by_text)) == ["Angsty", "Plain", "Sub"]
    newest = client.get(
        "/collections/fest/works",
        {"work_search[query]": "tide", "work_search[sort_column]": "revised_at"},
    )
    assert _titles(newest) == ["Sub", "Angsty", "Plain"]
    ranked = client.get(
        "/collections/fest/works",
        {"work_search[query]": "tide pool", "work_search[sort_column]": "_score"},
    )
    assert _titles(ranked) == ["Sub"]
