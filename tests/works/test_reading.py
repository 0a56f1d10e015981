"""Reading a work: AO3's page structure, the adult caution, restricted works, text formats."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polis.tags.fixed import Rating
from tests.search.support import warm_search
from tests.works.support import (
    listed_work_ids,
    parse,
    work_form_data,
)

pytestmark = pytest.mark.django_db

ADULT_CAUTION = "This work could have adult content."


@pytest.fixture
def writer(make_user):
    return make_user("writer")


# ---------------------------------------------------------------- AO3 markup


def test_work_page_uses_ao3_structure_and_class_names(client, writer, make_user, make_work):
    cowriter = make_user("cowriter")
    work = make_work(
        writer,
        title="Heda",
        rating="Teen And Up Audiences",
        warnings=["Major Character Death", "Graphic Depictions Of Violence"],
        categories=["F/F"],
        fandoms=["The 100 (TV)"],
        relationships=["Clarke Griffin/Lexa"],
        characters=["Lexa", "Clarke Griffin"],
        freeforms=["Angst"],
        summary="<p>The summary.</p>",
        notes="<p>The notes.</p>",
        end_notes="<p>The end notes.</p>",
        language="en",
        expected_chapters=3,
        restricted=True,
        published_at=timezone.localdate().replace(year=2021, month=5, day=6),
        chapters=2,
        text="<p>One two three four.</p>",
    )
    work.creatorships.create(pseud=cowriter.pseuds.get(), accepted=False)  # an invitation
    client.force_login(cowriter)
    client.post(reverse("works:creatorship", kwargs={"work_id": work.pk}), {"decision": "accept"})

    page = parse(client.get(f"{work.get_absolute_url()}?view_full_work=true"))

    meta = page.select_one("dl.work.meta.group")

    def tags(kind: str) -> list[str]:
        return meta.texts(f"dd.{kind}.tags a.tag")

    assert tags("rating") == ["Teen And Up Audiences"]
    assert tags("warning") == ["Graphic Depictions Of Violence", "Major Character Death"]
    assert tags("category") == ["F/F"]
    assert tags("fandom") == ["The 100 (TV)"]
    assert tags("relationship") == ["Clarke Griffin/Lexa"]
    assert tags("character") == ["Clarke Griffin", "Lexa"]
    assert tags("freeform") == ["Angst"]
    assert meta.select_one("dd.fandom.tags a.tag").get("href") == "/tags/The%20100%20(TV)/works"
    assert meta.select_one("dd.language").text == "English"
    stats = meta.select_one("dl.stats")
    assert stats.texts("dt") == [
        "Published:",
        "Updated:",
        "Words:",
        "Chapters:",
        "Comments:",
        "Kudos:",
        "Bookmarks:",
        "Hits:",
    ]
    assert stats.texts("dd") == ["2021-05-06", timezone.localdate().isoformat()] + [
        "7",
        "2/3",
        "0",
        "0",
        "0",
        "0",
    ]
    byline = page.select("h3.byline a[rel=author]")
    assert [(a.text, a.get("href")) for a in byline] == [
        ("writer", "/users/writer/pseuds/writer"),
        ("cowriter", "/users/cowriter/pseuds/cowriter"),
    ]
    assert page.select_one("div.summary blockquote.userstuff").text == "The summary."
    assert page.select("div.notes blockquote.userstuff")[0].text == "The notes."
    assert page.select_one("div#work_endnotes blockquote.userstuff").text == "The end notes."
    assert page.select_one('h1.title img[alt="(Restricted)"]')
    assert page.select_one("div#chapter-1 div.userstuff.module p").text == "One two three four."
    assert page.select_one("div#chapter-2 div.userstuff.module p").text == "Chapter 2 text."

    listing = parse(client.get(reverse("works:index")))
    blurb = listing.select_one("li.work.blurb")
    heading_links = [(a.text, a.get("href")) for a in blurb.select("h4.heading a")]
    assert heading_links == [
        ("Heda", work.get_absolute_url()),
        ("writer", "/users/writer/pseuds/writer"),
        ("cowriter", "/users/cowriter/pseuds/cowriter"),
    ]
    assert blurb.select_one('h4.heading img[alt="(Restricted)"]')
    assert blurb.select_one("dd.words").text == "7"


def test_completed_work_says_completed_and_single_chapter_work_has_no_update_date(
    client, make_work
):
    single = make_work(title="Single")
    finished = make_work(title="Finished", chapters=2, expected_chapters=2)

    single_stats = parse(client.get(single.get_absolute_url())).select_one("dl.stats")
    finished_stats = parse(client.get(finished.get_absolute_url())).select_one("dl.stats")

    assert "Updated:" not in single_stats.texts("dt")
    assert "Completed:" not in single_stats.texts("dt")
    assert finished_stats.texts("dt")[1] == "Completed:"


def test_unrestricted_work_has_no_restricted_marker(client, make_work):
    work = make_work()

    page = parse(client.get(work.get_absolute_url()))

    assert page.select('img[alt="(Restricted)"]') == []


# ---------------------------------------------------------------- adult caution


@pytest.mark.parametrize(
    ("rating", "caution"),
    [
        (Rating.GENERAL, False),
        (Rating.TEEN, False),
        (Rating.MATURE, True),
        (Rating.EXPLICIT, True),
        (Rating.NOT_RATED, True),
    ],
)
def test_adult_caution_is_shown_for_mature_explicit_and_not_rated(
    client, make_work, rating, caution
):
    work = make_work(rating=rating, text="<p>The secret text.</p>")

    response = client.get(work.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert (ADULT_CAUTION in body) is caution
    assert ("The secret text." in body) is not caution
    if caution:
        page = parse(response)
        link = [a for a in page.select("div.caution a") if a.text == "Yes, Continue"]
        assert [a.get("href") for a in link] == ["?view_adult=true"]
        assert page.select_one("dd.rating.tags a.tag").text == rating


def test_yes_continue_shows_the_work_and_is_remembered_for_the_session(client, make_work):
    work = make_work(rating=Rating.EXPLICIT, text="<p>The secret text.</p>")
    other = make_work(rating=Rating.MATURE, text="<p>Other text.</p>")

    continued = client.get(f"{work.get_absolute_url()}?view_adult=true")
    again = client.get(work.get_absolute_url())
    other_page = client.get(other.get_absolute_url())

    assert "The secret text." in continued.content.decode()
    assert ADULT_CAUTION not in continued.content.decode()
    assert "The secret text." in again.content.decode()
    assert "Other text." in other_page.content.decode()
    fresh = Client().get(work.get_absolute_url())
    assert ADULT_CAUTION in fresh.content.decode()


@pytest.mark.parametrize("page", ["chapter", "full"], ids=["chapter page", "view_full_work"])
def test_adult_caution_guards_chapter_pages_and_the_full_work(client, make_work, page):
    work = make_work(rating=Rating.MATURE, chapters=2)
    url = {
        "chapter": work.chapters.get(position=2).get_absolute_url(),
        "full": f"{work.get_absolute_url()}?view_full_work=true",
    }[page]

    response = client.get(url)

    assert ADULT_CAUTION in response.content.decode()
    assert "Chapter 2 text." not in response.content.decode()
    if page == "full":
        link = [a for a in parse(response).select("div.caution a") if a.text == "Yes, Continue"]
        assert link[0].get("href") == "?view_adult=true&view_full_work=true"


@pytest.mark.parametrize(
    ("view_adult", "caution"), [(True, False), (False, True)], ids=["preference on", "off"]
)
def test_the_view_adult_preference_skips_the_caution(
    client, make_user, make_work, view_adult, caution
):
    work = make_work(rating=Rating.EXPLICIT)
    client.force_login(make_user("reader", view_adult=view_adult))

    response = client.get(work.get_absolute_url())

    assert (ADULT_CAUTION in response.content.decode()) is caution


def test_creators_never_see_the_caution_on_their_own_work(client, writer, make_work):
    work = make_work(writer, rating=Rating.EXPLICIT)
    client.force_login(writer)

    response = client.get(work.get_absolute_url())

    assert ADULT_CAUTION not in response.content.decode()


# ---------------------------------------------------------------- restricted


def test_restricted_work_asks_logged_out_readers_to_log_in_without_revealing_it(client, make_work):
    work = make_work(
        title="Secret Title",
        restricted=True,
        summary="<p>Secret summary.</p>",
        fandoms=["Secret Fandom"],
        text="<p>Secret text.</p>",
    )

    response = client.get(work.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "This work is only available to registered users of the Archive." in body
    for secret in ("Secret Title", "Secret summary", "Secret Fandom", "Secret text", "writer"):
        assert secret not in body
    login = parse(response).select_one("main form")
    assert login.get("action") == reverse("account_login")
    assert login.select_one("input[name=next]").get("value") == work.get_absolute_url()


# ---------------------------------------------------------------- word counts and formats


@pytest.mark.both_search_engines
def test_word_count_is_stored_and_shown_with_thousands_separators(client, make_work):
    work = make_work(text="<p>" + "word " * 1234 + "</p>")

    assert work.word_count == 1234
    page = parse(client.get(work.get_absolute_url()))
    assert page.select_one("dl.stats dd.words").text == "1,234"
    listing = parse(client.get(reverse("works:index")))
    assert listing.select_one("li.work.blurb dd.words").text == "1,234"


@pytest.mark.parametrize(
    ("text_format", "text", "html", "words"),
    [
        ("html", "<p>One <em>two</em></p><p>three</p>", "<p>One <em>two</em></p><p>three</p>", 3),
        (
            "html",
            "One line\nnext line\n\nNew para",
            "<p>One line<br>\nnext line</p>\n<p>New para</p>",
            6,
        ),
        ("text", "Fish & <chips>\n\nMore", "<p>Fish &amp; &lt;chips&gt;</p>\n<p>More</p>", 3),
        (
            "markdown",
            "# Title\n\nSome **bold** words",
            "<h1>Title</h1>\n<p>Some <strong>bold</strong> words</p>",
            4,
        ),
    ],
    ids=["html", "html without blocks", "plain text", "markdown"],
)
def test_text_formats_are_rendered_to_clean_html(client, writer, text_format, text, html, words):
    client.force_login(writer)

    response = client.post(
        reverse("works:new"),
        work_form_data(writer, post="1", text_format=text_format, text=text),
    )

    assert response.status_code == 302
    chapter = writer.pseuds.get().works.get().chapters.get()
    assert chapter.content == html
    assert chapter.source == text
    assert chapter.word_count == words


STORY = """\
The lighthouse keeper had not spoken to anyone in three weeks.

