"""The personal tag blocklist: managed at /settings/blocklist, applied to every listing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from polis.search.actions import MAX_BLOCKED_TAGS, tag_block_add
from polis.search.models import TagBlock
from tests.search.conftest import tag
from tests.search.support import facet_counts
from tests.works.support import listed_work_ids, main_heading, parse

pytestmark = [pytest.mark.django_db, pytest.mark.both_search_engines]


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def alice_client(alice):
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def works(make_user, make_work, canonical, synonym, meta):
    writer = make_user("writer")

    def work(title, **tags):
        return make_work(writer, title=title, fandoms=["The 100 (TV)"], **tags)

    made = {
        "plain": work("Plain", freeforms=["Fluff"]),
        "death": work("Death", warnings=["Major Character Death"]),
        "angst": work("Angst", freeforms=["Angst"]),
        "sadness": work("Sadness", freeforms=["Sad Ending"]),  # a sub tag of Angst
        "sad": work("Sad", freeforms=["sadfic"]),  # a synonym of Angst
        "raw": work("Raw", freeforms=["Unsorted Thing"]),  # never wrangled
        "locked": work("Locked", freeforms=["Angst"], restricted=True),
    }
    canonical("The 100 (TV)", "Fluff", "Angst", "Sad Ending")
    synonym("sadfic", of="Angst")
    meta("Sad Ending", meta="Angst")
    return made


def ids(works, *keys):
    return [works[key].pk for key in keys]


def notice(response) -> str:
    nodes = parse(response).select("p.notice.blocklist")
    return nodes[0].text if nodes else ""


EVERYTHING = ["locked", "raw", "sad", "sadness", "angst", "death", "plain"]


def test_the_blocklist_page_needs_an_account(client, db):
    response = client.get("/settings/blocklist")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_adding_a_tag_by_name_hides_its_works_everywhere(alice_client, works):
    response = alice_client.post("/settings/blocklist", {"tag": "angst"}, follow=True)

    assert parse(response).texts("ul.flash li") == ["Works tagged “Angst” are now hidden."]
    assert parse(response).texts("li.blocked-tag a.tag") == ["Angst"]
    kept = ids(works, "raw", "death", "plain")
    for path in [
        "/works",
        "/tags/The 100 (TV)/works",
        "/users/writer/works",
        "/users/writer/pseuds/writer/works",
        "/works/search?work_search[fandom_names]=The 100 (TV)",
    ]:
        listing = alice_client.get(path)
        assert listed_work_ids(listing) == kept, path
        assert notice(listing) == "1 tag from your blocklist is hidden. Edit your blocklist", path
        assert parse(listing).select_one("p.notice.blocklist a").get("href") == (
            "/settings/blocklist"
        )


def test_the_latest_works_on_profiles_tag_pages_and_home_leave_blocked_works_out(
    alice_client, alice, works
):
    tag_block_add(actor=alice, name="angst")

    for path in ["/", "/users/writer", "/users/writer/pseuds/writer", "/tags/The 100 (TV)"]:
        shown = parse(alice_client.get(path)).select("li.work")
        assert [int(node.get("id").removeprefix("work_")) for node in shown] == ids(
            works, "raw", "death", "plain"
        ), path


def test_facet_counts_leave_blocked_works_out(alice_client, alice, works):
    tag_block_add(actor=alice, name="Angst")

    response = alice_client.get("/tags/The 100 (TV)/works")

    assert main_heading(response) == "1 - 3 of 3 Works in The 100 (TV)"
    assert facet_counts(response)["fandom_ids"] == {"The 100 (TV)": 3}
    assert facet_counts(response)["freeform_ids"] == {"Fluff": 1}


def test_a_blocked_synonym_blocks_its_canonical_tag_and_everything_under_it(
    alice_client, alice, works
):
    tag_block_add(actor=alice, name="sadfic")

    assert listed_work_ids(alice_client.get("/works")) == ids(works, "raw", "death", "plain")


def test_a_blocked_sub_tag_leaves_its_meta_tag_alone(alice_client, alice, works):
    tag_block_add(actor=alice, name="Sad Ending")

    assert listed_work_ids(alice_client.get("/works")) == ids(
        works, "locked", "raw", "sad", "angst", "death", "plain"
    )


def test_a_blocked_unwrangled_tag_hides_the_works_that_carry_it(alice_client, alice, works):
    tag_block_add(actor=alice, name="Unsorted Thing")

    response = alice_client.get("/works")

    assert listed_work_ids(response) == ids(
        works, "locked", "sad", "sadness", "angst", "death", "plain"
    )
    assert main_heading(response) == "1 - 6 of 6 Works"


def test_a_blocked_archive_warning(alice_client, alice, works):
    tag_block_add(actor=alice, name="Major Character Death")
    tag_block_add(actor=alice, name="Fluff")

    response = alice_client.get("/works")

    assert listed_work_ids(response) == ids(works, "locked", "raw", "sad", "sadness", "angst")
    assert notice(response) == "2 tags from your blocklist are hidden. Edit your blocklist"


def test_blocking_follows_later_wrangling(alice_client, alice, works, synonym, make_work):
    tag_block_add(actor=alice, name="Unsorted Thing")
    assert works["raw"].pk not in listed_work_ids(alice_client.get("/works"))

    synonym("Unsorted Thing", of="Fluff")  # now it means Fluff: Fluff's works go too

    assert listed_work_ids(alice_client.get("/works")) == ids(
        works, "locked", "sad", "sadness", "angst", "death"
    )


def test_other_readers_and_guests_are_not_affected(client, alice, make_user, works):
    tag_block_add(actor=alice, name="Angst")
    bob = Client()
    bob.force_login(make_user("bob"))

    assert listed_work_ids(bob.get("/works")) == ids(works, *EVERYTHING)
    assert notice(bob.get("/works")) == ""
    assert listed_work_ids(client.get("/works")) == ids(works, *EVERYTHING[1:])


def test_removing_a_tag_shows_its_works_again(alice_client, alice, works):
    tag_block_add(actor=alice, name="Angst")

    response = alice_client.post("/settings/blocklist", {"remove": tag("Angst").pk}, follow=True)

    assert parse(response).texts("ul.flash li") == ["“Angst” is no longer on your blocklist."]
    assert TagBlock.objects.count() == 0
    assert listed_work_ids(alice_client.get("/works")) == ids(works, *EVERYTHING)
    assert notice(alice_client.get("/works")) == ""


@pytest.mark.parametrize("value", [lambda: str(tag("Fluff").pk), lambda: "abc", lambda: "99999"])
def test_removing_a_tag_that_is_not_blocked_is_404(alice_client, alice, works, value):
    tag_block_add(actor=alice, name="Angst")

    response = alice_client.post("/settings/blocklist", {"remove": value()})

    assert response.status_code == 404
    assert TagBlock.objects.get().tag == tag("Angst")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("No Such Tag", "Tag to block: We couldn't find the tag “No Such Tag”."),
        ("", "Tag to block: This field is required."),
        ("x" * 151, "Tag to block: Ensure this value has at most 150 characters (it has 151)."),
    ],
)
def test_a_tag_that_cannot_be_blocked_says_why(alice_client, works, name, message):
    response = alice_client.post("/settings/blocklist", {"tag": name})

    assert response.status_code == 400
    assert parse(response).texts("div.notice.error li") == [message]
    assert TagBlock.objects.count() == 0


def test_blocking_a_tag_twice_keeps_one_entry(alice, works):
    first = tag_block_add(actor=alice, name="Angst")

    assert tag_block_add(actor=alice, name="ANGST") == first
    assert TagBlock.objects.count() == 1


def test_the_blocklist_page_explains_synonyms_and_unwrangled_tags(alice_client, alice, works):
    tag_block_add(actor=alice, name="sadfic")
    tag_block_add(actor=alice, name="Unsorted Thing")

    page = parse(alice_client.get("/settings/blocklist"))

    assert page.select_one("label[for=id_tag]").text == "Tag to block *"
    assert page.texts("li.blocked-tag") == [
        "sadfic (synonym of Angst) Remove",
        "Unsorted Thing (not yet wrangled: only works tagged exactly so are hidden) Remove",
    ]


def test_a_tag_used_only_on_drafts_cannot_be_blocked_like_an_unknown_tag(alice, make_work):
    make_work(title="Draft", post=False, freeforms=["Draft Only"])

    refusals = []
    for name in ["Draft Only", "Nobody Used This"]:
        with pytest.raises(ValidationError) as refused:
            tag_block_add(actor=alice, name=name)
        refusals.append(refused.value.message_dict["tag"])

    assert refusals == [
        ["We couldn't find the tag “Draft Only”."],
        ["We couldn't find the tag “Nobody Used This”."],
    ]
    assert TagBlock.objects.count() == 0


def test_a_blocklist_holds_at_most_200_tags(alice, works, make_work):
    names = [f"Tag {n}" for n in range(MAX_BLOCKED_TAGS + 1)]
    make_work(title="Many Tags", freeforms=names)
    for name in names[:MAX_BLOCKED_TAGS]:
        tag_block_add(actor=alice, name=name)

    with pytest.raises(Exception, match="Your blocklist can hold 200 tags; remove one first."):
        tag_block_add(actor=alice, name=names[-1])
    assert TagBlock.objects.count() == MAX_BLOCKED_TAGS


def test_listing_queries_do_not_grow_with_the_blocklist_or_the_works(
    alice_client, alice, works, make_work, django_assert_num_queries, settings
):
    # The SQL backends, whose queries are fixed; the accelerator's reads depend on its log.
    settings.POLIS_SEARCH_ACCEL = False
    tag_block_add(actor=alice, name="Angst")
    with CaptureQueriesContext(connection) as few:
        alice_client.get("/works")
    for n in range(5):
        make_work(title=f"More {n}", freeforms=["Fluff", f"Extra {n}"])
    tag_block_add(actor=alice, name="Sad Ending")
    tag_block_add(actor=alice, name="Unsorted Thing")

    with django_assert_num_queries(len(few.captured_queries)):
        alice_client.get("/works")
