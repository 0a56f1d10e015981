"""Anonymity and unrevealed works hold on every surface: collection pages, the work page,
listings, the works API, feeds and downloads."""

import pytest
from django.contrib.auth.models import AnonymousUser

from polis.collections.actions import items
from polis.collections.actions.collections import (
    collection_reveal,
    membership_remove,
    membership_set,
)
from polis.collections.anonymity import byline_text, is_anonymous
from polis.downloads.cache import work_fingerprint
from polis.downloads.formats import FORMATS
from polis.works.access import visible_works
from polis.works.models import Work, WorkSteward
from polis.works.selectors import with_display_data
from polis.works.visibility import Seen, byline_pseuds, work_seen
from tests.api.conftest import ApiClient
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def anon(make_collection, make_user, make_work):
    owner = make_user("owner")
    fest = make_collection(owner, name="fest", anonymous=True)
    writer = make_user("writer")
    work = make_work(writer, title="Hidden Hand")
    items.item_add(actor=writer, collection=fest, work=work)
    work.refresh_from_db()
    return fest, owner, writer, work


@pytest.fixture
def unrevealed(make_collection, make_user, make_work):
    owner = make_user("owner")
    fest = make_collection(owner, name="fest", unrevealed=True)
    writer = make_user("writer")
    work = make_work(writer, title="Not Yet")
    items.item_add(actor=writer, collection=fest, work=work)
    work.refresh_from_db()
    return fest, owner, writer, work


def test_anonymous_works_name_nobody_until_reveal(anon):
    fest, owner, writer, work = anon
    assert (is_anonymous(work), byline_pseuds(work), byline_text(work)) == (True, [], "Anonymous")
    assert Work.objects.filter(anonymous=True).get() == work
    key = work_fingerprint(work.pk, FORMATS["epub"])
    collection_reveal(actor=owner, collection=fest)
    work = Work.objects.get(pk=work.pk)
    assert (is_anonymous(work), byline_text(work)) == (False, "writer")
    assert work_fingerprint(work.pk, FORMATS["epub"]) != key


def test_anonymity_is_a_fact_of_the_work_and_asks_no_query(anon, django_assert_num_queries):
    _, _, _, work = anon
    work = Work.objects.get(pk=work.pk)
    with django_assert_num_queries(0):
        assert is_anonymous(work)
        assert byline_pseuds(work) == []


def test_blurbs_of_anonymous_works_lose_their_creators_only(anon, make_work):
    _, _, _, work = anon
    other = make_work(title="Named")
    shown = with_display_data(Work.objects.filter(pk__in=[work.pk, other.pk]))
    creators = {w.title: [str(p) for p in byline_pseuds(w)] for w in shown}
    assert creators == {"Hidden Hand": [], "Named": [str(other.creatorships.get().pseud)]}


@pytest.mark.parametrize(
    ("who", "sees"), [("guest", False), ("other", False), ("writer", True), ("owner", True)]
)
def test_unrevealed_works_are_seen_by_creators_and_maintainers_only(
    unrevealed, make_user, who, sees
):
    _, owner, writer, work = unrevealed
    viewer = {"guest": AnonymousUser(), "other": make_user(), "writer": writer, "owner": owner}[who]
    assert work_seen(viewer, work) == (Seen.VISIBLE if sees else Seen.HIDDEN)
    assert visible_works(viewer).filter(pk=work.pk).exists() is sees
    assert list(WorkSteward.objects.filter(work=work).values_list("user__username", flat=True)) == [
        "owner"
    ]


def test_our_pages_and_api_never_name_an_anonymous_creator(anon, client):
    fest, _, writer, work = anon
    page = client.get("/collections/fest/works")
    blurb = parse(page).select_one(f"li#work_{work.pk}")
    assert blurb.select("a[rel=author]") == []
    assert "by Anonymous" in blurb.select_one("h4.heading").text
    assert writer.username not in page.content.decode()
    body = ApiClient().get("/collections/fest/works").json()
    assert [(w["title"], w["creators"]) for w in body["results"]] == [("Hidden Hand", [])]


def test_our_pages_and_api_leave_out_unrevealed_works(unrevealed, client):
    _, owner, _, work = unrevealed
    assert parse(client.get("/collections/fest/works")).select("li.work.blurb") == []
    assert ApiClient().get("/collections/fest/works").json()["count"] == 0
    collection_reveal(actor=owner, collection=work.collection_items.get().collection)
    ids = [
        n.get("id") for n in parse(client.get("/collections/fest/works")).select("li.work.blurb")
    ]
    assert ids == [f"work_{work.pk}"]


def test_work_page_byline_says_anonymous(anon, client):
    _, _, _, work = anon
    assert parse(client.get(f"/works/{work.pk}")).select("h3.byline a[rel=author]") == []


def test_works_api_names_no_creator(anon):
    _, _, _, work = anon
    assert ApiClient().get(f"/works/{work.pk}").json()["creators"] == []


def test_unrevealed_work_page_is_404_for_readers(unrevealed, client):
    _, _, _, work = unrevealed
    assert client.get(f"/works/{work.pk}").status_code == 404


@pytest.mark.both_search_engines
def test_unrevealed_work_is_not_in_the_works_listing(unrevealed, client):
    _, _, _, work = unrevealed
    assert f"work_{work.pk}" not in client.get("/works").content.decode()


def test_user_works_page_does_not_list_anonymous_works(anon, client):
    _, _, writer, work = anon
    assert f"work_{work.pk}" not in client.get(f"/users/{writer.username}/works").content.decode()


def test_tag_feed_names_an_anonymous_work_anonymous(anon, client, make_user):
    from xml.etree import ElementTree

    from polis.tags.models import Tag
    from polis.tags.wrangling import tag_set_canonical

    _, _, _, work = anon
    fandom = Tag.objects.get(name="Original Work")
    tag_set_canonical(actor=make_user("wrangler", is_tag_wrangler=True), tag=fandom, canonical=True)

    feed = ElementTree.fromstring(client.get("/tags/Original Work/feed.atom").content)

    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == ["Hidden Hand"]
    assert [a.text for a in entries[0].iter(f"{atom}name")] == ["Anonymous"]


def test_downloads_name_an_anonymous_work_anonymous(anon):
    from polis.downloads.preface import download_byline

    _, _, _, work = anon
    assert download_byline(Work.objects.get(pk=work.pk)) == ["Anonymous"]


def test_a_moderator_sees_an_unrevealed_work_only_while_moderating(unrevealed, make_user):
    fest, owner, _, work = unrevealed
    moderator = make_user("moderator")
    membership_set(actor=owner, collection=fest, user=moderator, role="moderator")
    assert work_seen(moderator, Work.objects.get(pk=work.pk)) == Seen.VISIBLE

    membership_remove(actor=owner, collection=fest, user=moderator)

    assert work_seen(moderator, Work.objects.get(pk=work.pk)) == Seen.HIDDEN
    assert sorted(WorkSteward.objects.values_list("user__username", flat=True)) == ["owner"]
