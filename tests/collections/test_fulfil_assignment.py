"""Fulfil a gift-exchange assignment from Post New Work (`/works/new?assignment_id=N`), as on
AO3, and with `assignment_id` in the API."""

import pytest
from django.urls import reverse

from polis.collections.actions import assignments as assigning
from polis.collections.actions.collections import (
    CollectionInput,
    collection_reveal,
    collection_update,
)
from polis.collections.actions.matching import assignments_generate
from polis.collections.anonymity import is_unrevealed
from polis.collections.models import Assignment, CollectionItem, Gift
from polis.works.models import Chapter, Work
from tests.api.conftest import ApiClient
from tests.collections.test_exchange import exchange, run_matching  # noqa: F401 (fixture)
from tests.works.support import parse, work_form_data

pytestmark = pytest.mark.django_db

NEW = reverse("works:new")
NOT_YOURS = "This assignment is not yours to fulfil."


@pytest.fixture
def sent(exchange, make_user, django_capture_on_commit_callbacks):  # noqa: F811
    """Assignments sent; bob writes for ann (the unmatched recipient gets a pinch hitter)."""
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    (missing,) = assigning.unmatched(challenge)
    assigning.assignment_pinch_hit(actor=mod, assignment=missing, user=make_user("pinch"))
    assigning.assignments_send(actor=mod, challenge=challenge)
    ann_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["ann"])
    assert ann_gift.giver.user == people["bob"]
    return challenge, mod, people, ann_gift


def _fulfil_url(assignment) -> str:
    return f"{NEW}?assignment_id={assignment.pk}"


def _posted_data(writer, assignment, **overrides) -> dict:
    """What the prefilled form sends back."""
    prefilled = {
        "title": "For Ann",
        "collections": "yuletide",
        "gifts": "ann",
        "assignment_id": str(assignment.pk),
    }
    return work_form_data(writer, **{**prefilled, **overrides})


def _items(work: Work) -> list[tuple[str, str, str]]:
    return sorted(
        CollectionItem.objects.filter(work=work).values_list(
            "collection__name", "creator_status", "collection_status"
        )
    )


def _gift_recipients(work: Work) -> list[str]:
    return [
        g.recipient.username for g in Gift.objects.filter(work=work).select_related("recipient")
    ]


def _nothing_saved(assignment) -> None:
    assignment.refresh_from_db()
    assert (assignment.work_id, assignment.fulfilled_at) == (None, None)
    assert (Work.objects.count(), Chapter.objects.count()) == (0, 0)
    assert (CollectionItem.objects.count(), Gift.objects.count()) == (0, 0)


def _close(collection, mod) -> None:
    data = CollectionInput(
        name=collection.name,
        title=collection.title,
        closed=True,
        anonymous=collection.anonymous,
        unrevealed=collection.unrevealed,
    )
    collection_update(actor=mod, collection=collection, data=data)


def test_my_assignments_offers_fulfill_linking_to_post_new_work(sent, client):
    _, _, people, ann_gift = sent
    client.force_login(people["bob"])
    page = parse(client.get("/collections/yuletide/assignments"))
    links = page.select(f"#assignment_{ann_gift.pk} p.fulfill a")
    assert [(a.text, a.get("href")) for a in links] == [("Fulfill", _fulfil_url(ann_gift))]


def test_fulfill_prefills_the_collection_and_the_gift_and_carries_the_assignment(sent, client):
    _, _, people, ann_gift = sent
    client.force_login(people["bob"])
    response = client.get(_fulfil_url(ann_gift))
    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("input[name=collections]").get("value") == "yuletide"
    assert page.select_one("input[name=gifts]").get("value") == "ann"
    hidden = page.select("form#work-form input[name=assignment_id]")
    assert [(i.get("type"), i.get("value")) for i in hidden] == [("hidden", str(ann_gift.pk))]
    assert page.select("#field-assignment_id") == []  # carried, not shown as a field


