"""Series, bookmarks, comments and collections hidden by staff: gone from every surface for
others (pages 404, listings, counts, the API), still there, with a notice, for the accounts
behind them and for staff; and shown again when unhidden."""

import json

import pytest

from polis.api.actions import token_create
from polis.collections.actions.collections import CollectionInput, collection_create
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.engagement.models import Notification
from polis.moderation.actions_content import content_hide, content_unhide
from polis.moderation.targets import find_target
from polis.works.models import Work
from polis.works.series import series_add_work, series_create
from tests.moderation.conftest import client_as, text

pytestmark = pytest.mark.django_db

VIEWERS = ["guest", "reader", "owner", "moderator"]
SEES = {"guest": False, "reader": False, "owner": True, "moderator": True}


@pytest.fixture
def people(make_user, moderator):
    return {
        "guest": None,
        "reader": make_user("reader"),
        "owner": make_user("owner"),
        "moderator": moderator,
    }


def _api(user, path: str):
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {token_create(actor=user, name='t')[1]}"
    return client_as().get(f"/api/v1{path}", headers=headers)


def _hide(moderator, kind: str, pk: int):
    content_hide(actor=moderator, target=find_target(kind, pk), reason="Against the rules.")


def _surfaces_of(user, pages: list[str], listings: list[str], api: list[str], word: str):
    """(status of each page, whether each listing and API answer names `word`)."""
    client = client_as(user)
    statuses = [client.get(page).status_code for page in pages]
    present = [word in text(client.get(listing)) for listing in listings]
    answers = [_api(user, path) for path in api]
    return statuses, present, [(a.status_code, word in a.content.decode()) for a in answers]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_hidden_series_is_seen_by_its_creators_and_staff_only(
    viewer, people, make_work, moderator
):
    owner = people["owner"]
    work = make_work(owner, title="Anchor Work")
    series = series_create(actor=owner, title="Drowned Saga")
    series_add_work(actor=owner, series=series, work=work)
    _hide(moderator, "series", series.pk)
    user = people[viewer]
    statuses, present, api = _surfaces_of(
        user,
        pages=[f"/series/{series.pk}"],
        listings=["/users/owner/series", f"/works/{work.pk}"],
        api=[f"/series/{series.pk}", "/users/owner/series"],
        word="Drowned Saga",
    )
    sees = SEES[viewer]
    assert statuses == [200 if sees else 404]
    assert present == [sees, sees]
    assert api == [(200, True) if sees else (404, False), (200, sees)]
    if sees:
        page = text(client_as(user).get(f"/series/{series.pk}"))
        assert "This series has been hidden by the archive's staff" in page
    # Its creators keep editing it.
    if viewer == "owner":
        assert client_as(user).get(f"/series/{series.pk}/edit").status_code == 200
    # The work itself is not hidden.
    assert client_as(user).get(f"/works/{work.pk}").status_code == 200


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_hidden_bookmark_is_seen_by_its_owner_and_staff_only(
    viewer, people, make_work, moderator
):
    owner = people["owner"]
    work = make_work(title="Marked Work")
    bookmark, _ = bookmark_create(actor=owner, work=work, notes="Quayside note")
    _hide(moderator, "bookmark", bookmark.pk)
    assert Work.objects.get(pk=work.pk).bookmark_count == 0
    user = people[viewer]
    statuses, present, api = _surfaces_of(
        user,
        pages=[f"/bookmarks/{bookmark.pk}"],
        listings=["/bookmarks", f"/works/{work.pk}/bookmarks", "/users/owner/bookmarks"],
        api=[f"/bookmarks/{bookmark.pk}", f"/works/{work.pk}/bookmarks", "/users/owner/bookmarks"],
        word="Quayside note",
    )
    sees = SEES[viewer]
    assert statuses == [200 if sees else 404]
    assert present == [sees, sees, sees]
    assert api == [(200, True) if sees else (404, False), (200, sees), (200, sees)]
    if sees:
        page = text(client_as(user).get(f"/bookmarks/{bookmark.pk}"))
        assert "This bookmark has been hidden by the archive's staff" in page
    if viewer == "owner":
        assert client_as(user).get(f"/bookmarks/{bookmark.pk}/edit").status_code == 200


