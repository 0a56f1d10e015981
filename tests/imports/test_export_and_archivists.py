"""The account export ZIP imported back, and archivists' imports claimed by their writers."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError

from polis.accounts.roles import Role
from polis.imports.actions import ImportOptions, import_file
from polis.imports.models import ExternalCreator
from polis.works.actions import work_post
from polis.works.models import TAG_FIELDS, Work, tags_of_type
from tests.imports.support import export_zip, exported_work

pytestmark = pytest.mark.django_db


def test_export_zip_round_trip_keeps_everything_it_holds(make_user):
    mover = make_user("mover")
    second = exported_work(
        id=13, title="Second Tide", series=[{"title": "Iron Coast", "position": 2}]
    )
    works = import_file(
        actor=mover,
        name="polis-export-mover.zip",
        data=export_zip([exported_work(), second]),
        options=ImportOptions(),
    )
    assert [w.title for w in works] == ["Salt and Iron", "Second Tide"]
    work = Work.objects.prefetch_related("taggings__tag").get(pk=works[0].pk)
    assert work.posted is False  # a draft to review
    assert {
        field: [t.name for t in tags_of_type(work, tt)] for tt, field in TAG_FIELDS.items()
    } == {
        "rating": ["Mature"],
        "warnings": ["Major Character Death"],
        "categories": ["M/M"],
        "fandoms": ["Harbour Tales (TV)"],
        "relationships": ["Aksel Brun/Tomas Vik"],
        "characters": ["Aksel Brun", "Tomas Vik"],
        "freeforms": ["Shipwrecks"],
    }
    assert (work.summary, work.notes, work.end_notes) == (
        "<p>A storm.</p>",
        "<p>Begin.</p>",
        "<p>Finish.</p>",
    )
    assert (work.language, work.restricted, work.complete, work.expected_chapters) == (
        "fr",
        True,
        False,
        3,
    )
    assert work.published_at == datetime.date(2024, 1, 31)
    chapters = list(work.chapters.order_by("position"))
    assert [(c.title, c.summary, c.notes, c.end_notes, c.content) for c in chapters] == [
        ("Wreck", "<p>Ch sum.</p>", "<p>Ch n.</p>", "<p>Ch end.</p>", "<p>Timbers cracked.</p>"),
        ("Shore", "", "", "", "<p>Sand, at last.</p>"),
    ]
    # One series, re-created by title, with both works in order.
    series = mover.pseuds.get().series.get()
    assert series.title == "Iron Coast"
    assert list(series.entries.values_list("work__title", flat=True)) == [
        "Salt and Iron",
        "Second Tide",
    ]
    # Posting keeps the chapters' own dates and the "updated" date.
    work_post(actor=mover, work=work)
    work.refresh_from_db()
    assert [c.published_at for c in work.chapters.order_by("position")] == [
        datetime.date(2024, 1, 31),
        datetime.date(2024, 3, 1),
    ]
    assert work.revised_at.date() == datetime.date(2024, 3, 1)


def test_export_of_another_version_or_format_is_refused(make_user):
    user = make_user()
    with pytest.raises(ValidationError, match="version 2; this archive reads 1"):
        import_file(
            actor=user,
            name="e.zip",
            data=export_zip([exported_work()], version=2),
            options=ImportOptions(),
        )
    with pytest.raises(ValidationError, match="not a Polis account export"):
        import_file(
            actor=user, name="e.zip", data=b"PK\x05\x06" + b"\0" * 18, options=ImportOptions()
        )
    assert Work.objects.count() == 0


@pytest.fixture
def archivist(make_user):
    user = make_user("keeper")
    user.groups.add(Group.objects.get_or_create(name=Role.ARCHIVIST)[0])
    return user


def test_only_archivists_import_for_others(make_user):
    with pytest.raises(ValidationError, match="Only archivists"):
        import_file(
            actor=make_user(),
            name="a.txt",
            data=b"Words.",
            options=ImportOptions(external_name="Old Writer", external_email="old@example.org"),
        )
    assert Work.objects.count() == 0
    assert ExternalCreator.objects.count() == 0


def test_archivist_import_invites_the_creator_who_claims_the_works(
    archivist, make_user, client, django_capture_on_commit_callbacks, settings
):
    settings.POLIS_SITE_URL = "https://polis.example"
    options = ImportOptions(external_name="Old Writer", external_email="Old@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        first = import_file(actor=archivist, name="one.txt", data=b"One.", options=options)
        second = import_file(actor=archivist, name="two.txt", data=b"Two.", options=options)
    creator = ExternalCreator.objects.get()
    assert first[0].notes == "<p>Archived by keeper for Old Writer.</p>"
    assert (creator.name, creator.email) == ("Old Writer", "old@example.org")
    assert len(mail.outbox) == 1  # one invitation per creator, however many works
    assert mail.outbox[0].to == ["old@example.org"]
    link = re.search(r"https://polis\.example(/works/import/claim/\S+)", mail.outbox[0].body)[1]
    assert link == f"/works/import/claim/{creator.token}"
    # The claim page shows the works to whoever holds the token; claiming needs an account.
    page = client.get(link)
    assert page.status_code == 200 and "one" in page.content.decode()
    assert client.post(link).status_code == 302
    assert creator.works.count() == 2
    writer = make_user("oldwriter")
    client.force_login(writer)
    response = client.post(link)
    assert response.status_code == 302
    for work in (*first, *second):
        work.refresh_from_db()
        assert [c.pseud.user for c in work.creatorships.all()] == [writer]
    creator.refresh_from_db()
    assert creator.claimed_by == writer
    # A second claim changes nothing.
    client.force_login(make_user())
    client.post(link)
    assert [c.pseud.user for c in first[0].creatorships.all()] == [writer]
    assert client.get("/works/import/claim/not-a-token").status_code == 404