def test_the_plain_form_has_no_prefill(sent, client):
    _, _, people, _ = sent
    client.force_login(people["bob"])
    page = parse(client.get(NEW))
    assert page.select_one("input[name=collections]").get("value") is None
    assert page.select_one("input[name=gifts]").get("value") is None
    assert page.select_one("input[name=assignment_id]").get("value") is None


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("recipient", 404),
        ("other_participant", 404),
        ("moderator", 404),
        ("stranger", 404),
        ("writer", 200),
    ],
)
def test_only_the_assignments_writer_can_open_it_on_the_form(sent, client, make_user, who, status):
    _, mod, people, ann_gift = sent
    users = {
        "recipient": people["ann"],
        "other_participant": people["cat"],
        "moderator": mod,
        "stranger": make_user("stranger"),
        "writer": people["bob"],
    }
    if who in users:
        client.force_login(users[who])
    assert client.get(_fulfil_url(ann_gift)).status_code == status


@pytest.mark.parametrize("raw", ["999999", "abc", "", "-1", "9" * 18, "1" * 40])
def test_a_missing_or_malformed_assignment_id_is_404(sent, client, raw):
    _, _, people, _ = sent
    client.force_login(people["bob"])
    assert client.get(f"{NEW}?assignment_id={raw}").status_code == 404


def test_an_unsent_assignment_is_404_on_the_form(
    exchange,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    ann_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["ann"])
    client.force_login(people["bob"])
    assert client.get(_fulfil_url(ann_gift)).status_code == 404


def test_posting_the_prefilled_form_fulfils_the_assignment(sent, client):
    challenge, mod, people, ann_gift = sent
    client.force_login(people["bob"])
    response = client.post(_fulfil_url(ann_gift), _posted_data(people["bob"], ann_gift, post="1"))
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert work.posted is True
    ann_gift.refresh_from_db()
    assert ann_gift.work_id == work.pk
    assert ann_gift.fulfilled_at is not None
    assert _items(work) == [("yuletide", "approved", "approved")]
    assert _gift_recipients(work) == ["ann"]
    assert is_unrevealed(work) is True
    mine = parse(client.get("/collections/yuletide/assignments"))
    assert mine.texts(f"#assignment_{ann_gift.pk} p.fulfilled") == ["Fulfilled with For Ann."]
    assert mine.select(f"#assignment_{ann_gift.pk} p.fulfill") == []
    client.force_login(mod)
    matching = parse(client.get("/collections/yuletide/matching"))
    assert matching.texts(f"#assignment_{ann_gift.pk} td")[3] == "Fulfilled: For Ann"


def test_the_gift_reaches_the_recipient_only_at_the_reveal(sent, client):
    challenge, mod, people, ann_gift = sent
    client.force_login(people["bob"])
    client.post(_fulfil_url(ann_gift), _posted_data(people["bob"], ann_gift, post="1"))
    client.force_login(people["ann"])
    assert parse(client.get("/users/ann/gifts")).select("li.work.blurb") == []
    collection_reveal(actor=mod, collection=challenge.collection)
    work = Work.objects.get()
    ids = [n.get("id") for n in parse(client.get("/users/ann/gifts")).select("li.work.blurb")]
    assert ids == [f"work_{work.pk}"]


def test_the_assignment_joins_the_exchange_even_if_the_fields_were_cleared(sent, client):
    _, _, people, ann_gift = sent
    client.force_login(people["bob"])
    data = _posted_data(people["bob"], ann_gift, post="1", collections="", gifts="")
    assert client.post(NEW, data).status_code == 302
    work = Work.objects.get()
    assert _items(work) == [("yuletide", "approved", "approved")]
    assert _gift_recipients(work) == ["ann"]
    ann_gift.refresh_from_db()
    assert (ann_gift.work_id, ann_gift.fulfilled_at is not None) == (work.pk, True)


