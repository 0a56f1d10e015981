"""Similar works: shared filter tags weighted by rarity plus readers who left kudos on both;
only works the viewer may see, without their mutes and blocks; a reader can turn it off."""

import math

import pytest
from django.core.cache import cache
from django.urls import reverse

from polis.accounts.actions import user_update_preferences
from polis.engagement.kudos import kudos_give
from polis.engagement.relations import block_add, mute_add
from polis.engagement.similar import similar_ranking, similar_works
from polis.tags.actions import tags_find_or_create
from polis.tags.models import TagType
from polis.tags.wrangling import tag_set_canonical
from polis.works.actions import work_set_hidden
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_user, make_work):
    """Six posted works (one restricted) and a draft, by six writers; two readers."""
    wrangler = make_user("wrangler", is_tag_wrangler=True)
    for name, tag_type in [
        ("Fandom A", TagType.FANDOM),
        ("Fandom B", TagType.FANDOM),
        ("Rare Trope", TagType.FREEFORM),
        ("Common Trope", TagType.FREEFORM),
    ]:
        tag = tags_find_or_create(names=[name], tag_type=tag_type)[0]
        tag_set_canonical(actor=wrangler, tag=tag, canonical=True)

    def work(title, fandom, freeforms, **extra):
        writer = make_user(f"by_{title.lower()}")
        return make_work(writer, title=title, fandoms=[fandom], freeforms=freeforms, **extra)

    works = {
        "S": work("S", "Fandom A", ["Rare Trope", "Common Trope"]),
        "W1": work("W1", "Fandom A", ["Rare Trope"]),
        "W2": work("W2", "Fandom A", ["Common Trope"]),
        "W3": work("W3", "Fandom B", ["Common Trope"]),
        "W4": work("W4", "Fandom B", ["Common Trope"]),
        "W5": work("W5", "Fandom A", ["Rare Trope"], restricted=True),
        "draft": work("Draft", "Fandom A", ["Rare Trope", "Common Trope"], post=False),
    }
    readers = [make_user("reader1"), make_user("reader2")]
    for reader in readers:
        kudos_give(actor=reader, work=works["S"])
        kudos_give(actor=reader, work=works["W4"])
    kudos_give(actor=readers[0], work=works["W3"])
    return works, readers


def test_the_ranking_is_idf_of_shared_tags_plus_shared_kudos_givers(corpus):
    works, _ = corpus
    n = 6  # works in the search index: the draft is not
    fandom_a, rare, common = math.log(n / 4), math.log(n / 3), math.log(n / 4)

    ranking = similar_ranking(works["S"])

    assert ranking == [
        (works["W4"].pk, round(common + 2, 6)),
        (works["W3"].pk, round(common + 1, 6)),
        (works["W5"].pk, round(fandom_a + rare, 6)),  # ties: the newer work first
        (works["W1"].pk, round(fandom_a + rare, 6)),
        (works["W2"].pk, round(fandom_a + common, 6)),
    ]


def _titles(found):
    return [work.title for work in found]


def test_guests_never_see_restricted_works_and_readers_do(corpus, make_user):
    from django.contrib.auth.models import AnonymousUser

    works, _ = corpus
    assert _titles(similar_works(viewer=AnonymousUser(), work=works["S"])) == [
        "W4",
        "W3",
        "W1",
        "W2",
    ]
    assert _titles(similar_works(viewer=make_user("someone"), work=works["S"])) == [
        "W4",
        "W3",
        "W5",
        "W1",
        "W2",
    ]


def test_hidden_works_are_never_shown_even_to_readers(corpus, make_user):
    works, _ = corpus
    admin = make_user("admin", is_staff=True, is_superuser=True)
    work_set_hidden(actor=admin, work=works["W4"], hidden=True)
    cache.clear()

    # Five works in the index now: W1 and W2 tie (ln 5/4 + ln 5/3), the newer first.
    assert _titles(similar_works(viewer=admin, work=works["S"])) == ["W3", "W5", "W2", "W1"]


def test_works_by_people_the_viewer_muted_or_blocked_are_left_out(corpus, make_user):
    works, _ = corpus
    viewer = make_user("picky")
    mute_add(actor=viewer, target=works["W3"].pseuds.get().user)
    block_add(actor=viewer, target=works["W4"].pseuds.get().user)

    assert _titles(similar_works(viewer=viewer, work=works["S"])) == ["W5", "W1", "W2"]


def test_the_work_page_shows_similar_works_and_a_reader_can_turn_them_off(
    corpus, client, make_user
):
    works, _ = corpus
    url = reverse("works:show", kwargs={"work_id": works["S"].pk})
    response = client.get(url)
    page = parse(response)
    section = page.select_one("section#similar-works")
    assert section.select_one("h3").text == "Similar works"
    assert [
        a.text for a in section.select("li.blurb h4 a") if a.get("href").startswith("/works/")
    ] == ["W4", "W3", "W1", "W2"]

    reader = make_user("quiet")
    client.force_login(reader)
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert 'name="preferences-similar_works_enabled"' in settings_page
    client.post(
        reverse("accounts:settings"),
        {"save_preferences": "1", "preferences-view_adult": ""},
    )
    reader.refresh_from_db()
    assert reader.similar_works_enabled is False
    assert parse(client.get(url)).select("section#similar-works") == []
    assert similar_works(viewer=reader, work=works["S"]) == []


