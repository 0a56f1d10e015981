"""The filter sidebar of tag, user and all-works listings: include and exclude per tag type with
counts, tags by name, crossovers, completion, chapters, language, words, dates and text."""

import datetime

import pytest
from django.test import Client

from polis.tags.models import FilterTagging
from tests.search.conftest import tag, words
from tests.search.support import facet_counts, notices
from tests.works.support import listed_work_ids, main_heading

pytestmark = [pytest.mark.django_db, pytest.mark.both_search_engines]

THE_100 = "/tags/The 100 (TV)/works"


@pytest.fixture
def corpus(make_user, make_work, canonical, synonym):
    """Three posted works in The 100 (one restricted), one in Star Trek, one draft."""
    alice, bob = make_user("alice"), make_user("bob")
    heda = make_work(
        alice,
        title="Heda",
        rating="Teen And Up Audiences",
        categories=["F/F"],
        fandoms=["The 100 (TV)"],
        relationships=["Clarke Griffin/Lexa"],
        characters=["Clarke Griffin", "Lexa"],
        freeforms=["Slow Burn"],
        complete=True,
        text=words(1200),
        published_at=datetime.date(2024, 1, 10),
    )
    sky = make_work(
        bob,
        title="Sky People",
        rating="General Audiences",
        categories=["Gen"],
        fandoms=["The 100 (TV)"],
        relationships=["Clarke Griffin & Raven Reyes"],
        characters=["Clarke Griffin", "Raven Reyes"],
        freeforms=["Fluff"],
        text=words(400),
        published_at=datetime.date(2024, 3, 10),
    )
    fall = make_work(
        alice,
        title="Polis Falls",
        rating="Explicit",
        warnings=["Major Character Death"],
        categories=["F/F"],
        fandoms=["The 100 (TV)"],
        relationships=["Clexa"],
        characters=["Lexa"],
        freeforms=["Slow Burn", "Fluff"],
        restricted=True,
        complete=True,
        language="es",
        text=words(6000),
        published_at=datetime.date(2024, 2, 10),
    )
    trek = make_work(
        bob,
        title="Final Frontier",
        fandoms=["Star Trek"],
        freeforms=["Fluff"],
        language="de",
        text=words(50),
        published_at=datetime.date(2023, 12, 1),
    )
    make_work(alice, title="Unposted", fandoms=["The 100 (TV)"], freeforms=["Fluff"], post=False)
    canonical(
        "The 100 (TV)",
        "Star Trek",
        "Clarke Griffin/Lexa",
        "Clarke Griffin & Raven Reyes",
        "Clarke Griffin",
        "Lexa",
        "Raven Reyes",
        "Slow Burn",
        "Fluff",
    )
    synonym("Clexa", of="Clarke Griffin/Lexa")
    return {"heda": heda, "sky": sky, "fall": fall, "trek": trek}


@pytest.fixture
def reader(make_user):
    client = Client()
    client.force_login(make_user("reader"))
    return client


def ids(*works):
    return [work.pk for work in works]


def test_guests_see_facet_counts_of_public_works_only(client, corpus):
    response = client.get(THE_100)

    assert listed_work_ids(response) == ids(corpus["sky"], corpus["heda"])
    assert main_heading(response) == "1 - 2 of 2 Works in The 100 (TV)"
    assert facet_counts(response) == {
        "rating_ids": {"General Audiences": 1, "Teen And Up Audiences": 1},
        "archive_warning_ids": {"No Archive Warnings Apply": 2},
        "category_ids": {"F/F": 1, "Gen": 1},
        "fandom_ids": {"The 100 (TV)": 2},
        "character_ids": {"Clarke Griffin": 2, "Lexa": 1, "Raven Reyes": 1},
        "relationship_ids": {"Clarke Griffin & Raven Reyes": 1, "Clarke Griffin/Lexa": 1},
        "freeform_ids": {"Fluff": 1, "Slow Burn": 1},
    }
    assert facet_counts(response, "exclude") == facet_counts(response)


