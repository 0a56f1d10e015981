"""Post New Work as an AO3 writer expects it: AO3's rating names, and a one-shot is 1/1."""

import pytest

from polis.works.models import Work
from tests.works.support import parse, work_form_data

pytestmark = pytest.mark.django_db


def test_the_rating_menu_names_ratings_as_ao3_does(writer_client):
    page = parse(writer_client.get("/works/new"))

    options = [(o.get("value"), o.text) for o in page.select("select#id_rating option")]
    assert options == [
        ("", "Select a rating"),
        ("General Audiences", "General Audiences"),
        ("Teen And Up Audiences", "Teen And Up Audiences"),
        ("Mature", "Mature"),
        ("Explicit", "Explicit"),
        ("Not Rated", "Not Rated"),
    ]


def test_a_new_work_expects_one_chapter_so_a_one_shot_posts_as_1_of_1(writer_client, writer):
    page = parse(writer_client.get("/works/new"))
    assert page.select_one("input#id_expected_chapters").get("value") == "1"

    # What the browser sends when the writer leaves the field as it is.
    data = work_form_data(writer, expected_chapters="1", post="1")
    assert writer_client.post("/works/new", data).status_code == 302

    work = Work.objects.get(title="The Lighthouse")
    assert (work.chapter_count, work.expected_chapters, work.complete) == (1, 1, True)
    shown = parse(writer_client.get(work.get_absolute_url()))
    assert shown.select_one("dl.stats dd.chapters").text == "1/1"


def test_a_writer_who_empties_the_field_posts_a_work_in_progress(writer_client, writer):
    data = work_form_data(writer, expected_chapters="", post="1")
    assert writer_client.post("/works/new", data).status_code == 302

    work = Work.objects.get(title="The Lighthouse")
    assert (work.expected_chapters, work.complete) == (None, False)
    shown = parse(writer_client.get(work.get_absolute_url()))
    assert shown.select_one("dl.stats dd.chapters").text == "1/?"
