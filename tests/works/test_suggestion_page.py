"""The work's "Suggest tags" page: its creators tick suggestions read from its text, and only
the ticked tags are added; the same suggestions as the API's (polis.works.suggestion_forms)."""

import pytest
from django.urls import reverse

from polis.tags.models import TagType
from polis.works.models import Work, tags_of_type
from tests.works.support import parse
from tests.works.test_suggestions import SECOND_PERSON, the_100  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

OFFERED = [
    "characters|Clarke Griffin",
    "characters|Lexa (The 100)",
    "relationships|Clarke Griffin/Lexa (The 100)",
    "freeforms|Second Person",
    "freeforms|Present Tense",
    "freeforms|Campfires",
]


@pytest.fixture
def story(make_user, make_work, the_100):  # noqa: F811 (the fixture imported above)
    writer = make_user("writer")
    work = make_work(
        writer,
        title="Out of the Woods",
        text=SECOND_PERSON,
        fandoms=["The 100 (TV)"],
        freeforms=["Angst"],
        summary="<p>A walk in the <em>woods</em>.</p>",
    )
    return writer, work


def _url(work):
    return reverse("works:suggest_tags", kwargs={"work_id": work.pk})


def _boxes(response):
    return parse(response).select("input[type=checkbox][name=suggestion]")


def _tags(work):
    work = Work.objects.get(pk=work.pk)
    return {
        field: [tag.name for tag in tags_of_type(work, tag_type)]
        for field, tag_type in (
            ("characters", TagType.CHARACTER),
            ("relationships", TagType.RELATIONSHIP),
            ("freeforms", TagType.FREEFORM),
        )
    }


def test_the_creator_gets_a_labelled_checkbox_per_suggestion_and_a_link_from_the_work(
    client, story
):
    writer, work = story
    client.force_login(writer)

    work_page = parse(client.get(work.get_absolute_url()))
    links = [a for a in work_page.select("ul.work.navigation a") if a.text == "Suggest Tags"]
    assert [a.get("href") for a in links] == [_url(work)]
    response = client.get(_url(work))

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("main h1").text == "Suggest tags for Out of the Woods"
    assert page.select("form input[name=csrfmiddlewaretoken]") != []
    boxes = _boxes(response)
    assert [box.get("value") for box in boxes] == OFFERED
    labels = {label.get("for"): label.text for label in page.select("form label")}
    assert [labels[box.get("id")] for box in boxes][:2] == [
        "Character: Clarke Griffin ('Clarke' appears 3 times, 'Clarke Griffin' appears once)",
        "Character: Lexa (The 100) ('Lexa' appears 3 times)",
    ]
    assert all(labels.get(box.get("id")) for box in boxes)
    # The API offers the very same ones.
    from polis.api.actions import token_create
    from tests.api.conftest import ApiClient

    api = ApiClient(token_create(actor=writer, name="t")[1])
    found = api.get(f"/works/{work.pk}/suggest-tags").json()["suggestions"]
    assert [f"{s['field']}|{s['value']}" for s in found] == OFFERED


def test_only_the_ticked_tags_are_added_and_the_rest_of_the_work_stays(client, story):
    writer, work = story
    client.force_login(writer)
    before = Work.objects.values("summary", "title", "language", "rating").get(pk=work.pk)

    response = client.post(
        _url(work), {"suggestion": ["characters|Lexa (The 100)", "freeforms|Second Person"]}
    )

    assert response.status_code == 302 and response["Location"] == work.get_absolute_url()
    assert _tags(work) == {
        "characters": ["Lexa (The 100)"],
        "relationships": [],
        "freeforms": ["Angst", "Second Person"],
    }
    assert Work.objects.values("summary", "title", "language", "rating").get(pk=work.pk) == before
    assert [box.get("value") for box in _boxes(client.get(_url(work)))] == [
        "characters|Clarke Griffin",
        "relationships|Clarke Griffin/Lexa (The 100)",
        "freeforms|Present Tense",
        "freeforms|Campfires",
    ]


def test_nothing_ticked_says_what_to_fix_and_changes_nothing(client, story):
    writer, work = story
    client.force_login(writer)

    response = client.post(_url(work), {})

    assert response.status_code == 200
    assert "Tick at least one tag to add." in response.content.decode()
    assert _tags(work) == {"characters": [], "relationships": [], "freeforms": ["Angst"]}


def test_a_suspended_creator_is_refused_and_keeps_the_ticks(client, make_user, story):
    from polis.moderation.sanctions import user_suspend

    writer, work = story
    user_suspend(
        actor=make_user("staff", is_staff=True, is_superuser=True), user=writer, days=2, reason="x"
    )
    client.force_login(writer)

    response = client.post(_url(work), {"suggestion": ["characters|Lexa (The 100)"]})

    assert response.status_code == 403
    assert "suspended" in parse(response).select_one("div#error").text
    assert [box.get("value") for box in _boxes(response) if "checked" in box.attrs] == [
        "characters|Lexa (The 100)"
    ]
    assert _tags(work) == {"characters": [], "relationships": [], "freeforms": ["Angst"]}


def test_only_the_creators_reach_the_page(client, make_user, story):
    _, work = story
    url = _url(work)
    assert client.get(url).status_code == 302  # to log in
    assert client.post(url, {"suggestion": ["characters|Lexa (The 100)"]}).status_code == 302
    reader = make_user("reader")
    client.force_login(reader)
    assert client.get(url).status_code == 404
    assert client.post(url, {"suggestion": ["characters|Lexa (The 100)"]}).status_code == 404
    work_page = parse(client.get(work.get_absolute_url()))
    assert [a for a in work_page.select("ul.work.navigation a") if a.text == "Suggest Tags"] == []
    assert _tags(work) == {"characters": [], "relationships": [], "freeforms": ["Angst"]}
