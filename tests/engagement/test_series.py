"""Series: the series page, "Part N of Series" on works, ordering, and who sees what."""

import pytest
from django.urls import reverse

from polis.works.models import Series, SeriesWork
from polis.works.series import series_add_work, series_create, series_reorder
from tests.engagement.conftest import VIEWERS, client_for
from tests.works.support import listed_work_ids, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def saga(make_user, make_work):
    writer = make_user("writer")
    works = [
        make_work(writer, title="Dawn", text="<p>one two three</p>"),
        make_work(writer, title="Noon", text="<p>four five</p>", restricted=True),
        make_work(writer, title="Dusk", text="<p>six</p>"),
        make_work(writer, title="Eve", text="<p>seven eight</p>", post=False),
    ]
    series = series_create(
        actor=writer, title="The Day", summary="<p>A <b>whole</b> day.</p>", notes="Notes"
    )
    for work in works:
        series_add_work(actor=writer, series=series, work=work)
    return writer, series, works


# viewer → titles listed on the series page (drafts never, as on AO3; restricted when logged in)
SHOWN = {
    "anonymous": ["Dawn", "Dusk"],
    "other": ["Dawn", "Noon", "Dusk"],
    "creator": ["Dawn", "Noon", "Dusk"],
    "admin": ["Dawn", "Noon", "Dusk"],
}


@pytest.mark.parametrize("viewer", ["anonymous", "other", "creator", "admin"])
def test_series_page_lists_the_works_each_viewer_may_read(saga, make_user, client, viewer):
    writer, series, works = saga
    people = {
        "creator": writer,
        "other": make_user("reader"),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
    }
    if viewer != "anonymous":
        client.force_login(people[viewer])

    page = parse(client.get(series.get_absolute_url()))

    titles = [work.title for work in works]
    by_id = dict(zip([w.pk for w in works], titles, strict=True))
    listed = [by_id[i] for i in listed_work_ids_from(page)]
    assert listed == SHOWN[viewer]
    words = "4" if viewer == "anonymous" else "6"
    assert page.select_one("dl.series.meta dl.stats dd.words").text == words
    assert page.select_one("dl.series.meta dl.stats dd.complete").text == "No"
    assert page.select_one("h2.heading").text == "The Day"


def listed_work_ids_from(page) -> list[int]:
    return [int(n.get("id").removeprefix("work_")) for n in page.select("li.work.blurb")]


def test_a_series_of_unreadable_works_is_missing(make_user, make_work, client):
    writer = make_user("writer")
    series = series_create(actor=writer, title="Locked")
    series_add_work(actor=writer, series=series, work=make_work(writer, restricted=True))

    assert client.get(series.get_absolute_url()).status_code == 404
    client.force_login(make_user("reader"))
    assert client.get(series.get_absolute_url()).status_code == 200


def test_work_page_says_part_n_of_the_series_with_neighbours(saga, client):
    writer, series, works = saga
    client.force_login(writer)

    page = parse(client.get(works[1].get_absolute_url()))

    dd = page.select_one("dl.work.meta dd.series")
    assert dd.select_one("span.position").text == "Part 2 of The Day"
    assert dd.select_one("a.previous").get("href") == works[0].get_absolute_url()
    assert dd.select_one("a.next").get("href") == works[2].get_absolute_url()


def test_reordering_changes_the_parts(saga, client):
    writer, series, works = saga
    client.force_login(writer)

    response = client.post(
        reverse("works:series_manage", kwargs={"series_id": series.pk}),
        {
            f"position_{works[0].pk}": "3",
            f"position_{works[1].pk}": "1",
            f"position_{works[2].pk}": "2",
            f"position_{works[3].pk}": "4",
        },
    )

    assert response.status_code == 302
    order = list(series.entries.order_by("position").values_list("work__title", flat=True))
    assert order == ["Noon", "Dusk", "Dawn", "Eve"]
    page = parse(client.get(works[0].get_absolute_url()))
    assert page.select_one("dd.series span.position").text == "Part 3 of The Day"


def test_reorder_must_name_every_work_once(saga):
    writer, series, works = saga
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        series_reorder(actor=writer, series=series, work_ids=[works[0].pk, works[0].pk])


# viewer → status of the edit page of someone's series
EDIT_STATUS = {"anonymous": 302, "other": 404, "creator": 200, "admin": 404}


