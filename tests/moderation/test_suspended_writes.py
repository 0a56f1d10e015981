"""Every write path refuses a suspended account, on the web (a message, the form kept) and in
the API (403 naming the reason), and writes nothing; reading and their own data remain."""

import pytest
from django.test import Client

from polis.accounts.actions import invitation_create
from polis.accounts.models import Invitation
from polis.accounts.standing import AccountRestricted, standing_refusal
from polis.collections.models import Collection, Signup
from polis.engagement.models import Bookmark, Comment, Kudos
from polis.moderation.sanctions import user_suspend
from polis.works.models import Chapter, Series, SeriesWork, Work
from polis.works.series import series_create
from tests.api.conftest import ApiClient, work_body
from tests.works.support import chapter_form_data, work_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(writer, abuse, make_work, make_user):
    """The writer's own work (posted before the suspension), someone else's work, and the
    writer, suspended."""
    own = make_work(writer, title="Mine")
    theirs = make_work(make_user("author"), title="Theirs")
    series_create(actor=writer, title="My Series")
    user_suspend(actor=abuse, user=writer, days=3, reason="Spamming comments.")
    writer.refresh_from_db()
    return writer, own, theirs


def _counts() -> dict:
    return {
        "works": Work.objects.count(),
        "chapters": Chapter.objects.count(),
        "comments": Comment.objects.count(),
        "kudos": Kudos.objects.count(),
        "bookmarks": Bookmark.objects.count(),
        "collections": Collection.objects.count(),
        "signups": Signup.objects.count(),
        "invitations": Invitation.objects.count(),
        "series": Series.objects.count(),
        "series_works": SeriesWork.objects.count(),
        "series_titles": sorted(Series.objects.values_list("title", flat=True)),
    }


def _series() -> Series:
    return Series.objects.get(title="My Series")


WEB = {
    "work_new": lambda own, theirs, user: (
        "/works/new",
        work_form_data(user, title="Typed Title", post="1"),
        'value="Typed Title"',
    ),
    "work_edit": lambda own, theirs, user: (
        f"/works/{own.pk}/edit",
        work_form_data(user, title="Renamed Title"),
        'value="Renamed Title"',
    ),
    "chapter_new": lambda own, theirs, user: (
        f"/works/{own.pk}/chapters/new",
        chapter_form_data(text="<p>Typed chapter.</p>", post="1"),
        "&lt;p&gt;Typed chapter.&lt;/p&gt;",
    ),
    "comment": lambda own, theirs, user: (
        f"/works/{theirs.pk}/comments",
        {"text": "Typed comment"},
        "Typed comment",
    ),
    "kudos": lambda own, theirs, user: (f"/works/{theirs.pk}/kudos", {}, ""),
    "bookmark": lambda own, theirs, user: (
        f"/works/{theirs.pk}/bookmark",
        {"notes": "Typed notes", "tags": "", "pseud": user.pseuds.get().pk},
        "Typed notes",
    ),
    "collection": lambda own, theirs, user: (
        "/collections/new",
        {"name": "typedfest", "title": "Typed Fest"},
        'value="Typed Fest"',
    ),
    "series_new": lambda own, theirs, user: (
        "/series/new",
        {"title": "Typed Series", "summary": "Typed summary"},
        'value="Typed Series"',
    ),
    "series_edit": lambda own, theirs, user: (
        f"/series/{_series().pk}/edit",
        {"title": "Renamed Series"},
        'value="Renamed Series"',
    ),
    "work_series": lambda own, theirs, user: (
        f"/works/{own.pk}/series",
        {"new_title": "Typed New Series"},
        'value="Typed New Series"',
    ),
    "work_to_series": lambda own, theirs, user: (
        f"/works/{own.pk}/series",
        {"series": str(_series().pk)},
        f'<option value="{_series().pk}" selected>',
    ),
}


@pytest.mark.parametrize("path", list(WEB))
def test_a_suspended_account_is_refused_on_the_web_keeping_what_it_typed(path, scene):
    user, own, theirs = scene
    url, data, kept = WEB[path](own, theirs, user)
    client = Client()
    client.force_login(user)
    before = _counts()
    title = Work.objects.get(pk=own.pk).title

    response = client.post(url, data)

    assert response.status_code == 403
    page = response.content.decode()
    assert standing_refusal(user).replace("'", "&#x27;") in page
    assert kept in page
    assert _counts() == before
    assert Work.objects.get(pk=own.pk).title == title


API = {
    "work": lambda own, theirs: ("post", "/works", work_body()),
    "work_update": lambda own, theirs: ("patch", f"/works/{own.pk}", {"title": "Renamed"}),
    "chapter": lambda own, theirs: ("post", f"/works/{own.pk}/chapters", {"text": "<p>More</p>"}),
    "comment": lambda own, theirs: ("post", f"/works/{theirs.pk}/comments", {"text": "Hi"}),
    "kudos": lambda own, theirs: ("post", f"/works/{theirs.pk}/kudos", {}),
    "bookmark": lambda own, theirs: ("post", f"/works/{theirs.pk}/bookmarks", {"notes": "Hm"}),
    "collection": lambda own, theirs: ("post", "/collections", {"name": "f", "title": "F"}),
    "series": lambda own, theirs: ("post", "/series", {"title": "New Series"}),
    "series_update": lambda own, theirs: ("patch", f"/series/{_series().pk}", {"title": "R"}),
    "series_add_work": lambda own, theirs: (
        "post",
        f"/series/{_series().pk}/works",
        {"work_id": own.pk},
    ),
}


@pytest.mark.parametrize("path", list(API))
def test_a_suspended_account_is_refused_by_the_api_with_the_reason(path, scene, token_for):
    user, own, theirs = scene
    method, url, body = API[path](own, theirs)
    api = ApiClient(token_for(user))
    before = _counts()

    response = getattr(api, method)(url, body)

    assert response.status_code == 403
    assert response.json() == {"detail": standing_refusal(user), "errors": []}
    assert _counts() == before
    assert Work.objects.get(pk=own.pk).title == "Mine"


def test_a_suspended_account_cannot_sign_up_for_a_challenge(suspended, make_exchange, token_for):
    make_exchange()
    api = ApiClient(token_for(suspended))
    body = {
        "requests": [{"tags": {"fandom": ["A"]}}],
        "offers": [{"tags": {"fandom": ["B"]}}],
    }
    response = api.post("/collections/yuletide/signup", body)
    assert response.status_code == 403
    assert response.json()["detail"] == standing_refusal(suspended)
    assert Signup.objects.count() == 0


def test_a_suspended_account_sends_no_invitations(suspended):
    with pytest.raises(AccountRestricted):
        invitation_create(actor=suspended, email="friend@example.org")
    assert Invitation.objects.count() == 0


def test_a_suspended_account_still_reads_and_manages_its_own_data(scene, token_for):
    user, own, theirs = scene
    client = Client()
    client.force_login(user)
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(f"/users/{user.username}/works").status_code == 200
    assert client.get("/settings").status_code == 200
    api = ApiClient(token_for(user))
    assert api.get(f"/works/{theirs.pk}").status_code == 200
    # Deleting one's own work is managing one's own data: allowed.
    assert client.post(f"/works/{own.pk}/delete").status_code == 302
    assert not Work.objects.filter(pk=own.pk).exists()


def test_guests_are_not_judged_by_the_standing_rule(make_work, client):
    work = make_work(title="Open")
    response = client.post(f"/works/{work.pk}/kudos")
    assert response.status_code == 302
    assert Kudos.objects.filter(work=work, user=None).count() == 1
