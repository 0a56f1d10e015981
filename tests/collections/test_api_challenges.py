"""Challenges through the API: settings, one's sign-up, prompts, claims, exchange moderation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polis.collections.actions import assignments as assigning
from polis.collections.actions import prompts as prompt_actions
from polis.collections.actions.challenges import ChallengeInput, RuleInput, challenge_setup
from polis.collections.actions.collections import membership_set
from polis.collections.actions.matching import assignments_generate
from polis.collections.models import Assignment, Challenge, Claim, Prompt, Signup
from tests.api.conftest import ApiClient
from tests.collections.conftest import prompt, window_open
from tests.collections.test_exchange import exchange, run_matching  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meme(make_collection, make_tag_set, make_user, sign_up):
    """An anonymous, unrevealed prompt meme with a moderator, a member and a prompter."""
    owner = make_user("owner")
    collection = make_collection(owner, name="meme", title="Kink Meme", anonymous=True)
    users = {"owner": owner, "stranger": make_user("stranger")}
    for role in ("moderator", "member"):
        users[role] = make_user(role)
        membership_set(actor=owner, collection=collection, user=users[role], role=role)
    tag_set = make_tag_set(owner, fandoms=["A", "B"])
    challenge = challenge_setup(
        actor=owner,
        collection=collection,
        data=ChallengeInput(
            kind="prompt_meme",
            tag_set=tag_set,
            requests_min=1,
            requests_max=3,
            rules=[RuleInput(tag_type="fandom", request_min=1, request_max=1)],
            **window_open(),
        ),
    )
    users["prompter"] = make_user("prompter")
    sign_up(
        users["prompter"],
        challenge,
        [prompt(["A"], title="Lighthouse AU"), prompt(["B"], title="Secret", anonymous=True)],
    )
    return challenge, users


def client_for(who: str, users: dict, token_for) -> ApiClient:
    return ApiClient(token_for(users[who])) if who in users else ApiClient()


def settings_of(challenge: Challenge) -> tuple:
    challenge.refresh_from_db()
    rules = list(challenge.tag_rules.values_list("tag_type", "request_min", "request_max"))
    return (challenge.kind, challenge.requests_min, challenge.requests_max, rules)


# --- settings -------------------------------------------------------------------------------


def test_anyone_reads_the_challenge_settings(meme):
    response = ApiClient().get("/collections/meme/challenge")

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("collection", "kind", "signup_open", "requests_max")} == {
        "collection": "meme",
        "kind": "prompt_meme",
        "signup_open": True,
        "requests_max": 3,
    }
    assert body["rules"] == [
        {
            "tag_type": "fandom",
            "request_min": 1,
            "request_max": 1,
            "offer_min": 0,
            "offer_max": 0,
            "match_count": 0,
            "allow_any": False,
            "any_matches": True,
        }
    ]


def test_a_collection_without_a_challenge_is_404(make_collection):
    make_collection(name="plain")

    assert ApiClient().get("/collections/plain/challenge").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("stranger", 404),
        ("member", 404),
        ("prompter", 404),
        ("moderator", 200),
        ("owner", 200),
    ],
)
def test_only_maintainers_change_the_settings(meme, token_for, who, status):
    challenge, users = meme
    before = settings_of(challenge)

    response = client_for(who, users, token_for).patch(
        "/collections/meme/challenge", {"requests_max": 5, "signup_closes_at": None}
    )

    assert response.status_code == status
    if status == 200:
        assert (response.json()["requests_max"], response.json()["signup_closes_at"]) == (5, None)
        assert settings_of(challenge) == (*before[:2], 5, before[3])
    else:
        assert settings_of(challenge) == before


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"requests_min": 4},
            [{"field": "requests_min",
              "message": "The minimum number of requests is above the maximum."}],
        ),
        (
            {"rules": [{"tag_type": "fandom", "request_min": 2, "request_max": 1}]},
            [{"field": "rules[0]", "message": "A minimum number of tags is above its maximum."}],
        ),
        (
            {"tag_set_id": 999999},
            [{"field": "tag_set_id", "message": "There is no tag set with that id."}],
        ),
        (
            {"signup_opens_at": "2030-01-02T00:00:00Z", "signup_closes_at": "2030-01-01T00:00:00Z"},
            [{"field": "signup_closes_at", "message": "Sign-ups must close after they open."}],
        ),
        (
            {"kind": "gift_exchange", "offers_min": 1, "offers_max": 1},
            [{"field": "kind", "message": "People have signed up; the kind can no longer change."}],
        ),
        ({"kind": None}, [{"field": "kind", "message": "This field cannot be null."}]),
    ],
)  # fmt: skip
def test_refused_settings_name_the_field_and_change_nothing(meme, token_for, body, errors):
    challenge, users = meme
    before = settings_of(challenge)

    response = ApiClient(token_for(users["owner"])).patch("/collections/meme/challenge", body)

    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert settings_of(challenge) == before


def test_out_of_range_numbers_are_422(meme, token_for):
    challenge, users = meme
    before = settings_of(challenge)

    response = ApiClient(token_for(users["owner"])).patch(
        "/collections/meme/challenge",
        {"requests_max": -1, "rules": [{"tag_type": "fandom", "request_max": 51}]},
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "requests_max",
        "rules[0].request_max",
    ]
    assert settings_of(challenge) == before


def test_patch_creates_a_challenge_with_the_form_defaults(make_collection, make_user, token_for):
    owner = make_user("owner")
    make_collection(owner, name="swap")
    api = ApiClient(token_for(owner))

    missing = api.patch("/collections/swap/challenge", {"requests_max": 2})
    assert missing.status_code == 400
    assert missing.json()["errors"] == [
        {"field": "kind", "message": "Choose a gift exchange or a prompt meme."}
    ]
    assert Challenge.objects.count() == 0

    made = api.patch(
        "/collections/swap/challenge",
        {"kind": "gift_exchange", "signup_opens_at": "2030-01-01T10:00:00"},
    )
    assert made.status_code == 200
    body = made.json()
    assert (body["kind"], body["offers_min"], body["offers_max"], body["signup_opens_at"]) == (
        "gift_exchange",
        1,
        1,
        "2030-01-01T10:00:00Z",
    )
    assert [(r["tag_type"], r["match_count"]) for r in body["rules"]] == [("fandom", 1)]


# --- one's own sign-up ----------------------------------------------------------------------


def test_a_participant_reads_changes_and_deletes_their_sign_up(meme, token_for):
    challenge, users = meme
    api = ApiClient(token_for(users["prompter"]))

    shown = api.get("/collections/meme/signup")
    assert shown.status_code == 200
    assert [p["title"] for p in shown.json()["requests"]] == ["Lighthouse AU", "Secret"]
    assert [p["by"] for p in shown.json()["requests"]] == ["prompter", "Anonymous"]

    changed = api.patch(
        "/collections/meme/signup", {"requests": [{"tags": {"fandom": ["B"]}, "title": "Only"}]}
    )
    assert changed.status_code == 200
    assert [(p["title"], p["tags"]) for p in changed.json()["requests"]] == [("Only", ["B"])]
    assert list(Prompt.objects.values_list("title", flat=True)) == ["Only"]

    assert api.delete("/collections/meme/signup").status_code == 204
    assert Signup.objects.count() == 0
    assert api.get("/collections/meme/signup").status_code == 404


def test_a_refused_sign_up_change_names_the_field_and_changes_nothing(meme, token_for):
    challenge, users = meme
    api = ApiClient(token_for(users["prompter"]))

    response = api.patch(
        "/collections/meme/signup",
        {"pseud": "nobody", "requests": [{"tags": {"fandom": ["Z"]}}]},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "pseud", "message": "Choose one of your own pseuds."}
    ]
    response = api.patch("/collections/meme/signup", {"requests": [{"tags": {"fandom": ["Z"]}}]})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "requests[0].tags.fandom", "message": "“Z” is not in this challenge's tag set."}
    ]
    assert sorted(Prompt.objects.values_list("title", flat=True)) == ["Lighthouse AU", "Secret"]


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("stranger", 404)])
def test_without_a_sign_up_there_is_nothing_to_read_or_change(meme, token_for, who, status):
    _, users = meme
    api = client_for(who, users, token_for)

    assert api.get("/collections/meme/signup").status_code == status
    assert api.patch("/collections/meme/signup", {"requests": []}).status_code == status
    assert api.delete("/collections/meme/signup").status_code == status
    assert Prompt.objects.count() == 2


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("stranger", 404), ("prompter", 404), ("moderator", 200), ("owner", 200)],
)
def test_only_maintainers_list_the_sign_ups(meme, token_for, who, status):
    _, users = meme

    response = client_for(who, users, token_for).get("/collections/meme/signups")

    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["count"] == 1
        assert (body["results"][0]["username"], len(body["results"][0]["requests"])) == (
            "prompter",
            2,
        )


def test_the_sign_up_and_prompt_lists_take_the_same_queries_for_more_sign_ups(
    meme, make_user, sign_up, token_for
):
    challenge, users = meme
    api = ApiClient(token_for(users["owner"]))
    paths = ["/collections/meme/signups", "/collections/meme/prompts"]

    def queries() -> list[int]:
        counts = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                assert api.get(path).status_code == 200
            counts.append(len(captured))
        return counts

    queries()  # the token's first use of the day records it: one more query, once
    before = queries()
    for n in range(3):
        sign_up(make_user(f"more{n}"), challenge, [prompt(["A"], title=f"More {n}")])
    after = queries()

    assert after == before
    assert len(api.get("/collections/meme/prompts").json()) == 5


# --- prompts and claims -----------------------------------------------------------------------


def test_a_prompt_shows_its_fills_without_anonymous_creators(meme, make_user, make_work, token_for):
    challenge, users = meme
    lighthouse = Prompt.objects.get(title="Lighthouse AU")
    writer = make_user("writer")
    prompt_actions.prompt_fill(
        actor=writer, prompt=lighthouse, work=make_work(writer, title="Fill")
    )

    for api in (ApiClient(), ApiClient(token_for(users["stranger"]))):
        response = api.get(f"/collections/meme/prompts/{lighthouse.pk}")
        assert response.status_code == 200
        body = response.json()
        assert (body["title"], body["claims"]) == ("Lighthouse AU", 1)
        assert [(w["title"], w["creators"]) for w in body["fills"]] == [("Fill", [])]
    assert "writer" not in ApiClient().get(f"/collections/meme/prompts/{lighthouse.pk}").text


def test_unrevealed_fills_are_left_out_for_readers(meme, make_user, make_work, token_for):
    from polis.collections.actions.collections import CollectionInput, collection_update

    challenge, users = meme
    collection_update(
        actor=users["owner"],
        collection=challenge.collection,
        data=CollectionInput(name="meme", title="Kink Meme", anonymous=True, unrevealed=True),
    )
    lighthouse = Prompt.objects.get(title="Lighthouse AU")
    writer = make_user("writer")
    prompt_actions.prompt_fill(
        actor=writer, prompt=lighthouse, work=make_work(writer, title="Fill")
    )

    path = f"/collections/meme/prompts/{lighthouse.pk}"
    assert ApiClient().get(path).json()["fills"] == []
    assert ApiClient(token_for(users["stranger"])).get(path).json()["fills"] == []
    assert [w["title"] for w in ApiClient(token_for(writer)).get(path).json()["fills"]] == ["Fill"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("stranger", 404),
        ("member", 404),
        ("prompter", 204),
        ("moderator", 204),
        ("owner", 204),
    ],
)
def test_the_prompter_or_a_maintainer_deletes_a_prompt(meme, token_for, who, status):
    _, users = meme
    secret = Prompt.objects.get(title="Secret")

    response = client_for(who, users, token_for).delete(f"/collections/meme/prompts/{secret.pk}")

    assert response.status_code == status
    assert sorted(Prompt.objects.values_list("title", flat=True)) == (
        ["Lighthouse AU"] if status == 204 else ["Lighthouse AU", "Secret"]
    )


def test_a_missing_prompt_is_404(meme, token_for):
    _, users = meme
    api = ApiClient(token_for(users["owner"]))

    assert api.get("/collections/meme/prompts/999999").status_code == 404
    assert api.delete("/collections/meme/prompts/999999").status_code == 404


def test_maintainers_see_unfilled_claims_others_their_own(meme, make_user, make_work, token_for):
    _, users = meme
    lighthouse, secret = Prompt.objects.order_by("position")
    slow, quick = make_user("slow"), make_user("quick")
    slow_claim = prompt_actions.prompt_claim(actor=slow, prompt=lighthouse)
    quick_claim = prompt_actions.prompt_fill(actor=quick, prompt=secret, work=make_work(quick))

    mod = ApiClient(token_for(users["moderator"])).get("/collections/meme/claims")
    assert mod.json() == [
        {
            "id": slow_claim.pk,
            "prompt_id": lighthouse.pk,
            "username": "slow",
            "work_id": None,
            "filled": False,
        }
    ]
    own = ApiClient(token_for(quick)).get("/collections/meme/claims").json()
    assert [(c["id"], c["filled"]) for c in own] == [(quick_claim.pk, True)]
    assert ApiClient(token_for(users["stranger"])).get("/collections/meme/claims").json() == []
    assert ApiClient().get("/collections/meme/claims").status_code == 401
    assert Claim.objects.count() == 2


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
