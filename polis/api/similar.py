"""Similar works in the API (the reader's switch for them is in polis/api/preferences.py)."""

from django.http import HttpRequest
from ninja import Field, Router, Schema

from polis.api import output
from polis.api.auth import READ, viewer
from polis.api.schemas import READ_ERRORS, ErrorOut, WorkSummaryOut
from polis.api.works import readable_work
from polis.engagement.similar import similar_enabled, similar_works

router = Router(tags=["works"])


class SimilarOut(Schema):
    enabled: bool = Field(..., description="False when the caller turned similar works off.")
    works: list[WorkSummaryOut]


@router.get("/works/{work_id}/similar", response={200: SimilarOut, READ_ERRORS: ErrorOut}, **READ)
def work_similar(request: HttpRequest, work_id: int) -> dict:
    """Works like this one that the caller may see: shared tags, rarer ones counting more,
    and readers who left kudos on both. Mutes, blocks and the blocklist apply."""
    work = readable_work(request, work_id)
    user = viewer(request)
    enabled = similar_enabled(user)
    works = similar_works(viewer=user, work=work)
    return {"enabled": enabled, "works": [output.work_summary(request, w) for w in works]}
