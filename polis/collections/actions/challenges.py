"""Setting up a collection's challenge: its kind, sign-up window, limits and tag rules."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from polis.accounts.models import User
from polis.collections.access import is_maintainer
from polis.collections.errors import Refused
from polis.collections.models import Challenge, ChallengeKind, Collection, TagRule, TagSet
from polis.collections.models.tagset import TAG_SET_TYPES
from polis.core.text import to_html

# AO3's caps: a sign-up holds at most this many requests or offers, a prompt this many tags
# of one type.
MAX_PROMPTS = 20
MAX_TAGS_PER_TYPE = 50


@dataclass(kw_only=True)
class RuleInput:
    tag_type: str
    request_min: int = 0
    request_max: int = 0
    offer_min: int = 0
    offer_max: int = 0
    allow_any: bool = False
    match_count: int = 0
    any_matches: bool = True


@dataclass(kw_only=True)
class ChallengeInput:
    kind: str
    tag_set: TagSet | None = None
    signup_opens_at: datetime.datetime | None = None
    signup_closes_at: datetime.datetime | None = None
    signup_instructions: str = ""
    requests_min: int = 1
    requests_max: int = 1
    offers_min: int = 0
    offers_max: int = 0
    prompts_must_match: int = 1
    allow_multiple_claims: bool = True
    allow_anonymous_prompts: bool = True
    assignments_due_at: datetime.datetime | None = None
    rules: list[RuleInput] = field(default_factory=list)


def _validate(data: ChallengeInput) -> None:
    errors: dict[str, str] = {}
    if data.kind not in ChallengeKind.values:
        errors["kind"] = "Choose a gift exchange or a prompt meme."
    if data.requests_max > MAX_PROMPTS or data.offers_max > MAX_PROMPTS:
        errors["requests_max"] = f"A sign-up can hold at most {MAX_PROMPTS} requests or offers."
    if data.requests_min > data.requests_max:
        errors["requests_min"] = "The minimum number of requests is above the maximum."
    if data.offers_min > data.offers_max:
        errors["offers_min"] = "The minimum number of offers is above the maximum."
    if data.kind == ChallengeKind.GIFT_EXCHANGE:
        if data.offers_min < 1:
            errors["offers_min"] = "In a gift exchange every participant offers at least once."
        if data.requests_min < 1:
            errors["requests_min"] = "In a gift exchange every participant requests at least once."
        if not 1 <= data.prompts_must_match <= max(data.requests_min, 1):
            errors["prompts_must_match"] = (
                "The number of requests that must match is between 1 and the minimum number "
                "of requests."
            )
    elif data.kind == ChallengeKind.PROMPT_MEME and data.requests_min < 1:
        errors["requests_min"] = "A prompt meme sign-up holds at least one prompt."
    if (
        data.signup_opens_at
        and data.signup_closes_at
        and data.signup_closes_at <= data.signup_opens_at
    ):
        errors["signup_closes_at"] = "Sign-ups must close after they open."
    seen = set()
    for rule in data.rules:
        key = f"{rule.tag_type}_rule"
        if rule.tag_type not in TAG_SET_TYPES or rule.tag_type in seen:
            errors[key] = "Each tag type has one rule: fandom, character, relationship, freeform."
            continue
        seen.add(rule.tag_type)
        if rule.request_min > rule.request_max or rule.offer_min > rule.offer_max:
            errors[key] = "A minimum number of tags is above its maximum."
        elif max(rule.request_max, rule.offer_max) > MAX_TAGS_PER_TYPE:
            errors[key] = f"A prompt can have at most {MAX_TAGS_PER_TYPE} tags of one type."
        elif rule.match_count > max(rule.request_max, rule.offer_max, 0) and rule.match_count:
            errors[key] = "More tags must match than a request or an offer can hold."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def challenge_setup(*, actor: User, collection: Collection, data: ChallengeInput) -> Challenge:
    """Create or change the collection's challenge. The kind is fixed once people signed up."""
    if not is_maintainer(actor, collection):
        raise Refused("Only the collection's owners and moderators can run its challenge.")
    _validate(data)
    challenge = Challenge.objects.filter(collection=collection).first()
    if challenge is None:
        challenge = Challenge(collection=collection)
    elif challenge.kind != data.kind and challenge.signups.exists():
        raise ValidationError({"kind": "People have signed up; the kind can no longer change."})
    challenge.kind = data.kind
    challenge.tag_set = data.tag_set
    challenge.signup_opens_at = data.signup_opens_at
    challenge.signup_closes_at = data.signup_closes_at
    challenge.signup_instructions = to_html(
        data.signup_instructions, "html", allow_class=False, field="signup_instructions"
    )
    challenge.requests_min, challenge.requests_max = data.requests_min, data.requests_max
    challenge.offers_min, challenge.offers_max = data.offers_min, data.offers_max
    if data.kind == ChallengeKind.PROMPT_MEME:
        challenge.offers_min = challenge.offers_max = 0
    challenge.prompts_must_match = data.prompts_must_match
    challenge.allow_multiple_claims = data.allow_multiple_claims
    challenge.allow_anonymous_prompts = data.allow_anonymous_prompts
    challenge.assignments_due_at = data.assignments_due_at
    challenge.save()
    TagRule.objects.filter(challenge=challenge).exclude(
        tag_type__in=[rule.tag_type for rule in data.rules]
    ).delete()
    for rule in data.rules:
        TagRule.objects.update_or_create(
            challenge=challenge,
            tag_type=rule.tag_type,
            defaults={
                "request_min": rule.request_min,
                "request_max": rule.request_max,
                "offer_min": rule.offer_min if challenge.is_gift_exchange else 0,
                "offer_max": rule.offer_max if challenge.is_gift_exchange else 0,
                "allow_any": rule.allow_any,
                "match_count": rule.match_count if challenge.is_gift_exchange else 0,
                "any_matches": rule.any_matches,
            },
        )
    return challenge
