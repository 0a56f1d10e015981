"""Tag suggestions from the text: offered with their reasons, never applied without a click."""

import pytest
from django.urls import reverse

from polis.tags.actions import tags_find_or_create
from polis.tags.models import TagType
from polis.tags.wrangling import tag_add_parent, tag_make_synonym, tag_set_canonical
from polis.works.models import Work
from polis.works.suggestions import suggest_tags
from tests.works.support import parse

pytestmark = pytest.mark.django_db

SECOND_PERSON = """
<p>You stumble out of the woods with mud on your boots. Clarke is waiting by the gate, and
you know she has been waiting for hours. You lift a hand. Lexa watches from the wall above
you, and you feel her gaze on your back.</p>
<p>"Where were you?" Clarke asks. You shrug. You do not answer, because you cannot. Lexa
climbs down and stands beside Clarke Griffin, and the three of you walk to the fire.</p>
<p>You sit. You listen. You wonder if Lexa will ever trust you. The night is cold and you
pull your coat tighter, and Clarke laughs at something you say.</p>
"""

FIRST_PAST = """
<p>I woke before dawn and walked to the river. I was tired, but I had promised my sister
that I would go. We crossed the bridge together and I looked back at the house. I thought
of my mother. I remembered the song she sang. I picked up a stone and I threw it into the
water, and my sister laughed at me.</p>
"""

THIRD_PAST = """
<p>She closed the door and turned to the window. He was already outside, waiting in the
rain. She watched him for a long time. They had argued the night before, and she knew he
had not slept. He looked up and saw her. She raised her hand, and he nodded, and they
walked down the road together, and she felt his hand in hers.</p>
"""

GERMAN = (
    "Der Regen fiel die ganze Nacht auf das alte Dach, und niemand im Haus konnte schlafen. "
    "Am Morgen gingen die Kinder hinaus in den Garten und suchten nach den Schnecken, die "
    "unter den großen Blättern saßen. Ihre Mutter rief sie zum Frühstück, aber sie hörten "
    "nicht, denn sie waren viel zu beschäftigt mit ihrem Spiel."
)
SPANISH = (
    "La lluvia cayó toda la noche sobre el viejo tejado, y nadie en la casa pudo dormir. "
    "Por la mañana los niños salieron al jardín y buscaron los caracoles que se escondían "
    "debajo de las hojas grandes. Su madre los llamó para desayunar, pero no la oyeron, "
    "porque estaban demasiado ocupados con su juego."
)


@pytest.fixture
def the_100(make_user):
    """A canonical fandom with canonical characters, a canonical relationship and synonyms."""
    wrangler = make_user("wrangler", is_tag_wrangler=True)

    def canonical(name, tag_type, parent=None):
        tag = tags_find_or_create(names=[name], tag_type=tag_type)[0]
        tag = tag_set_canonical(actor=wrangler, tag=tag, canonical=True)
        if parent is not None:
            tag_add_parent(actor=wrangler, child=tag, parent=parent)
        return tag

    fandom = canonical("The 100 (TV)", TagType.FANDOM)
    clarke = canonical("Clarke Griffin", TagType.CHARACTER, fandom)
    canonical("Lexa (The 100)", TagType.CHARACTER, fandom)
    canonical("Abby Griffin", TagType.CHARACTER, fandom)
    canonical("Octavia Blake", TagType.CHARACTER, fandom)
    ship = canonical("Clarke Griffin/Lexa (The 100)", TagType.RELATIONSHIP, fandom)
    canonical("Bellamy Blake/Clarke Griffin", TagType.RELATIONSHIP, fandom)
    fire = canonical("Campfires", TagType.FREEFORM)
    synonym = tags_find_or_create(names=["Princess"], tag_type=TagType.CHARACTER)[0]
    tag_make_synonym(actor=wrangler, tag=synonym, of=clarke)
    fire_synonym = tags_find_or_create(names=["the fire"], tag_type=TagType.FREEFORM)[0]
    tag_make_synonym(actor=wrangler, tag=fire_synonym, of=fire)
    return {"fandom": fandom, "ship": ship}


