"""Hot pages ask the database a fixed number of questions, however much data they show.

Each page is pinned at its exact count, measured as a warm app server serves it: the search
accelerator already built (production keeps it in memory), the fragment cache empty (the
worst case of an ordinary request). Where a page lists things, a second data point with
more of them shows the count does not grow. A new query makes these fail: if it is needed,
raise the number and say what the query is for in the comment.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from polis.collections.actions import items
from polis.collections.actions.collections import CollectionInput, collection_create
from polis.engagement.comments import comment_create
from polis.engagement.hits import hits_reset
from polis.engagement.kudos import kudos_give
from polis.search import accel
from polis.tags.models import Tag
from polis.tags.names import tag_key
from polis.tags.wrangling import tag_set_canonical
from tests.search.support import listing_queries

pytestmark = pytest.mark.django_db

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = TASKS  # notices are tasks: the inbox must receive them now


def _warm() -> None:
    """As a running server is: the accelerator built, nothing in the fragment cache, and no
    hits left queued by earlier tests (writing them would land in this request's count)."""
    hits_reset()
    accel.get()
    cache.clear()


def _get(client: Client, url: str, django_assert_num_queries, expected: int) -> None:
    _warm()
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.fixture
def writer(make_user):
    return make_user("writer")


def _feedback(work, make_user, number: int) -> None:
    for n in range(number):
        fan = make_user()
        kudos_give(actor=fan, work=work)
        comment_create(actor=fan, work=work, text=f"Comment {n}")


def _tagged_works(make_work, writer, number: int) -> list:
    return [
        make_work(
            writer,
            title=f"Work {n}",
            fandoms=["Shared Fandom", f"Fandom {n}"],
            characters=[f"Character {n}"],
            freeforms=["Fluff", f"Tag {n}"],
        )
        for n in range(number)
    ]


@pytest.fixture
def shared_fandom(make_user):
    """Make "Shared Fandom" canonical (feeds exist for canonical tags only)."""

    def make() -> None:
        wrangler = make_user(is_tag_wrangler=True)
        tag = Tag.objects.get(key=tag_key("Shared Fandom"))
        tag_set_canonical(actor=wrangler, tag=tag, canonical=True)

    return make


# The work and chapter pages, whatever the numbers of tags, kudos and comments:
# the work (access; its visibility is read with it), taggings+tags, creatorships+pseuds
# (loaded onto the same object), chapters (the chapter
# page reads them twice: wasteful), series, comment settings, the count of comments, kudos
# by users, the count of guests' kudos, the chapter's kudos count, "has this reader left kudos".
# Similar works, ranked once per work version (then cached): the work's filter tags, the
# size of the index, its kudos-givers and what else they liked (these works have no other
# work in common, so the search for the viewer's part of the ranking is not needed).
SIMILAR = 4
# Where the work belongs (polis/collections/work_context.py): its collections, prompt fills
# and gifts; the viewer's listed collections only when there are some.
WORK_CONTEXT = 3
WORK_PAGE_GUEST = 11 + SIMILAR + WORK_CONTEXT
CHAPTER_PAGE_GUEST = 12 + SIMILAR + WORK_CONTEXT
# Logged in, first visit: the session and user, "is the reader an invited creator?" (whether
# they are a creator, and who the creators are for blocks, are read from the display data),
# the reading history (update, then savepoint, insert, release), mutes, the inbox count in
# the header, the reader's reading, bookmark and subscriptions, and the reader's pseuds for
# the comment form; the kudos check is by user instead of by guest key; the reader's
# reading preferences.
WORK_PAGE_READER = 25 + SIMILAR + WORK_CONTEXT


@pytest.mark.parametrize("feedback", [1, 4])
@pytest.mark.parametrize(
    ("page", "logged_in", "expected"),
    [
        ("work", False, WORK_PAGE_GUEST),
        ("work", True, WORK_PAGE_READER),
        ("chapter", False, CHAPTER_PAGE_GUEST),
    ],
)
def test_work_and_chapter_pages_take_a_fixed_number_of_queries(
    writer, make_user, make_work, django_assert_num_queries, page, logged_in, expected, feedback
):
    work = make_work(writer, chapters=3, freeforms=[f"Tag {n}" for n in range(feedback)])
    _feedback(work, make_user, feedback)
    client = Client()
    if logged_in:
        client.force_login(make_user())
    url = f"/works/{work.pk}"
    if page == "chapter":
        url += f"/chapters/{work.chapters.order_by('position').last().pk}"
    _get(client, url, django_assert_num_queries, expected)


@pytest.mark.parametrize("replies", [1, 4])
def test_a_comment_thread_takes_a_fixed_number_of_queries(
    writer, make_user, make_work, django_assert_num_queries, replies
):
    work = make_work(writer)
    root, _ = comment_create(actor=make_user(), work=work, text="Root")
    for n in range(replies):
        comment_create(actor=make_user(), work=work, text=f"Reply {n}", parent=root)
    # the comment, its work (its anonymity with it), comment settings, the subtree
    _get(Client(), f"/comments/{root.pk}", django_assert_num_queries, 4)


@pytest.mark.both_search_engines
@pytest.mark.parametrize("works", [2, 8])
def test_a_tag_listing_takes_a_fixed_number_of_queries(
    writer, make_work, shared_fandom, django_assert_num_queries, works
):
    _tagged_works(make_work, writer, works)
    shared_fandom()
    # the tag; the search (accelerator: its look at the change log; SQL backends: the count,
    # the page of ids and the facet counts); the blurbs' versions (polis.search.fragments);
    # on a cache miss the works, taggings+tags, creatorships+pseuds; the facets' tags
    expected = listing_queries(sql=9, accelerated=7)
    _get(Client(), "/tags/Shared Fandom/works", django_assert_num_queries, expected)
    # Served again: every blurb comes from the cache, no work is loaded.
    with django_assert_num_queries(expected - 3):
        assert Client().get("/tags/Shared Fandom/works").status_code == 200


@pytest.mark.parametrize("works", [2, 8])
def test_a_tag_feed_takes_a_fixed_number_of_queries(
    writer, make_work, shared_fandom, django_assert_num_queries, works
):
    _tagged_works(make_work, writer, works)
    shared_fandom()
    # the tag; the search (accelerator: its look at the change log; SQL backends: the count
    # and the page of ids); the works, taggings+tags, creatorships+pseuds
    expected = listing_queries(sql=6, accelerated=5)
    _get(Client(), "/tags/Shared Fandom/feed.atom", django_assert_num_queries, expected)


@pytest.mark.parametrize("works", [2, 8])
def test_a_collections_works_take_a_fixed_number_of_queries(
    writer, make_work, django_assert_num_queries, works
):
    fest = collection_create(actor=writer, data=CollectionInput(name="fest", title="Fest"))
    for work in _tagged_works(make_work, writer, works):
        items.item_add(actor=writer, collection=fest, work=work)
    # the collection, its challenge, the collection's work ids; the search (accelerator: its
    # look at the change log; SQL backends: the count, the page of ids, the facet counts);
    # the blurbs' versions; the works, taggings+tags, creatorships+pseuds; the facets' tags
    expected = listing_queries(sql=11, accelerated=9)
    _get(Client(), "/collections/fest/works", django_assert_num_queries, expected)


@pytest.mark.parametrize("notices", [2, 8])
def test_the_inbox_takes_a_fixed_number_of_queries(
    writer, make_user, make_work, django_assert_num_queries, notices
):
    work = make_work(writer)
    for n in range(notices):
        comment_create(actor=make_user(), work=work, text=f"Comment {n}")
    client = Client()
    client.force_login(writer)
    # the session, the user, the user again (access_own_user: wasteful), mutes, the count and
    # the page of notices (each checked against the reader's rule in the same query), their
    # works' creators, the numbered chapters they name, and for the header's unread count
    # the mutes and a count again (wasteful: the page already knows); the reading preferences
    _get(client, "/users/writer/inbox", django_assert_num_queries, 11)
