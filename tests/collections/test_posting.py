"""Post to Collections and Gift this work to, on the posting form and in the API."""

import pytest
from django.urls import reverse

from polis.collections.anonymity import visible_collections_for
from polis.collections.models import CollectionItem, Gift
from polis.works.hooks import posting_fields
from polis.works.models import Chapter, Work
from tests.api.conftest import ApiClient
from tests.works.support import parse, work_form_data

pytestmark = pytest.mark.django_db

NEW = reverse("works:new")


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


def _items(work: Work) -> list[tuple[str, str, str]]:
    return sorted(
        CollectionItem.objects.filter(work=work).values_list(
            "collection__name", "creator_status", "collection_status"
        )
    )


def _gifts(work: Work) -> list[tuple[str, str]]:
    return sorted(
        (g.recipient.username if g.recipient else "", g.recipient_name)
        for g in Gift.objects.filter(work=work).select_related("recipient")
    )


def test_collections_register_their_posting_fields_with_works():
    assert [f.name for f in posting_fields()] == ["collections", "gifts", "assignment_id"]


def test_posting_a_work_to_collections_and_as_gifts(
    writer, writer_client, make_collection, make_user
):
    make_user("owner")
    open_fest = make_collection(name="open_fest")
    make_collection(name="modfest", moderated=True)
    make_user("ann")
    data = work_form_data(
        writer, post="1", collections="open_fest, modfest", gifts="ann, Someone Offline"
    )
    response = writer_client.post(NEW, data)
    work = Work.objects.get()
    assert response.status_code == 302
    assert _items(work) == [
        ("modfest", "approved", "unreviewed"),
        ("open_fest", "approved", "approved"),
    ]
    assert visible_collections_for(work) == [open_fest]
    assert _gifts(work) == [("", "Someone Offline"), ("ann", "")]


def test_a_closed_collection_refuses_the_whole_post_and_keeps_what_was_typed(
    writer, writer_client, make_collection, make_user
):
    make_collection(name="open_fest")
    make_collection(name="shut", closed=True)
    make_user("ann")
    data = work_form_data(writer, post="1", collections="open_fest, shut", gifts="ann")
    response = writer_client.post(NEW, data)
    assert response.status_code == 200
    page = parse(response)
    assert page.texts("#field-collections ul.errorlist li") == [
        "The collection “Shut” is closed: no new works can be added."
    ]
    assert page.select_one("input[name=collections]").get("value") == "open_fest, shut"
    assert page.select_one("input[name=gifts]").get("value") == "ann"
    assert page.select_one("input[name=title]").get("value") == "The Lighthouse"
    assert (Work.objects.count(), Chapter.objects.count()) == (0, 0)
    assert (CollectionItem.objects.count(), Gift.objects.count()) == (0, 0)


def test_unknown_collections_and_gifts_to_oneself_are_refused_on_their_fields(
    writer, writer_client
):
    data = work_form_data(writer, post="1", collections="nowhere", gifts="writer")
    page = parse(writer_client.post(NEW, data))
    assert page.texts("#field-collections ul.errorlist li") == ["We couldn't find: nowhere."]
    assert page.texts("#field-gifts ul.errorlist li") == [
        "You can't give a work to one of its creators."
    ]
    assert Work.objects.count() == 0


def test_a_gift_to_a_pseud_goes_to_its_user(writer, writer_client, make_user):
    ann = make_user("ann")
    ann.pseuds.create(name="Lantern")
    writer_client.post(NEW, work_form_data(writer, post="1", gifts="Lantern (ann)"))
    assert _gifts(Work.objects.get()) == [("ann", "")]


def test_editing_shows_and_changes_collections_and_gifts(
    writer, writer_client, make_collection, make_user
):
    make_collection(name="fest_one")
    make_collection(name="fest_two")
    make_user("ann")
    make_user("bea")
    writer_client.post(
        NEW, work_form_data(writer, post="1", collections="fest_one", gifts="ann, Offline Friend")
    )
    work = Work.objects.get()
    edit = reverse("works:edit", kwargs={"work_id": work.pk})
    page = parse(writer_client.get(edit))
    assert page.select_one("input[name=collections]").get("value") == "fest_one"
    assert page.select_one("input[name=gifts]").get("value") == "ann, Offline Friend"
    response = writer_client.post(
        edit, work_form_data(writer, update="1", collections="fest_two", gifts="bea")
    )
    assert response.status_code == 302
    assert _items(work) == [("fest_two", "approved", "approved")]
    assert _gifts(work) == [("bea", "")]


def test_editing_into_a_closed_collection_changes_nothing(writer, writer_client, make_collection):
    make_collection(name="fest_one")
    make_collection(name="shut", closed=True)
    writer_client.post(NEW, work_form_data(writer, post="1", collections="fest_one"))
    work = Work.objects.get()
    edit = reverse("works:edit", kwargs={"work_id": work.pk})
    response = writer_client.post(
        edit, work_form_data(writer, update="1", title="Renamed", collections="shut")
    )
    assert response.status_code == 200
    work.refresh_from_db()
    assert work.title == "The Lighthouse"
    assert _items(work) == [("fest_one", "approved", "approved")]


