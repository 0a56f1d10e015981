"""`/works/search` with AO3's `work_search[...]` names: ranges, ages, tags by name, and full
text over titles, summaries, notes, tags, creators and chapter text."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from polis.works.actions import ChapterInput, chapter_add
from tests.search.conftest import set_stats, tag, words
from tests.works.support import listed_work_ids, parse

pytestmark = pytest.mark.django_db


def found(response) -> str:
    return parse(response).select_one("h3#results-heading").text


def search(client, **fields) -> list[int]:
    params = {f"work_search[{key}]": value for key, value in fields.items()}
    params.setdefault("work_search[sort_column]", "title_to_sort_on")
    response = client.get("/works/search", params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return listed_work_ids(response)


@pytest.fixture
def reader(make_user):
    client = Client()
    client.force_login(make_user("reader"))
    return client


def test_the_search_page_without_a_question_shows_the_form_only(client, db):
    response = client.get("/works/search")

    assert response.status_code == 200
    page = parse(response)
    assert page.select("h3#results-heading") == []
    assert page.select_one("label[for=ws_query]").text == "Any Field"


# --- full text -----------------------------------------------------------------------------


@pytest.fixture
def texts(make_user, make_work):
    harbour = make_work(
        make_user("quill"),
        title="Moonlight Harbour",
        summary="A lighthouse keeper waits.",
        notes="Written for a prompt about storms.",
        freeforms=["Found Family"],
        text="<p>The keeper climbed the stairs every night.</p>",
    )
    seas = make_work(
        make_user("inkwell"),
        title="Stormy Seas",
        summary="Sailors, and a keeper.",
        end_notes="Thanks to my beta reader.",
        freeforms=["Angst"],
        text="<p>The lamp went dark and the sea rose.</p>",
    )
    quiet = make_work(make_user("nib"), title="Quiet", text="<p>Nothing happens.</p>")
    quiet.refresh_from_db()
    chapter_add(
        actor=quiet.creatorships.get().pseud.user,
        work=quiet,
        data=ChapterInput(text="<p>A zephyr, at last, and the keeper sleeps.</p>"),
    )
    locked = make_work(
        make_user("lock"), title="Locked Keeper", restricted=True, text="<p>Keeper.</p>"
    )
    make_work(make_user("drafty"), title="Draft Keeper", post=False, text="<p>keeper lamp</p>")
    return {"harbour": harbour, "seas": seas, "quiet": quiet, "locked": locked}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("moonlight", ["harbour"]),  # title
        ("lighthouse", ["harbour"]),  # summary
        ("prompt", ["harbour"]),  # notes
        ("beta", ["seas"]),  # end notes
        ("family", ["harbour"]),  # tags
        ("inkwell", ["seas"]),  # creators
        ("stairs", ["harbour"]),  # chapter text
        ("zephyr", ["quiet"]),  # a later chapter's text
        ("LAMP", ["seas"]),  # any case
    ],
)
def test_full_text_covers_every_field(client, texts, query, expected):
    assert search(client, query=query) == [texts[key].pk for key in expected]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("keeper", ["harbour", "quiet", "seas"]),
        ("keeper lamp", ["seas"]),  # AND by default
        ('"keeper climbed"', ["harbour"]),  # a phrase
        ('"climbed keeper"', []),
        ("lamp OR stairs", ["harbour", "seas"]),
        ("keeper -lamp", ["harbour", "quiet"]),
        ('keeper -"the keeper sleeps"', ["harbour", "seas"]),
        ("zephyr OR lamp -sailors", ["quiet"]),
    ],
)
def test_full_text_operators(client, texts, query, expected):
    assert search(client, query=query) == [texts[key].pk for key in expected]


@pytest.mark.both_search_engines
def test_restricted_works_are_found_only_by_logged_in_readers_and_counted_so(client, reader, texts):
    guest = client.get("/works/search", {"work_search[query]": "keeper"})
    member = reader.get("/works/search", {"work_search[query]": "keeper"})

    assert found(guest) == "3 Found"
    assert sorted(listed_work_ids(guest)) == sorted(
        texts[key].pk for key in ("harbour", "seas", "quiet")
    )
    assert found(member) == "4 Found"
    assert texts["locked"].pk in listed_work_ids(member)


def test_drafts_are_never_found(reader, texts):
    assert search(reader, query="draft") == []
    assert search(reader, title="draft") == []


def test_title_and_creator_fields(client, texts):
    assert search(client, title="harbour") == [texts["harbour"].pk]
    assert search(client, title="keeper") == []  # only in summaries and text
    assert search(client, creators="Inkwell") == [texts["seas"].pk]
    assert search(client, creators="quill, nib") == [texts["harbour"].pk, texts["quiet"].pk]


# --- numbers, ages, tags ----------------------------------------------------------------------


@pytest.fixture
def sized(make_user, make_work):
    writer = make_user("writer")
    today = timezone.localdate()
    made = {}
    for count, days_ago, kudos, hits in [
        (500, 0, 3, 40),
        (1000, 3, 10, 100),
        (3000, 30, 11, 99),
        (5000, 200, 0, 500),
        (8000, 400, 50, 1000),
    ]:
        published = today - datetime.timedelta(days=days_ago) if days_ago else None
        work = make_work(
            writer, title=f"Words {count:05}", text=words(count), published_at=published
        )
        set_stats(work, kudos=kudos, hits=hits)
        made[count] = work
    return made


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (">5000", [8000]),
        ("<1000", [500]),
        ("1000-5000", [1000, 3000, 5000]),
        ("1,000 - 3,000", [1000, 3000]),
        ("5000", [5000]),
        (">8000", []),
    ],
)
def test_word_count_ranges(client, sized, value, expected):
    assert search(client, word_count=value) == [sized[count].pk for count in expected]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("kudos_count", ">10", [3000, 8000]),
        ("kudos_count", "10", [1000]),
        ("hits", "<100", [500, 3000]),
        ("hits", "100-500", [1000, 5000]),
    ],
)
def test_stat_ranges(client, sized, field, value, expected):
    assert search(client, **{field: value}) == [sized[count].pk for count in expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("< 2 weeks", [500, 1000]),
        ("<1 week", [500, 1000]),
        ("< 2 days", [500]),
        ("> 1 year", [8000]),
        ("> 6 months", [5000, 8000]),
        ("1-2 months", [3000]),
        ("< 10 years", [500, 1000, 3000, 5000, 8000]),
    ],
)
def test_date_updated_ages(client, sized, value, expected):
    assert search(client, revised_at=value) == [sized[count].pk for count in expected]


@pytest.fixture
def tagged(make_user, make_work, canonical, synonym):
    writer = make_user("writer")
    heda = make_work(
        writer,
        title="Heda",
        rating="Teen And Up Audiences",
        fandoms=["The 100 (TV)"],
        relationships=["Clexa"],
        characters=["Lexa"],
        freeforms=["Slow Burn"],
        complete=True,
        language="fr",
    )
    sky = make_work(
        writer,
        title="Sky",
        fandoms=["The 100 (TV)", "Star Trek"],
        relationships=["Clarke Griffin/Lexa"],
        characters=["Clarke Griffin"],
        freeforms=["Fluff"],
        chapters=2,
    )
    trek = make_work(writer, title="Trek", fandoms=["Star Trek"], freeforms=["Fluff"])
    canonical("The 100 (TV)", "Star Trek", "Clarke Griffin/Lexa", "Lexa", "Clarke Griffin", "Fluff")
    synonym("Clexa", of="Clarke Griffin/Lexa")
    return {"heda": heda, "sky": sky, "trek": trek}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"fandom_names": "The 100 (TV)"}, ["heda", "sky"]),
        ({"fandom_names": "the 100 (tv), Star Trek"}, ["sky"]),
        ({"relationship_names": "Clexa"}, ["heda", "sky"]),
        ({"character_names": "Clarke Griffin"}, ["sky"]),
        ({"freeform_names": "Fluff"}, ["sky", "trek"]),
        ({"excluded_tag_names": "Fluff"}, ["heda"]),
        ({"excluded_tag_names": "Clexa"}, ["trek"]),
        ({"complete": "T"}, ["heda"]),
        ({"complete": "F"}, ["sky", "trek"]),
        ({"crossover": "T"}, ["sky"]),
        ({"crossover": "F"}, ["heda", "trek"]),
        ({"single_chapter": "1"}, ["heda", "trek"]),
        ({"language_id": "fr"}, ["heda"]),
        ({"fandom_names": "Star Trek", "query": "sky OR heda"}, ["sky"]),
    ],
)
def test_search_fields_by_ao3_name(client, tagged, fields, expected):
    assert search(client, **fields) == [tagged[key].pk for key in expected]


@pytest.mark.both_search_engines
def test_rating_ids(client, tagged):
    response = client.get(
        "/works/search", {"work_search[rating_ids]": tag("Teen And Up Audiences").pk}
    )

    assert listed_work_ids(response) == [tagged["heda"].pk]
    assert found(response) == "1 Found"


@pytest.mark.both_search_engines
def test_a_tag_name_of_the_wrong_type_is_ignored_with_a_notice(client, tagged):
    response = client.get("/works/search", {"work_search[fandom_names]": "Fluff"})

    assert response.status_code == 200
    assert parse(response).texts("ul.notice li") == [
        "We couldn't find the tag “Fluff”, so it was ignored."
    ]


@pytest.mark.both_search_engines
def test_the_form_keeps_what_was_asked(client, tagged):
    response = client.get(
        "/works/search", {"work_search[word_count]": ">5000", "work_search[query]": '"a b"'}
    )
    page = parse(response)

    assert page.select_one("input#ws_word_count").get("value") == ">5000"
    assert page.select_one("input#ws_query").get("value") == '"a b"'
