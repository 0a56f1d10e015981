"""Publication dates and completeness on the posting form: backdating, future dates, chapters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from polis.works.models import Work
from tests.works.posting_support import NEW, _only_work
from tests.works.support import (
    listed_work_ids,
    parse,
    work_form_data,
)

pytestmark = pytest.mark.django_db


def test_backdated_work_shows_its_publication_date(writer_client, writer):
    writer_client.post(NEW, work_form_data(writer, post="1", published_at="2019-03-04"))

    work = _only_work()
    assert work.published_at == datetime.date(2019, 3, 4)
    assert work.chapters.get().published_at == datetime.date(2019, 3, 4)
    page = parse(writer_client.get(work.get_absolute_url()))
    assert page.select_one("dl.stats dd.published").text == "2019-03-04"


@pytest.mark.both_search_engines
def test_a_backdated_work_is_listed_by_its_publication_date(writer_client, writer, make_work):
    recent = make_work(title="Recent")
    writer_client.post(
        NEW, work_form_data(writer, post="1", title="Old", published_at="2019-03-04")
    )
    old = Work.objects.get(title="Old")

    listing = parse(writer_client.get(reverse("works:index")))

    assert listed_work_ids(writer_client.get(reverse("works:index"))) == [recent.pk, old.pk]
    assert listing.select_one(f"li#work_{old.pk} p.datetime").text == "04 Mar 2019"


def test_a_publication_date_in_the_future_is_refused(writer_client, writer):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = writer_client.post(NEW, work_form_data(writer, post="1", published_at=tomorrow))

    assert response.status_code == 200
    assert Work.objects.count() == 0
    page = parse(response)
    assert page.texts("div#error li") == [
        "Publication date: The publication date cannot be in the future."
    ]
    assert page.select_one("input[name=published_at]").get("value") == tomorrow


def test_complete_on_a_new_work_shows_one_of_one(writer_client, writer):
    writer_client.post(NEW, work_form_data(writer, post="1", complete="on"))

    work = _only_work()
    assert (work.complete, work.chapter_total_display) == (True, "1/1")


def test_complete_with_more_chapters_expected_is_contradictory(writer_client, writer):
    response = writer_client.post(
        NEW, work_form_data(writer, post="1", complete="on", expected_chapters="3")
    )

    assert response.status_code == 200
    assert Work.objects.count() == 0
    assert parse(response).texts("div#error li") == [
        "Chapters expected: A complete work posted now has one chapter; leave this empty or "
        "uncheck “complete”."
    ]
