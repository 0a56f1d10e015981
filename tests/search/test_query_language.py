"""AO3's query language in the search box: every form, on both databases and both engines
(the accelerator and the SQL backends), through the search page a reader uses."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from polis.search.indexing import index_works
from polis.works.models import Work
from tests.search.conftest import set_stats, words
from tests.works.support import listed_work_ids, parse

pytestmark = [pytest.mark.django_db, pytest.mark.both_search_engines]


@pytest.fixture
def corpus(make_user, make_work, canonical, synonym):
    """Three works with known words, fields, tags, numbers and dates (see each)."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    song = make_work(
        alice,
        title="Song of Tides",
        summary="<p>A war story.</p>",
        notes="<p>Thanks to my beta.</p>",
        fandoms=["The 100 (TV)"],
        relationships=["Clarke Griffin/Lexa"],
        freeforms=["Fluff"],
        complete=True,
        text="<p>" + "tide " * 1200 + "singer</p>",
        published_at=datetime.date(2024, 1, 10),
    )
    lessons = make_work(
        bob,
        title="Singing Lessons",
        summary="<p>Peace at last.</p>",
        fandoms=["Star Trek"],
        freeforms=["Angst"],
        language="fr",
        restricted=True,
        text=words(300, "lesson"),
        published_at=datetime.date(2024, 3, 10),
    )
    harbor = make_work(
        carol,
        title="Quiet Harbor",
        summary="<p>Sing along.</p>",
        fandoms=["The 100 (TV)"],
        relationships=["Clexa"],
        complete=True,
        text=words(5000, "harbor"),
        published_at=datetime.date(2023, 6, 1),
    )
    canonical("The 100 (TV)", "Star Trek", "Fluff", "Angst", "Clarke Griffin/Lexa")
    synonym("Clexa", of="Clarke Griffin/Lexa")
    set_stats(song, hits=2000, kudos=5)
    set_stats(lessons, hits=10)
    set_stats(harbor, hits=500, kudos=50, comments=3, bookmarks=2)
    now = timezone.now()
    for work, days in ((song, 400), (lessons, 3), (harbor, 60)):
        Work.objects.filter(pk=work.pk).update(revised_at=now - datetime.timedelta(days=days))
    index_works([song.pk, lessons.pk, harbor.pk])
    return {"song": song, "lessons": lessons, "harbor": harbor}


@pytest.fixture
def reader(make_user):
    client = Client()
    client.force_login(make_user("reader"))
    return client


def search(client: Client, query: str, sort: str = "word_count"):
    return client.get(
        "/works/search", {"work_search[query]": query, "work_search[sort_column]": sort}
    )