@pytest.mark.parametrize("viewer", [*VIEWERS, "work_creator"])
def test_a_hidden_comment_is_seen_by_its_author_and_staff_only(
    viewer, people, make_user, make_work, moderator
):
    people["work_creator"] = make_user("writer")
    work = make_work(people["work_creator"], title="Talked Work")
    comment, _ = comment_create(actor=people["owner"], work=work, text="Brine remark")
    assert Work.objects.get(pk=work.pk).comment_count == 1
    _hide(moderator, "comment", comment.pk)
    assert Work.objects.get(pk=work.pk).comment_count == 0
    user = people[viewer]
    # Unlike comments a work's creator hides, staff-hidden ones are hidden from them too.
    sees = SEES.get(viewer, False)
    statuses, present, api = _surfaces_of(
        user,
        pages=[f"/comments/{comment.pk}"],
        listings=[f"/works/{work.pk}"],
        api=[f"/comments/{comment.pk}", f"/works/{work.pk}/comments"],
        word="Brine remark",
    )
    assert statuses == [200 if sees else 404]
    assert present == [sees]
    assert api == [(200, True) if sees else (404, False), (200, sees)]
    listing = json.loads(_api(user, f"/works/{work.pk}/comments").content)
    assert listing["count"] == (1 if sees else 0)
    if sees:
        page = text(client_as(user).get(f"/comments/{comment.pk}"))
        assert "This comment has been hidden by the archive's staff" in page


def test_nobody_replies_to_a_hidden_comment(make_user, make_work, moderator):
    work = make_work()
    comment, _ = comment_create(actor=make_user(), work=work, text="Hidden soon")
    _hide(moderator, "comment", comment.pk)
    answer = client_as(moderator).post(
        f"/works/{work.pk}/comments", {"text": "A reply", "parent_id": comment.pk}
    )
    assert answer.status_code in {200, 400, 403}
    assert comment.replies.count() == 0


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_hidden_collection_is_seen_by_its_maintainers_and_staff_only(viewer, people, moderator):
    owner = people["owner"]
    collection = collection_create(
        actor=owner, data=CollectionInput(name="wreckfest", title="Wreck Fest")
    )
    _hide(moderator, "collection", collection.pk)
    user = people[viewer]
    statuses, present, api = _surfaces_of(
        user,
        pages=["/collections/wreckfest", "/collections/wreckfest/works"],
        listings=["/collections"],
        api=["/collections/wreckfest", "/collections"],
        word="Wreck Fest",
    )
    sees = SEES[viewer]
    assert statuses == [200, 200] if sees else [404, 404]
    assert present == [sees]
    assert api == [(200, True) if sees else (404, False), (200, sees)]
    if sees:
        page = text(client_as(user).get("/collections/wreckfest"))
        assert "This collection has been hidden by the archive's staff" in page
    if viewer == "owner":
        assert client_as(user).get("/collections/wreckfest/edit").status_code == 200


def test_unhiding_shows_it_again_and_tells_the_owner(make_user, make_work, moderator):
    owner = make_user("owner")
    work = make_work(title="Marked Work")
    bookmark, _ = bookmark_create(actor=owner, work=work, notes="Back again")
    _hide(moderator, "bookmark", bookmark.pk)
    content_unhide(actor=moderator, target=find_target("bookmark", bookmark.pk), reason="Fine.")
    assert client_as().get(f"/bookmarks/{bookmark.pk}").status_code == 200
    assert Work.objects.get(pk=work.pk).bookmark_count == 1
    assert list(
        Notification.objects.filter(recipient=owner).order_by("pk").values_list("text", flat=True)
    ) == [
        "The archive's staff hid your bookmark “Bookmark by owner”: only you and staff can see "
        "it now. You can still edit it. Reason: Against the rules.",
        "The archive's staff made your bookmark “Bookmark by owner” visible again. Reason: Fine.",
    ]
