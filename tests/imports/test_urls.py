"""Importing from URLs: the worker fetches a local server on an allowed loopback host."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from polis.imports.actions import ImportOptions, import_urls_start
from polis.imports.models import ImportJob
from polis.works.actions import work_post
from polis.works.models import Work
from tests.imports.support import AO3_DOWNLOAD, AO3_WORK_PAGE

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _worker(settings, site):
    settings.TASKS = IMMEDIATE
    settings.POLIS_IMPORT_ALLOWED_HOSTS = "127.0.0.1"


def test_work_page_is_fetched_as_the_full_work_by_the_worker(
    site, client, make_user, django_capture_on_commit_callbacks
):
    writer = make_user("wave")
    site.page("/works/7?view_full_work=true&view_adult=true", AO3_WORK_PAGE)
    site.page(
        "/works/7/navigate",
        '<ol class="chapter index group">'
        '<li><a href="#">1. Ebb</a> <span class="datetime">(2020-07-01)</span></li>'
        '<li><a href="#">2. Flow</a> <span class="datetime">(2020-08-15)</span></li></ol>',
    )
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/works/import",
            {
                "urls": site.url("/works/7/chapters/3"),
                "as_chapters": "0",
                "pseud": writer.pseuds.get().pk,
                "comment_permission": "registered",
                "moderated": "on",
                "rating": "Not Rated",
                "warnings": ["Choose Not To Use Archive Warnings"],
                "fandom": "Unknown Fandom",
                "language": "en",
            },
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/works/import/{job.pk}"
    assert site.requests == ["/works/7?view_full_work=true&view_adult=true", "/works/7/navigate"]
    assert (job.status, job.errors) == ("done", [])
    work = Work.objects.get()
    assert (work.title, work.posted, work.language) == ("Tide", False, "de")
    assert [c.title for c in work.chapters.order_by("position")] == ["Ebb", "Flow"]
    assert (work.comment_settings.permission, work.comment_settings.moderated) == (
        "registered",
        True,
    )
    page = client.get(f"/works/import/{job.pk}")
    assert page.status_code == 200
    assert f'href="/works/{work.pk}/preview"' in page.content.decode()
    # The writer reviews it on the preview, then posts: the source's dates are kept.
    assert client.get(f"/works/{work.pk}/preview").status_code == 200
    work_post(actor=writer, work=work)
    work.refresh_from_db()
    assert work.published_at == datetime.date(2020, 7, 1)
    assert work.revised_at.date() == datetime.date(2020, 8, 15)
    assert [c.published_at for c in work.chapters.order_by("position")] == [
        datetime.date(2020, 7, 1),
        datetime.date(2020, 8, 15),
    ]
    assert mail.outbox == []


def test_several_urls_as_chapters_of_one_work(site, make_user, django_capture_on_commit_callbacks):
    writer = make_user()
    site.page(
        "/one.html", "<html><head><title>Part One</title></head><body><p>A.</p></body></html>"
    )
    site.page(
        "/two.html", "<html><head><title>Part Two</title></head><body><p>B.</p></body></html>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = import_urls_start(
            actor=writer,
            urls=[site.url("/one.html"), site.url("/two.html")],
            as_chapters=True,
            options=ImportOptions(),
        )
    job.refresh_from_db()
    assert job.status == "done"
    (work,) = Work.objects.all()
    assert work.title == "Part One"
    assert [(c.title, c.content) for c in work.chapters.order_by("position")] == [
        ("Part One", "<p>A.</p>"),
        ("Part Two", "<p>B.</p>"),
    ]


def test_each_url_its_own_work_and_failures_are_reported(
    site, make_user, django_capture_on_commit_callbacks
):
    writer = make_user()
    site.page("/dl.html", AO3_DOWNLOAD)
    with django_capture_on_commit_callbacks(execute=True):
        job = import_urls_start(
            actor=writer,
            urls=[site.url("/dl.html"), site.url("/gone"), "http://10.0.0.1/x"],
            as_chapters=False,
            options=ImportOptions(),
        )
    job.refresh_from_db()
    assert job.status == "done"
    assert [w.title for w in Work.objects.all()] == ["The Lighthouse Keeper"]
    assert job.errors == [
        f"{site.url('/gone')}: The page answered 404 Not Found.",
        "http://10.0.0.1/x: 10.0.0.1 is an address inside a private network (10.0.0.1); "
        "imports only fetch public pages.",
    ]


def test_loopback_is_refused_unless_allowed(
    site, make_user, settings, django_capture_on_commit_callbacks
):
    settings.POLIS_IMPORT_ALLOWED_HOSTS = ""
    site.page("/dl.html", AO3_DOWNLOAD)
    with django_capture_on_commit_callbacks(execute=True):
        job = import_urls_start(
            actor=make_user(),
            urls=[site.url("/dl.html")],
            as_chapters=False,
            options=ImportOptions(),
        )
    job.refresh_from_db()
    assert job.status == "failed"
    assert site.requests == []
    assert Work.objects.count() == 0


@pytest.mark.parametrize("who", ["anonymous", "other", "owner"])
def test_an_import_job_is_shown_only_to_its_owner(who, client, make_user, site):
    owner = make_user()
    job = import_urls_start(
        actor=owner, urls=[site.url("/x")], as_chapters=False, options=ImportOptions()
    )
    if who == "other":
        client.force_login(make_user())
    elif who == "owner":
        client.force_login(owner)
    response = client.get(f"/works/import/{job.pk}")
    expected = {"anonymous": 302, "other": 404, "owner": 200}[who]
    assert response.status_code == expected


def test_a_writer_has_at_most_five_imports_waiting(make_user, site):
    writer = make_user()
    for _ in range(5):
        import_urls_start(
            actor=writer, urls=[site.url("/x")], as_chapters=False, options=ImportOptions()
        )
    with pytest.raises(ValidationError, match="5 imports waiting"):
        import_urls_start(
            actor=writer, urls=[site.url("/x")], as_chapters=False, options=ImportOptions()
        )
    assert ImportJob.objects.filter(owner=writer).count() == 5


def test_a_restricted_work_sent_to_the_login_page_is_not_imported(
    site, make_user, django_capture_on_commit_callbacks
):
    site.redirect("/works/9?view_full_work=true&view_adult=true", "/users/login")
    site.page(
        "/users/login", "<html><head><title>Log In</title></head><body><p>x</p></body></html>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = import_urls_start(
            actor=make_user(),
            urls=[site.url("/works/9")],
            as_chapters=False,
            options=ImportOptions(),
        )
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.errors == [
        f"{site.url('/works/9')}: That archive shows this work only to its logged-in users: "
        "download it there and import the file."
    ]
    assert Work.objects.count() == 0