def test_a_draft_fulfils_the_assignment_when_it_is_posted(sent, client):
    _, mod, people, ann_gift = sent
    client.force_login(people["bob"])
    response = client.post(NEW, _posted_data(people["bob"], ann_gift, save_draft="1"))
    work = Work.objects.get()
    assert response.status_code == 302
    assert work.posted is False
    ann_gift.refresh_from_db()
    assert (ann_gift.work_id, ann_gift.fulfilled_at) == (work.pk, None)
    mine = parse(client.get("/collections/yuletide/assignments"))
    assert mine.texts(f"#assignment_{ann_gift.pk} p.draft") == [
        "Your draft For Ann fulfils this assignment once you post it."
    ]
    edit = parse(client.get(reverse("works:edit", kwargs={"work_id": work.pk})))
    assert edit.select_one("input[name=assignment_id]").get("value") == str(ann_gift.pk)
    client.force_login(mod)
    matching = parse(client.get("/collections/yuletide/matching"))
    assert matching.texts(f"#assignment_{ann_gift.pk} td")[3] == "Sent"  # drafts stay private

    client.force_login(people["bob"])
    posted = client.post(reverse("works:post", kwargs={"work_id": work.pk}))
    assert posted.status_code == 302
    ann_gift.refresh_from_db()
    work.refresh_from_db()
    assert work.posted is True
    assert ann_gift.work_id == work.pk
    assert ann_gift.fulfilled_at is not None


def test_editing_a_fulfilling_work_keeps_the_assignment(sent, client):
    _, _, people, ann_gift = sent
    client.force_login(people["bob"])
    client.post(NEW, _posted_data(people["bob"], ann_gift, post="1"))
    work = Work.objects.get()
    ann_gift.refresh_from_db()
    fulfilled_at = ann_gift.fulfilled_at
    edit = reverse("works:edit", kwargs={"work_id": work.pk})
    data = _posted_data(people["bob"], ann_gift, update="1", title="For Ann, Revised")
    assert client.post(edit, data).status_code == 302
    ann_gift.refresh_from_db()
    assert (ann_gift.work_id, ann_gift.fulfilled_at) == (work.pk, fulfilled_at)


def test_someone_elses_assignment_is_refused_on_post_and_nothing_is_saved(sent, client):
    _, _, people, ann_gift = sent
    client.force_login(people["cat"])
    response = client.post(NEW, _posted_data(people["cat"], ann_gift, post="1"))
    assert response.status_code == 200
    page = parse(response)
    assert page.texts("#error li") == [NOT_YOURS]
    assert page.select_one("input[name=assignment_id]").get("value") == str(ann_gift.pk)
    assert page.select_one("input[name=title]").get("value") == "For Ann"
    _nothing_saved(ann_gift)


def test_an_assignment_given_to_a_pinch_hitter_meanwhile_is_refused(sent, client, make_user):
    _, mod, people, ann_gift = sent
    client.force_login(people["bob"])
    assert client.get(_fulfil_url(ann_gift)).status_code == 200
    assigning.assignment_pinch_hit(actor=mod, assignment=ann_gift, user=make_user("helper"))
    response = client.post(NEW, _posted_data(people["bob"], ann_gift, post="1"))
    assert response.status_code == 200
    assert parse(response).texts("#error li") == [NOT_YOURS]
    _nothing_saved(ann_gift)


def test_a_closed_exchange_refuses_the_post_and_nothing_is_saved(sent, client):
    challenge, mod, people, ann_gift = sent
    _close(challenge.collection, mod)
    client.force_login(people["bob"])
    response = client.post(NEW, _posted_data(people["bob"], ann_gift, post="1"))
    assert response.status_code == 200
    closed = "The collection “Yuletide” is closed: no new works can be added."
    # The assignment's own refusal has no visible field: it stands as the form's error.
    assert parse(response).texts("#error li") == [
        closed,
        f"Post to Collections / Challenges: {closed}",
    ]
    _nothing_saved(ann_gift)


