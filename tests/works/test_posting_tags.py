"""Tags typed on the posting form: created unwrangled, matched without case, types kept apart."""

import pytest

from polis.tags.models import Tag, TagType
from polis.works.models import Work
from tests.works.posting_support import NEW, _counts, _tag_names
from tests.works.support import (
    parse,
    work_form_data,
)

pytestmark = pytest.mark.django_db


def test_unknown_tags_are_created_unwrangled_with_the_type_of_their_field(writer_client, writer):
    writer_client.post(
        NEW,
        work_form_data(
            writer,
            post="1",
            fandoms="Brand New Fandom",
            relationships="A/B",
            characters="Some Character",
            freeforms="Fluff",
        ),
    )

    created = {
        tag.name: (tag.type, tag.canonical, tag.merger_id)
        for tag in Tag.objects.filter(
            name__in=["Brand New Fandom", "A/B", "Some Character", "Fluff"]
        )
    }
    assert created == {
        "Brand New Fandom": (TagType.FANDOM, False, None),
        "A/B": (TagType.RELATIONSHIP, False, None),
        "Some Character": (TagType.CHARACTER, False, None),
        "Fluff": (TagType.FREEFORM, False, None),
    }


def test_tags_are_matched_without_regard_to_case(writer_client, writer, make_work):
    earlier = make_work(relationships=["Clarke Griffin/Lexa"], fandoms=["The 100 (TV)"])
    existing = Tag.objects.get(name="Clarke Griffin/Lexa")
    tags_before = Tag.objects.count()

    writer_client.post(
        NEW,
        work_form_data(
            writer, post="1", relationships="clarke griffin/lexa", fandoms="THE 100 (tv)"
        ),
    )

    work = Work.objects.exclude(pk=earlier.pk).get()
    assert Tag.objects.count() == tags_before
    assert work.tags.get(type=TagType.RELATIONSHIP) == existing
    assert _tag_names(work, TagType.FANDOM) == ["The 100 (TV)"]
    page = parse(writer_client.get(work.get_absolute_url()))
    assert page.texts("dd.relationship.tags a.tag") == ["Clarke Griffin/Lexa"]


def test_a_name_used_by_another_tag_type_is_refused_and_nothing_is_saved(
    writer_client, writer, make_work
):
    make_work(characters=["Lexa"])
    before = _counts()
    data = work_form_data(
        writer,
        post="1",
        title="Conflicted",
        fandoms="A Fandom Nobody Used Before",
        relationships="New/Pairing",
        freeforms="lexa, Fluff",
    )

    response = writer_client.post(NEW, data)

    assert response.status_code == 200
    assert _counts() == before
    assert not Tag.objects.filter(name="A Fandom Nobody Used Before").exists()
    page = parse(response)
    assert page.texts("div#error li") == [
        "Additional Tags: “Lexa” is already in the archive as a Character tag. "
        "Tag names are unique; try adding more information, e.g. the fandom."
    ]
    assert page.select_one("input[name=title]").get("value") == "Conflicted"
    assert page.select_one("input[name=freeforms]").get("value") == "lexa, Fluff"
    assert page.select_one("input[name=fandoms]").get("value") == "A Fandom Nobody Used Before"


def test_fixed_tag_names_cannot_be_reused_as_user_tags(writer_client, writer):
    before = _counts()

    response = writer_client.post(NEW, work_form_data(writer, post="1", freeforms="Gen"))

    assert response.status_code == 200
    assert _counts() == before
    assert "“Gen” is already in the archive as a Category tag." in parse(response).text
