"""Editing one chapter, as its edit page does; stale edits refused with 412.

Added to the works router (`chapter_edit.router is works.router`): a path's methods must
live in one router, and GET of the same chapter path is there.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from polis.api import output
from polis.api.auth import WRITE, viewer
from polis.api.inputs import chapter_input
from polis.api.schemas import WRITE_ERRORS, ChapterOut, ErrorOut, StrictSchema
from polis.api.works import _CHAPTER_FIELDS, _refused, router, stale_answer
from polis.works import staleness
from polis.works.access import access_chapter_for_edit, access_work_for_edit

__all__ = ["router"]


class ChapterPatch(StrictSchema):
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    text: str | None = None
    format: str | None = None
    draft: bool | None = None


@router.patch(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterOut, WRITE_ERRORS | {412}: ErrorOut},
    **WRITE,
)
def chapter_update(
    request: HttpRequest, work_id: int, chapter_id: int, payload: ChapterPatch
) -> dict:
    """Change the fields sent; `draft: false` posts a draft chapter. Creators only.

    Send `If-Match` with the chapter's `ETag` (from its GET) or `If-Unmodified-Since`: when
    it changed since, nothing is saved and the answer is 412.
    """
    actor = viewer(request)
    work = access_work_for_edit(actor, work_id)
    chapter = access_chapter_for_edit(actor, work, chapter_id)
    changes = payload.model_dump(exclude_unset=True)
    draft = changes.pop("draft", None)
    values = {
        "title": chapter.title,
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
        "text": chapter.source,
        "format": chapter.text_format,
        **{key: value for key, value in changes.items() if value is not None},
    }
    data = chapter_input(values)
    check = staleness.http_preconditions(
        request.headers.get("If-Match"), request.headers.get("If-Unmodified-Since")
    )
    try:
        staleness.chapter_update_checked(
            check=check, actor=actor, chapter=chapter, data=data, post=draft is False
        )
    except ValidationError as error:
        raise _refused(error, _CHAPTER_FIELDS) from None
    except staleness.StaleEdit as error:
        raise stale_answer(error) from None
    return output.chapter_detail(request, access_chapter_for_edit(actor, work, chapter_id))
