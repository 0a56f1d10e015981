"""Prompt memes: prompts, claims (single or several), fills, closed memes, deletion; API."""

import pytest
from django.core.exceptions import ValidationError

from polis.collections.actions import prompts as actions
from polis.collections.actions.challenges import ChallengeInput, RuleInput, challenge_setup
from polis.collections.actions.collections import CollectionInput, collection_update
from polis.collections.models import Claim, CollectionItem, Prompt
from tests.api.conftest import ApiClient
from tests.collections.conftest import prompt, window_open
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def meme(make_collection, make_tag_set, make_user, sign_up):
    mod = make_user("mod")
    collection = make_collection(mod, name="meme", title="Kink Meme")
    tag_set = make_tag_set(mod, fandoms=["A", "B"])
    challenge = challenge_setup(
        actor=mod,
        collection=collection,
        data=ChallengeInput(
            kind="prompt_meme",
            tag_set=tag_set,
            requests_min=1,
            requests_max=3,
            allow_multiple_claims=False,
            rules=[RuleInput(tag_type="fandom", request_min=1, request_max=1)],
            **window_open(),
        ),
    )
    prompter = make_user("prompter")
    signup = sign_up(
        prompter,
        challenge,
        [prompt(["A"], title="Lighthouse AU"), prompt(["B"], title="Secret", anonymous=True)],
    )
    return challenge, mod, prompter, signup


def test_prompts_page_filters_by_tag_and_hides_anonymous_prompters(meme, client):
    page = parse(client.get("/collections/meme/prompts"))
    assert page.texts("li.prompt.blurb h4.heading") == [
        "Secret by Anonymous",
        "Lighthouse AU by prompter",
    ]
    filtered = parse(client.get("/collections/meme/prompts?tag=A"))
    assert filtered.texts("li.prompt.blurb h4.heading a") == ["Lighthouse AU"]


def test_one_claim_per_prompt_when_the_moderator_forbids_more(meme, make_user):
    challenge, _, _, signup = meme
    lighthouse = signup.prompts.get(title="Lighthouse AU")
    actions.prompt_claim(actor=make_user("first"), prompt=lighthouse)
    with pytest.raises(ValidationError) as error:
        actions.prompt_claim(actor=make_user("second"), prompt=lighthouse)
    assert error.value.messages == [
        "This prompt has already been claimed, and this challenge allows one claim per prompt."
    ]
    assert list(Claim.objects.values_list("user__username", flat=True)) == ["first"]


def test_a_fill_joins_the_collection_and_shows_on_the_prompt_page(
    meme, make_user, make_work, client
):
    _, _, prompter, signup = meme
    writer = make_user("writer")
    lighthouse = signup.prompts.get(title="Lighthouse AU")
    work = make_work(writer, title="The Keeper")
    actions.prompt_fill(actor=writer, prompt=lighthouse, work=work)
    assert CollectionItem.objects.get(work=work).approved
    assert [g.recipient.username for g in work.gifts.all()] == ["prompter"]
    page = parse(client.get(lighthouse.get_absolute_url()))
    assert page.texts("li.work.blurb h4.heading a")[0] == "The Keeper"


def test_a_fill_for_a_closed_meme_is_refused_and_nothing_changes(meme, make_user, make_work):
    challenge, mod, _, signup = meme
    writer = make_user("writer")
    lighthouse = signup.prompts.get(title="Lighthouse AU")
    claim = actions.prompt_claim(actor=writer, prompt=lighthouse)
    collection_update(
        actor=mod,
        collection=challenge.collection,
        data=CollectionInput(name="meme", title="Kink Meme", closed=True),
    )
    claim.prompt.challenge.collection.refresh_from_db()
    work = make_work(writer)
    with pytest.raises(ValidationError) as error:
        actions.claim_fill(actor=writer, claim=Claim.objects.get(pk=claim.pk), work=work)
    assert error.value.messages == ["Kink Meme is closed: no new fills can be posted to it."]
    assert Claim.objects.get(pk=claim.pk).work_id is None
    assert CollectionItem.objects.filter(work=work).count() == 0


def test_moderators_see_unfilled_claims_and_delete_prompts(meme, make_user, client):
    challenge, mod, _, signup = meme
    lighthouse = signup.prompts.get(title="Lighthouse AU")
    actions.prompt_claim(actor=make_user("slow"), prompt=lighthouse)
    client.force_login(mod)
    rows = parse(client.get("/collections/meme/claims")).select("table.claims tbody tr")
    assert [r.text.split()[2] for r in rows] == ["slow"]
    client.post(f"/collections/meme/prompts/{lighthouse.pk}/delete")
    assert list(Prompt.objects.values_list("title", flat=True)) == ["Secret"]


def test_claim_and_fill_through_the_api(meme, make_user, make_work, token_for):
    _, _, _, signup = meme
    writer = make_user("writer")
    api = ApiClient(token_for(writer))
    lighthouse = signup.prompts.get(title="Lighthouse AU")
    assert api.post(f"/collections/meme/prompts/{lighthouse.pk}/claim", {}).status_code == 201
    again = api.post(f"/collections/meme/prompts/{lighthouse.pk}/claim", {})
    assert (again.status_code, again.json()["errors"]) == (
        400,
        [{"field": None, "message": "You have already claimed this prompt."}],
    )
    work = make_work(writer)
    filled = api.post(f"/collections/meme/prompts/{lighthouse.pk}/fill", {"work_id": work.pk})
    assert filled.status_code == 201
    assert Claim.objects.get(user=writer).work_id == work.pk