# Expected works, by most words first (harbor 5000, song 1201, lessons 300).
CASES = [
    ("sing*", ["harbor", "song", "lessons"]),
    ("sing", ["harbor"]),
    ('"sing along"', ["harbor"]),
    ('"along sing"', []),
    ("title:sing*", ["lessons"]),
    ("title:song", ["song"]),
    ('title:"quiet harbor"', ["harbor"]),
    ("summary:war", ["song"]),
    ("summary:sing", ["harbor"]),
    ("notes:beta", ["song"]),
    ("creators:alice", ["song"]),
    ("creators:bob", ["lessons"]),
    ('fandoms:"The 100 (TV)"', ["harbor", "song"]),
    ("fandoms:star*", ["lessons"]),
    ("fandoms:fluff", []),
    ("tag:Fluff", ["song"]),
    ('tags:"Clarke Griffin/Lexa"', ["harbor", "song"]),
    ("tag:clexa", ["harbor", "song"]),
    ("kudos_count:>1", ["harbor", "song"]),
    ("kudos_count:<1", ["lessons"]),
    ("kudos_count:50", ["harbor"]),
    ("word_count:<500", ["lessons"]),
    ("word_count:1000-5000", ["harbor", "song"]),
    ("word_count:>1,000", ["harbor", "song"]),
    ("hits:>1000", ["song"]),
    ("comments_count:3", ["harbor"]),
    ("bookmarks_count:>0", ["harbor"]),
    ("created_at:<2024-01-01", ["harbor"]),
    ("created_at:>2024-01-10", ["lessons"]),
    ("created_at:2024-01-10", ["song"]),
    ("created_at:2024-01-01-2024-02-01", ["song"]),
    ("created_at:>1 year", ["harbor", "song", "lessons"]),
    ("revised_at:<2 weeks", ["lessons"]),
    ("revised_at: > 1 year", ["song"]),
    ("revised_at:1-3 months", ["harbor"]),
    ("complete:true", ["harbor", "song"]),
    ("complete:F", ["lessons"]),
    ("language:fr", ["lessons"]),
    ("language:Français", ["lessons"]),
    ("restricted:true", ["lessons"]),
    ("restricted:false", ["harbor", "song"]),
    ("fluff OR angst", ["song", "lessons"]),
    ("sing* -title:singing", ["harbor", "song"]),
    ("sing* NOT title:singing", ["harbor", "song"]),
    ("NOT kudos_count:>1", ["lessons"]),
    ("(title:song OR title:harbor) kudos_count:>10", ["harbor"]),
    ("-(fluff OR angst)", ["harbor"]),
    ("word_count:>1000 OR language:fr", ["harbor", "song", "lessons"]),
    ("tide OR harbor complete:true", ["harbor", "song"]),
    ("sing* AND hits:<1000", ["harbor", "lessons"]),
    ("((sing*) (kudos_count:>1 OR lesson))", ["harbor", "song", "lessons"]),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[case[0] for case in CASES])
def test_each_form_of_the_query_language(reader, corpus, query, expected):
    response = search(reader, query)

    assert response.status_code == 200
    assert listed_work_ids(response) == [corpus[name].pk for name in expected]


@pytest.mark.parametrize("sort", ["_score", "revised_at", "kudos_count"])
def test_a_query_of_only_numbers_and_flags_sorts_as_any_listing(reader, corpus, sort):
    """Best match with nothing to rank by falls back to date updated, on both engines."""
    response = search(reader, "kudos_count:>1 OR complete:false", sort=sort)

    expected = {
        "_score": ["lessons", "harbor", "song"],  # newest first
        "revised_at": ["lessons", "harbor", "song"],
        "kudos_count": ["harbor", "song", "lessons"],
    }[sort]
    assert listed_work_ids(response) == [corpus[name].pk for name in expected]


def test_best_match_ranks_text_matches_above_works_matching_otherwise(reader, corpus):
    response = search(reader, "title:harbor OR kudos_count:>1", sort="_score")

    assert listed_work_ids(response) == [corpus["harbor"].pk, corpus["song"].pk]


def test_restricted_works_stay_hidden_from_guests_whatever_the_query(client, corpus):
    response = search(client, "sing* OR complete:false")

    assert listed_work_ids(response) == [corpus["harbor"].pk, corpus["song"].pk]


def test_the_title_box_takes_the_same_language(reader, corpus):
    response = reader.get(
        "/works/search",
        {"work_search[title]": "sing* -lessons", "work_search[sort_column]": "word_count"},
    )

    assert listed_work_ids(response) == []
    response = reader.get("/works/search", {"work_search[title]": "song OR harbor"})
    assert sorted(listed_work_ids(response)) == sorted([corpus["song"].pk, corpus["harbor"].pk])


def test_the_form_lists_the_syntax(reader, corpus):
    page = parse(reader.get("/works/search"))

    help_box = page.select_one("details#query-syntax")
    assert help_box.select_one("summary").text == "Search syntax"
    codes = {code.text for code in help_box.select("code")}
    assert {"sing*", '"slow burn"', "kudos_count:>100", "revised_at:<2 weeks"} <= codes
    assert "restricted:true" in codes