She counted the days by the supply boat, which came on Thursdays
and left before the tide turned.

"You're late," she said, when it finally came.
The boatman only shrugged.

* * *

That night the lamp went out."""


def test_a_plain_text_story_with_notes_reads_as_paragraphs(client, writer):
    client.force_login(writer)
    data = work_form_data(
        writer,
        post="1",
        title="The Keeper",
        summary="A quiet story.",
        notes="Written for a prompt.\n\nThanks, R.",
        end_notes="More soon!",
        text_format="text",
        text=STORY.replace("\n", "\r\n"),  # as a browser sends a textarea
    )

    response = client.post(reverse("works:new"), data, follow=True)

    assert response.status_code == 200
    page = parse(response)
    chapter_text = page.select_one("div#chapter-1 div.userstuff.module")
    assert chapter_text.texts("p") == [
        "The lighthouse keeper had not spoken to anyone in three weeks.",
        "She counted the days by the supply boat, which came on Thursdays and left before the "
        "tide turned.",
        '"You\'re late," she said, when it finally came. The boatman only shrugged.',
        "* * *",
        "That night the lamp went out.",
    ]
    assert len(chapter_text.select("p br")) == 2
    assert page.select_one("div.summary blockquote.userstuff").text == "A quiet story."
    assert page.select("div.notes blockquote.userstuff")[0].texts("p") == [
        "Written for a prompt.",
        "Thanks, R.",
    ]
    assert page.select_one("div#work_endnotes blockquote.userstuff").text == "More soon!"
    jump = page.select_one("div.notes p.jump a")
    assert jump.get("href") == "#work_endnotes"
    work = writer.pseuds.get().works.get()
    assert work.word_count == 47
    assert page.select_one("dl.stats dd.words").text == "47"


# ---------------------------------------------------------------- listings


@pytest.mark.both_search_engines
def test_works_index_pages_by_twenty_newest_first(client, make_user, make_work):
    writer = make_user("writer")
    works = [make_work(writer, title=f"Work {n}") for n in range(1, 23)]
    newest_first = [work.pk for work in reversed(works)]

    first = client.get(reverse("works:index"))
    second = client.get(reverse("works:index"), {"page": 2})
    beyond = client.get(reverse("works:index"), {"page": 9})

    assert listed_work_ids(first) == newest_first[:20]
    assert parse(first).select_one("main h1.heading").text == "1 - 20 of 22 Works"
    assert listed_work_ids(second) == newest_first[20:]
    assert parse(second).select_one("main h1.heading").text == "21 - 22 of 22 Works"
    assert beyond.status_code == 200
    assert listed_work_ids(beyond) == []
    assert parse(beyond).select_one("main h1.heading").text == "22 Works"
    assert "There is no page 9; the last page is 2." in beyond.content.decode()


@pytest.mark.both_search_engines
def test_home_shows_the_latest_works(client, make_work):
    older = make_work(title="Older")
    newer = make_work(title="Newer")

    response = client.get(reverse("home"))

    assert listed_work_ids(response) == [newer.pk, older.pk]


@pytest.mark.both_search_engines
def test_updating_a_work_with_a_new_chapter_moves_it_to_the_top(client, writer, make_work):
    older = make_work(writer, title="Older")
    newer = make_work(title="Newer")
    client.force_login(writer)
    client.post(
        reverse("works:chapter_new", kwargs={"work_id": older.pk}),
        {"text_format": "html", "text": "<p>More.</p>", "post": "1"},
    )

    assert listed_work_ids(client.get(reverse("works:index"))) == [older.pk, newer.pk]


@pytest.mark.parametrize(
    "url_name",
    ["works:index", "home", "tag", "user_works", "pseud_works"],
)
@pytest.mark.both_search_engines
def test_listings_use_a_constant_number_of_queries(
    client, make_user, make_work, django_assert_num_queries, url_name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    writer = make_user("writer")
    reader = make_user("reader")
    client.force_login(reader)
    urls = {
        "works:index": reverse("works:index"),
        "home": reverse("home"),
        "tag": reverse("tags:works", kwargs={"name": "Shared Fandom"}),
        "user_works": reverse("accounts:user_works", kwargs={"username": "writer"}),
        "pseud_works": reverse(
            "accounts:pseud_works", kwargs={"username": "writer", "pseud": "writer"}
        ),
    }

    def make(number: int) -> None:
        for n in range(number):
            make_work(
                writer,
                title=f"W{n}",
                fandoms=["Shared Fandom", f"Fandom {n}"],
                characters=[f"Character {n}"],
                freeforms=[f"Tag {n}", "Fluff"],
            )

    make(2)
    client.get(urls[url_name])  # warm up the session and caches
    cache.clear()  # both measured pages render every blurb (polis.search.fragments)
    with CaptureQueriesContext(connection) as few:
        response = client.get(urls[url_name])
    assert len(listed_work_ids(response)) == 2

    make(19)
    warm_search()  # the accelerator's reload of new works is not the page's doing
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(urls[url_name])
    assert len(listed_work_ids(response)) == 20