def _by_field(suggestions):
    return {(s.field, s.value): s.reason for s in suggestions}


def test_a_second_person_story_about_two_characters_gets_them_their_ship_and_second_person(
    the_100,
):
    found = _by_field(
        suggest_tags(text=SECOND_PERSON, fandoms=["The 100 (TV)"], current_language="en")
    )

    assert found == {
        # "Griffin" is shared with Abby Griffin, so only "Clarke" and the full name count.
        ("characters", "Clarke Griffin"): "'Clarke' appears 3 times, 'Clarke Griffin' appears once",
        ("characters", "Lexa (The 100)"): "'Lexa' appears 3 times",
        ("relationships", "Clarke Griffin/Lexa (The 100)"): (
            "'Clarke Griffin' and 'Lexa (The 100)' are both suggested"
        ),
        ("freeforms", "Second Person"): (
            "“you” and its forms make 90% of the pronouns outside dialogue (18 of 20)"
        ),
        ("freeforms", "Present Tense"): (
            "14 of the 14 verbs after a pronoun outside dialogue are in the present tense "
            "(0 are not)"
        ),
        ("freeforms", "Campfires"): "'the fire' appears once",
    }


def test_suggestions_leave_out_tags_already_chosen_by_name_or_synonym(the_100):
    found = _by_field(
        suggest_tags(
            text=SECOND_PERSON,
            fandoms=["The 100 (TV)"],
            chosen=["princess", "Second Person", "Campfires"],
            current_language="en",
        )
    )

    assert sorted(found) == [
        ("characters", "Lexa (The 100)"),
        ("freeforms", "Present Tense"),
        ("relationships", "Clarke Griffin/Lexa (The 100)"),
    ]


def test_first_person_past_and_third_person_past():
    first = _by_field(suggest_tags(text=FIRST_PAST, current_language="en"))
    third = _by_field(suggest_tags(text=THIRD_PAST, current_language="en"))

    assert set(first) == {("freeforms", "First Person"), ("freeforms", "Past Tense")}
    assert set(third) == {("freeforms", "Third Person"), ("freeforms", "Past Tense")}
    assert third[("freeforms", "Third Person")].startswith("“he”, “she”, “they” and their forms")


def test_the_language_of_german_and_spanish_texts_is_detected():
    german = _by_field(suggest_tags(text=GERMAN, text_format="text", current_language="en"))
    spanish = _by_field(suggest_tags(text=SPANISH, text_format="text", current_language="en"))
    same = _by_field(suggest_tags(text=SPANISH, text_format="text", current_language="es"))

    assert german[("language", "de")].startswith("the text reads as Deutsch (")
    assert spanish[("language", "es")].startswith("the text reads as Español (")
    assert ("language", "es") not in same


def test_dialogue_does_not_make_a_third_person_story_first_person():
    text = (
        '<p>"I am tired," she said. "I want to go home, and I want to sleep." He looked at her '
        'and he smiled. "I know," he said. She turned away and she walked to the car, and he '
        "followed her, and they drove home in silence.</p>"
    )
    found = _by_field(suggest_tags(text=text))
    assert ("freeforms", "Third Person") in found


def _form(**extra):
    data = {
        "title": "",  # not written yet: asking for suggestions must not need it
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "The 100 (TV)",
        "characters": "",
        "relationships": "",
        "freeforms": "Angst",
        "language": "en",
        "summary": "A walk in the woods.",
        "text_format": "html",
        "text": SECOND_PERSON,
    }
    data.update(extra)
    return data


