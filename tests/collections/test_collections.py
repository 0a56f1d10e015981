"""Collections: items on both sides, closed and moderated collections, concealment, people."""

import pytest
from django.core.exceptions import ValidationError

from polis.collections.actions import items
from polis.collections.actions.challenges import ChallengeInput
from polis.collections.actions.collections import (
    CollectionInput,
    collection_create,
    collection_update,
    membership_set,
)
from polis.collections.anonymity import is_anonymous, is_unrevealed, visible_collections_for
from polis.collections.errors import Refused
from polis.collections.models import Challenge, Collection, CollectionItem, Membership
from tests.works.support import parse

pytestmark = pytest.mark.django_db


def test_a_writer_adds_a_work_and_an_open_collection_lists_it(make_collection, make_work, client):
    fest = make_collection(name="fest")
    work = make_work(title="Tides")
    item = items.item_add(actor=work.creatorships.get().pseud.user, collection=fest, work=work)
    assert item.approved
    assert visible_collections_for(work) == [fest]
    titles = parse(client.get("/collections/fest/works")).texts("li.work.blurb h4.heading a")
    assert titles[0] == "Tides"


def test_a_moderated_collection_holds_works_of_non_members_for_approval(
    make_collection, make_work, make_user
):
    owner = make_user("owner")
    fest = make_collection(owner, name="fest", moderated=True)
    work = make_work(title="Tides")
    writer = work.creatorships.get().pseud.user
    item = items.item_add(actor=writer, collection=fest, work=work)
    assert (item.creator_status, item.collection_status) == ("approved", "unreviewed")
    assert visible_collections_for(work) == []
    with pytest.raises(Refused):
        items.item_review(actor=writer, item=item, approve=True)
    items.item_review(actor=owner, item=item, approve=True)
    assert visible_collections_for(work) == [fest]


def test_a_closed_collection_refuses_new_works_and_nothing_changes(make_collection, make_work):
    fest = make_collection(name="fest", closed=True)
    work = make_work()
    with pytest.raises(ValidationError) as error:
        items.item_add(actor=work.creatorships.get().pseud.user, collection=fest, work=work)
    assert error.value.messages == ["The collection “Fest” is closed: no new works can be added."]
    assert CollectionItem.objects.count() == 0


def test_an_invitation_conceals_nothing_until_the_creator_accepts(
    make_collection, make_work, make_user
):
    owner = make_user("owner")
    fest = make_collection(owner, name="fest", anonymous=True, unrevealed=True)
    work = make_work()
    item = items.item_invite(actor=owner, collection=fest, work=work)
    work.refresh_from_db()
    assert (work.anonymous, work.unrevealed) == (False, False)
    items.item_respond(actor=work.creatorships.get().pseud.user, item=item, approve=True)
    work.refresh_from_db()
    assert (is_anonymous(work), is_unrevealed(work)) == (True, True)


def test_only_creators_add_their_work(make_collection, make_work, make_user):
    fest = make_collection(name="fest")
    with pytest.raises(Refused):
        items.item_add(actor=make_user(), collection=fest, work=make_work())
    assert CollectionItem.objects.count() == 0


def test_sub_collections_inherit_anonymity_and_settings_changes_apply_to_every_work(
    make_collection, make_work, make_user
):
    owner = make_user("owner")
    parent = make_collection(owner, name="fest")
    child = make_collection(owner, name="fest_day1", parent_name="fest")
    work = make_work()
    items.item_add(actor=work.creatorships.get().pseud.user, collection=child, work=work)
    assert not is_anonymous(work)
    collection_update(
        actor=owner,
        collection=parent,
        data=CollectionInput(name="fest", title="Fest", anonymous=True),
    )
    work.refresh_from_db()
    assert is_anonymous(work)


def test_only_owners_make_moderators(make_collection, make_user):
    owner = make_user("owner")
    fest = make_collection(owner, name="fest")
    moderator, helper = make_user("mod"), make_user("helper")
    membership_set(actor=owner, collection=fest, user=moderator, role="moderator")
    with pytest.raises(Refused):
        membership_set(actor=moderator, collection=fest, user=helper, role="owner")
    membership_set(actor=moderator, collection=fest, user=helper, role="member")
    assert sorted(Membership.objects.values_list("user__username", "role")) == [
        ("helper", "member"),
        ("mod", "moderator"),
        ("owner", "owner"),
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("other", 404), ("member", 404), ("moderator", 200), ("owner", 200)],
)
def test_settings_pages_are_for_maintainers(make_collection, make_user, client, who, status):
    owner = make_user("owner")
    fest = make_collection(owner, name="fest")
    people = {"owner": owner, "other": make_user(), "member": make_user(), "moderator": make_user()}
    membership_set(actor=owner, collection=fest, user=people["member"], role="member")
    membership_set(actor=owner, collection=fest, user=people["moderator"], role="moderator")
    if who != "anonymous":
        client.force_login(people[who])
    for path in ("edit", "items", "members", "challenge"):
        assert client.get(f"/collections/fest/{path}").status_code == status
    before = (fest.title, fest.closed)
    client.post("/collections/fest/edit", {"title": "Hijacked", "closed": "on"})
    fest.refresh_from_db()
    if status != 200:
        assert (fest.title, fest.closed) == before


def test_a_missing_collection_is_404(client):
    assert client.get("/collections/nowhere").status_code == 404
    assert client.get("/collections/nowhere/works").status_code == 404


def test_a_collection_is_created_with_its_challenge_or_not_at_all(make_user):
    owner = make_user("owner")

    with pytest.raises(ValidationError) as refused:
        collection_create(
            actor=owner,
            data=CollectionInput(name="Yuletide", title="Yuletide"),
            challenge=ChallengeInput(kind="gift_exchange", requests_min=3, requests_max=1),
        )

    assert refused.value.message_dict["requests_min"] == [
        "The minimum number of requests is above the maximum."
    ]
    assert (Collection.objects.count(), Membership.objects.count()) == (0, 0)

    made = collection_create(
        actor=owner,
        data=CollectionInput(name="Yuletide", title="Yuletide"),
        challenge=ChallengeInput(kind="prompt_meme"),
    )
    assert Challenge.objects.get(collection=made).kind == "prompt_meme"
