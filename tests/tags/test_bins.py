"""Unwrangled bins: tags per fandom and type, and bulk wrangling that is all or nothing."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from polis.tags.models import Tag, TagType
from polis.tags.wrangling import tag_add_parent, tag_make_synonym
from polis.works.models import Work
from tests.tags.conftest import REFUSED, ROLES, tag_state
from tests.works.support import listed_work_ids, parse

pytestmark = pytest.mark.django_db

BINS = "/tags/unwrangled"


@pytest.fixture
def archive(wrangler, canonical, tag_of, make_work):
    """Two canonical fandoms (one with a synonym), and works with unwrangled tags."""
    tv = canonical("The 100 (TV)", TagType.FANDOM)
    tag_add_parent(actor=wrangler, child=tv, parent=canonical("TV Shows", TagType.MEDIA))
    canonical("Stargate SG-1", TagType.FANDOM)
    tag_make_synonym(actor=wrangler, tag=tag_of("The 100", TagType.FANDOM), of=tv)
    canonical("Lexa", TagType.CHARACTER)
    canonical("Clarke Griffin", TagType.CHARACTER)
    tag_make_synonym(
        actor=wrangler,
        tag=tag_of("Heda", TagType.CHARACTER),
        of=Tag.objects.get(name="Lexa"),
    )
    make_work(
        title="Ark",
        fandoms=["The 100 (TV)"],
        characters=["Clarke", "Bellamy", "Lexa", "Heda"],
        relationships=["Clarke/Lexa"],
        freeforms=["Rain"],
    )
    make_work(title="Ark 2", fandoms=["The 100 (TV)"], characters=["Clarke"])
    make_work(title="Short", fandoms=["The 100"], characters=["Octavia"])
    make_work(title="Gate", fandoms=["Stargate SG-1", "New Fandom"], characters=["Jack"])
    return tv


@pytest.fixture
def wrangler_client(wrangler) -> Client:
    client = Client()
    client.force_login(wrangler)
    return client


def bin_names(response) -> list[str]:
    return parse(response).texts("table.wrangling tbody th a.tag")


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"tag_type": "character", "fandom": "The 100 (TV)"}, ["Clarke", "Bellamy", "Octavia"]),
        ({"tag_type": "character", "fandom": "the 100"}, ["Clarke", "Bellamy", "Octavia"]),
        ({"tag_type": "character", "fandom": "Stargate SG-1"}, ["Jack"]),
        ({"tag_type": "character"}, ["Clarke", "Bellamy", "Jack", "Octavia"]),
        ({}, ["Clarke", "Bellamy", "Jack", "Octavia"]),
        ({"tag_type": "relationship", "fandom": "The 100 (TV)"}, ["Clarke/Lexa"]),
        ({"tag_type": "freeform", "fandom": "Stargate SG-1"}, []),
        ({"tag_type": "fandom"}, ["New Fandom", "Stargate SG-1"]),
    ],
    ids=[
        "characters of a fandom",
        "fandom by synonym",
        "other fandom",
        "all characters",
        "default",
        "relationships",
        "empty bin",
        "fandoms without media",
    ],
)
def test_bins_list_unwrangled_tags_per_fandom_and_type(wrangler_client, archive, params, names):
    response = wrangler_client.get(BINS, params)

    assert response.status_code == 200
    assert bin_names(response) == names


def test_rows_show_uses_and_state_and_have_labelled_checkboxes(wrangler_client, archive):
    page = parse(wrangler_client.get(BINS, {"fandom": "The 100 (TV)"}))

    clarke = Tag.objects.get(name="Clarke")
    row = page.select_one(f"tr#bin_row_{clarke.pk}")
    assert row.texts("td") == ["Select Clarke", "2", "unwrangled"]
    assert row.select_one("input[type=checkbox]").get("value") == str(clarke.pk)
    assert page.select_one(f"label[for=bin_tag_{clarke.pk}]").text == "Select Clarke"
    assert page.select_one("table caption").text == "3 character tags to wrangle in The 100 (TV)"
    assert page.select_one("form#bin input[name=csrfmiddlewaretoken]")


def test_an_unknown_fandom_is_explained(wrangler_client, archive):
    response = wrangler_client.get(BINS, {"fandom": "Nope"})

    page = parse(response)
    assert page.texts("#field-fandom .errorlist li") == ["“Nope” is not a canonical fandom."]
    assert bin_names(response) == []


def test_bins_are_paged_by_fifty(wrangler_client, make_work, canonical):
    canonical("Big Fandom", TagType.FANDOM)
    names = [f"Extra {number:02}" for number in range(52)]
    make_work(fandoms=["Big Fandom"], characters=names[:26])
    make_work(fandoms=["Big Fandom"], characters=names[26:])
    params = {"fandom": "Big Fandom"}

    assert bin_names(wrangler_client.get(BINS, params)) == names[:50]
    assert bin_names(wrangler_client.get(BINS, {**params, "page": 2})) == names[50:]


def test_the_bin_runs_a_fixed_number_of_queries(
    wrangler_client, make_work, canonical, django_assert_num_queries
):
    canonical("Big Fandom", TagType.FANDOM)
    make_work(fandoms=["Big Fandom"], characters=["One", "Two"])
    with CaptureQueriesContext(connection) as few:
        wrangler_client.get(BINS, {"fandom": "Big Fandom"})
    queries = len(few.captured_queries)
    make_work(fandoms=["Big Fandom"], characters=[f"More {n}" for n in range(20)])

    with django_assert_num_queries(queries):
        response = wrangler_client.get(BINS, {"fandom": "Big Fandom"})
    assert len(bin_names(response)) == 22


def test_bulk_make_canonical(wrangler_client, archive):
    ids = list(Tag.objects.filter(name__in=["Clarke", "Bellamy"]).values_list("pk", flat=True))
    url = f"{BINS}?fandom=The+100+(TV)"

    response = wrangler_client.post(url, {"tags": ids, "action": "canonical"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert sorted(
        Tag.objects.filter(canonical=True, type="character").values_list("name", flat=True)
    ) == [
        "Bellamy",
        "Clarke",
        "Clarke Griffin",
        "Lexa",
    ]
    page = parse(wrangler_client.get(response["Location"]))
    assert page.texts("ul.flash li") == ["2 tags wrangled."]
    assert page.texts("table.wrangling tbody th a.tag") == ["Octavia"]


@pytest.mark.both_search_engines
def test_bulk_make_synonyms_moves_their_works(client, wrangler_client, archive):
    ids = list(Tag.objects.filter(name__in=["Clarke"]).values_list("pk", flat=True))

    response = wrangler_client.post(
        BINS, {"tags": ids, "action": "synonym", "synonym_of": "clarke griffin"}
    )

    assert response.status_code == 302
    assert Tag.objects.get(name="Clarke").merger == Tag.objects.get(name="Clarke Griffin")
    ark, ark_2 = Work.objects.get(title="Ark"), Work.objects.get(title="Ark 2")
    assert listed_work_ids(client.get("/tags/Clarke Griffin/works")) == [ark_2.pk, ark.pk]


def test_bulk_add_fandom_parent(wrangler_client, archive):
    ids = list(Tag.objects.filter(name__in=["Bellamy", "Octavia"]).values_list("pk", flat=True))

    wrangler_client.post(BINS, {"tags": ids, "action": "parent", "parent": "The 100 (TV)"})

    assert sorted(archive.child_links.values_list("child__name", flat=True)) == [
        "Bellamy",
        "Octavia",
    ]


def test_a_refused_tag_stops_the_whole_bulk_action(wrangler_client, wrangler, archive):
    clarke, bellamy = Tag.objects.get(name="Clarke"), Tag.objects.get(name="Bellamy")
    # Someone else wrangled Clarke after the bin was shown.
    tag_make_synonym(actor=wrangler, tag=clarke, of=Tag.objects.get(name="Clarke Griffin"))
    before = tag_state("Clarke", "Bellamy")

    response = wrangler_client.post(BINS, {"tags": [clarke.pk, bellamy.pk], "action": "canonical"})

    assert response.status_code == 200
    page = parse(response)
    assert page.texts("#bulk-refusals li") == [
        "Clarke: “Clarke” is a synonym of “Clarke Griffin”; remove the synonym first."
    ]
    assert tag_state("Clarke", "Bellamy") == before
    assert "checked" in page.select_one(f"input#bin_tag_{bellamy.pk}").attrs


def test_wrong_parent_types_are_listed_for_every_tag(wrangler_client, archive):
    ids = sorted(Tag.objects.filter(name__in=["Bellamy", "Octavia"]).values_list("pk", flat=True))
    before = tag_state("Bellamy", "Octavia")

    response = wrangler_client.post(BINS, {"tags": ids, "action": "parent", "parent": "Lexa"})

    assert parse(response).texts("#bulk-refusals li") == [
        "Bellamy: A Character tag cannot be a parent of a Character tag.",
        "Octavia: A Character tag cannot be a parent of a Character tag.",
    ]
    assert tag_state("Bellamy", "Octavia") == before


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"action": "canonical"}, ["Tags: Tick at least one tag."]),
        ({"action": "synonym", "synonym_of": ""}, ["Synonym of: Name a tag."]),
        ({"action": "parent", "parent": "Nope"}, ["Parent: There is no tag named “Nope”."]),
    ],
)
def test_incomplete_bulk_forms_are_explained(wrangler_client, archive, data, errors):
    if data["action"] != "canonical":
        data = {**data, "tags": [Tag.objects.get(name="Bellamy").pk]}
    before = tag_state("Bellamy")

    response = wrangler_client.post(BINS, data)

    assert parse(response).texts("#error li") == errors
    assert tag_state("Bellamy") == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_wranglers_and_admins_use_bins(client_as, archive, role, method):
    bellamy = Tag.objects.get(name="Bellamy")
    client = client_as(role)

    if method == "get":
        response = client.get(BINS)
    else:
        response = client.post(BINS, {"tags": [bellamy.pk], "action": "canonical"})

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/tags/unwrangled"
    elif role in REFUSED:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if method == "get" else 302)
    bellamy.refresh_from_db()
    assert bellamy.canonical is (method == "post" and role not in REFUSED)
