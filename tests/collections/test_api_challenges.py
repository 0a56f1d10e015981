"""Challenges through the API: settings, one's sign-up, prompts, claims (the exchange
moderators' tools: test_api_exchange_tools.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polis.collections.actions import prompts as prompt_actions
from polis.collections.actions.challenges import ChallengeInput, RuleInput, challenge_setup
from polis.collections.actions.collections import membership_set
from polis.collections.models import Challenge, Claim, Prompt, Signup
from tests.api.conftest import ApiClient
from tests.collections.conftest import client_for, prompt, window_open
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
