"""Who sees what: every page that shows a work, for every kind of viewer and work state.

Drafts are for their creators only (everyone else, the admin included, gets 404 and never finds
them listed); restricted works are for logged-in readers only; the pages that change a work
are for its creators only, and a refused change leaves the work exactly as it was.
"""

import pytest
from django.urls import reverse

from polis.works.models import Chapter, Creatorship, Tagging, Work
from tests.works.support import (
    chapter_form_data,
    listed_work_ids,
    main_heading,
    work_form_data,
)

pytestmark = pytest.mark.django_db

RESTRICTED_MESSAGE = "This work is only available to registered users of the Archive."
VIEWERS = ["anonymous", "other", "creator", "admin"]
STATES = ["public", "restricted", "draft"]
TITLES = {
    "public": "Matrix Public Story",
    "restricted": "Matrix Restricted Story",
    "draft": "Matrix Draft Story",
}
FANDOM = "Matrix Fandom"


@pytest.fixture
def world(make_user, make_work):
    """A writer with one work per state, another reader and a superuser."""
    writer = make_user("writer")
    people = {
        "creator": writer,
        "other": make_user("reader"),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
    }
    works = {
        "public": make_work(writer, title=TITLES["public"], fandoms=[FANDOM]),
        "restricted": make_work(
            writer, title=TITLES["restricted"], fandoms=[FANDOM], restricted=True
        ),
        "draft": make_work(writer, title=TITLES["draft"], fandoms=[FANDOM], post=False),
    }
    return people, works


def _client_for(client, people, viewer):
    if viewer != "anonymous":
        client.force_login(people[viewer])
    return client


# ---------------------------------------------------------------- reading pages


def _reading_urls(work: Work) -> dict[str, str]:
    chapter = work.chapters.get()
    show = reverse("works:show", kwargs={"work_id": work.pk})
    return {
        "show": show,
        "chapter": reverse("works:chapter", kwargs={"work_id": work.pk, "chapter_id": chapter.pk}),
        "full": f"{show}?view_full_work=true",
        "navigate": reverse("works:navigate", kwargs={"work_id": work.pk}),
    }


# (state, viewer) → (status, title shown, registered-users message shown)
READ_EXPECTED = {
    ("public", "anonymous"): (200, True, False),
    ("public", "other"): (200, True, False),
    ("public", "creator"): (200, True, False),
    ("public", "admin"): (200, True, False),
    ("restricted", "anonymous"): (200, False, True),
    ("restricted", "other"): (200, True, False),
    ("restricted", "creator"): (200, True, False),
    ("restricted", "admin"): (200, True, False),
    ("draft", "anonymous"): (404, False, False),
    ("draft", "other"): (404, False, False),
    ("draft", "creator"): (200, True, False),
    ("draft", "admin"): (404, False, False),
}


@pytest.mark.parametrize("page", ["show", "chapter", "full", "navigate"])
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("state", STATES)
def test_reading_pages_answer_each_viewer_by_work_state(client, world, state, viewer, page):
    people, works = world
    work = works[state]
    status, title_shown, restricted_shown = READ_EXPECTED[state, viewer]

    response = _client_for(client, people, viewer).get(_reading_urls(work)[page])

    assert response.status_code == status
    body = response.content.decode()
    assert (work.title in body) is title_shown
    assert (RESTRICTED_MESSAGE in body) is restricted_shown


# ---------------------------------------------------------------- creator-only pages


def _creator_urls(work: Work) -> dict[str, str]:
    kwargs = {"work_id": work.pk}
    return {
        "edit": reverse("works:edit", kwargs=kwargs),
        "delete": reverse("works:delete", kwargs=kwargs),
        "preview": reverse("works:preview", kwargs=kwargs),
        "chapter_new": reverse("works:chapter_new", kwargs=kwargs),
        "chapters_manage": reverse("works:chapters_manage", kwargs=kwargs),
    }


CREATOR_PAGE_STATUS = {"anonymous": 302, "other": 404, "creator": 200, "admin": 404}


@pytest.mark.parametrize("page", ["edit", "delete", "preview", "chapter_new", "chapters_manage"])
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("state", STATES)
def test_creator_pages_open_only_for_the_creator(client, world, state, viewer, page):
    people, works = world
    work = works[state]
    url = _creator_urls(work)[page]

    response = _client_for(client, people, viewer).get(url)

    assert response.status_code == CREATOR_PAGE_STATUS[viewer]
    if viewer == "anonymous":
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert (work.title in response.content.decode()) is (viewer == "creator")


# ---------------------------------------------------------------- listings


