"""Request and response shapes of API v1; request field names follow the posting form."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StrictBool, StrictInt, StrictStr

from polis.core.text import TextFormat
from polis.tags.fixed import CATEGORIES, WARNINGS, Rating

# Enums shown in the schema for callers; the posting forms do the checking, as on the web.
_RATINGS = {"enum": [rating.value for rating in Rating]}
_WARNINGS = {"items": {"enum": WARNINGS}}
_CATEGORIES = {"items": {"enum": CATEGORIES}}
_FORMATS = {"enum": [text_format.value for text_format in TextFormat]}


class StrictSchema(Schema):
    """Unknown fields are refused (422 naming them) instead of silently ignored."""

    model_config = ConfigDict(extra="forbid")


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    return value


def _aware(value: datetime.datetime) -> datetime.datetime:
    # A time without an offset is UTC, as on the forms; far-off years would overflow when
    # converted to UTC or stored.
    if not 1900 <= value.year <= 9000:
        raise ValueError("Give a year between 1900 and 9000.")
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


# Plain text that may be stored; a time stored as given, UTC when no offset is given.
Text = Annotated[StrictStr, AfterValidator(_no_nul)]
When = Annotated[datetime.datetime, AfterValidator(_aware)]


class ChapterIn(StrictSchema):
    title: StrictStr = ""
    summary: StrictStr = ""
    notes: StrictStr = ""
    end_notes: StrictStr = ""
    text: StrictStr
    format: StrictStr = Field("html", json_schema_extra=_FORMATS)


class ChapterCreateIn(ChapterIn):
    draft: StrictBool = False


_COLLECTIONS = (
    "Post to these collections (names); a moderated collection holds the work for approval. "
    "On PATCH, the work ends up in exactly these."
)
_GIFTS = "Gift this work to these usernames, “pseud (username)”, or plain names."
_ASSIGNMENT = (
    "One of your gift-exchange assignments: the work joins the exchange's collection as a "
    "gift to the recipient, and fulfils the assignment once posted."
)


class WorkIn(StrictSchema):
    title: StrictStr
    summary: StrictStr = ""
    notes: StrictStr = ""
    end_notes: StrictStr = ""
    rating: StrictStr = Field(..., json_schema_extra=_RATINGS)
    warnings: list[StrictStr] = Field(..., json_schema_extra=_WARNINGS)
    categories: list[StrictStr] = Field([], json_schema_extra=_CATEGORIES)
    fandoms: list[StrictStr]
    relationships: list[StrictStr] = []
    characters: list[StrictStr] = []
    freeforms: list[StrictStr] = []
    language: StrictStr = "en"
    restricted: StrictBool = False
    complete: StrictBool = False
    expected_chapters: StrictInt | None = None
    draft: StrictBool = False
    published_at: datetime.date | None = None
    pseuds: list[StrictStr] | None = Field(
        None, description="Names of your pseuds; your default pseud when left out."
    )
    collections: list[StrictStr] | None = Field(None, description=_COLLECTIONS)
    gifts: list[StrictStr] | None = Field(None, description=_GIFTS)
    assignment_id: StrictInt | None = Field(None, description=_ASSIGNMENT)
    chapters: list[ChapterIn] = Field(..., min_length=1)


class WorkPatch(StrictSchema):
    """Only the fields sent change; `draft: false` posts a draft."""

    title: StrictStr | None = None
    summary: StrictStr | None = None
    notes: StrictStr | None = None
    end_notes: StrictStr | None = None
    rating: StrictStr | None = Field(None, json_schema_extra=_RATINGS)
    warnings: list[StrictStr] | None = Field(None, json_schema_extra=_WARNINGS)
    categories: list[StrictStr] | None = Field(None, json_schema_extra=_CATEGORIES)
    fandoms: list[StrictStr] | None = None
    relationships: list[StrictStr] | None = None
    characters: list[StrictStr] | None = None
    freeforms: list[StrictStr] | None = None
    language: StrictStr | None = None
    restricted: StrictBool | None = None
    complete: StrictBool | None = None
    expected_chapters: StrictInt | None = None
    draft: StrictBool | None = None
    published_at: datetime.date | None = None
    collections: list[StrictStr] | None = Field(None, description=_COLLECTIONS)
    gifts: list[StrictStr] | None = Field(None, description=_GIFTS)


class PageParams(Schema):
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)


class WorkListParams(PageParams):
    tag: str | None = Field(None, description="A tag name; a canonical tag includes synonyms.")


# The error answers each kind of operation documents (all share ErrorOut's shape).
READ_ERRORS = frozenset({401, 404, 422, 429})
WRITE_ERRORS = frozenset({400, 401, 404, 422, 429})


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem]


class CreatorOut(Schema):
    pseud: str
    username: str
    url: str


class TagsOut(Schema):
    rating: str | None
    warnings: list[str]
    categories: list[str]
    fandoms: list[str]
    relationships: list[str]
    characters: list[str]
    freeforms: list[str]


class StatsOut(Schema):
    words: int
    chapters: str = Field(..., description="Posted/expected, `?` when unknown: `2/?`.")
    kudos: int
    hits: int
    comments: int
    bookmarks: int


class ChapterBriefOut(Schema):
    id: int
    position: int = Field(
        ...,
        description="The chapter's number among the chapters the caller may see (posted "
        "ones; a creator's drafts count for the creator).",
    )
    title: str
    url: str
    word_count: int
    published_at: datetime.date | None
    draft: bool


class ChapterOut(ChapterBriefOut):
    work_id: int
    summary: str
    notes: str
    end_notes: str
    content: str


class WorkSummaryOut(Schema):
    id: int
    title: str
    url: str
    creators: list[CreatorOut]
    tags: TagsOut
    summary: str
    language: str
    restricted: bool
    complete: bool
    expected_chapters: int | None
    draft: bool
    stats: StatsOut
    published_at: datetime.date | None
    revised_at: datetime.datetime | None


class WorkOut(WorkSummaryOut):
    notes: str
    end_notes: str
    chapters: list[ChapterBriefOut]


class WorkPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[WorkSummaryOut]


class TagOut(Schema):
    name: str
    type: str
    canonical: bool
    synonym_of: str | None
    synonyms: list[str]
    url: str
    works_url: str


class PseudOut(Schema):
    name: str
    default: bool
    url: str


class UserOut(Schema):
    id: int
    username: str
    joined: datetime.date = Field(..., description="The day the account was made (UTC).")
    pseuds: list[PseudOut]
    url: str
