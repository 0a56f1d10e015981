"""Collections fixtures: collections, tag sets and challenges made through the real actions."""

import datetime

import pytest
from django.utils import timezone

from polis.collections.actions.challenges import ChallengeInput, RuleInput, challenge_setup
from polis.collections.actions.collections import CollectionInput, collection_create, membership_set
from polis.collections.actions.signups import PromptInput, SignupInput, signup_create
from polis.collections.actions.tagsets import TagSetInput, tag_set_add_tags, tag_set_create
from tests.api.conftest import ApiClient, token_for  # noqa: F401 (token_for: a fixture)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def make_collection(db, make_user):
    def make(owner=None, name="fest", **fields):
        owner = owner or make_user()
        data = CollectionInput(name=name, title=fields.pop("title", name.title()), **fields)
        return collection_create(actor=owner, data=data)

    return make


@pytest.fixture
def make_tag_set(db):
    def make(owner, *, fandoms=(), characters=(), relationships=(), freeforms=()):
        tag_set = tag_set_create(actor=owner, data=TagSetInput(title="Fest tags"))
        for tag_type, names in (
            ("fandom", fandoms),
            ("character", characters),
            ("relationship", relationships),
            ("freeform", freeforms),
        ):
            if names:
                tag_set_add_tags(actor=owner, tag_set=tag_set, tag_type=tag_type, names=list(names))
        return tag_set

    return make


def window_open() -> dict:
    now = timezone.now()
    return {
        "signup_opens_at": now - datetime.timedelta(days=1),
        "signup_closes_at": now + datetime.timedelta(days=1),
    }


@pytest.fixture
def make_exchange(make_collection, make_tag_set, make_user):
    """A gift exchange: 1 fandom must match, 1–2 fandoms and 0–2 characters per prompt."""

    def make(owner=None, *, name="yuletide", fandoms=("A", "B", "C", "D"), **overrides):
        owner = owner or make_user("mod")
        collection = make_collection(owner, name=name, anonymous=True, unrevealed=True)
        tag_set = make_tag_set(owner, fandoms=fandoms, characters=("Ann", "Bob", "Cat"))
        data = ChallengeInput(
            kind="gift_exchange",
            tag_set=tag_set,
            requests_min=1,
            requests_max=2,
            offers_min=1,
            offers_max=2,
            rules=[
                RuleInput(
                    tag_type="fandom",
                    request_min=1,
                    request_max=2,
                    offer_min=1,
                    offer_max=2,
                    allow_any=True,
                    match_count=1,
                ),
                RuleInput(tag_type="character", request_max=2, offer_max=2),
            ],
            **{**window_open(), **overrides},
        )
        return challenge_setup(actor=owner, collection=collection, data=data)

    return make


def prompt(fandoms=(), characters=(), *, any_fandom=False, **extra) -> PromptInput:
    tags = {"fandom": list(fandoms)}
    if characters:
        tags["character"] = list(characters)
    return PromptInput(tags=tags, any_types=["fandom"] if any_fandom else [], **extra)


@pytest.fixture
def sign_up(db):
    def make(user, challenge, requests, offers=()):
        return signup_create(
            actor=user,
            challenge=challenge,
            data=SignupInput(
                pseud=user.pseuds.get(is_default=True),
                requests=list(requests),
                offers=list(offers),
            ),
        )

    return make


def close_signups(challenge) -> None:
    challenge.signup_closes_at = timezone.now() - datetime.timedelta(seconds=1)
    challenge.signup_opens_at = challenge.signup_closes_at - datetime.timedelta(days=2)
    challenge.save(update_fields=["signup_opens_at", "signup_closes_at"])


@pytest.fixture
def people(make_collection, make_user):
    """A collection with an owner, a moderator and a member; and a stranger."""
    owner = make_user("owner")
    collection = make_collection(owner, name="fest", title="Fest")
    users = {"owner": owner, "stranger": make_user("stranger")}
    for role in ("moderator", "member"):
        users[role] = make_user(role)
        membership_set(actor=owner, collection=collection, user=users[role], role=role)
    return collection, users


def client_for(who: str, users: dict, token_for) -> ApiClient:  # noqa: F811 (the fixture)
    """An API client with the token of `users[who]`, or a guest's for anyone not in it."""
    return ApiClient(token_for(users[who])) if who in users else ApiClient()
