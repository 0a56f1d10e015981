"""The number a reader sees on a chapter is its place among the chapters that reader may see.

A draft chapter keeps its position among its work's chapters, but readers are never shown a
gap where it sits: posted chapters 1, (draft), 3 read as Chapter 1 and Chapter 2. Creators
see every chapter, drafts included, numbered among all.
"""

import pytest
from django.test import Client
from django.urls import reverse

from polis.api.actions import token_create
from polis.downloads.html import write_html
from polis.downloads.preface import book_for
from polis.works.actions import ChapterInput, chapter_add, chapters_reorder
from tests.api.conftest import ApiClient
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def work(make_work, writer):
    """Chapters One (posted), Two (a draft), Three (posted)."""
    work = make_work(writer, title="Gaps", text="<p>One text.</p>")
    work.chapters.update(title="One")
    chapter_add(
        actor=writer, work=work, data=ChapterInput(text="<p>x</p>", title="Two"), post=False
    )
    chapter_add(actor=writer, work=work, data=ChapterInput(text="<p>y</p>", title="Three"))
    work.refresh_from_db()
    return work


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def chapter(work, title):
    return work.chapters.get(title=title)


@pytest.fixture(params=["anonymous", "reader"])
def reader(request, make_user):
    return None if request.param == "anonymous" else make_user("reader")


def test_the_chapter_index_numbers_only_the_chapters_a_reader_may_see(work, writer, reader):
    url = reverse("works:navigate", kwargs={"work_id": work.pk})

    shown = parse(client_for(reader).get(url)).texts("ol.chapter.index li a")
    creator = parse(client_for(writer).get(url)).texts("ol.chapter.index li a")

    assert shown == ["1. One", "2. Three"]
    assert creator == ["1. One", "2. Two", "3. Three"]


def test_a_chapter_heading_skips_draft_chapters_for_readers(work, writer, reader):
    url = chapter(work, "Three").get_absolute_url()

    shown = parse(client_for(reader).get(url)).texts("div.chapter h3.title")
    creator = parse(client_for(writer).get(url)).texts("div.chapter h3.title")

    assert shown == ["Chapter 2: Three"]
    assert creator == ["Chapter 3: Three"]


def test_the_entire_work_numbers_headings_and_anchors_without_gaps(work, writer, reader):
    url = f"{work.get_absolute_url()}?view_full_work=true"

    page = parse(client_for(reader).get(url))

    assert page.texts("div.chapter h3.title") == ["Chapter 1: One", "Chapter 2: Three"]
    anchors = [div.get("id") for div in page.select("div.chapter") if div.get("id")]
    assert anchors == ["chapter-1", "chapter-2"]


def test_the_works_notes_open_the_first_chapter_a_reader_may_see(make_work, writer, reader):
    work = make_work(writer, notes="<p>Beginning notes.</p>")
    draft = chapter_add(
        actor=writer, work=work, data=ChapterInput(text="<p>d</p>", title="Prologue"), post=False
    )
    first = work.chapters.exclude(pk=draft.pk).get()
    chapters_reorder(actor=writer, work=work, chapter_ids=[draft.pk, first.pk])

    page = parse(client_for(reader).get(first.get_absolute_url()))

    assert "Beginning notes." in page.text


def api_for(user=None) -> ApiClient:
    return ApiClient(token_create(actor=user, name="tests")[1] if user is not None else None)


def test_the_api_numbers_only_the_chapters_the_caller_may_see(work, writer, reader):
    three = chapter(work, "Three")

    listed = api_for(reader).get(f"/works/{work.pk}").json()["chapters"]
    shown = api_for(reader).get(f"/works/{work.pk}/chapters/{three.pk}").json()
    creator = api_for(writer).get(f"/works/{work.pk}").json()["chapters"]

    assert [(c["title"], c["position"]) for c in listed] == [("One", 1), ("Three", 2)]
    assert shown["position"] == 2
    assert [(c["title"], c["position"]) for c in creator] == [
        ("One", 1),
        ("Two", 2),
        ("Three", 3),
    ]


def test_a_chapter_added_through_the_api_is_numbered_among_all_for_its_creator(work, writer):
    response = api_for(writer).post(
        f"/works/{work.pk}/chapters", {"text": "<p>Four.</p>", "title": "Four"}
    )

    assert (response.status_code, response.json()["position"]) == (201, 4)


def test_downloads_number_the_posted_chapters_without_gaps(work):
    book = book_for(work)
    html = write_html(book).decode()

    assert [c.heading for c in book.chapters] == ["Chapter 1: One", "Chapter 2: Three"]
    assert '<a href="#chapter-2" dir="ltr">Chapter 2: Three</a>' in html
    assert "Chapter 3" not in html