def test_the_posting_form_suggests_without_saving_and_keeps_what_was_typed(
    client, make_user, the_100
):
    writer = make_user("writer")
    client.force_login(writer)

    response = client.post(reverse("works:new"), _form(suggest_tags="1"))

    page = response.content.decode()
    assert response.status_code == 200
    assert Work.objects.count() == 0
    assert 'value="Angst"' in page and "A walk in the woods." in page
    assert "This field is required" not in page
    offered = [
        box.get("value") for box in parse(response).select("input[type=checkbox][name=suggestion]")
    ]
    assert offered == [
        "characters|Clarke Griffin",
        "characters|Lexa (The 100)",
        "relationships|Clarke Griffin/Lexa (The 100)",
        "freeforms|Second Person",
        "freeforms|Present Tense",
        "freeforms|Campfires",
    ]
    assert "&#x27;Lexa&#x27; appears 3 times" in page
    # Offered, not applied: the fields are as typed.
    assert 'name="characters" value=""' in page or 'name="characters" autocomplete' in page


def test_ticked_suggestions_are_added_and_only_those(client, make_user, the_100):
    writer = make_user("writer")
    client.force_login(writer)

    response = client.post(
        reverse("works:new"),
        _form(
            title="Out of the Woods",
            pseuds=[writer.pseuds.get().pk],
            suggestion=["characters|Lexa (The 100)", "freeforms|Second Person"],
            save_draft="1",
        ),
    )

    assert response.status_code == 302
    work = Work.objects.get()
    assert sorted(
        work.tags.filter(type__in=["character", "freeform"]).values_list("name", flat=True)
    ) == [
        "Angst",
        "Lexa (The 100)",
        "Second Person",
    ]


def test_the_add_button_shows_the_form_again_with_the_ticked_tags_in_their_fields(
    client, make_user, the_100
):
    client.force_login(make_user("writer"))

    response = client.post(
        reverse("works:new"), _form(suggestion=["language|de"], add_suggestions="1")
    )

    assert Work.objects.count() == 0
    assert '<option value="de" selected>' in response.content.decode()


def test_the_edit_form_of_a_work_with_chapters_reads_its_chapters(
    client, make_user, make_work, the_100
):
    writer = make_user("writer")
    work = make_work(writer, text=SECOND_PERSON, fandoms=["The 100 (TV)"], chapters=2)
    client.force_login(writer)
    response = client.post(
        reverse("works:edit", kwargs={"work_id": work.pk}),
        {k: v for k, v in _form(title=work.title, suggest_tags="1").items() if k != "text"},
    )
    assert 'value="characters|Clarke Griffin"' in response.content.decode()


def test_the_api_suggests_for_a_text_and_for_a_work(make_user, make_work, the_100):
    from polis.api.actions import token_create
    from tests.api.conftest import ApiClient

    writer = make_user("writer")
    api = ApiClient(token_create(actor=writer, name="t")[1])

    response = api.post(
        "/works/suggest-tags",
        {"text": SECOND_PERSON, "fandoms": ["The 100 (TV)"], "tags": ["Lexa"], "language": "en"},
    )

    assert response.status_code == 200
    found = {(s["field"], s["value"]): s["reason"] for s in response.json()["suggestions"]}
    assert found[("freeforms", "Second Person")].endswith("(18 of 20)")
    assert ("characters", "Clarke Griffin") in found
    assert ("relationships", "Clarke Griffin/Lexa (The 100)") in found
    assert Work.objects.count() == 0

    work = make_work(
        writer, text=SECOND_PERSON, fandoms=["The 100 (TV)"], characters=["Lexa (The 100)"]
    )
    mine = api.get(f"/works/{work.pk}/suggest-tags").json()["suggestions"]
    assert ("characters", "Lexa (The 100)") not in {(s["field"], s["value"]) for s in mine}
    assert ("characters", "Clarke Griffin") in {(s["field"], s["value"]) for s in mine}
    other = ApiClient(token_create(actor=make_user("other"), name="t")[1])
    assert other.get(f"/works/{work.pk}/suggest-tags").status_code == 404
    assert ApiClient().post("/works/suggest-tags", {"text": "x"}).status_code == 401
