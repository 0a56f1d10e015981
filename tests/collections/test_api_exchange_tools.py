"""Gift exchanges through the API: the moderators' tools (assignments, potential givers,
matching status, setting a giver by hand, regenerating, defaults and pinch hits)."""

import pytest

from polis.collections.actions import assignments as assigning
from polis.collections.actions.matching import assignments_generate
from polis.collections.models import Assignment
from tests.api.conftest import ApiClient
from tests.collections.conftest import client_for
from tests.collections.test_exchange import exchange, run_matching  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


# --- gift exchanges: the moderators' tools ----------------------------------------------------


@pytest.fixture
def matched(exchange, django_capture_on_commit_callbacks):  # noqa: F811
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    return challenge, mod, people


def writers(challenge) -> dict:
    return {
        a.recipient.user.username: (
            a.giver.user.username if a.giver_id else None,
            a.pinch_hitter.username if a.pinch_hitter_id else None,
            a.defaulted_at is not None,
        )
        for a in Assignment.objects.filter(challenge=challenge).select_related(
            "recipient__user", "giver__user", "pinch_hitter"
        )
    }


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("participant", 404), ("mod", 200)]
)
def test_only_moderators_list_assignments_and_potential_givers(matched, token_for, who, status):
    challenge, mod, people = matched
    users = {"participant": people["bob"], "mod": mod}
    api = client_for(who, users, token_for)
    ann = people["ann"].challenge_signups.get()

    listed = api.get("/collections/yuletide/assignments")
    givers = api.get(f"/collections/yuletide/matching/{ann.pk}")

    assert (listed.status_code, givers.status_code) == (status, status)
    if status == 200:
        assert [a["recipient"] for a in listed.json()] == ["ann", "bob", "cat", "dan", "eve"]
        assert [a["sent"] for a in listed.json()] == [False] * 5
        body = givers.json()
        assert (body["recipient"], body["total"]) == ("ann", 2)
        assert [g["username"] for g in body["givers"]] == ["bob", "dan"]
        gift = Assignment.objects.get(challenge=challenge, recipient=ann)
        assert body["assignment_id"] == gift.pk


def test_the_matching_status_lists_the_unmatched_and_the_idle(matched, token_for):
    challenge, mod, people = matched
    (missing,) = assigning.unmatched(challenge)
    givers = set(
        Assignment.objects.filter(challenge=challenge, giver__isnull=False).values_list(
            "giver__user__username", flat=True
        )
    )

    status = ApiClient(token_for(mod)).get("/collections/yuletide/matching").json()

    assert status["unmatched"] == [missing.recipient.user.username]
    assert status["idle"] == sorted({"ann", "bob", "cat", "dan", "eve"} - givers)
    assert len(status["idle"]) == 1


def test_a_moderator_sets_a_giver_by_hand(matched, token_for):
    challenge, mod, people = matched
    api = ApiClient(token_for(mod))
    (missing,) = assigning.unmatched(challenge)
    name = missing.recipient.user.username  # cat or eve, who both need dan
    dan_writes_for = Assignment.objects.get(challenge=challenge, giver__user__username="dan")

    busy = api.post(f"/collections/yuletide/assignments/{missing.pk}/giver", {"giver": "dan"})
    assert busy.status_code == 400
    assert busy.json()["errors"] == [
        {
            "field": "giver",
            "message": f"dan already writes for {dan_writes_for.recipient.user.username}; "
            "change that assignment first.",
        }
    ]
    unknown = api.post(f"/collections/yuletide/assignments/{missing.pk}/giver", {"giver": "zed"})
    assert unknown.json()["errors"] == [
        {"field": "giver", "message": "That person did not sign up for this challenge."}
    ]
    assert writers(challenge)[name] == (None, None, False)

    freed = api.post(
        f"/collections/yuletide/assignments/{dan_writes_for.pk}/giver", {"giver": None}
    )
    assert (freed.status_code, freed.json()["giver"]) == (200, None)
    set_ = api.post(f"/collections/yuletide/assignments/{missing.pk}/giver", {"giver": "dan"})
    assert set_.status_code == 200
    assert (set_.json()["recipient"], set_.json()["giver"]) == (name, "dan")


def test_regenerate_default_and_pinch_hit(matched, make_user, token_for):
    challenge, mod, people = matched
    api = ApiClient(token_for(mod))
    (missing,) = assigning.unmatched(challenge)
    name = missing.recipient.user.username

    refused = api.post(f"/collections/yuletide/assignments/{missing.pk}/regenerate", {})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {
            "field": None,
            "message": "No free participant matches this request; assign a pinch hitter instead.",
        }
    ]

    nobody = api.post(
        f"/collections/yuletide/assignments/{missing.pk}/pinch_hit", {"username": "x"}
    )
    assert nobody.json()["errors"] == [
        {"field": "username", "message": "There is no user with that name."}
    ]
    self_ = api.post(
        f"/collections/yuletide/assignments/{missing.pk}/pinch_hit", {"username": name}
    )
    assert self_.json()["errors"] == [
        {"field": "username", "message": "Nobody can pinch-hit for themselves."}
    ]
    assert writers(challenge)[name] == (None, None, False)

    make_user("pinch")
    hit = api.post(
        f"/collections/yuletide/assignments/{missing.pk}/pinch_hit", {"username": "pinch"}
    )
    assert (hit.status_code, hit.json()["pinch_hitter"]) == (200, "pinch")

    ann = Assignment.objects.get(challenge=challenge, recipient__user__username="ann")
    assert api.post(f"/collections/yuletide/assignments/{ann.pk}/default", {}).status_code == 204
    assert writers(challenge)["ann"][2] is True


@pytest.mark.parametrize("step", ["giver", "regenerate", "pinch_hit", "default"])
def test_participants_cannot_use_the_moderators_tools(matched, token_for, step):
    challenge, mod, people = matched
    before = writers(challenge)
    ann = Assignment.objects.get(challenge=challenge, recipient__user__username="ann")
    body = (
        {"giver": None} if step == "giver" else {"username": "bob"} if step == "pinch_hit" else {}
    )

    response = ApiClient(token_for(people["bob"])).post(
        f"/collections/yuletide/assignments/{ann.pk}/{step}", body
    )

    assert response.status_code == 404
    assert writers(challenge) == before


def test_a_writer_defaults_their_own_sent_assignment(matched, make_user, token_for):
    challenge, mod, people = matched
    (missing,) = assigning.unmatched(challenge)
    assigning.assignment_pinch_hit(actor=mod, assignment=missing, user=make_user("pinch"))
    assigning.assignments_send(actor=mod, challenge=challenge)
    mine = Assignment.objects.filter(challenge=challenge, giver__isnull=False).first()
    other = Assignment.objects.exclude(pk=mine.pk).filter(challenge=challenge).first()
    api = ApiClient(token_for(mine.giver.user))

    assert api.post(f"/collections/yuletide/assignments/{other.pk}/default", {}).status_code == 404
    assert api.post(f"/collections/yuletide/assignments/{mine.pk}/default", {}).status_code == 204
    mine.refresh_from_db()
    assert mine.defaulted_at is not None
    assert api.get("/collections/yuletide/assignments/mine").json() == []
