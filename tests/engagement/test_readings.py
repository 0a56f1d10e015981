"""History and Marked for Later: kept for logged-in readers, deleted when turned off."""

import pytest
from django.urls import reverse

from polis.engagement.models import Reading
from polis.engagement.reading import reading_mark_for_later
from polis.works.actions import work_update
from tests.engagement.conftest import VIEWERS, client_for
from tests.works.support import listed_work_ids, parse

pytestmark = pytest.mark.django_db


def test_reading_a_work_adds_it_to_the_history(cast):
    people, work = cast
    client = client_for(people, "other")

    client.get(work.get_absolute_url())
    client.get(work.get_absolute_url())  # within five minutes: no second write

    reading = Reading.objects.get()
    assert (reading.user, reading.work, reading.view_count) == (people["other"], work, 1)
    page = client.get(reverse("engagement:readings", kwargs={"username": "reader"}))
    assert listed_work_ids(page) == [work.pk]


def test_guests_have_no_history(cast):
    people, work = cast
    client_for(people, "anonymous").get(work.get_absolute_url())
    assert Reading.objects.count() == 0


def test_turning_history_off_deletes_it_but_keeps_marked_for_later(make_user, make_work, client):
    reader = make_user("reader")
    read, later = make_work(title="Read"), make_work(title="Later")
    client.force_login(reader)
    client.get(read.get_absolute_url())
    client.get(later.get_absolute_url())
    reading_mark_for_later(actor=reader, work=later)

    response = client.post(
        reverse("engagement:readings_settings", kwargs={"username": "reader"}), {"enabled": "0"}
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.history_enabled is False
    assert list(Reading.objects.values_list("work__title", "last_viewed_at", "later")) == [
        ("Later", None, True)
    ]
    client.get(read.get_absolute_url())
    assert Reading.objects.count() == 1  # nothing is recorded while it is off


def test_mark_for_later_and_mark_as_read(cast):
    people, work = cast
    client = client_for(people, "other")
    url = reverse("engagement:mark_for_later", kwargs={"work_id": work.pk})

    client.post(url, {"later": "1"})
    later_page = client.get(
        reverse("engagement:readings", kwargs={"username": "reader"}), {"show": "to-read"}
    )
    assert listed_work_ids(later_page) == [work.pk]
    button = parse(client.get(work.get_absolute_url())).select_one("li.mark button")
    assert button.text == "Mark as Read"

    client.post(url, {"later": "0"})
    assert (
        listed_work_ids(
            client.get(
                reverse("engagement:readings", kwargs={"username": "reader"}), {"show": "to-read"}
            )
        )
        == []
    )


def test_history_keeps_a_work_that_became_restricted_for_logged_in_readers(
    make_user, make_work, client
):
    from polis.works.actions import WorkInput

    reader = make_user("reader")
    work = make_work(title="Gone Quiet")
    client.force_login(reader)
    client.get(work.get_absolute_url())
    writer = work.creatorships.get().pseud.user
    work_update(
        actor=writer,
        work=work,
        data=WorkInput(
            title="Gone Quiet",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
            restricted=True,
        ),
    )
    assert listed_work_ids(
        client.get(reverse("engagement:readings", kwargs={"username": "reader"}))
    ) == [work.pk]


# viewer → status of the reader's history page
HISTORY_MATRIX = {
    "anonymous": 302,
    "other": 200,
    "creator": 404,
    "blocked": 404,
    "muted": 404,
    "admin": 404,
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_history_is_its_owners_only(cast, viewer):
    people, _ = cast
    response = client_for(people, viewer).get(
        reverse("engagement:readings", kwargs={"username": "reader"})
    )
    assert response.status_code == HISTORY_MATRIX[viewer]
