"""Request and response shapes of the feedback API (kudos, comments, bookmarks, inbox…)."""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt, StrictStr

from polis.api.schemas import PageParams, StrictSchema, WorkSummaryOut
from polis.engagement import stats


class CreatedOut(Schema):
    created: bool


class KudosIn(StrictSchema):
    chapter_id: StrictInt | None = None


class KudosOut(Schema):
    created: bool
    kudos: int = Field(..., description="Distinct people who left kudos on the work.")
    chapter_kudos: int | None
    users: list[str]
    more_users: int
    guests: int


class AuthorOut(Schema):
    name: str
    username: str | None
    guest: bool


class CommentOut(Schema):
    id: int
    work_id: int
    chapter_id: int | None
    parent_id: int | None
    url: str
    author: AuthorOut | None
    content: str
    status: str
    hidden: bool
    frozen: bool
    deleted: bool
    shown: bool
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    replies: list["CommentOut"] = Field(
        [],
        description=(
            "Replies, oldest first, nested at most five levels below the comment asked for "
            "(or the thread's root in a listing), as on the work page."
        ),
    )
    has_more_replies: bool = Field(
        False, description="Replies go deeper than this answer shows: follow `continue_url`."
    )
    continue_url: str | None = Field(
        None,
        description="This comment's own `/comments/{id}`, nesting five more levels below it.",
    )


CommentOut.model_rebuild()


class CommentPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[CommentOut]


class CommentIn(StrictSchema):
    text: StrictStr
    parent_id: StrictInt | None = None
    chapter_id: StrictInt | None = None
    pseud: StrictStr | None = Field(
        None, description="One of your pseuds; default pseud if left out."
    )


class CommentCreatedOut(CommentOut):
    created: bool


class CommentPatch(StrictSchema):
    text: StrictStr


class CommentSettingsIO(StrictSchema):
    permission: Literal["everyone", "registered", "nobody"]
    moderated: StrictBool = False


class BookmarkIn(StrictSchema):
    notes: StrictStr = ""
    tags: list[StrictStr] = []
    private: StrictBool = False
    rec: StrictBool = False


class ExternalBookmarkIn(BookmarkIn):
    url: StrictStr
    title: StrictStr
    creator: StrictStr
    fandom: StrictStr
    rating: StrictStr = ""


class ExternalOut(Schema):
    url: str
    title: str
    creator: str
    fandom: str
    rating: str


class BookmarkOut(Schema):
    id: int
    url: str
    bookmarker: str
    work: WorkSummaryOut | None = None
    external: ExternalOut | None
    deleted: bool = Field(..., description="The bookmarked work was deleted.")
    notes: str
    tags: list[str]
    private: bool
    rec: bool
    created_at: datetime.datetime


class BookmarkCreatedOut(BookmarkOut):
    created: bool


class BookmarkPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[BookmarkOut]


class UserBookmarkParams(PageParams):
    tag: str = ""


class SubscriptionIn(StrictSchema):
    type: Literal["user", "work", "series"]
    id: StrictInt | StrictStr = Field(..., description="Work or series id; user id or username.")


class SubscriptionOut(Schema):
    id: int
    type: str
    target: str
    url: str
    created_at: datetime.datetime


class SubscriptionCreatedOut(SubscriptionOut):
    created: bool


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    read: bool
    url: str | None
    work_id: int | None
    comment_id: int | None
    created_at: datetime.datetime


class InboxOut(Schema):
    count: int
    unread: int
    page: int
    per_page: int
    results: list[NotificationOut]


class InboxParams(PageParams):
    unread: bool = False


class ReadIn(StrictSchema):
    read: StrictBool


class ReplyIn(StrictSchema):
    text: StrictStr


class UsernameIn(StrictSchema):
    username: StrictStr


class UserNameOut(Schema):
    username: str
    url: str


class ReadingOut(Schema):
    work: WorkSummaryOut
    last_viewed_at: datetime.datetime | None
    view_count: int
    chapter_id: int | None
    marked_for_later: bool


class ReadingPageOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[ReadingOut]


class DigestSettingsIO(StrictSchema):
    emails: StrictBool


class HistorySettingsIn(StrictSchema):
    enabled: StrictBool


class StatsParams(Schema):
    sort: Literal[tuple(stats.SORTS)] = "hits"  # type: ignore[valid-type]
    direction: Literal["asc", "desc"] = "desc"


class WorkStatsOut(Schema):
    id: int
    title: str
    url: str
    words: int
    hits: int
    kudos: int
    comment_threads: int
    bookmarks: int
    subscriptions: int