def test_logged_in_readers_see_restricted_works_counted_too(reader, corpus):
    response = reader.get(THE_100)

    assert listed_work_ids(response) == ids(corpus["sky"], corpus["fall"], corpus["heda"])
    assert main_heading(response) == "1 - 3 of 3 Works in The 100 (TV)"
    assert facet_counts(response) == {
        "rating_ids": {"Explicit": 1, "General Audiences": 1, "Teen And Up Audiences": 1},
        "archive_warning_ids": {"No Archive Warnings Apply": 2, "Major Character Death": 1},
        "category_ids": {"F/F": 2, "Gen": 1},
        "fandom_ids": {"The 100 (TV)": 3},
        "character_ids": {"Clarke Griffin": 2, "Lexa": 2, "Raven Reyes": 1},
        # The synonym Clexa counts under its canonical tag.
        "relationship_ids": {"Clarke Griffin/Lexa": 2, "Clarke Griffin & Raven Reyes": 1},
        "freeform_ids": {"Fluff": 2, "Slow Burn": 2},
    }


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_facet_count_is_the_number_of_listed_works_carrying_the_tag(
    client, reader, corpus, logged_in
):
    response = (reader if logged_in else client).get("/works")
    listed = listed_work_ids(response)
    counts = facet_counts(response)

    shown = ["sky", "fall", "heda", "trek"] if logged_in else ["sky", "heda", "trek"]
    assert listed == ids(*(corpus[key] for key in shown))
    for names in counts.values():
        for name, count in names.items():
            carrying = FilterTagging.objects.filter(tag=tag(name), work_id__in=listed).count()
            assert count == carrying, name


@pytest.mark.parametrize(
    ("param", "name", "expected"),
    [
        ("rating_ids", "Explicit", ["fall"]),
        ("archive_warning_ids", "No Archive Warnings Apply", ["sky", "heda", "trek"]),
        ("category_ids", "F/F", ["fall", "heda"]),
        ("fandom_ids", "The 100 (TV)", ["sky", "fall", "heda"]),
        ("character_ids", "Lexa", ["fall", "heda"]),
        ("relationship_ids", "Clarke Griffin/Lexa", ["fall", "heda"]),
        ("freeform_ids", "Fluff", ["sky", "fall", "trek"]),
    ],
)
def test_including_a_tag_of_each_type_from_the_sidebar(reader, corpus, param, name, expected):
    response = reader.get("/works", {f"include_work_search[{param}][]": tag(name).pk})

    assert response.status_code == 200
    assert listed_work_ids(response) == ids(*(corpus[key] for key in expected))
    assert facet_counts(response)[param][name] == len(expected)
    assert main_heading(response) == f"1 - {len(expected)} of {len(expected)} Works"


@pytest.mark.parametrize(
    ("param", "name", "expected"),
    [
        ("rating_ids", "Explicit", ["sky", "heda", "trek"]),
        ("archive_warning_ids", "No Archive Warnings Apply", ["fall"]),
        ("category_ids", "F/F", ["sky", "trek"]),
        ("fandom_ids", "The 100 (TV)", ["trek"]),
        ("character_ids", "Clarke Griffin", ["fall", "trek"]),
        ("relationship_ids", "Clarke Griffin/Lexa", ["sky", "trek"]),
        ("freeform_ids", "Slow Burn", ["sky", "trek"]),
    ],
)
def test_excluding_a_tag_of_each_type_from_the_sidebar(reader, corpus, param, name, expected):
    response = reader.get("/works", {f"exclude_work_search[{param}][]": tag(name).pk})

    assert listed_work_ids(response) == ids(*(corpus[key] for key in expected))
    counts = facet_counts(response)
    assert name not in counts.get(param, {})
    assert sum(counts["rating_ids"].values()) == len(expected)


def test_included_tags_must_all_be_present_and_excluded_tags_all_absent(reader, corpus):
    response = reader.get(
        THE_100,
        {
            "include_work_search[freeform_ids][]": [tag("Fluff").pk],
            "include_work_search[character_ids][]": [tag("Clarke Griffin").pk],
        },
    )
    assert listed_work_ids(response) == ids(corpus["sky"])

    response = reader.get(
        "/works",
        {
            "exclude_work_search[freeform_ids][]": [tag("Slow Burn").pk],
            "exclude_work_search[fandom_ids][]": [tag("Star Trek").pk],
        },
    )
    assert listed_work_ids(response) == ids(corpus["sky"])


def test_ticked_boxes_stay_ticked(reader, corpus):
    response = reader.get(THE_100, {"include_work_search[freeform_ids][]": tag("Fluff").pk})
    page = response.content.decode()

    fluff = tag("Fluff").pk
    assert (
        f'id="include_freeform_ids_{fluff}" name="include_work_search[freeform_ids][]" '
        f'value="{fluff}" checked>'
    ) in page


def test_other_tags_by_name_resolve_synonyms_to_their_canonical_tag(reader, corpus):
    response = reader.get("/works", {"work_search[other_tag_names]": "clexa"})

    assert listed_work_ids(response) == ids(corpus["fall"], corpus["heda"])
    assert notices(response) == []


def test_excluded_tags_by_name_resolve_synonyms_too(reader, corpus):
    response = reader.get("/works", {"work_search[excluded_tag_names]": "Clexa, Star Trek"})

    assert listed_work_ids(response) == ids(corpus["sky"])


