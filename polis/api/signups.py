"""One's own sign-up to a challenge in the API: make, read, change and withdraw it."""

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool, StrictStr

from polis.api.auth import USER_READ, WRITE, viewer
from polis.api.collections import PromptOut, _prompt_out, _run, prompt_rows
from polis.api.errors import ApiValidationError
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    StrictSchema,
    Text,
)
from polis.collections import access
from polis.collections.actions import signups
from polis.collections.models import Prompt, Signup

router = Router(tags=["collections"])


class PromptIn(StrictSchema):
    tags: dict[StrictStr, list[StrictStr]] = {}
    any: list[StrictStr] = Field([], description="Tag types this prompt says “any” for.")
    title: StrictStr = ""
    description: StrictStr = ""
    anonymous: StrictBool = False


class SignupIn(StrictSchema):
    pseud: StrictStr | None = Field(None, description="One of your pseuds; default if left out.")
    requests: list[PromptIn] = []
    offers: list[PromptIn] = []


def _prompt_inputs(values: list[PromptIn]) -> list[signups.PromptInput]:
    return [
        signups.PromptInput(
            tags=p.tags, any_types=p.any, title=p.title, description=p.description,
            anonymous=p.anonymous,
        )
        for p in values
    ]  # fmt: skip


@router.post(
    "/collections/{name}/signup", response={201: list[PromptOut], WRITE_ERRORS: ErrorOut}, **WRITE
)
def signup_create(request: HttpRequest, name: str, payload: SignupIn) -> Status:
    actor = viewer(request)
    challenge = access.access_challenge(actor, access.access_collection(actor, name))
    pseuds = actor.pseuds.all()
    pseud = pseuds.filter(name=payload.pseud).first() if payload.pseud else pseuds.first()
    if pseud is None:
        raise ApiValidationError([("pseud", "Choose one of your own pseuds.")])
    data = signups.SignupInput(
        pseud=pseud,
        requests=_prompt_inputs(payload.requests),
        offers=_prompt_inputs(payload.offers),
    )
    signup = _run(signups.signup_create, actor=actor, challenge=challenge, data=data)
    return Status(201, [_prompt_out(p) for p in signup.prompts.prefetch_related("tags")])


class SignupOut(Schema):
    id: int
    pseud: str
    requests: list[PromptOut]
    offers: list[PromptOut]


def signup_out(signup) -> dict:
    """A sign-up with its prompts (prefetched by `with_prompts` for a list of them)."""
    if "prompts" in getattr(signup, "_prefetched_objects_cache", {}):
        prompts = list(signup.prompts.all())
    else:
        prompts = list(prompt_rows(signup.prompts.all()))
    return {
        "id": signup.pk,
        "pseud": signup.pseud.name,
        "requests": [_prompt_out(p) for p in prompts if p.kind == "request"],
        "offers": [_prompt_out(p) for p in prompts if p.kind == "offer"],
    }


def with_prompts(signups: QuerySet[Signup]) -> QuerySet[Signup]:
    return signups.prefetch_related(Prefetch("prompts", queryset=prompt_rows(Prompt.objects)))


def _own_signup(request: HttpRequest, name: str):
    actor = viewer(request)
    challenge = access.access_challenge(actor, access.access_collection(actor, name))
    return actor, access.access_own_signup(actor, challenge)


@router.get(
    "/collections/{name}/signup", response={200: SignupOut, READ_ERRORS: ErrorOut}, **USER_READ
)
def signup_show(request: HttpRequest, name: str) -> dict:
    """Your own sign-up (404 if you have none)."""
    return signup_out(_own_signup(request, name)[1])


class SignupPatch(StrictSchema):
    """The fields sent replace the sign-up's: `requests` sent are all of its requests."""

    pseud: Text | None = Field(None, max_length=150)
    requests: list[PromptIn] | None = None
    offers: list[PromptIn] | None = None


def _current_prompts(signup, kind: str) -> list[signups.PromptInput]:
    current = []
    for prompt in signup.prompts.filter(kind=kind).prefetch_related("tags"):
        tags: dict[str, list[str]] = {}
        for tag in prompt.tags.all():
            tags.setdefault(tag.type, []).append(tag.name)
        current.append(
            signups.PromptInput(
                tags=tags, any_types=list(prompt.any_types), title=prompt.title,
                description=prompt.description, anonymous=prompt.anonymous,
            )
        )  # fmt: skip
    return current


@router.patch(
    "/collections/{name}/signup", response={200: SignupOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def signup_update(request: HttpRequest, name: str, payload: SignupPatch) -> dict:
    """Change your sign-up while sign-ups are open, as on the sign-up form."""
    actor, signup = _own_signup(request, name)
    pseud = signup.pseud
    if payload.pseud is not None:
        pseud = actor.pseuds.filter(name=payload.pseud).first()
        if pseud is None:
            raise ApiValidationError([("pseud", "Choose one of your own pseuds.")])
    data = signups.SignupInput(
        pseud=pseud,
        requests=_current_prompts(signup, "request")
        if payload.requests is None
        else _prompt_inputs(payload.requests),
        offers=_current_prompts(signup, "offer")
        if payload.offers is None
        else _prompt_inputs(payload.offers),
    )
    _run(signups.signup_update, actor=actor, signup=signup, data=data)
    return signup_out(signup)


@router.delete("/collections/{name}/signup", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def signup_delete(request: HttpRequest, name: str) -> Status:
    actor, signup = _own_signup(request, name)
    _run(signups.signup_delete, actor=actor, signup=signup)
    return Status(204, None)
