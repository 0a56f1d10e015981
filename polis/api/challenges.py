"""Challenges in the API: settings, sign-ups, prompts and claims, gift-exchange moderation."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from polis.accounts.models import User
from polis.api import output
from polis.api.auth import READ, USER_READ, WRITE, viewer
from polis.api.collections import PromptOut, _prompt_out, _run
from polis.api.errors import ApiValidationError, django_errors
from polis.api.exchange import AssignmentAdminOut, _maintained_challenge, assignment_admin_out
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageParams,
    StrictSchema,
    Text,
    When,
    WorkSummaryOut,
)
from polis.api.signups import SignupOut, signup_out, with_prompts
from polis.collections import access, selectors
from polis.collections.actions import assignments as assigning
from polis.collections.actions import prompts as prompt_actions
from polis.collections.actions.challenges import ChallengeInput, RuleInput, challenge_setup
from polis.collections.models import Challenge, Claim, Signup, TagSet
from polis.works.access import visible_works
from polis.works.selectors import with_display_data

router = Router(tags=["challenges"])

TagType = Literal["fandom", "character", "relationship", "freeform"]
RULE_PARTS = (
    "request_min", "request_max", "offer_min", "offer_max", "match_count", "allow_any",
    "any_matches",
)  # fmt: skip
SETTINGS = (
    "kind", "signup_opens_at", "signup_closes_at", "signup_instructions", "requests_min",
    "requests_max", "offers_min", "offers_max", "prompts_must_match", "allow_multiple_claims",
    "allow_anonymous_prompts", "assignments_due_at",
)  # fmt: skip


class RuleIn(StrictSchema):
    """Tags of one type per request and offer (offers and matching: gift exchanges only)."""

    tag_type: TagType
    request_min: StrictInt = Field(0, ge=0, le=50)
    request_max: StrictInt = Field(0, ge=0, le=50)
    offer_min: StrictInt = Field(0, ge=0, le=50)
    offer_max: StrictInt = Field(0, ge=0, le=50)
    match_count: StrictInt = Field(0, ge=0, le=50)
    allow_any: StrictBool = False
    any_matches: StrictBool = True


def default_challenge(kind: str) -> ChallengeInput:
    """The challenge settings form's initial values."""
    exchange = kind == "gift_exchange"
    fandom = RuleInput(
        tag_type="fandom",
        request_min=1,
        request_max=1,
        offer_min=1 if exchange else 0,
        offer_max=1 if exchange else 0,
        match_count=1 if exchange else 0,
    )
    return ChallengeInput(
        kind=kind,
        offers_min=1 if exchange else 0,
        offers_max=1 if exchange else 0,
        rules=[fandom],
    )


class RuleOut(Schema):
    tag_type: str
    request_min: int
    request_max: int
    offer_min: int
    offer_max: int
    match_count: int
    allow_any: bool
    any_matches: bool


class ChallengePatch(StrictSchema):
    """Only the fields sent change; `rules` sent are all of the rules. Creating a challenge
    needs `kind`; the other fields start from the settings form's defaults."""

    kind: Literal["prompt_meme", "gift_exchange"] | None = None
    tag_set_id: StrictInt | None = Field(None, description="null: no tag set.")
    signup_opens_at: When | None = None
    signup_closes_at: When | None = None
    signup_instructions: Text | None = None
    requests_min: StrictInt | None = Field(None, ge=0, le=1000)
    requests_max: StrictInt | None = Field(None, ge=0, le=1000)
    offers_min: StrictInt | None = Field(None, ge=0, le=1000)
    offers_max: StrictInt | None = Field(None, ge=0, le=1000)
    prompts_must_match: StrictInt | None = Field(None, ge=1, le=1000)
    allow_multiple_claims: StrictBool | None = None
    allow_anonymous_prompts: StrictBool | None = None
    assignments_due_at: When | None = None
    rules: list[RuleIn] | None = Field(None, max_length=4)