def test_unknown_tag_names_are_ignored_with_a_notice(client, corpus):
    response = client.get(
        THE_100,
        {"work_search[other_tag_names]": "Nope, Fluff", "work_search[excluded_tag_names]": "Gone"},
    )

    assert response.status_code == 200
    assert listed_work_ids(response) == ids(corpus["sky"])
    assert notices(response) == [
        "We couldn't find the tag “Nope”, so it was ignored.",
        "We couldn't find the tag “Gone”, so it was ignored.",
    ]


def test_an_unwrangled_tag_name_filters_by_the_works_carrying_it(client, corpus, make_work):
    elsewhere = make_work(freeforms=["Not Yet Wrangled"])

    within = client.get(THE_100, {"work_search[other_tag_names]": "Not Yet Wrangled"})
    everywhere = client.get("/works", {"work_search[other_tag_names]": "not yet wrangled"})

    assert within.status_code == everywhere.status_code == 200
    assert listed_work_ids(within) == []
    assert listed_work_ids(everywhere) == [elsewhere.pk]
    assert notices(within) == notices(everywhere) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("T", ["fall", "heda"]), ("F", ["sky", "trek"]), ("", ["sky", "fall", "heda", "trek"])],
)
def test_completion_status(reader, corpus, value, expected):
    response = reader.get("/works", {"work_search[complete]": value})

    assert listed_work_ids(response) == ids(*(corpus[key] for key in expected))


def test_single_chapter_only(reader, corpus, make_work):
    long = make_work(title="Three Chapters", fandoms=["Star Trek"], chapters=3)

    everything = reader.get("/tags/Star Trek/works")
    single = reader.get("/tags/Star Trek/works", {"work_search[single_chapter]": "1"})

    assert listed_work_ids(everything) == ids(long, corpus["trek"])
    assert listed_work_ids(single) == ids(corpus["trek"])


@pytest.mark.parametrize(
    ("language", "expected"), [("es", ["fall"]), ("de", ["trek"]), ("en", ["sky", "heda"])]
)
def test_language(reader, corpus, language, expected):
    response = reader.get("/works", {"work_search[language_id]": language})

    assert listed_work_ids(response) == ids(*(corpus[key] for key in expected))


@pytest.mark.parametrize(
    ("words_from", "words_to", "expected"),
    [
        ("1000", "", ["fall", "heda"]),
        ("", "1000", ["sky", "trek"]),
        ("400", "1200", ["sky", "heda"]),
        ("1,201", "", ["fall"]),
        ("6000", "6000", ["fall"]),
    ],
)
def test_word_count_from_and_to(reader, corpus, words_from, words_to, expected):
    response = reader.get(
        "/works", {"work_search[words_from]": words_from, "work_search[words_to]": words_to}
    )

    assert listed_work_ids(response) == ids(*(corpus[key] for key in expected))


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        ("2024-01-01", "", ["sky", "fall", "heda"]),
        ("", "2024-01-10", ["heda", "trek"]),
        ("2024-01-11", "2024-03-09", ["fall"]),
        ("2024-03-10", "2024-03-10", ["sky"]),
    ],
)
def test_date_updated_from_and_to(reader, corpus, date_from, date_to, expected):
    response = reader.get(
        "/works", {"work_search[date_from]": date_from, "work_search[date_to]": date_to}
    )

    assert listed_work_ids(response) == ids(*(corpus[key] for key in expected))


def test_search_within_results(reader, corpus):
    response = reader.get(
        THE_100, {"work_search[query]": "heda OR falls", "work_search[sort_column]": "revised_at"}
    )

    assert listed_work_ids(response) == ids(corpus["fall"], corpus["heda"])


def test_user_and_pseud_listings_filter_the_same_way(reader, corpus):
    fluff = {"include_work_search[freeform_ids][]": tag("Fluff").pk}

    user = reader.get("/users/bob/works", fluff)
    pseud = reader.get("/users/alice/pseuds/alice/works", fluff)

    assert listed_work_ids(user) == ids(corpus["sky"], corpus["trek"])
    assert listed_work_ids(pseud) == ids(corpus["fall"])
    assert facet_counts(pseud)["freeform_ids"] == {"Fluff": 1, "Slow Burn": 1}


def test_drafts_are_never_listed_or_counted(reader, corpus):
    response = reader.get(THE_100, {"work_search[query]": "Unposted"})

    assert listed_work_ids(response) == []
    assert main_heading(response) == "0 Works in The 100 (TV)"
    assert facet_counts(reader.get(THE_100))["freeform_ids"]["Fluff"] == 2


def test_an_unwrangled_tag_only_on_a_draft_is_answered_as_unknown(client, corpus, make_work):
    make_work(freeforms=["Draft Only Tag"], post=False)

    response = client.get(THE_100, {"work_search[other_tag_names]": "Draft Only Tag"})

    assert response.status_code == 200
    assert notices(response) == ["We couldn't find the tag “Draft Only Tag”, so it was ignored."]
