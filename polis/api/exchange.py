"""Gift exchanges in the API: matching, the assignments, and one's own assignments."""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from polis.api.auth import USER_READ, WRITE, viewer
from polis.api.collections import PromptOut, WorkRef, _prompt_out, _run, prompt_rows
from polis.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
)
from polis.collections import access, selectors
from polis.collections.actions import assignments as assigning
from polis.collections.actions.matching import assignments_generate, matching_start
from polis.collections.models import Assignment, Prompt, Signup
from polis.works.access import access_work_for_edit

router = Router(tags=["collections"])


class MatchingOut(Schema):
    status: str
    progress: int
    message: str
    potential_matches: int = Field(
        description="(giver, recipient) pairs found by the last run, kept or not"
    )
    assignments_sent: bool
    unmatched: list[str]
    idle: list[str] = Field(description="Participants who write for nobody (free to assign).")


class AssignmentOut(Schema):
    id: int
    recipient: str
    requests: list[PromptOut]
    work_id: int | None


def _matching_out(challenge) -> dict:
    challenge.refresh_from_db()
    return {
        "status": challenge.matching_status,
        "progress": challenge.matching_progress,
        "message": challenge.matching_message,
        "potential_matches": sum(selectors.giver_counts(challenge).values()),
        "assignments_sent": challenge.assignments_sent_at is not None,
        "unmatched": [a.recipient.user.username for a in assigning.unmatched(challenge)],
        "idle": _idle(challenge),
    }


def _idle(challenge) -> list[str]:
    """As on the matching page: sign-ups that are nobody's giver (or whose gift defaulted)."""
    busy = Assignment.objects.filter(
        challenge=challenge, giver__isnull=False, defaulted_at=None
    ).values("giver_id")
    return list(
        Signup.objects.filter(challenge=challenge)
        .exclude(pk__in=busy)
        .order_by("user__username")
        .values_list("user__username", flat=True)
    )


def _maintained_challenge(request: HttpRequest, name: str):
    actor = viewer(request)
    collection = access.access_collection_for_edit(actor, name)
    return actor, access.access_challenge(actor, collection)


@router.get(
    "/collections/{name}/matching", response={200: MatchingOut, READ_ERRORS: ErrorOut}, **USER_READ
)
def matching_status(request: HttpRequest, name: str) -> dict:
    """Moderators: progress of potential matches, and who has nobody writing for them."""
    _, challenge = _maintained_challenge(request, name)
    return _matching_out(challenge)


@router.post(
    "/collections/{name}/matching", response={202: MatchingOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def matching_run(request: HttpRequest, name: str) -> Status:
    actor, challenge = _maintained_challenge(request, name)
    _run(matching_start, actor=actor, challenge=challenge)
    return Status(202, _matching_out(challenge))


@router.post(
    "/collections/{name}/assignments", response={201: MatchingOut, WRITE_ERRORS: ErrorOut}, **WRITE
)
def assignments_create(request: HttpRequest, name: str) -> Status:
    actor, challenge = _maintained_challenge(request, name)
    _run(assignments_generate, actor=actor, challenge=challenge)
    return Status(201, _matching_out(challenge))


@router.post(
    "/collections/{name}/assignments/send",
    response={200: MatchingOut, WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def assignments_send(request: HttpRequest, name: str) -> dict:
    actor, challenge = _maintained_challenge(request, name)
    _run(assigning.assignments_send, actor=actor, challenge=challenge)
    return _matching_out(challenge)


@router.get(
    "/collections/{name}/assignments/mine",
    response={200: list[AssignmentOut], READ_ERRORS: ErrorOut},
    **USER_READ,
)
def my_assignments(request: HttpRequest, name: str) -> list[dict]:
    user = viewer(request)
    challenge = access.access_challenge(user, access.access_collection(user, name))
    return [
        {
            "id": a.pk,
            "recipient": a.recipient.pseud.name,
            "requests": [_prompt_out(p) for p in a.recipient.requests],
            "work_id": a.work_id,
        }
        for a in access.own_assignments(user, challenge).prefetch_related(
            Prefetch(
                "recipient__prompts",
                queryset=prompt_rows(Prompt.objects.filter(kind="request")).order_by("pk"),
                to_attr="requests",
            )
        )
    ]


@router.post(
    "/collections/{name}/assignments/{assignment_id}/fulfil",
    response={200: list[AssignmentOut], WRITE_ERRORS: ErrorOut},
    **WRITE,
)
def assignment_fulfil(request: HttpRequest, name: str, assignment_id: int, payload: WorkRef):
    actor = viewer(request)
    challenge = access.access_challenge(actor, access.access_collection(actor, name))
    assignment = access.access_own_assignment(actor, challenge, assignment_id)
    work = access_work_for_edit(actor, payload.work_id)
    _run(assigning.assignment_fulfil, actor=actor, assignment=assignment, work=work)
    return my_assignments(request, name)


class AssignmentAdminOut(Schema):
    id: int
    recipient: str = Field(description="The recipient's username.")
    giver: str | None = Field(description="The giver's username; null when nobody.")
    pinch_hitter: str | None
    score: int
    potential_givers: int
    sent: bool
    defaulted: bool
    fulfilled: bool
    work_id: int | None


def assignment_admin_out(assignment, counts: dict[int, int]) -> dict:
    return {
        "id": assignment.pk,
        "recipient": assignment.recipient.user.username,
        "giver": assignment.giver.user.username if assignment.giver_id else None,
        "pinch_hitter": assignment.pinch_hitter.username if assignment.pinch_hitter_id else None,
        "score": assignment.score,
        "potential_givers": counts.get(assignment.recipient_id, 0),
        "sent": assignment.sent_at is not None,
        "defaulted": assignment.defaulted_at is not None,
        "fulfilled": assignment.fulfilled_at is not None,
        "work_id": assignment.work_id,
    }


def exchange_assignments(challenge):
    return (
        Assignment.objects.filter(challenge=challenge)
        .select_related("recipient__user", "giver__user", "pinch_hitter")
        .order_by("recipient__user__username")
    )


@router.get(
    "/collections/{name}/assignments",
    response={200: list[AssignmentAdminOut], READ_ERRORS: ErrorOut},
    **USER_READ,
)
def assignments_list(request: HttpRequest, name: str) -> list[dict]:
    """Moderators: every assignment of the exchange, as on the matching page."""
    _, challenge = _maintained_challenge(request, name)
    counts = selectors.giver_counts(challenge)
    return [assignment_admin_out(a, counts) for a in exchange_assignments(challenge)]
