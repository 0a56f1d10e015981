"""Site settings in the database: who may change them, the audit log, and each one enforced."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from polis.accounts.models import User
from polis.accounts.roles import Role
from polis.core.context_processors import BANNER_COOKIE
from polis.core.models import AuditEntry, SiteSettings
from polis.core.site_settings import site_settings, site_settings_update
from polis.downloads.links import download_url
from polis.engagement.models import Comment
from polis.moderation.site_admin import site_settings_change
from polis.tags.actions import tags_find_or_create
from polis.tags.models import Tag
from polis.tags.wrangling import WRANGLING_OFF, tag_set_canonical
from tests.api.conftest import ApiClient
from tests.moderation.conftest import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db
SETTINGS_URL = "/moderation/site_settings"


def _form(**overrides) -> dict:
    data = {
        "signup": "open",
        "guest_comments": "on",
        "downloads": "on",
        "tag_wrangling": "on",
        "invitations_per_day": "10",
        "banner_html": "",
        "reason": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_settings_start_from_the_environment_then_live_in_the_database(
    support, settings, django_capture_on_commit_callbacks
):
    assert SiteSettings.objects.get(pk=1).signup == settings.POLIS_SIGNUP == "open"
    client = Client()
    client.force_login(support)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SETTINGS_URL, _form(signup="closed", guest_comments=None, reason="Spam wave.")
        )
    assert response.status_code == 302
    settings.POLIS_SIGNUP = "open"  # the environment no longer decides
    current = site_settings()
    assert (current.signup, current.guest_comments, current.downloads) == ("closed", False, True)
    entries = [
        (e.actor_name, e.verb, e.target_id, e.details, e.reason, e.role)
        for e in AuditEntry.objects.order_by("id")
    ]
    assert entries == [
        (
            "support_staff",
            "site_settings.change",
            "signup",
            {"field": "signup", "old": "open", "new": "closed"},
            "Spam wave.",
            Role.SUPPORT,
        ),
        (
            "support_staff",
            "site_settings.change",
            "guest_comments",
            {"field": "guest_comments", "old": True, "new": False},
            "Spam wave.",
            Role.SUPPORT,
        ),
    ]
    page = client.get(SETTINGS_URL).content.decode()
    assert '<option value="closed" selected>' in page


def test_another_process_sees_a_change_by_its_version_in_the_cache(support):
    assert site_settings().downloads is True
    # Another process saved a change and published its version; this one still holds the
    # old copy, and must notice at its next read.
    SiteSettings.objects.filter(pk=1).update(downloads=False)
    from django.core.cache import cache

    from polis.core import site_settings as module

    cache.set(module.CACHE_KEY, "another-version")
    assert site_settings().downloads is False


@pytest.mark.parametrize(
    "who, page_status, api_status",
    [
        ("guest", 302, 401),
        ("other", 403, 403),
        ("abuse", 403, 403),
        ("support_not_staff", 403, 403),
        ("support", 200, 200),
    ],
)
def test_who_may_change_site_settings(
    who, page_status, api_status, make_user, make_staff, staff_with, token_for
):
    actor = {
        "guest": lambda: None,
        "other": lambda: make_user("other"),
        "abuse": lambda: make_staff("pac", Role.POLICY_ABUSE),
        "support_not_staff": lambda: staff_with(Role.SUPPORT, "sup"),
        "support": lambda: make_staff("sup", Role.SUPPORT),
    }[who]()
    client = Client()
    if actor:
        client.force_login(actor)
    assert client.get(SETTINGS_URL).status_code == page_status
    posted = client.post(SETTINGS_URL, _form(downloads=None))
    assert posted.status_code == (302 if page_status == 200 else page_status)
    api = ApiClient(token_for(actor) if actor else None)
    patched = api.patch("/moderation/site-settings", {"tag_wrangling": False})
    assert patched.status_code == api_status
    current = SiteSettings.objects.get(pk=1)
    allowed = who == "support"
    assert (current.downloads, current.tag_wrangling) == (not allowed, not allowed)
    assert AuditEntry.objects.count() == (2 if allowed else 0)
    if allowed:
        assert patched.json()["tag_wrangling"] is False
        assert patched.json()["downloads"] is False


def test_signup_closed_and_by_invitation(support, client):
    site_settings_change(actor=support, signup="closed")
    closed = client.get("/accounts/signup/")
    assert '<h1 class="heading">Sign Up Closed</h1>' in closed.content.decode()
    site_settings_change(actor=support, signup="invitations")
    form = client.get("/accounts/signup/").content.decode()
    assert '<label for="id_invitation">Invitation code' in form
    assert 'href="/invite_requests"' in form


def test_guest_comments_off_refuses_guests_but_not_users(support, make_work, make_user):
    work = make_work(title="Open Work")
    guest = Client()
    data = {"text": "Lovely", "name": "Wanderer", "email": "w@example.org"}
    site_settings_change(actor=support, guest_comments=False)

    refused = guest.post(f"/works/{work.pk}/comments", data)
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Sorry, guest comments are turned off on this archive for now; log in to comment." in (
        page.replace("&#x27;", "'")
    )
    assert "Lovely" in page
    assert Comment.objects.count() == 0

    member = Client()
    member.force_login(make_user("fan"))
    assert member.post(f"/works/{work.pk}/comments", {"text": "Me too"}).status_code == 302
    site_settings_change(actor=support, guest_comments=True)
    assert guest.post(f"/works/{work.pk}/comments", data).status_code == 302
    assert Comment.objects.count() == 2


def test_downloads_off_answers_503_even_for_a_remembered_guest_file(
    support, make_work, make_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    settings.POLIS_DATA_DIR = tmp_path
    work = make_work(title="Take Me Along")
    url = download_url(work, "html")
    guest = Client()
    assert guest.get(url).status_code == 200  # remembered for guests' repeat downloads

    assert 'class="download"' in guest.get(work.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        site_settings_change(actor=support, downloads=False)
    assert 'class="download"' not in guest.get(work.get_absolute_url()).content.decode()
    member = Client()
    member.force_login(make_user("reader"))
    for client in (guest, member):
        off = client.get(url)
        assert off.status_code == 503
        assert "Downloads are turned off on this archive for now" in off.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        site_settings_change(actor=support, downloads=True)
    assert member.get(url).status_code == 200


def test_wrangling_off_closes_the_pages_the_api_and_the_actions(
    support, make_user, token_for, make_work
):
    wrangler = make_user("wrangler", is_tag_wrangler=True)
    chief = make_user("chief", is_superuser=True)
    make_work(title="Tagged", characters=["Clarke"])
    site_settings_change(actor=support, tag_wrangling=False)

    client = Client()
    client.force_login(wrangler)
    page = client.get("/tags/unwrangled")
    assert page.status_code == 503
    assert WRANGLING_OFF in page.content.decode()
    assert client.get("/tags/Clarke/edit").status_code == 503
    api = ApiClient(token_for(wrangler))
    assert api.get("/tags/unwrangled").status_code == 503
    patched = api.patch("/tags/Clarke", {"canonical": True})
    assert patched.status_code == 503
    assert patched.json()["detail"] == WRANGLING_OFF
    tag = Tag.objects.get(name="Clarke")
    with pytest.raises(ValidationError) as refused:
        tag_set_canonical(actor=wrangler, tag=tag, canonical=True)
    assert refused.value.messages == [WRANGLING_OFF]
    tag.refresh_from_db()
    assert not tag.canonical
    # Superusers may still wrangle (to fix what cannot wait).
    tag_set_canonical(actor=chief, tag=tag, canonical=True)

    site_settings_change(actor=support, tag_wrangling=True)
    assert client.get("/tags/unwrangled").status_code == 200
    (other,) = tags_find_or_create(names=["Lexa"], tag_type="character")
    tag_set_canonical(actor=wrangler, tag=other, canonical=True)


def test_the_banner_is_sanitised_shown_everywhere_and_dismissed_without_javascript(
    support, make_work
):
    work = make_work(title="Banner Test")
    site_settings_change(
        actor=support,
        banner_html="<p>Maintenance <b>tonight</b>.<script>alert(1)</script></p>",
    )
    stored = site_settings()
    assert stored.banner_html == "<p>Maintenance <b>tonight</b>.</p>"
    assert stored.banner_version == 1
    reader = Client()
    for url in ("/", work.get_absolute_url(), "/works"):
        page = reader.get(url).content.decode()
        assert '<div class="userstuff"><p>Maintenance <b>tonight</b>.</p></div>' in page
        assert "alert(1)" not in page

    dismissed = reader.post("/site_banner/dismiss", {"version": "1", "next": "/works"})
    assert dismissed.status_code == 302
    assert dismissed["Location"] == "/works"
    assert dismissed.cookies[BANNER_COOKIE].value == "1"
    assert "Maintenance" not in reader.get("/").content.decode()

    site_settings_change(actor=support, banner_html="<p>New news.</p>")
    assert "New news." in reader.get("/").content.decode()  # a new version shows again

    offsite = reader.post("/site_banner/dismiss", {"version": "2", "next": "https://evil.example"})
    assert offsite["Location"] == "/"


def test_unknown_or_invalid_settings_are_refused(support, token_for):
    with pytest.raises(ValidationError):
        site_settings_update(actor=support, colour="red")
    api = ApiClient(token_for(support))
    bad = api.patch("/moderation/site-settings", {"signup": "sometimes"})
    assert bad.status_code == 422
    assert SiteSettings.objects.get(pk=1).signup == "open"
    assert not AuditEntry.objects.exists()
    assert User.objects.filter(pk=support.pk).exists()