@pytest.mark.parametrize("viewer", ["anonymous", "other", "creator", "admin"])
def test_only_series_creators_may_change_it(saga, make_user, client, viewer):
    writer, series, works = saga
    people = {
        "creator": writer,
        "other": make_user("reader"),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
    }
    if viewer != "anonymous":
        client.force_login(people[viewer])

    edit = client.get(reverse("works:series_edit", kwargs={"series_id": series.pk}))
    delete = client.post(reverse("works:series_delete", kwargs={"series_id": series.pk}))

    expected = EDIT_STATUS[viewer]
    assert edit.status_code == expected
    assert delete.status_code == (302 if expected == 200 else expected)
    assert Series.objects.filter(pk=series.pk).exists() is (expected != 200)


def test_adding_a_work_from_the_work_page(make_user, make_work, client):
    writer = make_user("writer")
    work = make_work(writer, title="Prequel")
    client.force_login(writer)
    url = reverse("works:work_series", kwargs={"work_id": work.pk})

    response = client.post(url, {"series": "", "new_title": "Befores"})
    again = client.post(url, {"series": str(Series.objects.get().pk), "new_title": ""})

    assert response.status_code == 302 and again.status_code == 302
    assert SeriesWork.objects.count() == 1
    page = parse(client.get(work.get_absolute_url()))
    assert page.select_one("dd.series span.position").text == "Part 1 of Befores"


def test_only_own_works_join_a_series(make_user, make_work, client):
    writer, other = make_user("writer"), make_user("other")
    series = series_create(actor=writer, title="Mine")
    theirs = make_work(other)
    client.force_login(writer)

    response = client.post(
        reverse("works:work_series", kwargs={"work_id": theirs.pk}),
        {"series": str(series.pk)},
    )

    assert response.status_code == 404
    assert SeriesWork.objects.count() == 0


def test_series_description_is_sanitized(make_user):
    writer = make_user("writer")
    series = series_create(
        actor=writer, title="T", summary="<p onclick=x()>Hi<script>y</script></p>"
    )
    assert series.summary == "<p>Hi</p>"


def test_muted_creators_series_are_left_out_of_listings(saga, make_user, client):
    writer, series, works = saga
    reader = make_user("reader")
    from polis.engagement.relations import mute_add

    client.force_login(reader)
    url = reverse("works:user_series", kwargs={"username": "writer"})
    assert [n.get("id") for n in parse(client.get(url)).select("li.series.blurb")] == [
        f"series_{series.pk}"
    ]
    mute_add(actor=reader, target=writer)
    assert parse(client.get(url)).select("li.series.blurb") == []
    assert listed_work_ids(client.get(series.get_absolute_url())) == []


@pytest.mark.parametrize("viewer", VIEWERS)
def test_series_page_permission_matrix(cast, make_work, viewer):
    people, _ = cast
    bore = people["muted"]
    series = series_create(actor=bore, title="Bore's Series")
    work = make_work(bore, title="By bore")
    series_add_work(actor=bore, series=series, work=work)

    response = client_for(people, viewer).get(series.get_absolute_url())

    assert response.status_code == 200
    # The creator of the cast's work muted `bore`: bore's works are left out for them.
    assert listed_work_ids(response) == ([] if viewer == "creator" else [work.pk])


def test_series_lists_parts_in_series_order_without_the_readers_blocked_tags(
    make_user, make_work, client
):
    """A series keeps its own order, and the same search as every listing decides which
    parts a reader sees: the blocklist applies on the page and in the API alike."""
    from polis.api.actions import token_create
    from polis.search.actions import tag_block_add
    from tests.api.conftest import ApiClient

    writer, reader = make_user("writer"), make_user("reader")
    first = make_work(writer, title="First")
    sad = make_work(writer, title="Sad", freeforms=["Angst"])
    last = make_work(writer, title="Last")
    series = series_create(actor=writer, title="Arc")
    for work in (last, sad, first):
        series_add_work(actor=writer, series=series, work=work)
    series_reorder(actor=writer, series=series, work_ids=[first.pk, sad.pk, last.pk])
    tag_block_add(actor=reader, name="Angst")
    client.force_login(reader)

    assert listed_work_ids(client.get(series.get_absolute_url())) == [first.pk, last.pk]
    api = ApiClient(token_create(actor=reader, name="tests")[1])
    parts = api.get(f"/series/{series.pk}").json()["works"]
    assert [(part["position"], part["work"]["title"]) for part in parts] == [
        (1, "First"),
        (3, "Last"),
    ]
    client.force_login(writer)
    assert listed_work_ids(client.get(series.get_absolute_url())) == [first.pk, sad.pk, last.pk]