def _api_body(**extra) -> dict:
    return {
        "title": "Signal Fire",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Original Work"],
        "chapters": [{"text": "<p>Smoke on the hill.</p>"}],
        **extra,
    }


def test_the_api_posts_to_collections_and_gives_gifts(
    writer, token_for, make_collection, make_user
):
    make_collection(name="modfest", moderated=True)
    make_user("ann")
    api = ApiClient(token_for(writer))
    response = api.post("/works", _api_body(collections=["modfest"], gifts=["ann", "Pat"]))
    assert response.status_code == 201
    work = Work.objects.get()
    assert _items(work) == [("modfest", "approved", "unreviewed")]
    assert _gifts(work) == [("", "Pat"), ("ann", "")]
    patched = api.patch(f"/works/{work.pk}", {"gifts": ["Pat"]})
    assert patched.status_code == 200
    assert _gifts(work) == [("", "Pat")]
    assert _items(work) == [("modfest", "approved", "unreviewed")]  # not sent: unchanged


def test_the_api_refuses_a_closed_collection_and_saves_nothing(writer, token_for, make_collection):
    make_collection(name="shut", closed=True)
    api = ApiClient(token_for(writer))
    response = api.post("/works", _api_body(collections=["shut"], gifts=["Pat"]))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "collections",
            "message": "The collection “Shut” is closed: no new works can be added.",
        }
    ]
    assert (Work.objects.count(), Gift.objects.count()) == (0, 0)


# --- a user who blocked the writer cannot be given a gift --------------------------------------

BLOCKED_GIFT = "Sorry, you can't give a gift to that user."


@pytest.fixture
def blocker(make_user, writer):
    from polis.engagement.relations import block_add

    ann = make_user("ann")
    block_add(actor=ann, target=writer)
    return ann


def test_a_gift_to_a_user_who_blocked_the_writer_is_refused_on_the_form(
    writer, writer_client, blocker, make_user
):
    make_user("bea")
    response = writer_client.post(NEW, work_form_data(writer, post="1", gifts="bea, ann"))

    page = parse(response)
    assert response.status_code == 200
    assert page.texts("#field-gifts ul.errorlist li") == [BLOCKED_GIFT]
    assert page.select_one("input[name=gifts]").get("value") == "bea, ann"
    assert (Work.objects.count(), Gift.objects.count()) == (0, 0)


def test_a_gift_to_a_blocker_is_refused_when_editing_and_nothing_changes(
    writer, writer_client, blocker, make_user
):
    make_user("bea")
    writer_client.post(NEW, work_form_data(writer, post="1", title="Kept", gifts="bea"))
    work = Work.objects.get()
    edit = reverse("works:edit", kwargs={"work_id": work.pk})

    response = writer_client.post(
        edit, work_form_data(writer, update="1", title="Changed", gifts="ann")
    )

    assert parse(response).texts("#field-gifts ul.errorlist li") == [BLOCKED_GIFT]
    work.refresh_from_db()
    assert (work.title, _gifts(work)) == ("Kept", [("bea", "")])


def test_the_api_refuses_a_gift_to_a_blocker_on_the_gifts_field(writer, token_for, blocker):
    api = ApiClient(token_for(writer))

    response = api.post("/works", _api_body(gifts=["Pat", "ann"]))

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "gifts", "message": BLOCKED_GIFT}]
    assert (Work.objects.count(), Gift.objects.count()) == (0, 0)


def test_the_gift_api_refuses_a_gift_to_a_blocker(writer, token_for, blocker, make_work):
    work = make_work(writer)
    api = ApiClient(token_for(writer))

    response = api.post(f"/works/{work.pk}/gifts", {"recipient": "ann"})
    by_pseud = api.post(f"/works/{work.pk}/gifts", {"recipient": "ann (ann)"})

    assert response.status_code == by_pseud.status_code == 400
    assert response.json()["errors"] == [{"field": "recipient", "message": BLOCKED_GIFT}]
    assert Gift.objects.count() == 0


def test_a_block_the_writer_made_does_not_stop_their_gift(writer, writer_client, make_user):
    from polis.engagement.relations import block_add

    block_add(actor=writer, target=make_user("ann"))

    writer_client.post(NEW, work_form_data(writer, post="1", gifts="ann"))

    assert _gifts(Work.objects.get()) == [("ann", "")]


def test_a_co_creator_cannot_give_the_work_to_someone_who_blocked_another_creator(
    writer, blocker, make_user
):
    from django.core.exceptions import ValidationError

    from polis.collections.actions.gifts import gift_add
    from polis.works.actions import ChapterInput, WorkInput, creatorship_accept, work_create

    other = make_user("other")
    work = work_create(
        actor=other,
        pseuds=[other.pseuds.get(is_default=True)],
        co_creators=[writer.pseuds.get(is_default=True)],
        data=WorkInput(
            title="Together",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
        ),
        chapter=ChapterInput(text="<p>Words.</p>"),
        post=True,
    )
    creatorship_accept(actor=writer, creatorship=work.creatorships.get(pseud__user=writer))

    with pytest.raises(ValidationError) as refused:
        gift_add(actor=other, work=work, recipient="ann")

    assert refused.value.message_dict == {"recipient": [BLOCKED_GIFT]}
    assert Gift.objects.count() == 0
