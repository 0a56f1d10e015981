"""Tag sets in the API: list, create, settings, tags, fandom links, nominations and review."""

from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from polis.api import output
from polis.api.auth import READ, USER_READ, WRITE, viewer
from polis.api.collections import _run
from polis.api.errors import ApiValidationError
from polis.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, PageParams, StrictSchema, Text
from polis.collections import access
from polis.collections.actions import tagsets as actions
from polis.collections.models import Nomination, TagAssociation, TagSet
from polis.collections.models.tagset import TAG_SET_TYPES

router = Router(tags=["tag sets"])

TagType = Literal["fandom", "character", "relationship", "freeform"]
LIMITS = tuple(f"{tag_type}_nomination_limit" for tag_type in TAG_SET_TYPES)


class TagSetBriefOut(Schema):
    id: int
    title: str
    url: str
    nominations_open: bool


class TagSetsPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[TagSetBriefOut]


class TagsByTypeOut(Schema):
    fandom: list[str]
    character: list[str]
    relationship: list[str]
    freeform: list[str]


class AssociationOut(Schema):
    tag: str
    fandom: str


class TagSetOut(TagSetBriefOut):
    description: str
    fandom_nomination_limit: int
    character_nomination_limit: int
    relationship_nomination_limit: int
    freeform_nomination_limit: int
    tags: TagsByTypeOut
    associations: list[AssociationOut]


def _brief(request: HttpRequest, tag_set: TagSet) -> dict:
    return {
        "id": tag_set.pk,
        "title": tag_set.title,
        "url": output.absolute(request, tag_set.get_absolute_url()),
        "nominations_open": tag_set.nominations_open,
    }


def _tag_set_out(request: HttpRequest, tag_set: TagSet) -> dict:
    tags = list(tag_set.tags.order_by("name"))
    links = TagAssociation.objects.filter(tag_set=tag_set).select_related("tag", "fandom")
    return {
        **_brief(request, tag_set),
        "description": tag_set.description,
        **{limit: getattr(tag_set, limit) for limit in LIMITS},
        "tags": {t: [tag.name for tag in tags if tag.type == t] for t in TAG_SET_TYPES},
        "associations": [
            {"tag": link.tag.name, "fandom": link.fandom.name}
            for link in links.order_by("tag__name", "fandom__name")
        ],
    }


@router.get("/tag_sets", response={200: TagSetsPageOut, READ_ERRORS: ErrorOut}, **READ)
def tag_set_list(request: HttpRequest, params: Query[PageParams]) -> dict:
    found = TagSet.objects.all()
    return output.paged(
        found,
        page=params.page,
        per_page=params.per_page,
        render=lambda rows: [_brief(request, t) for t in rows],
    )


class TagSetIn(StrictSchema):
    title: Text = Field(..., max_length=255)
    description: Text = ""
    nominations_open: StrictBool = False
    fandom_nomination_limit: StrictInt = Field(0, ge=0, le=1000)
    character_nomination_limit: StrictInt = Field(0, ge=0, le=1000)
    relationship_nomination_limit: StrictInt = Field(0, ge=0, le=1000)
    freeform_nomination_limit: StrictInt = Field(0, ge=0, le=1000)


class TagSetPatch(StrictSchema):
    """Only the fields sent change."""

    title: Text | None = Field(None, max_length=255)
    description: Text | None = None
    nominations_open: StrictBool | None = None
    fandom_nomination_limit: StrictInt | None = Field(None, ge=0, le=1000)
    character_nomination_limit: StrictInt | None = Field(None, ge=0, le=1000)
    relationship_nomination_limit: StrictInt | None = Field(None, ge=0, le=1000)
    freeform_nomination_limit: StrictInt | None = Field(None, ge=0, le=1000)


