"""The browsing indexes: /media, /media/<media>/fandoms and /languages, and their API twins.

Each count is what the fandom's (or language's) listing shows this viewer: drafts, hidden
works and, for guests, restricted works are never counted, and a fandom with nothing to
show is not named. Caches are on (as in production): a change is counted on the next request.
"""

import pytest
from django.test import Client

from polis.api.actions import token_create
from polis.tags.actions import tags_find_or_create
from polis.tags.models import TagType
from polis.tags.wrangling import tag_add_parent
from polis.works.actions import work_set_hidden
from tests.api.conftest import ApiClient
from tests.search.conftest import tag
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(make_user, make_work, wrangler, canonical):
    chief = make_user("chief", is_staff=True, is_superuser=True)
    writer = make_user("writer")
    works = {
        "open": make_work(writer, title="Open", fandoms=["The 100 (TV)"]),
        "members": make_work(
            writer, title="Members", restricted=True, language="es",
            fandoms=["The 100 (TV)", "Doctor Who"],
        ),
        "draft": make_work(writer, title="Draft", post=False, fandoms=["Blake's 7"]),
        "hidden": make_work(writer, title="Hidden", fandoms=["Discworld"]),
        "loose": make_work(writer, title="Loose", language="de", fandoms=["Homestuck"]),
    }  # fmt: skip
    work_set_hidden(actor=chief, work=works["hidden"], hidden=True)
    tags_find_or_create(names=["TV Shows", "Books & Literature"], tag_type=TagType.MEDIA)
    canonical("TV Shows", "Books & Literature")
    canonical("The 100 (TV)", "Doctor Who", "Blake's 7", "Discworld", "Homestuck")
    for fandom in ("The 100 (TV)", "Doctor Who", "Blake's 7"):
        tag_add_parent(actor=wrangler, child=tag(fandom), parent=tag("TV Shows"))
    tag_add_parent(actor=wrangler, child=tag("Discworld"), parent=tag("Books & Literature"))
    return {"chief": chief, "writer": writer, "reader": make_user("reader"), "works": works}


def _client(archive, who):
    client = Client()
    if who:
        client.force_login(archive[who])
    return client


def media_page(archive, who=None) -> list[str]:
    response = _client(archive, who).get("/media")
    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("h1").text == "Fandoms"
    return [
        f"{item.select_one('h2').text.strip()}: "
        + ", ".join(li.text.strip() for li in item.select("ol.index li"))
        for item in page.select("li.medium")
    ]


def fandoms_page(archive, media, who=None) -> tuple[int, list[str]]:
    response = _client(archive, who).get(f"/media/{media}/fandoms")
    if response.status_code != 200:
        return response.status_code, []
    page = parse(response)
    return 200, [
        f"{group.select_one('h2').text}: "
        + ", ".join(li.text.strip() for li in group.select("ul.tags li"))
        for group in page.select("li.letter")
    ]


def languages_page(archive, who=None) -> list[str]:
    response = _client(archive, who).get("/languages")
    assert response.status_code == 200
    return [li.text.strip() for li in parse(response).select("ul.language li")]


def test_guests_see_only_fandoms_with_public_listed_works(archive):
    assert media_page(archive) == [
        "TV Shows: The 100 (TV) (1)",
        "Uncategorized Fandoms: Homestuck (1)",
    ]
    assert fandoms_page(archive, "TV Shows") == (200, ["T: The 100 (TV) (1)"])
    # Discworld is only on a hidden work: its media has nothing to show a guest.
    assert fandoms_page(archive, "Books *a* Literature") == (200, [])


def test_readers_also_count_restricted_works_and_staff_never_hidden_ones(archive):
    expected = [
        "TV Shows: The 100 (TV) (2), Doctor Who (1)",
        "Uncategorized Fandoms: Homestuck (1)",
    ]
    assert media_page(archive, "reader") == expected
    assert media_page(archive, "chief") == expected  # the hidden work is in no listing
    assert media_page(archive, "writer") == expected  # nor a creator's own draft
    assert fandoms_page(archive, "TV Shows", "reader") == (
        200,
        ["D: Doctor Who (1)", "T: The 100 (TV) (2)"],
    )


def test_a_fandom_index_is_404_for_anything_but_a_media(archive):
    assert fandoms_page(archive, "The 100 (TV)")[0] == 404
    assert fandoms_page(archive, "No Such Media")[0] == 404


def test_each_language_links_to_its_listing_with_its_count(archive):
    assert languages_page(archive) == ["Deutsch (1 work)", "English (1 work)"]
    assert languages_page(archive, "reader") == [
        "Deutsch (1 work)",
        "English (1 work)",
        "Español (1 work)",
    ]
    page = parse(_client(archive, None).get("/languages"))
    link = next(a for a in page.select("ul.language a") if a.get("lang") == "de")
    assert link.get("href") == "/works?work_search%5Blanguage_id%5D=de"
    listing = parse(Client().get(link.get("href")))
    assert [h.select("a")[0].text for h in listing.select("li.work h4")] == ["Loose"]


def test_a_change_is_counted_on_the_next_request(archive):
    assert media_page(archive)[0] == "TV Shows: The 100 (TV) (1)"
    assert languages_page(archive)[1] == "English (1 work)"
    work_set_hidden(actor=archive["chief"], work=archive["works"]["open"], hidden=True)
    assert media_page(archive) == ["Uncategorized Fandoms: Homestuck (1)"]
    assert languages_page(archive) == ["Deutsch (1 work)"]


def test_the_api_answers_the_same(archive):
    guest = ApiClient()
    body = guest.get("/media").json()
    assert [
        (m["name"], m["fandom_count"], [(f["name"], f["works"]) for f in m["top_fandoms"]])
        for m in body["media"]
    ] == [("TV Shows", 1, [("The 100 (TV)", 1)]), ("Uncategorized Fandoms", 1, [("Homestuck", 1)])]
    assert body["media"][0]["url"] == "http://testserver/media/TV%20Shows/fandoms"
    assert body["media"][1]["url"] is None
    reader = ApiClient(token_create(actor=archive["reader"], name="t")[1])
    fandoms = reader.get("/media/TV Shows/fandoms").json()
    assert fandoms == {
        "media": "TV Shows",
        "fandoms": [
            {"name": "Doctor Who", "works": 1, "url": "http://testserver/tags/Doctor%20Who/works"},
            {
                "name": "The 100 (TV)",
                "works": 2,
                "url": "http://testserver/tags/The%20100%20(TV)/works",
            },
        ],
    }
    missing = guest.get("/media/Doctor Who/fandoms")
    assert missing.status_code == 404
    assert missing.json()["detail"]
    languages = reader.get("/languages").json()["languages"]
    assert [(lang["code"], lang["name"], lang["works"]) for lang in languages] == [
        ("de", "Deutsch", 1),
        ("en", "English", 1),
        ("es", "Español", 1),
    ]