class ChallengeOut(Schema):
    collection: str
    kind: str
    tag_set_id: int | None
    signup_open: bool
    signup_opens_at: datetime.datetime | None
    signup_closes_at: datetime.datetime | None
    signup_instructions: str
    requests_min: int
    requests_max: int
    offers_min: int
    offers_max: int
    prompts_must_match: int
    allow_multiple_claims: bool
    allow_anonymous_prompts: bool
    assignments_due_at: datetime.datetime | None
    rules: list[RuleOut]


def _challenge_out(challenge: Challenge) -> dict:
    values = {name: getattr(challenge, name) for name in SETTINGS}
    return {
        **values,
        "collection": challenge.collection.name,
        "tag_set_id": challenge.tag_set_id,
        "signup_open": challenge.signup_open(),
        "rules": [
            {"tag_type": rule.tag_type, **{part: getattr(rule, part) for part in RULE_PARTS}}
            for rule in challenge.tag_rules.order_by("pk")
        ],
    }


@router.get(
    "/collections/{name}/challenge", response={200: ChallengeOut, READ_ERRORS: ErrorOut}, **READ
)
def challenge_show(request: HttpRequest, name: str) -> dict:
    """The challenge's settings: sign-up window, limits and tag rules."""
    user = viewer(request)
    return _challenge_out(access.access_challenge(user, access.access_collection(user, name)))


def _current(challenge: Challenge | None) -> dict:
    if challenge is None:
        return {"rules": None}
    values = {name: getattr(challenge, name) for name in SETTINGS}
    values["tag_set_id"] = challenge.tag_set_id
    values["rules"] = [
        RuleInput(tag_type=rule.tag_type, **{part: getattr(rule, part) for part in RULE_PARTS})
        for rule in challenge.tag_rules.order_by("pk")
    ]
    return values


def _rule_errors(error: ValidationError, rules: list[RuleInput]) -> list:
    """`fandom_rule` → `rules[0]` (the position the caller sent it at)."""
    where = {f"{rule.tag_type}_rule": f"rules[{i}]" for i, rule in enumerate(rules)}
    rename = {"tag_set": "tag_set_id", **where}
    return django_errors(error, rename=rename)