@router.post("/tag_sets", response={201: TagSetOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def tag_set_create(request: HttpRequest, payload: TagSetIn) -> Status:
    """Create a tag set; you become its moderator."""
    data = actions.TagSetInput(**payload.model_dump())
    tag_set = _run(actions.tag_set_create, actor=viewer(request), data=data)
    return Status(201, _tag_set_out(request, tag_set))


@router.get("/tag_sets/{tag_set_id}", response={200: TagSetOut, READ_ERRORS: ErrorOut}, **READ)
def tag_set_show(request: HttpRequest, tag_set_id: int) -> dict:
    return _tag_set_out(request, access.access_tag_set(viewer(request), tag_set_id))


@router.patch("/tag_sets/{tag_set_id}", response={200: TagSetOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def tag_set_update(request: HttpRequest, tag_set_id: int, payload: TagSetPatch) -> dict:
    """The tag set's moderators change its settings."""
    actor = viewer(request)
    tag_set = access.access_tag_set_for_edit(actor, tag_set_id)
    values = {field: getattr(tag_set, field) for field in TagSetIn.model_fields}
    values.update(payload.model_dump(exclude_unset=True))
    nulls = [(field, "This field cannot be null.") for field, v in values.items() if v is None]
    if nulls:
        raise ApiValidationError(nulls)
    _run(actions.tag_set_update, actor=actor, tag_set=tag_set, data=actions.TagSetInput(**values))
    return _tag_set_out(request, tag_set)


class TagsIn(StrictSchema):
    tag_type: TagType
    names: list[Text] = Field(..., min_length=1, max_length=200)


@router.post(
    "/tag_sets/{tag_set_id}/tags", response={200: TagSetOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def tag_set_add_tags(request: HttpRequest, tag_set_id: int, payload: TagsIn) -> dict:
    """The tag set's moderators add tags; names new to the archive become unwrangled tags."""
    actor = viewer(request)
    tag_set = access.access_tag_set_for_edit(actor, tag_set_id)
    names = [name.strip() for name in payload.names if name.strip()]
    _run(
        actions.tag_set_add_tags,
        actor=actor,
        tag_set=tag_set,
        tag_type=payload.tag_type,
        names=names,
    )
    return _tag_set_out(request, tag_set)


class AssociationIn(StrictSchema):
    tag_name: Text = Field(..., max_length=150, description="A character or relationship.")
    fandom_name: Text = Field(..., max_length=150)


@router.post(
    "/tag_sets/{tag_set_id}/associations",
    response={200: TagSetOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def tag_set_associate(request: HttpRequest, tag_set_id: int, payload: AssociationIn) -> dict:
    """The tag set's moderators say a character or relationship belongs to a fandom."""
    actor = viewer(request)
    tag_set = access.access_tag_set_for_edit(actor, tag_set_id)
    _run(actions.tag_set_associate, actor=actor, tag_set=tag_set, **payload.model_dump())
    return _tag_set_out(request, tag_set)


class NominationOut(Schema):
    id: int
    tag_type: str
    name: str
    fandom_name: str
    status: str
    nominator: str


def _nomination_out(nomination: Nomination) -> dict:
    return {
        "id": nomination.pk,
        "tag_type": nomination.tag_type,
        "name": nomination.name,
        "fandom_name": nomination.fandom_name,
        "status": nomination.status,
        "nominator": nomination.nominator.username,
    }


class NominationsParams(Schema):
    status: Literal["pending", "approved", "rejected", "all"] = "pending"


@router.get(
    "/tag_sets/{tag_set_id}/nominations",
    response={200: list[NominationOut], READ_ERRORS: ErrorOut},
    **USER_READ,
)
def nomination_list(
    request: HttpRequest, tag_set_id: int, params: Query[NominationsParams]
) -> list[dict]:
    """The tag set's moderators: nominations to review (or all of them, by status)."""
    tag_set = access.access_tag_set_for_edit(viewer(request), tag_set_id)
    found = Nomination.objects.filter(tag_set=tag_set).select_related("nominator")
    if params.status != "all":
        found = found.filter(status=params.status)
    return [_nomination_out(n) for n in found]


class NominationIn(StrictSchema):
    tag_type: TagType
    name: Text = Field(..., max_length=150)
    fandom_name: Text = Field(
        "", max_length=150, description="Its fandom (characters and relationships)."
    )


@router.post(
    "/tag_sets/{tag_set_id}/nominations",
    response={201: NominationOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def nomination_create(request: HttpRequest, tag_set_id: int, payload: NominationIn) -> Status:
    """Nominate a tag while nominations are open, within the tag set's limits."""
    actor = viewer(request)
    tag_set = access.access_tag_set(actor, tag_set_id)
    nomination = _run(
        actions.nomination_create, actor=actor, tag_set=tag_set, **payload.model_dump()
    )
    return Status(201, _nomination_out(nomination))


@router.post(
    "/tag_sets/{tag_set_id}/nominations/{nomination_id}/{decision}",
    response={200: NominationOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def nomination_review(
    request: HttpRequest,
    tag_set_id: int,
    nomination_id: int,
    decision: Literal["approve", "reject"],
) -> dict:
    """The tag set's moderators approve (adding the tag) or reject a nomination."""
    actor = viewer(request)
    tag_set = access.access_tag_set_for_edit(actor, tag_set_id)
    nomination = access.access_nomination_for_review(actor, nomination_id)
    if nomination.tag_set_id != tag_set.pk:
        raise Http404("No such nomination.")
    approve = decision == "approve"
    _run(actions.nomination_review, actor=actor, nomination=nomination, approve=approve)
    return _nomination_out(nomination)