def test_the_api_lists_similar_works_and_sets_the_preference(corpus, make_user):
    from polis.api.actions import token_create
    from tests.api.conftest import ApiClient

    works, _ = corpus
    guest = ApiClient().get(f"/works/{works['S'].pk}/similar").json()
    assert guest["enabled"] is True
    assert [w["title"] for w in guest["works"]] == ["W4", "W3", "W1", "W2"]

    reader = make_user("apireader")
    api = ApiClient(token_create(actor=reader, name="t")[1])
    prefs = api.get("/me/preferences").json()
    assert (prefs["view_adult"], prefs["similar_works_enabled"]) == (False, True)
    prefs = api.patch("/me/preferences", {"similar_works_enabled": False}).json()
    assert (prefs["view_adult"], prefs["similar_works_enabled"]) == (False, False)
    assert api.get(f"/works/{works['S'].pk}/similar").json() == {"enabled": False, "works": []}
    assert ApiClient().get(f"/works/{works['draft'].pk}/similar").status_code == 404
    user_update_preferences(actor=reader, similar_works_enabled=True)
    assert len(api.get(f"/works/{works['S'].pk}/similar").json()["works"]) == 5


def test_drafts_and_deleted_works_are_never_similar_even_for_their_creators(corpus):
    from polis.works.actions import work_delete

    works, _ = corpus
    draft_writer = works["draft"].pseuds.get().user
    w1_writer = works["W1"].pseuds.get().user
    work_delete(actor=w1_writer, work=works["W1"])
    cache.clear()

    assert "Draft" not in _titles(similar_works(viewer=draft_writer, work=works["S"]))
    assert "W1" not in _titles(similar_works(viewer=w1_writer, work=works["S"]))


def _page_titles(response):
    return [
        a.text
        for a in parse(response).select("ol#similar-works li.blurb h4 a")
        if a.get("href").startswith("/works/")
    ]


def test_the_similar_works_page_lists_every_similar_work_the_viewer_may_see(
    corpus, client, make_user
):
    works, _ = corpus
    url = reverse("engagement:similar", kwargs={"work_id": works["S"].pk})

    guest = client.get(url)

    assert guest.status_code == 200
    assert parse(guest).select_one("main h1").text == "Works similar to S"
    assert _page_titles(guest) == ["W4", "W3", "W1", "W2"]  # never the restricted W5
    section = parse(client.get(reverse("works:show", kwargs={"work_id": works["S"].pk})))
    links = section.select_one("section#similar-works").select("p.more a")
    assert [(a.text, a.get("href")) for a in links] == [("More works like this one", url)]

    picky = make_user("picky")
    mute_add(actor=picky, target=works["W3"].pseuds.get().user)
    client.force_login(picky)
    assert _page_titles(client.get(url)) == ["W4", "W5", "W1", "W2"]
    user_update_preferences(actor=picky, similar_works_enabled=False)
    off = client.get(url)
    assert _page_titles(off) == []
    assert "You turned similar works off." in off.content.decode()


def test_the_similar_works_page_of_a_work_the_viewer_may_not_see_is_not_found(
    corpus, client, make_user
):
    works, _ = corpus
    admin = make_user("admin", is_staff=True, is_superuser=True)
    work_set_hidden(actor=admin, work=works["W1"], hidden=True)
    cache.clear()

    def status(work_id):
        return client.get(reverse("engagement:similar", kwargs={"work_id": work_id})).status_code

    assert status(works["draft"].pk) == 404
    assert status(works["W1"].pk) == 404  # hidden by staff
    assert status(999_999) == 404
    restricted = client.get(reverse("engagement:similar", kwargs={"work_id": works["W5"].pk}))
    assert "only available to registered users" in restricted.content.decode()
    assert _page_titles(restricted) == []
    # Hidden works are never listed, not even to staff.
    client.force_login(admin)
    assert _page_titles(
        client.get(reverse("engagement:similar", kwargs={"work_id": works["S"].pk}))
    ) == ["W4", "W5", "W3", "W2"]
    client.force_login(works["draft"].pseuds.get().user)
    assert status(works["draft"].pk) == 200


def test_the_similar_works_page_lists_more_than_the_work_pages_five(corpus, client, make_work):
    works, _ = corpus
    for title in ("W6", "W7"):
        make_work(works["S"].pseuds.get().user, title=title, fandoms=["Fandom A"])
    cache.clear()
    on_work_page = [
        a.text
        for a in parse(client.get(reverse("works:show", kwargs={"work_id": works["S"].pk}))).select(
            "section#similar-works li.blurb h4 a"
        )
        if a.get("href").startswith("/works/")
    ]

    listed = _page_titles(
        client.get(reverse("engagement:similar", kwargs={"work_id": works["S"].pk}))
    )

    assert len(on_work_page) == 5
    assert listed[:5] == on_work_page
    assert sorted(listed) == ["W1", "W2", "W3", "W4", "W6", "W7"]