@router.patch(
    "/collections/{name}/challenge", response={200: ChallengeOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def challenge_update(request: HttpRequest, name: str, payload: ChallengePatch) -> dict:
    """Owners and moderators: create or change the challenge, as on its settings page."""
    actor = viewer(request)
    collection = access.access_collection_for_edit(actor, name)
    existing = Challenge.objects.filter(collection=collection).first()
    changes = payload.model_dump(exclude_unset=True)
    for field in (
        "kind",
        "requests_min",
        "requests_max",
        "offers_min",
        "offers_max",
        "prompts_must_match",
        "allow_multiple_claims",
        "allow_anonymous_prompts",
    ):
        if field in changes and changes[field] is None:
            raise ApiValidationError([(field, "This field cannot be null.")])  # fmt: skip
    if existing is None and "kind" not in changes:
        raise ApiValidationError([("kind", "Choose a gift exchange or a prompt meme.")])
    values = _current(existing)
    values.update(changes)
    if values["rules"] is None:
        values["rules"] = default_challenge(values["kind"]).rules
        if existing is None:
            defaults = default_challenge(values["kind"])
            for field in ("offers_min", "offers_max"):
                values.setdefault(field, getattr(defaults, field))
    elif "rules" in changes:
        values["rules"] = [RuleInput(**rule) for rule in changes["rules"]]
    tag_set = None
    if values.get("tag_set_id") is not None:
        tag_set = TagSet.objects.filter(pk=values["tag_set_id"]).first()
        if tag_set is None:
            raise ApiValidationError([("tag_set_id", "There is no tag set with that id.")])
    values.pop("tag_set_id", None)
    rules = values.pop("rules")
    values["signup_instructions"] = values.get("signup_instructions") or ""
    data = ChallengeInput(**values, tag_set=tag_set, rules=rules)
    try:
        challenge = challenge_setup(actor=actor, collection=collection, data=data)
    except ValidationError as error:
        raise ApiValidationError(_rule_errors(error, rules)) from None
    challenge.collection = collection
    return _challenge_out(challenge)


# --- sign-ups, prompts, claims ------------------------------------------------------------------


class SignupAdminOut(SignupOut):
    username: str


class SignupsPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[SignupAdminOut]


@router.get(
    "/collections/{name}/signups",
    response={200: SignupsPageOut, READ_ERRORS: ErrorOut},
    **USER_READ,
)
def signup_list(request: HttpRequest, name: str, params: Query[PageParams]) -> dict:
    """Owners and moderators: every sign-up, with its requests and offers."""
    _, challenge = _maintained_challenge(request, name)
    found = with_prompts(Signup.objects.filter(challenge=challenge).select_related("user", "pseud"))
    return output.paged(
        found,
        page=params.page,
        per_page=params.per_page,
        render=lambda rows: [
            {**signup_out(signup), "username": signup.user.username} for signup in rows
        ],
    )


class PromptDetailOut(PromptOut):
    fills: list[WorkSummaryOut]


def _challenge(request: HttpRequest, name: str):
    user = viewer(request)
    return user, access.access_challenge(user, access.access_collection(user, name))


@router.get(
    "/collections/{name}/prompts/{prompt_id}",
    response={200: PromptDetailOut, READ_ERRORS: ErrorOut},
    **READ,
)
def prompt_show(request: HttpRequest, name: str, prompt_id: int) -> dict:
    """One prompt with its fills (unrevealed fills left out, anonymous creators blank)."""
    user, challenge = _challenge(request, name)
    prompt = access.access_prompt(user, challenge, prompt_id)
    fills = visible_works(user).filter(fills__prompt=prompt)
    fills = with_display_data(fills).distinct().order_by("pk")
    return {
        **_prompt_out(prompt),
        "fills": output.work_summaries(request, fills),
    }


@router.delete(
    "/collections/{name}/prompts/{prompt_id}",
    response={204: None, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def prompt_delete(request: HttpRequest, name: str, prompt_id: int) -> Status:
    """The prompter or a maintainer deletes a prompt; its fills stay in the collection."""
    actor, challenge = _challenge(request, name)
    prompt = access.access_prompt_for_delete(actor, challenge, prompt_id)
    _run(prompt_actions.prompt_delete, actor=actor, prompt=prompt)
    return Status(204, None)


class ClaimOut(Schema):
    id: int
    prompt_id: int
    username: str
    work_id: int | None
    filled: bool


class ClaimsParams(Schema):
    mine: bool = Field(False, description="Maintainers: your own claims instead.")


@router.get(
    "/collections/{name}/claims", response={200: list[ClaimOut], READ_ERRORS: ErrorOut}, **USER_READ
)
def claim_list(request: HttpRequest, name: str, params: Query[ClaimsParams]) -> list[dict]:
    """Maintainers: every unfilled claim. Others: their own claims."""
    user, challenge = _challenge(request, name)
    claims = Claim.objects.filter(prompt__challenge=challenge).select_related("user")
    if access.is_maintainer(user, challenge.collection) and not params.mine:
        claims = claims.filter(work=None)
    else:
        claims = claims.filter(user=user)
    return [
        {
            "id": c.pk,
            "prompt_id": c.prompt_id,
            "username": c.user.username,
            "work_id": c.work_id,
            "filled": c.work_id is not None,
        }
        for c in claims.order_by("pk")
    ]


# --- gift exchanges: the moderators' tools ------------------------------------------------------


class PotentialGiverOut(Schema):
    username: str
    score: int
    prompts_matched: int
    writes_for: str | None = Field(description="Whom this giver is assigned to now, if anyone.")


class PotentialGiversOut(Schema):
    recipient: str
    assignment_id: int | None
    total: int = Field(description="All potential givers found, of whom the best are listed.")
    givers: list[PotentialGiverOut]


@router.get(
    "/collections/{name}/matching/{signup_id}",
    response={200: PotentialGiversOut, READ_ERRORS: ErrorOut},
    **USER_READ,
)
def potential_givers(request: HttpRequest, name: str, signup_id: int) -> dict:
    """Moderators: one recipient's best potential givers, to pick one by hand."""
    actor, challenge = _maintained_challenge(request, name)
    recipient = access.access_signup_for_moderation(actor, challenge, signup_id)
    givers, total = selectors.potential_givers_of(challenge, recipient)
    assignment = challenge.assignments.filter(recipient=recipient).first()
    return {
        "recipient": recipient.user.username,
        "assignment_id": assignment.pk if assignment else None,
        "total": total,
        "givers": [
            {
                "username": g.signup.user.username,
                "score": g.score,
                "prompts_matched": g.prompts_matched,
                "writes_for": g.writes_for.user.username if g.writes_for else None,
            }
            for g in givers
        ],
    }


def _moderated_assignment(request: HttpRequest, name: str, assignment_id: int):
    actor, challenge = _maintained_challenge(request, name)
    assignment = access.access_assignment_for_moderation(actor, challenge, assignment_id)
    return actor, challenge, assignment


def _assignment_out(challenge, assignment) -> dict:
    fresh = (
        challenge.assignments.select_related("recipient__user", "giver__user", "pinch_hitter")
        .filter(pk=assignment.pk)
        .get()
    )
    return assignment_admin_out(fresh, selectors.giver_counts(challenge))


class GiverIn(StrictSchema):
    giver: Text | None = Field(
        ..., max_length=150, description="A participant's username; null leaves nobody."
    )


@router.post(
    "/collections/{name}/assignments/{assignment_id}/giver",
    response={200: AssignmentAdminOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def assignment_set_giver(
    request: HttpRequest, name: str, assignment_id: int, payload: GiverIn
) -> dict:
    """Moderators: choose the recipient's giver by hand."""
    actor, challenge, assignment = _moderated_assignment(request, name, assignment_id)
    giver = None
    if payload.giver is not None:
        giver = (
            Signup.objects.filter(challenge=challenge, user__username__iexact=payload.giver)
            .select_related("user")
            .first()
        )
        if giver is None:
            raise ApiValidationError([("giver", "That person did not sign up for this challenge.")])
    _run(assigning.assignment_set_giver, actor=actor, assignment=assignment, giver=giver)
    return _assignment_out(challenge, assignment)


@router.post(
    "/collections/{name}/assignments/{assignment_id}/regenerate",
    response={200: AssignmentAdminOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def assignment_regenerate(request: HttpRequest, name: str, assignment_id: int) -> dict:
    """Moderators: find a giver for one unmatched recipient."""
    actor, challenge, assignment = _moderated_assignment(request, name, assignment_id)
    _run(assigning.assignment_regenerate, actor=actor, assignment=assignment)
    return _assignment_out(challenge, assignment)


class PinchHitIn(StrictSchema):
    username: Text = Field(..., max_length=150)


@router.post(
    "/collections/{name}/assignments/{assignment_id}/pinch_hit",
    response={200: AssignmentAdminOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def assignment_pinch_hit(
    request: HttpRequest, name: str, assignment_id: int, payload: PinchHitIn
) -> dict:
    """Moderators: ask someone to write this gift instead."""
    actor, challenge, assignment = _moderated_assignment(request, name, assignment_id)
    user = User.objects.filter(username__iexact=payload.username).first()
    if user is None:
        raise ApiValidationError([("username", "There is no user with that name.")])
    try:
        assigning.assignment_pinch_hit(actor=actor, assignment=assignment, user=user)
    except ValidationError as error:
        renamed = django_errors(error, rename={"pinch_hitter": "username"})
        raise ApiValidationError(renamed) from None
    return _assignment_out(challenge, assignment)


@router.post(
    "/collections/{name}/assignments/{assignment_id}/default",
    response={204: None, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def assignment_default(request: HttpRequest, name: str, assignment_id: int) -> Status:
    """The writer, or a moderator, says the gift will not come; it then needs a pinch hitter."""
    actor, challenge = _challenge(request, name)
    if access.is_maintainer(actor, challenge.collection):
        assignment = access.access_assignment_for_moderation(actor, challenge, assignment_id)
    else:
        assignment = access.access_own_assignment(actor, challenge, assignment_id)
    _run(assigning.assignment_default, actor=actor, assignment=assignment)
    return Status(204, None)
