"""The import page and the API endpoints call the same actions."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from polis.accounts.roles import Role
from polis.imports.models import ImportJob
from polis.works.models import Work
from tests.api.conftest import ApiClient
from tests.imports.support import AO3_DOWNLOAD

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _form(writer, **extra):
    return {
        "urls": "",
        "as_chapters": "0",
        "pseud": writer.pseuds.get().pk,
        "comment_permission": "everyone",
        "rating": "Not Rated",
        "warnings": ["Choose Not To Use Archive Warnings"],
        "fandom": "Unknown Fandom",
        "language": "en",
        **extra,
    }


def test_import_page_is_labelled_and_needs_a_login(client, make_user):
    assert client.get("/works/import").status_code == 302
    writer = make_user()
    client.force_login(writer)
    page = client.get("/works/import").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="id_urls">URLs</label>' in page
    assert '<label for="id_file">Or a file</label>' in page
    assert "csrfmiddlewaretoken" in page
    assert "external_email" not in page  # only archivists import for others


def test_archivists_see_the_external_creator_fields(client, make_user):
    keeper = make_user()
    keeper.groups.add(Group.objects.get_or_create(name=Role.ARCHIVIST)[0])
    client.force_login(keeper)
    assert 'name="external_email"' in client.get("/works/import").content.decode()


def test_uploading_an_ao3_download_opens_the_drafts_preview(client, make_user):
    writer = make_user()
    client.force_login(writer)
    upload = SimpleUploadedFile("keeper.html", AO3_DOWNLOAD.encode(), content_type="text/html")
    response = client.post("/works/import", _form(writer, file=upload, restricted="on"))
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}/preview"
    assert (work.title, work.posted, work.restricted) == ("The Lighthouse Keeper", False, True)
    preview = client.get(response["Location"]).content.decode()
    assert "Maren keeps the light" in preview and "Morning came grey." in preview


def test_page_shows_refusals_on_the_form(client, make_user):
    writer = make_user()
    client.force_login(writer)
    response = client.post("/works/import", _form(writer))
    assert "Give at least one URL or choose a file." in response.content.decode()
    response = client.post("/works/import", _form(writer, urls="ftp://example.org/x"))
    assert "Give http or https addresses, one a line." in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_api_imports_urls_and_reports_the_job(
    api_as,
    make_user,
    site,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = IMMEDIATE
    settings.POLIS_IMPORT_ALLOWED_HOSTS = "127.0.0.1"
    site.page("/dl.html", AO3_DOWNLOAD)
    writer = make_user()
    api = api_as(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/works/import", {"urls": [site.url("/dl.html")]})
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    job = api.get(f"/works/import/{job_id}").json()
    work = Work.objects.get()
    assert (job["status"], job["errors"]) == ("done", [])
    assert job["drafts"] == [
        {
            "id": work.pk,
            "title": "The Lighthouse Keeper",
            "preview_url": f"/works/{work.pk}/preview",
        }
    ]
    assert api_as(make_user()).get(f"/works/import/{job_id}").status_code == 404
    assert api_as(None).get(f"/works/import/{job_id}").status_code == 404
    refused = api.post("/works/import", {"urls": ["gopher://x"]})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "urls", "message": "Give http or https addresses, one a line."}
    ]


def test_api_imports_a_file(make_user, token_for):
    writer = make_user()
    client = ApiClient(token_for(writer)).client
    response = client.post(
        "/api/v1/works/import/file",
        {"file": SimpleUploadedFile("notes.txt", b"A/N: hi\n\nThe text."), "restricted": "true"},
        headers={"Authorization": f"Bearer {token_for(writer)}"},
    )
    assert response.status_code == 201, response.content
    work = Work.objects.get()
    assert response.json() == {
        "drafts": [{"id": work.pk, "title": "notes", "preview_url": f"/works/{work.pk}/preview"}],
        "restored": None,
    }
    assert (work.notes, work.restricted) == ("<p>hi</p>", True)


def test_an_upload_over_the_limit_is_refused_on_the_page(client, make_user, settings):
    settings.POLIS_IMPORT_MAX_BYTES = 1000
    writer = make_user()
    client.force_login(writer)
    upload = SimpleUploadedFile("big.txt", b"word " * 1000)
    response = client.post("/works/import", _form(writer, file=upload))
    assert response.status_code == 200
    assert "The file is larger than 1000 bytes." in response.content.decode()
    assert Work.objects.count() == 0


def test_api_file_import_takes_the_warnings_for_a_source_that_names_none(make_user, token_for):
    from polis.tags.models import TagType
    from polis.works.models import tags_of_type

    writer = make_user()
    client = ApiClient(token_for(writer)).client
    headers = {"Authorization": f"Bearer {token_for(writer)}"}

    response = client.post(
        "/api/v1/works/import/file",
        {
            "file": SimpleUploadedFile("story.txt", b"The text."),
            "warnings": ["Graphic Depictions Of Violence", "Major Character Death"],
        },
        headers=headers,
    )

    assert response.status_code == 201, response.content
    work = Work.objects.get()
    assert [tag.name for tag in tags_of_type(work, TagType.WARNING)] == [
        "Graphic Depictions Of Violence",
        "Major Character Death",
    ]
    # Left out, the default is the one the URL import has; a warning that is none is refused.
    default = client.post(
        "/api/v1/works/import/file",
        {"file": SimpleUploadedFile("other.txt", b"More text.")},
        headers=headers,
    )
    assert default.status_code == 201, default.content
    other = Work.objects.get(pk=default.json()["drafts"][0]["id"])
    assert [tag.name for tag in tags_of_type(other, TagType.WARNING)] == [
        "Choose Not To Use Archive Warnings"
    ]
    refused = client.post(
        "/api/v1/works/import/file",
        {"file": SimpleUploadedFile("third.txt", b"Text."), "warnings": ["Mild Peril"]},
        headers=headers,
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "warnings", "message": "Choose at least one archive warning."}
    ]
    assert Work.objects.count() == 2