def test_defaulting_unlinks_the_draft_which_then_posts_without_fulfilling(sent, client):
    _, _, people, ann_gift = sent
    client.force_login(people["bob"])
    client.post(NEW, _posted_data(people["bob"], ann_gift, save_draft="1"))
    work = Work.objects.get()
    assigning.assignment_default(actor=people["bob"], assignment=ann_gift)
    ann_gift.refresh_from_db()
    assert (ann_gift.work_id, ann_gift.fulfilled_at) == (None, None)
    assert client.post(reverse("works:post", kwargs={"work_id": work.pk})).status_code == 302
    work.refresh_from_db()
    ann_gift.refresh_from_db()
    assert (work.posted, ann_gift.work_id, ann_gift.fulfilled_at) == (True, None, None)


def _api_body(**extra) -> dict:
    return {
        "title": "For Ann",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Original Work"],
        "chapters": [{"text": "<p>Snow on the pines.</p>"}],
        **extra,
    }


def test_the_api_posts_a_work_to_an_assignment(sent, token_for):
    _, _, people, ann_gift = sent
    api = ApiClient(token_for(people["bob"]))
    response = api.post("/works", _api_body(assignment_id=ann_gift.pk))
    assert response.status_code == 201
    work = Work.objects.get()
    assert response.json()["id"] == work.pk
    ann_gift.refresh_from_db()
    assert ann_gift.work_id == work.pk
    assert ann_gift.fulfilled_at is not None
    assert _items(work) == [("yuletide", "approved", "approved")]
    assert _gift_recipients(work) == ["ann"]


def test_an_api_draft_fulfils_the_assignment_when_posted(sent, token_for):
    _, _, people, ann_gift = sent
    api = ApiClient(token_for(people["bob"]))
    created = api.post("/works", _api_body(assignment_id=ann_gift.pk, draft=True))
    assert created.status_code == 201
    work = Work.objects.get()
    ann_gift.refresh_from_db()
    assert (ann_gift.work_id, ann_gift.fulfilled_at) == (work.pk, None)
    assert api.patch(f"/works/{work.pk}", {"draft": False}).status_code == 200
    ann_gift.refresh_from_db()
    assert ann_gift.fulfilled_at is not None


@pytest.mark.parametrize("whose", ["someone_else", "missing"])
def test_the_api_refuses_an_assignment_that_is_not_yours_and_saves_nothing(sent, token_for, whose):
    _, _, people, ann_gift = sent
    assignment_id = ann_gift.pk if whose == "someone_else" else 999999
    api = ApiClient(token_for(people["cat"]))
    response = api.post("/works", _api_body(assignment_id=assignment_id, gifts=["Pat"]))
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "assignment_id", "message": NOT_YOURS}]
    _nothing_saved(ann_gift)


def test_the_api_refuses_a_closed_exchange_and_saves_nothing(sent, token_for):
    challenge, mod, people, ann_gift = sent
    _close(challenge.collection, mod)
    api = ApiClient(token_for(people["bob"]))
    response = api.post("/works", _api_body(assignment_id=ann_gift.pk))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "assignment_id",
            "message": "The collection “Yuletide” is closed: no new works can be added.",
        }
    ]
    _nothing_saved(ann_gift)


def test_a_draft_refused_when_posted_from_its_edit_page_goes_back_to_its_preview(sent, client):
    _, _, people, ann_gift = sent
    client.force_login(people["bob"])
    client.post(NEW, _posted_data(people["bob"], ann_gift, save_draft="1"))
    work = Work.objects.get()
    # The assignment is no longer sent to bob, however that came about: posting is refused.
    Assignment.objects.filter(pk=ann_gift.pk).update(sent_at=None)

    response = client.post(
        reverse("works:edit", kwargs={"work_id": work.pk}),
        _posted_data(people["bob"], ann_gift, post="1"),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("works:preview", kwargs={"work_id": work.pk})
    work.refresh_from_db()
    assert work.posted is False
