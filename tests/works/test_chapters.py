"""Chapters: add, edit, reorder, delete, drafts, counts, and reading them one by one or whole."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polis.works.models import Chapter, Work
from tests.works.support import (
    chapter_form_data,
    parse,
    work_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def reader_client(client, make_user):
    client.force_login(make_user("reader"))
    return client


def _add(client, work: Work, **data):
    return client.post(
        reverse("works:chapter_new", kwargs={"work_id": work.pk}), chapter_form_data(**data)
    )


def _chapters(work: Work) -> list[tuple[int, str, bool]]:
    return list(work.chapters.order_by("position").values_list("position", "title", "posted"))


def _stats(client, work: Work, url: str | None = None) -> dict[str, str]:
    page = parse(client.get(url or work.get_absolute_url()))
    return {dt.get("class"): dt.text for dt in page.select("dl.stats dd")}


def _chapter_url(chapter: Chapter) -> str:
    return chapter.get_absolute_url()


# ---------------------------------------------------------------- add


def test_adding_a_chapter_posts_it_and_updates_the_counts(writer_client, writer, make_work):
    work = make_work(writer, text="<p>Some words here.</p>")

    response = _add(
        writer_client, work, post="1", chapter_title="The Storm", text="<p>Rain fell hard.</p>"
    )

    chapter = work.chapters.get(position=2)
    assert response.status_code == 302
    assert response["Location"] == chapter.get_absolute_url()
    assert chapter.posted is True
    assert chapter.published_at == timezone.localdate()
    work.refresh_from_db()
    assert (work.chapter_count, work.word_count) == (2, 6)
    page = parse(writer_client.get(response["Location"]))
    assert page.select_one("div.chapter h3.title").text == "Chapter 2: The Storm"
    assert page.select_one("dl.stats dd.chapters").text == "2/?"
    assert page.select_one("dl.stats dd.words").text == "6"


@pytest.mark.parametrize(
    ("expected_chapters", "display", "status_label", "complete"),
    [
        (None, "2/?", "Updated:", False),
        (5, "2/5", "Updated:", False),
        (2, "2/2", "Completed:", True),
    ],
)
@pytest.mark.both_search_engines
def test_chapter_count_shows_posted_over_expected(
    writer_client, writer, make_work, expected_chapters, display, status_label, complete
):
    work = make_work(writer, expected_chapters=expected_chapters)

    _add(writer_client, work, post="1")

    work.refresh_from_db()
    assert work.chapter_total_display == display
    assert work.complete is complete
    page = parse(writer_client.get(work.get_absolute_url()))
    assert page.select_one("dl.stats dd.chapters").text == display
    assert page.select_one("dl.stats dt.status").text == status_label
    blurbs = parse(writer_client.get(reverse("works:index")))
    assert blurbs.select_one("li.work.blurb dd.chapters").text == display
    assert blurbs.select_one("li.work.blurb span.iswip").text == (
        "Complete Work" if complete else "Work in Progress"
    )


def test_marking_a_work_complete_settles_the_expected_count(writer_client, writer, make_work):
    work = make_work(writer, chapters=3, expected_chapters=10)
    assert work.chapter_total_display == "3/10"

    writer_client.post(
        reverse("works:edit", kwargs={"work_id": work.pk}),
        work_form_data(writer, update="1", complete="on", published_at=work.published_at),
    )

    work.refresh_from_db()
    assert (work.complete, work.chapter_total_display) == (True, "3/3")
    assert parse(writer_client.get(work.get_absolute_url())).select_one("dt.status").text == (
        "Completed:"
    )


# ---------------------------------------------------------------- drafts


def test_a_draft_chapter_is_seen_only_by_creators_and_not_counted(
    writer_client, writer, make_work, make_user
):
    work = make_work(writer, text="<p>One two three.</p>")

    response = _add(writer_client, work, save_draft="1", text="<p>Draft words here.</p>")

    draft = work.chapters.get(position=2)
    assert response["Location"] == draft.get_absolute_url()
    assert draft.posted is False
    assert draft.published_at is None
    work.refresh_from_db()
    assert (work.chapter_count, work.word_count, work.chapter_total_display) == (1, 3, "1/?")
    creator_page = parse(writer_client.get(draft.get_absolute_url()))
    assert creator_page.select_one("div.chapter h3.title").text == "Chapter 2 (Draft)"
    creator_index = parse(writer_client.get(reverse("works:navigate", kwargs={"work_id": work.pk})))
    assert creator_index.texts("ol.chapter.index li span.datetime")[1] == "(draft)"

    client = Client()
    client.force_login(make_user("reader"))
    assert client.get(draft.get_absolute_url()).status_code == 404
    reader_index = parse(client.get(reverse("works:navigate", kwargs={"work_id": work.pk})))
    assert len(reader_index.select("ol.chapter.index li")) == 1
    work_page = client.get(f"{work.get_absolute_url()}?view_full_work=true").content.decode()
    assert "Draft words here." not in work_page


def test_posting_a_draft_chapter_counts_it(writer_client, writer, make_work):
    work = make_work(writer, text="<p>One two three.</p>")
    _add(writer_client, work, save_draft="1", text="<p>Four five.</p>")
    draft = work.chapters.get(position=2)

    response = writer_client.post(
        reverse("works:chapter_post", kwargs={"work_id": work.pk, "chapter_id": draft.pk})
    )

    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    work.refresh_from_db()
    assert draft.posted is True
    assert draft.published_at == timezone.localdate()
    assert (work.chapter_count, work.word_count) == (2, 5)


def test_chapters_added_to_a_draft_work_stay_drafts(writer_client, writer, make_work):
    work = make_work(writer, post=False)

    _add(writer_client, work, post="1")

    work.refresh_from_db()
    assert _chapters(work) == [(1, "", False), (2, "", False)]
    # A draft's numbers describe what posting it will publish: both chapters, 3 + 2 words.
    assert (work.chapter_count, work.word_count) == (2, 5)


# ---------------------------------------------------------------- edit


def test_editing_a_chapter_replaces_its_text_and_recounts(writer_client, writer, make_work):
    work = make_work(writer, chapters=2)
    chapter = work.chapters.get(position=2)
    url = reverse("works:chapter_edit", kwargs={"work_id": work.pk, "chapter_id": chapter.pk})
    form = parse(writer_client.get(url))
    assert form.select_one("input[name=chapter_title]").get("value") == "Part 2"
    assert form.select_one("textarea[name=text]").text == "<p>Chapter 2 text.</p>"

    response = writer_client.post(
        url,
        chapter_form_data(
            update="1",
            chapter_title="Renamed",
            chapter_summary="What happens.",
            text_format="markdown",
            text="Now *five* words in it.",
        ),
    )

    assert response["Location"] == chapter.get_absolute_url()
    chapter.refresh_from_db()
    work.refresh_from_db()
    assert chapter.title == "Renamed"
    assert chapter.summary == "<p>What happens.</p>"
    assert chapter.content == "<p>Now <em>five</em> words in it.</p>"
    assert chapter.word_count == 5
    assert work.word_count == 3 + 5


# ---------------------------------------------------------------- reorder


def test_chapters_can_be_reordered_by_position_numbers(writer_client, writer, make_work):
    work = make_work(writer, chapters=3)
    first, second, third = work.chapters.order_by("position")

    response = writer_client.post(
        reverse("works:chapters_manage", kwargs={"work_id": work.pk}),
        {f"position-{first.pk}": "3", f"position-{second.pk}": "1", f"position-{third.pk}": "2"},
    )

    assert response["Location"] == reverse("works:navigate", kwargs={"work_id": work.pk})
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        third.pk,
        first.pk,
    ]
    index = parse(writer_client.get(response["Location"]))
    assert index.texts("ol.chapter.index li a") == ["1. Part 2", "2. Part 3", "3. Chapter 3"]
    full = parse(writer_client.get(f"{work.get_absolute_url()}?view_full_work=true"))
    assert full.select_one("div#chapter-1 div.userstuff.module p").text == "Chapter 2 text."


@pytest.mark.parametrize(
    ("positions", "error"),
    [
        (("1", "1", "2"), "Use each position from 1 to 3 exactly once."),
        (("1", "2", "4"), "Use each position from 1 to 3 exactly once."),
        (("1", "two", "3"), "Give every chapter a position number."),
        (("1", "2", ""), "Give every chapter a position number."),
    ],
)
def test_an_impossible_order_is_refused_and_changes_nothing(
    writer_client, writer, make_work, positions, error
):
    work = make_work(writer, chapters=3)
    chapters = list(work.chapters.order_by("position"))
    data = {f"position-{c.pk}": p for c, p in zip(chapters, positions, strict=True)}

    response = writer_client.post(
        reverse("works:chapters_manage", kwargs={"work_id": work.pk}), data
    )

    assert response.status_code == 200
    assert parse(response).select_one("p.error").text == error
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        c.pk for c in chapters
    ]


# ---------------------------------------------------------------- delete


def test_deleting_a_chapter_asks_first_then_renumbers_and_recounts(
    writer_client, writer, make_work
):
    work = make_work(writer, chapters=3)
    second = work.chapters.get(position=2)
    url = reverse("works:chapter_delete", kwargs={"work_id": work.pk, "chapter_id": second.pk})

    confirm = writer_client.get(url)

    assert confirm.status_code == 200
    assert parse(confirm).select_one("main h1.heading").text == (
        "Delete Chapter 2: Part 2 of “A Work”?"
    )
    assert work.chapters.count() == 3

    response = writer_client.post(url)

    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert _chapters(work) == [(1, "", True), (2, "Part 3", True)]
    assert (work.chapter_count, work.word_count) == (2, 3 + 3)
    assert not Chapter.objects.filter(pk=second.pk).exists()


def test_the_only_chapter_cannot_be_deleted(writer_client, writer, make_work):
    work = make_work(writer)
    chapter = work.chapters.get()

    response = writer_client.post(
        reverse("works:chapter_delete", kwargs={"work_id": work.pk, "chapter_id": chapter.pk})
    )

    assert response.status_code == 200
    assert parse(response).select_one("p.error").text == (
        "A work needs at least one chapter; delete the work instead."
    )
    assert work.chapters.get() == chapter


def test_the_only_posted_chapter_cannot_be_deleted_while_drafts_remain(
    writer_client, writer, make_work
):
    work = make_work(writer)
    _add(writer_client, work, save_draft="1")
    posted = work.chapters.get(position=1)

    response = writer_client.post(
        reverse("works:chapter_delete", kwargs={"work_id": work.pk, "chapter_id": posted.pk})
    )

    assert response.status_code == 200
    assert parse(response).select_one("p.error").text == (
        "This is the only posted chapter; delete the work instead."
    )
    assert work.chapters.count() == 2


# ---------------------------------------------------------------- reading chapters


def _nav_links(client, chapter: Chapter) -> dict[str, set[str]]:
    page = parse(client.get(chapter.get_absolute_url()))
    return {
        direction: {a.get("href") for a in page.select(f"li.chapter.{direction} a")}
        for direction in ("previous", "next")
    }


def test_chapter_pages_link_to_the_previous_and_next_chapters(reader_client, make_work):
    work = make_work(chapters=3)
    first, second, third = work.chapters.order_by("position")

    assert _nav_links(reader_client, first) == {"previous": set(), "next": {_chapter_url(second)}}
    assert _nav_links(reader_client, second) == {
        "previous": {_chapter_url(first)},
        "next": {_chapter_url(third)},
    }
    assert _nav_links(reader_client, third) == {"previous": {_chapter_url(second)}, "next": set()}


def test_previous_and_next_skip_draft_chapters_for_readers(
    writer_client, writer, make_work, make_user
):
    work = make_work(writer)
    _add(writer_client, work, save_draft="1")
    _add(writer_client, work, post="1")
    first, draft, third = work.chapters.order_by("position")
    client = Client()
    client.force_login(make_user("reader"))

    assert _nav_links(client, first) == {"previous": set(), "next": {_chapter_url(third)}}
    assert _nav_links(writer_client, first) == {"previous": set(), "next": {_chapter_url(draft)}}


def test_navigate_lists_chapters_with_their_dates(client, make_work):
    work = make_work(chapters=3)
    chapters = list(work.chapters.order_by("position"))

    page = parse(client.get(reverse("works:navigate", kwargs={"work_id": work.pk})))

    links = page.select("ol.chapter.index.group li a")
    assert [(a.text, a.get("href")) for a in links] == [
        ("1. Chapter 1", _chapter_url(chapters[0])),
        ("2. Part 2", _chapter_url(chapters[1])),
        ("3. Part 3", _chapter_url(chapters[2])),
    ]
    today = timezone.localdate().isoformat()
    assert page.texts("ol.chapter.index li span.datetime") == [f"({today})"] * 3
    assert all(
        re.fullmatch(r"\(\d{4}-\d{2}-\d{2}\)", text)
        for text in page.texts("ol.chapter.index li span.datetime")
    )


def test_the_work_page_shows_the_first_chapter_with_a_link_to_the_entire_work(client, make_work):
    work = make_work(chapters=3)

    page = parse(client.get(work.get_absolute_url()))

    assert [div.get("id") for div in page.select("div#chapters div.chapter[id]")] == ["chapter-1"]
    assert page.select_one("li.chapter.entire a").get("href") == (
        f"{work.get_absolute_url()}?view_full_work=true"
    )


def test_view_full_work_shows_every_chapter(client, make_work):
    work = make_work(chapters=3, text="<p>Chapter 1 text.</p>")

    page = parse(client.get(f"{work.get_absolute_url()}?view_full_work=true"))

    assert [div.get("id") for div in page.select("div#chapters div.chapter[id]")] == [
        "chapter-1",
        "chapter-2",
        "chapter-3",
    ]
    for number in (1, 2, 3):
        assert page.select_one(f"div#chapter-{number} div.userstuff.module p").text == (
            f"Chapter {number} text."
        )
    assert page.select_one("li.chapter.bychapter a").text == "Chapter by Chapter"


def test_preview_of_a_multi_chapter_draft_heads_every_chapter(writer_client, writer, make_work):
    work = make_work(writer, post=False)
    _add(writer_client, work, save_draft="1", text="<p>Second.</p>")

    page = parse(writer_client.get(reverse("works:preview", kwargs={"work_id": work.pk})))

    assert page.texts("div#chapters div.chapter h3.title") == [
        "Chapter 1 (Draft)",
        "Chapter 2 (Draft)",
    ]
