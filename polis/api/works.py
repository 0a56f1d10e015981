"""Works and chapters: list, read, post, edit, add chapters, delete."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.errors import HttpError

from polis.api import output
from polis.api.auth import READ, WRITE, viewer
from polis.api.errors import ApiValidationError, django_errors
from polis.api.inputs import chapter_input, work_create_input, work_update_input
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ChapterCreateIn,
    ChapterOut,
    ErrorOut,
    WorkIn,
    WorkListParams,
    WorkOut,
    WorkPatch,
)
from polis.api.search import WorkSearchOut, search_response
from polis.tags.access import access_tag
from polis.works import actions, idempotency, staleness
from polis.works.access import (
    RestrictedWork,
    access_chapter_for_edit,
    access_chapter_for_view,
    access_work_for_edit,
    access_work_for_view,
    visible_chapters,
)
from polis.works.hooks import posting_fields
from polis.works.limits import check_chapters_per_post
from polis.works.models import Work
from polis.works.selectors import work_for_display

router = Router(tags=["works"])


def readable_work(request: HttpRequest, work_id: int) -> Work:
    """Restricted works are simply not found for anonymous callers of the API."""
    try:
        return access_work_for_view(viewer(request), work_id)
    except RestrictedWork:
        raise Http404("No such work.") from None


def _work_response(request: HttpRequest, work: Work) -> dict:
    work = work_for_display(work)
    [work] = output.viewer_counts(request, [work])
    return output.work_detail(request, work, list(visible_chapters(viewer(request), work)))


_CHAPTER_FIELDS = {
    "text": "text",
    "chapter_summary": "summary",
    "chapter_notes": "notes",
    "chapter_end_notes": "end_notes",
}


def _chapter_fields(index: int) -> dict[str, str]:
    """The chapter actions' field names as the API's `chapters[index]` fields."""
    return {field: f"chapters[{index}].{name}" for field, name in _CHAPTER_FIELDS.items()}


def _refused(error: ValidationError, rename: dict[str, str]) -> ApiValidationError:
    return ApiValidationError(django_errors(error, rename=rename))


@router.get("/works", response={200: WorkSearchOut, READ_ERRORS | {400}: ErrorOut}, **READ)
def work_list(request: HttpRequest, params: Query[WorkListParams]) -> dict:
    """Posted works the caller may see, most recently updated first, as `/works` lists them.

    Filters and sorts with the web's `work_search[...]` parameters too (see /works/search);
    `tag` lists a tag's works as its page does. The caller's blocklist and mutes apply.
    """
    tag = access_tag(viewer(request), params.tag) if params.tag else None
    return search_response(request, params, tag=tag)


@router.get("/works/{work_id}", response={200: WorkOut, READ_ERRORS: ErrorOut}, **READ)
def work_show(request: HttpRequest, work_id: int, response: HttpResponse) -> dict:
    """The `ETag` answered names this version: send it as `If-Match` with a PATCH."""
    work = readable_work(request, work_id)
    response["ETag"] = staleness.etag_of(work)
    return _work_response(request, work)


def _idempotency_key(request: HttpRequest) -> str:
    try:
        return idempotency.clean_key(request.headers.get("Idempotency-Key"))
    except ValidationError as error:
        raise _refused(error, {"idempotency_key": "Idempotency-Key"}) from None


@router.get(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterOut, READ_ERRORS: ErrorOut},
    **READ,
)
def chapter_show(
    request: HttpRequest, work_id: int, chapter_id: int, response: HttpResponse
) -> dict:
    """The `ETag` answered names this version: send it as `If-Match` with a PATCH."""
    work = readable_work(request, work_id)
    chapter = access_chapter_for_view(viewer(request), work, chapter_id)
    response["ETag"] = staleness.etag_of(chapter)
    return output.chapter_detail(request, chapter)


@router.post("/works", response={200: WorkOut, 201: WorkOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def work_create(request: HttpRequest, payload: WorkIn) -> Status:
    """Post a work with all its chapters at once (or save it as a draft); all or nothing.

    At most POLIS_MAX_CHAPTERS_PER_POST chapters. With an `Idempotency-Key` header, the same
    key from the same user within 24 hours answers 200 with the work the first request
    made, instead of making another.
    """
    actor = viewer(request)
    key = _idempotency_key(request)
    try:
        check_chapters_per_post(len(payload.chapters))
    except ValidationError as error:
        raise _refused(error, {}) from None
    values = payload.model_dump()
    extras = _extras(values)
    data, pseuds, chapters = work_create_input(actor, values)
    try:
        work, created = idempotency.work_create_once(
            key=key,
            actor=actor,
            pseuds=pseuds,
            data=data,
            chapter=chapters[0],
            more_chapters=chapters[1:],
            post=not payload.draft,
            extras=extras,
        )
    except ValidationError as error:
        raise _refused(error, _chapter_fields(0)) from None
    return Status(201 if created else 200, _work_response(request, work))


@router.patch("/works/{work_id}", response={200: WorkOut, WRITE_ERRORS | {412}: ErrorOut}, **WRITE)
def work_update(request: HttpRequest, work_id: int, payload: WorkPatch) -> dict:
    """Change the fields sent; `draft: false` posts a draft. Creators only.

    Send `If-Match` with the `ETag` of the work as you read it (or `If-Unmodified-Since`):
    when it changed since, nothing is saved and the answer is 412.
    """
    actor = viewer(request)
    work = access_work_for_edit(actor, work_id)
    changes = payload.model_dump(exclude_unset=True)
    draft = changes.pop("draft", None)
    extras = _extras(changes)
    if draft and work.posted:
        raise ApiValidationError([("draft", "A posted work cannot become a draft again.")])
    data = work_update_input(actor, work, changes)
    check = staleness.http_preconditions(
        request.headers.get("If-Match"), request.headers.get("If-Unmodified-Since")
    )
    try:
        work = staleness.work_update_checked(
            check=check, actor=actor, work=work, data=data, extras=extras, post=draft is False
        )
    except ValidationError as error:
        raise _refused(error, {}) from None
    except staleness.StaleEdit as error:
        raise stale_answer(error) from None
    return _work_response(request, work)


def stale_answer(error: staleness.StaleEdit) -> HttpError:
    kind = type(error.current).__name__.lower()
    return HttpError(
        412,
        f"This {kind} changed since you read it (its ETag is now "
        f"{staleness.etag_of(error.current)}); nothing was saved. Read it again and retry.",
    )


def _extras(values: dict) -> dict[str, list[str]]:
    """Take out the registered posting fields (collections, gifts, assignment_id) sent."""
    extras = {}
    for field in posting_fields():
        names = values.pop(field.name, None)
        if isinstance(names, int):
            names = [str(names)]  # assignment_id
        if names is not None:
            extras[field.name] = [" ".join(name.split()) for name in names if name.strip()]
    return extras


@router.delete("/works/{work_id}", response={204: None, WRITE_ERRORS: ErrorOut}, **WRITE)
def work_delete(request: HttpRequest, work_id: int) -> Status:
    actor = viewer(request)
    actions.work_delete(actor=actor, work=access_work_for_edit(actor, work_id))
    return Status(204, None)


@router.post(
    "/works/{work_id}/chapters",
    response={200: ChapterOut, 201: ChapterOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def chapter_create(request: HttpRequest, work_id: int, payload: ChapterCreateIn) -> Status:
    """Add a chapter at the end; posted at once unless `draft` (or the work is a draft).

    An `Idempotency-Key` works as for POST /works: a repeat answers 200 with the first chapter.
    """
    actor = viewer(request)
    work = access_work_for_edit(actor, work_id)
    key = _idempotency_key(request)
    values = payload.model_dump()
    data = chapter_input(values)
    try:
        chapter, created = idempotency.chapter_add_once(
            key=key, actor=actor, work=work, data=data, post=not values["draft"]
        )
    except ValidationError as error:
        raise _refused(error, _CHAPTER_FIELDS) from None
    # Read back with its number (among all the chapters, as its creator sees them).
    chapter = access_chapter_for_edit(actor, work, chapter.pk)
    return Status(201 if created else 200, output.chapter_detail(request, chapter))
