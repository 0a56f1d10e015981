"""Reading the catalog as someone: a token as Bearer or as a Basic password, or a session."""

import pytest

from polis.api.actions import token_revoke
from polis.api.models import ApiToken
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.reading import reading_mark_for_later
from tests.opds.conftest import (
    ACQUISITION,
    BASE,
    NAVIGATION,
    NS,
    basic,
    bearer,
    links,
    parse,
    titles,
)

pytestmark = pytest.mark.django_db

CHALLENGE = 'Basic realm="Polis OPDS", charset="UTF-8", Bearer realm="Polis OPDS"'


@pytest.fixture
def reader(make_user):
    return make_user("reader")


@pytest.fixture
def shelf(make_user, make_work):
    writer = make_user("writer")
    return {
        "open": make_work(writer, title="Open"),
        "locked": make_work(writer, title="Locked", restricted=True),
    }


def credentials(kind: str, token: str) -> dict[str, str]:
    return {
        "bearer": bearer(token),
        "basic": basic("reader", token),
        "basic-other-case": basic("READER", token),
    }[kind]


@pytest.mark.both_search_engines
def test_restricted_works_are_absent_without_credentials(client, shelf):
    assert titles(parse(client.get("/opds/works"))) == ["Open"]


@pytest.mark.parametrize("kind", ["bearer", "basic", "basic-other-case"])
@pytest.mark.both_search_engines
def test_restricted_works_are_listed_with_a_token(client, shelf, reader, token_for, kind):
    response = client.get("/opds/works", headers=credentials(kind, token_for(reader)))
    assert titles(parse(response)) == ["Locked", "Open"]
    assert response["Cache-Control"] == "private"


@pytest.mark.both_search_engines
def test_a_logged_in_browser_session_counts_too(client, shelf, reader):
    client.force_login(reader)
    assert titles(parse(client.get("/opds/works"))) == ["Locked", "Open"]


@pytest.mark.parametrize(
    "headers",
    [
        bearer("not-a-token"),
        basic("reader", "not-a-token"),
        {"Authorization": "Basic !!!not base64"},
        {"Authorization": "Digest username=reader"},
        {"Authorization": "Bearer "},
    ],
    ids=["bearer", "basic", "basic-garbled", "other-scheme", "empty"],
)
def test_bad_credentials_answer_401_with_a_challenge(client, shelf, reader, headers):
    response = client.get("/opds/works", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CHALLENGE


def test_a_token_is_not_a_password_for_another_user(client, make_user, reader, token_for):
    make_user("someone")
    response = client.get("/opds/", headers=basic("someone", token_for(reader)))
    assert (response.status_code, response["WWW-Authenticate"]) == (401, CHALLENGE)


def test_a_revoked_token_stops_working(client, reader, token_for):
    token = token_for(reader)
    assert client.get("/opds/", headers=bearer(token)).status_code == 200
    token_revoke(actor=reader, token=ApiToken.objects.get(user=reader))
    assert client.get("/opds/", headers=bearer(token)).status_code == 401


def test_a_deactivated_users_token_stops_working(client, reader, token_for):
    token = token_for(reader)
    reader.is_active = False
    reader.save(update_fields=["is_active"])
    assert client.get("/opds/", headers=bearer(token)).status_code == 401


def test_root_offers_the_readers_shelves(client, reader, token_for):
    feed = parse(client.get("/opds/", headers=bearer(token_for(reader))), NAVIGATION)
    assert titles(feed) == ["Latest works", "Fandoms", "Bookmarks", "Marked for Later"]
    assert [links(entry) for entry in feed.findall("a:entry", NS)][2:] == [
        [("subsection", ACQUISITION, f"{BASE}/opds/bookmarks")],
        [("subsection", ACQUISITION, f"{BASE}/opds/later")],
    ]


@pytest.mark.parametrize("path", ["/opds/bookmarks", "/opds/later"])
def test_shelves_ask_guests_to_log_in(client, db, path):
    response = client.get(path)
    assert (response.status_code, response["WWW-Authenticate"]) == (401, CHALLENGE)


def test_bookmarks_list_the_readers_bookmarked_works_newest_first(
    client, shelf, reader, make_user, make_work, token_for
):
    third = make_work(title="Third")
    for work in (shelf["open"], shelf["locked"], third):
        bookmark_create(actor=reader, work=work)
    bookmark_create(actor=make_user("other"), work=shelf["open"])
    private = make_work(title="Privately Kept")
    bookmark_create(actor=reader, work=private, private=True)
    feed = parse(client.get("/opds/bookmarks", headers=basic("reader", token_for(reader))))
    assert titles(feed) == ["Privately Kept", "Third", "Locked", "Open"]
    assert feed.findtext("a:title", namespaces=NS) == "Bookmarks"


def test_bookmarks_of_works_gone_back_to_draft_are_left_out(client, shelf, reader, token_for):
    work = shelf["open"]
    bookmark_create(actor=reader, work=work)
    work.posted = False
    work.save(update_fields=["posted"])
    assert titles(parse(client.get("/opds/bookmarks", headers=bearer(token_for(reader))))) == []


def test_marked_for_later_lists_the_readers_marks(client, shelf, reader, token_for):
    reading_mark_for_later(actor=reader, work=shelf["locked"])
    reading_mark_for_later(actor=reader, work=shelf["open"])
    feed = parse(client.get("/opds/later", headers=bearer(token_for(reader))))
    assert titles(feed) == ["Open", "Locked"]


@pytest.mark.parametrize("with_token, status", [(False, 404), (True, 200)])
def test_a_restricted_works_download_needs_the_token(
    client, shelf, reader, token_for, with_token, status
):
    work = shelf["locked"]
    headers = bearer(token_for(reader)) if with_token else {}
    response = client.get(f"/opds/downloads/{work.pk}/Locked.epub", headers=headers)
    assert response.status_code == status
    if with_token:
        assert response["Content-Type"] == "application/epub+zip"
        assert "private" in response["Cache-Control"]


def test_a_download_with_a_bad_token_is_401(client, shelf):
    work = shelf["open"]
    response = client.get(f"/opds/downloads/{work.pk}/Open.epub", headers=bearer("nope"))
    assert (response.status_code, response["WWW-Authenticate"]) == (401, CHALLENGE)