def _listing_urls() -> dict[str, str]:
    return {
        "home": reverse("home"),
        "works": reverse("works:index"),
        "tag": reverse("tags:works", kwargs={"name": FANDOM}),
        "user": reverse("accounts:user", kwargs={"username": "writer"}),
        "user_works": reverse("accounts:user_works", kwargs={"username": "writer"}),
        "pseud": reverse("accounts:pseud", kwargs={"username": "writer", "pseud": "writer"}),
        "pseud_works": reverse(
            "accounts:pseud_works", kwargs={"username": "writer", "pseud": "writer"}
        ),
    }


LISTED = {
    "anonymous": ["public"],
    "other": ["restricted", "public"],  # newest first
    "creator": ["restricted", "public"],  # a creator's own drafts live on the drafts page
    "admin": ["restricted", "public"],
}
HEADINGS = {
    "works": {1: "1 - 1 of 1 Works", 2: "1 - 2 of 2 Works"},
    "tag": {1: f"1 - 1 of 1 Works in {FANDOM}", 2: f"1 - 2 of 2 Works in {FANDOM}"},
    "user_works": {1: "1 - 1 of 1 Works by writer", 2: "1 - 2 of 2 Works by writer"},
    "pseud_works": {1: "1 - 1 of 1 Works by writer", 2: "1 - 2 of 2 Works by writer"},
}


@pytest.mark.parametrize("listing", list(_listing_urls()))
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.both_search_engines
def test_listings_show_posted_works_the_viewer_may_read_and_count_only_those(
    client, world, viewer, listing
):
    people, works = world
    expected = [works[state].pk for state in LISTED[viewer]]

    response = _client_for(client, people, viewer).get(_listing_urls()[listing])

    assert response.status_code == 200
    assert listed_work_ids(response) == expected
    body = response.content.decode()
    assert TITLES["draft"] not in body
    assert (TITLES["restricted"] in body) is (viewer != "anonymous")
    if listing in HEADINGS:
        assert main_heading(response) == HEADINGS[listing][len(expected)]
    if listing == "user":
        assert f"All works ({len(expected)})" in body
    if listing == "pseud":
        assert f"All works by writer ({len(expected)})" in body


@pytest.mark.parametrize("viewer", VIEWERS)
def test_drafts_page_lists_drafts_to_their_creator_only(client, world, viewer):
    people, works = world
    url = reverse("accounts:drafts", kwargs={"username": "writer"})

    response = _client_for(client, people, viewer).get(url)

    if viewer == "creator":
        assert response.status_code == 200
        assert listed_work_ids(response) == [works["draft"].pk]
    else:
        assert response.status_code == {"anonymous": 302, "other": 404, "admin": 404}[viewer]
        assert TITLES["draft"] not in response.content.decode()


# ---------------------------------------------------------------- refused writes


def _snapshot(work: Work) -> tuple:
    return (
        list(Work.objects.filter(pk=work.pk).values()),
        list(Chapter.objects.filter(work=work).order_by("pk").values()),
        list(Tagging.objects.filter(work=work).order_by("pk").values()),
        list(Creatorship.objects.filter(work=work).order_by("pk").values()),
    )


def _refused_posts(work: Work, writer) -> dict[str, tuple[str, dict]]:
    kwargs = {"work_id": work.pk}
    chapter = work.chapters.get()
    return {
        "edit": (
            reverse("works:edit", kwargs=kwargs),
            work_form_data(writer, title="Hijacked", post="1", update="1"),
        ),
        "delete": (reverse("works:delete", kwargs=kwargs), {}),
        "post": (reverse("works:post", kwargs=kwargs), {}),
        "chapter_new": (
            reverse("works:chapter_new", kwargs=kwargs),
            {**chapter_form_data(), "post": "1"},
        ),
        "chapter_edit": (
            reverse("works:chapter_edit", kwargs={**kwargs, "chapter_id": chapter.pk}),
            chapter_form_data(text="<p>Hijacked.</p>"),
        ),
        "chapter_delete": (
            reverse("works:chapter_delete", kwargs={**kwargs, "chapter_id": chapter.pk}),
            {},
        ),
        "chapters_manage": (
            reverse("works:chapters_manage", kwargs=kwargs),
            {f"position-{chapter.pk}": "1"},
        ),
    }


REFUSED_STATUS = {"anonymous": 302, "other": 404, "admin": 404}


@pytest.mark.parametrize(
    "action",
    ["edit", "delete", "post", "chapter_new", "chapter_edit", "chapter_delete", "chapters_manage"],
)
@pytest.mark.parametrize("viewer", ["anonymous", "other", "admin"])
@pytest.mark.parametrize("state", STATES)
def test_refused_changes_leave_the_work_untouched(client, world, state, viewer, action):
    people, works = world
    work = works[state]
    url, data = _refused_posts(work, people["creator"])[action]
    before = _snapshot(work)

    response = _client_for(client, people, viewer).post(url, data)

    assert response.status_code == REFUSED_STATUS[viewer]
    assert _snapshot(work) == before
    assert Chapter.objects.filter(work=work).count() == 1
