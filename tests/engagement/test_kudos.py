"""Kudos: one per account or guest per work (and per chapter), never one's own, blocks refuse."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polis.engagement.kudos import kudos_give
from polis.engagement.models import Kudos
from tests.engagement.conftest import VIEWERS, client_for, flash, refusal
from tests.works.support import parse

pytestmark = pytest.mark.django_db

KUDOS_STATUS = {
    "anonymous": (302, 1),
    "other": (302, 1),
    "creator": (403, 0),
    "blocked": (403, 0),
    "muted": (302, 1),  # muting hides things from the muter; it stops nothing
    "admin": (302, 1),
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_kudos_permission_matrix_on_the_page(cast, viewer):
    people, work = cast
    client = client_for(people, viewer)

    response = client.post(reverse("engagement:kudos", kwargs={"work_id": work.pk}))

    status, count = KUDOS_STATUS[viewer]
    assert response.status_code == status
    assert Kudos.objects.filter(work=work).count() == count
    work.refresh_from_db()
    assert work.kudos_count == count
    if viewer == "creator":
        assert refusal(response) == "You can't leave kudos on your own work."
    if viewer == "blocked":
        assert refusal(response) == (
            "Sorry, you have been blocked by one of the creators of this work."
        )


def test_double_clicked_kudos_make_one_record(cast):
    people, work = cast
    client = client_for(people, "other")
    url = reverse("engagement:kudos", kwargs={"work_id": work.pk})

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert Kudos.objects.filter(work=work).count() == 1
    assert flash(first) == ["Thank you for leaving kudos!"]
    assert flash(second) == ["You have already left kudos here. :)"]


def test_guests_are_one_per_address(cast):
    people, work = cast
    url = reverse("engagement:kudos", kwargs={"work_id": work.pk})

    client_for(people, "anonymous", address="198.51.100.1").post(url)
    client_for(people, "anonymous", address="198.51.100.1").post(url)
    client_for(people, "anonymous", address="198.51.100.2").post(url)

    assert Kudos.objects.filter(work=work, user__isnull=True).count() == 2
    work.refresh_from_db()
    assert work.kudos_count == 2
    # No address is stored: only a keyed hash.
    keys = set(Kudos.objects.values_list("guest_key", flat=True))
    assert all(len(key) == 64 and "198.51" not in key for key in keys)


def test_work_page_names_givers_and_counts_guests(cast, make_user, client):
    people, work = cast
    url = reverse("engagement:kudos", kwargs={"work_id": work.pk})
    client_for(people, "other").post(url)
    client_for(people, "admin").post(url)
    client_for(people, "anonymous", address="198.51.100.1").post(url)
    client_for(people, "anonymous", address="198.51.100.2").post(url)
    client_for(people, "anonymous", address="198.51.100.3").post(url)

    page = parse(client.get(work.get_absolute_url()))

    assert page.select_one("p.kudos").text == (
        "admin, reader and 3 guests left kudos on this work!"
    )
    assert page.select_one("dl.stats dd.kudos").text == "5"
    links = page.select("p.kudos a")
    assert [a.get("href") for a in links] == ["/users/admin", "/users/reader"]


def test_chapter_kudos_count_per_chapter_and_work_counts_distinct_givers(make_user, make_work):
    writer = make_user("writer")
    fan, guest_key = make_user("fan"), "g" * 64
    work = make_work(writer, chapters=3)
    first, second, _third = list(work.chapters.order_by("position"))

    kudos_give(actor=fan, work=work, chapter=first)
    kudos_give(actor=fan, work=work, chapter=second)
    kudos_give(actor=fan, work=work)
    kudos_give(actor=AnonymousUser(), work=work, chapter=first, guest_key=guest_key)

    work.refresh_from_db()
    assert Kudos.objects.filter(chapter=first).count() == 2
    assert Kudos.objects.filter(chapter=second).count() == 1
    assert work.kudos_count == 2  # the fan and one guest


def test_chapter_page_shows_its_own_kudos_count(make_user, make_work, client):
    writer, fan = make_user("writer"), make_user("fan")
    work = make_work(writer, chapters=2)
    first, second = list(work.chapters.order_by("position"))
    client.force_login(fan)

    response = client.post(
        reverse("engagement:kudos", kwargs={"work_id": work.pk}), {"chapter_id": second.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{second.get_absolute_url()}#kudos"
    second_page = parse(client.get(second.get_absolute_url()))
    first_page = parse(client.get(first.get_absolute_url()))
    assert second_page.select_one("p.chapter-kudos span.count").text == "1"
    assert first_page.select_one("p.chapter-kudos span.count").text == "0"
    assert second_page.select_one("dl.stats dd.kudos").text == "1"


def test_kudos_on_a_draft_or_hidden_work_is_not_found(make_user, make_work, client):
    writer, fan = make_user("writer"), make_user("fan")
    draft = make_work(writer, post=False)
    client.force_login(fan)

    response = client.post(reverse("engagement:kudos", kwargs={"work_id": draft.pk}))

    assert response.status_code == 404
    assert Kudos.objects.count() == 0


def test_kudos_section_runs_a_fixed_number_of_queries(make_user, make_work, client):
    writer = make_user("writer")
    work = make_work(writer)
    url = reverse("engagement:kudos", kwargs={"work_id": work.pk})
    for n in range(3):
        client_for({"u": make_user(f"fan{n}")}, "u").post(url)
    client.get(work.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(work.get_absolute_url())
    for n in range(3, 12):
        client_for({"u": make_user(f"fan{n}")}, "u").post(url)
    with CaptureQueriesContext(connection) as many:
        client.get(work.get_absolute_url())
    assert len(many.captured_queries) == len(few.captured_queries)
