"""Every sort of AO3's sort_column in both directions, and 20 works a page with filters kept."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from polis.works.actions import ChapterInput, chapter_add
from tests.search.conftest import set_stats, tag, words
from tests.search.support import page_links
from tests.works.support import listed_work_ids, main_heading

pytestmark = [pytest.mark.django_db, pytest.mark.both_search_engines]

# title, creator, posted on (January 2024), words, hits, kudos, comments, bookmarks
ROWS = {
    "A": ("banana", "carol", 3, 300, 50, 5, 1, 9),
    "B": ("Apple", "alice", 5, 100, 10, 30, 7, 2),
    "C": ("cherry", "Bob", 1, 500, 30, 1, 4, 5),
    "D": ("date", "dave", 4, 200, 90, 12, 0, 1),
    "E": ("elderberry", "erin", 2, 400, 70, 20, 2, 3),
}


@pytest.fixture
def works(make_user, make_work):
    made = {}
    for key, (title, creator, day, count, hits, kudos, comments, bookmarks) in ROWS.items():
        work = make_work(
            make_user(creator),
            title=title,
            text=words(count),
            published_at=datetime.date(2024, 1, day),
        )
        set_stats(work, hits=hits, kudos=kudos, comments=comments, bookmarks=bookmarks)
        made[key] = work
    # An update moves C to the top of "Date Updated" but not of "Date Posted".
    made["C"].refresh_from_db()
    chapter_add(
        actor=made["C"].creatorships.get().pseud.user,
        work=made["C"],
        data=ChapterInput(text="<p>More.</p>"),
    )
    return made


@pytest.mark.parametrize(
    ("column", "descending"),
    [
        ("revised_at", "CBDAE"),
        ("created_at", "BDAEC"),
        ("title_to_sort_on", "EDCAB"),
        ("authors_to_sort_on", "EDACB"),
        ("word_count", "CEADB"),
        ("hits", "DEACB"),
        ("kudos_count", "BEDAC"),
        ("comments_count", "BCEAD"),
        ("bookmarks_count", "ACEBD"),
    ],
)
def test_every_sort_in_both_directions(client, works, column, descending):
    def order(direction):
        response = client.get(
            "/works",
            {"work_search[sort_column]": column, "work_search[sort_direction]": direction},
        )
        assert response.status_code == 200
        return listed_work_ids(response)

    assert order("desc") == [works[key].pk for key in descending]
    assert order("asc") == [works[key].pk for key in reversed(descending)]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("", "CBDAE"),  # date updated, newest first
        ("title_to_sort_on", "BACDE"),  # text sorts read A to Z
        ("authors_to_sort_on", "BCADE"),
        ("kudos_count", "BEDAC"),  # numbers biggest first
    ],
)
def test_default_directions(client, works, column, expected):
    response = client.get("/works", {"work_search[sort_column]": column})

    assert listed_work_ids(response) == [works[key].pk for key in expected]


def test_the_sort_menu_shows_the_current_sort(client, works):
    response = client.get("/works", {"work_search[sort_column]": "hits"})

    assert '<option value="hits" selected>Hits</option>' in response.content.decode()


@pytest.fixture
def ranked(make_work):
    """One word, found in a title, a summary and once in a long text: best match in that order."""
    return [
        make_work(title="The Lantern", text=words(30, "sea")),
        make_work(title="Harbour", summary="A lantern at the harbour.", text=words(30, "sea")),
        make_work(title="Shore", text=words(30, "sea") + "<p>a lantern</p>"),
        make_work(title="Unrelated", text=words(30, "sea")),
    ]


def test_best_match_in_both_directions(client, ranked):
    lantern = [ranked[0].pk, ranked[1].pk, ranked[2].pk]

    def order(**extra):
        params = {"work_search[query]": "lantern", **extra}
        return listed_work_ids(client.get("/works/search", params))

    assert order() == lantern  # best match is the default sort of a text search
    assert order(**{"work_search[sort_column]": "_score"}) == lantern
    assert order(**{"work_search[sort_direction]": "asc"}) == lantern[::-1]


def test_best_match_without_text_sorts_by_date_updated(client, works):
    response = client.get("/works", {"work_search[sort_column]": "_score"})

    assert listed_work_ids(response) == [works[key].pk for key in "CBDAE"]


@pytest.fixture
def many(make_user, make_work, canonical):
    writer = make_user("writer")
    made = [
        make_work(
            writer,
            title=f"Work {n:02}",
            freeforms=["Fluff"] + (["Angst"] if n % 2 else []),
            published_at=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(45)
    ]
    canonical("Fluff", "Angst")
    return made


def test_twenty_works_a_page_and_page_links_keep_the_filters(client, many):
    params = {
        "exclude_work_search[freeform_ids][]": tag("Angst").pk,
        "work_search[sort_column]": "title_to_sort_on",
        "work_search[sort_direction]": "desc",
    }
    kept = [work.pk for work in many if not int(work.title[-2:]) % 2]  # 23 works
    kept.reverse()

    first = client.get("/tags/Fluff/works", params)
    links = page_links(first)
    second = client.get("/tags/Fluff/works" + links[-2])  # "2", then "Next →"

    assert listed_work_ids(first) == kept[:20]
    assert main_heading(first) == "1 - 20 of 23 Works in Fluff"
    assert len(links) == 2
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["exclude_work_search[freeform_ids][]"] == [str(tag("Angst").pk)]
        assert query["work_search[sort_column]"] == ["title_to_sort_on"]
        assert query["work_search[sort_direction]"] == ["desc"]
        assert query["page"] == ["2"]
    assert listed_work_ids(second) == kept[20:]
    assert main_heading(second) == "21 - 23 of 23 Works in Fluff"
    previous = page_links(second)
    assert parse_qs(urlsplit(previous[0]).query)["page"] == ["1"]
    assert parse_qs(urlsplit(previous[0]).query)["work_search[sort_column]"] == ["title_to_sort_on"]


def test_a_page_past_the_end_is_empty_and_says_so(client, many):
    response = client.get("/tags/Fluff/works", {"page": "4"})

    assert response.status_code == 200
    assert listed_work_ids(response) == []
    assert main_heading(response) == "45 Works in Fluff"
    assert "There is no page 4; the last page is 3." in response.content.decode()


def test_works_revised_within_one_second_sort_by_their_microseconds_and_ties_by_id(
    client, make_user, make_work
):
    from polis.search.indexing import index_works
    from polis.works.models import Work

    writer = make_user("writer")
    base = datetime.datetime(2024, 3, 1, 12, 0, 0, tzinfo=datetime.UTC)
    made = [make_work(writer, title=f"T{n}") for n in range(4)]
    # Within one second, in an order unlike the ids; the last two revised at the same instant.
    moments = [base.replace(microsecond=m) for m in (900_000, 100_000, 500_000, 500_000)]
    for work, moment in zip(made, moments, strict=True):
        Work.objects.filter(pk=work.pk).update(revised_at=moment)
    index_works(w.pk for w in made)
    a, b, c, d = (w.pk for w in made)
    newest_first = listed_work_ids(client.get("/works?work_search[sort_column]=revised_at"))
    oldest_first = listed_work_ids(
        client.get("/works?work_search[sort_column]=revised_at&work_search[sort_direction]=asc")
    )

    assert newest_first == [a, d, c, b]
    assert oldest_first == [b, c, d, a]
