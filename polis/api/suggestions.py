"""Tag suggestions in the API: for a text being written, or for one of the caller's works.

The same reading as the posting form's "Suggest tags" (polis.works.suggestions); nothing is
changed: the caller adds the tags it chooses through the usual work endpoints.
"""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictStr

from polis.api.auth import WRITE
from polis.api.schemas import WRITE_ERRORS, ErrorOut, StrictSchema
from polis.works.access import access_work_for_edit
from polis.works.forms import TEXT_MAX
from polis.works.selectors import work_for_display
from polis.works.suggestion_forms import work_suggestions
from polis.works.suggestions import Suggestion, suggest_tags

router = Router(tags=["works"])


class SuggestIn(StrictSchema):
    text: StrictStr = Field(..., max_length=TEXT_MAX)
    text_format: StrictStr = Field("html", pattern="^(html|text|markdown)$")
    fandoms: list[StrictStr] = Field(default_factory=list, max_length=75)
    tags: list[StrictStr] = Field(
        default_factory=list,
        max_length=300,
        description="Tags already chosen (characters, relationships, additional tags): "
        "they and their synonyms are not suggested again.",
    )
    language: StrictStr = Field("", max_length=12, description="The language already chosen.")


class SuggestionOut(Schema):
    field: str = Field(..., description="characters, relationships, freeforms or language")
    value: str = Field(..., description="The tag name, or the language code.")
    label: str
    reason: str = Field(..., description="Why it is suggested: \"'Lexa' appears 31 times\".")
    count: int


class SuggestionsOut(Schema):
    suggestions: list[SuggestionOut]


def _out(found: list[Suggestion]) -> dict:
    return {"suggestions": [s.__dict__ for s in found]}


@router.post("/works/suggest-tags", response={200: SuggestionsOut, WRITE_ERRORS: ErrorOut}, **WRITE)
def tags_suggest(request: HttpRequest, payload: SuggestIn) -> dict:
    """Tags a text might carry, each with its reason. Nothing is saved or applied."""
    return _out(
        suggest_tags(
            text=payload.text,
            text_format=payload.text_format,
            fandoms=payload.fandoms,
            chosen=payload.tags,
            current_language=payload.language,
        )
    )


@router.get(
    "/works/{work_id}/suggest-tags", response={200: SuggestionsOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def work_tags_suggest(request: HttpRequest, work_id: int) -> dict:
    """Tags one of the caller's works might carry, read from its chapters and fandoms."""
    work = work_for_display(access_work_for_edit(request.auth, work_id))
    return _out(work_suggestions(work))
