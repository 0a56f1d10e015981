"""Gift exchanges, second half: editing, sending, defaulting, pinch hitting, fulfilling."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from polis.accounts.models import User
from polis.collections import matching
from polis.collections.access import access_assignment_to_write, is_maintainer
from polis.collections.actions.gifts import gift_add
from polis.collections.actions.items import item_add
from polis.collections.actions.matching import (
    _check_exchange,
    _check_maintainer,
    _edges,
    match_score,
)
from polis.collections.errors import Refused
from polis.collections.models import Assignment, Challenge, CollectionItem, ItemStatus, Signup
from polis.collections.notices import assignment_defaulted_notify, assignment_sent_notify
from polis.works.access import is_creator
from polis.works.models import Creatorship, Work

NOT_YOURS = "This assignment is not yours to fulfil."


@transaction.atomic
def assignment_set_giver(
    *, actor: User, assignment: Assignment, giver: Signup | None
) -> Assignment:
    """A moderator picks the giver by hand (None leaves the recipient unmatched)."""
    challenge = assignment.challenge
    _check_maintainer(actor, challenge)
    if giver is not None:
        if giver.challenge_id != challenge.pk:
            raise ValidationError({"giver": "That person did not sign up for this challenge."})
        if giver.pk == assignment.recipient_id:
            raise ValidationError({"giver": "Nobody can be assigned to write for themselves."})
        other = (
            Assignment.objects.filter(challenge=challenge, giver=giver, defaulted_at=None)
            .exclude(pk=assignment.pk)
            .select_related("recipient__user")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "giver": f"{giver.user.username} already writes for "
                    f"{other.recipient.user.username}; change that assignment first."
                }
            )
    if giver != assignment.giver:
        _drop_draft(assignment)
    assignment.giver = giver
    assignment.defaulted_at = None
    assignment.score = match_score(challenge, giver.pk, assignment.recipient_id) if giver else 0
    if challenge.assignments_sent_at and giver is not None:
        assignment.sent_at = timezone.now()
    assignment.save(update_fields=["giver", "defaulted_at", "score", "sent_at", "work"])
    if challenge.assignments_sent_at and giver is not None:
        assignment_sent_notify(assignment)
    return assignment


@transaction.atomic
def assignment_regenerate(*, actor: User, assignment: Assignment) -> Assignment:
    """Find a giver for one unmatched recipient, moving other unsent assignments along an
    augmenting path if needed; nobody who had a giver loses theirs."""
    challenge = assignment.challenge
    _check_maintainer(actor, challenge)
    _check_exchange(challenge)
    if assignment.giver_id and not assignment.defaulted_at:
        raise ValidationError("This participant already has a giver.")
    rows = list(Assignment.objects.filter(challenge=challenge).select_for_update())
    pairs = {
        a.recipient_id: (a.giver_id, a.score)
        for a in rows
        if a.giver_id and not a.defaulted_at and a.pk != assignment.pk
    }
    # Givers who defaulted or pinch-hit elsewhere are not offered again.
    defaulted = {a.giver_id for a in rows if a.defaulted_at and a.giver_id}
    edges = {k: s for k, s in _edges(challenge).items() if k[0] not in defaulted}
    locked = frozenset(a.recipient_id for a in rows if a.sent_at and a.pk != assignment.pk)
    found = matching.augment_for(assignment.recipient_id, pairs, edges, locked=locked)
    if found is None:
        raise ValidationError(
            "No free participant matches this request; assign a pinch hitter instead."
        )
    by_recipient = {a.recipient_id: a for a in rows}
    now = timezone.now()
    for recipient, (giver, score) in found.items():
        row = by_recipient[recipient]
        if row.giver_id != giver or row.pk == assignment.pk:
            row.giver_id, row.score, row.defaulted_at = giver, score, None
            if challenge.assignments_sent_at:
                row.sent_at = now
            row.save(update_fields=["giver", "score", "defaulted_at", "sent_at"])
            if challenge.assignments_sent_at:
                assignment_sent_notify(row)
    assignment.refresh_from_db()
    return assignment


def unmatched(challenge: Challenge) -> list[Assignment]:
    """Assignments nobody writes: no giver (or the giver defaulted) and no pinch hitter."""
    return [
        a
        for a in Assignment.objects.filter(challenge=challenge, pinch_hitter=None)
        .select_related("recipient__user")
        .order_by("recipient__user__username")
        if a.giver_id is None or a.defaulted_at
    ]


@transaction.atomic
def assignments_send(*, actor: User, challenge: Challenge) -> int:
    """Send every assignment; refused while any participant has nobody writing for them."""
    _check_maintainer(actor, challenge)
    _check_exchange(challenge)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.assignments_sent_at:
        raise ValidationError("Assignments have already been sent.")
    if challenge.assignments_generated_at is None:
        raise ValidationError("Generate assignments before sending them.")
    missing = unmatched(challenge)
    if missing:
        names = ", ".join(a.recipient.user.username for a in missing[:20])
        more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        raise ValidationError(
            f"{len(missing)} participant(s) have nobody writing for them yet: {names}{more}. "
            "Edit their assignments or assign pinch hitters first."
        )
    now = timezone.now()
    sent = Assignment.objects.filter(challenge=challenge).update(sent_at=now)
    challenge.assignments_sent_at = now
    challenge.save(update_fields=["assignments_sent_at"])
    for assignment in Assignment.objects.filter(challenge=challenge).select_related(
        "challenge__collection", "recipient__pseud", "giver"
    ):
        assignment_sent_notify(assignment)
    return sent


@transaction.atomic
def assignment_default(*, actor: User, assignment: Assignment) -> Assignment:
    """The writer (or a moderator) says the gift will not come; it then needs a pinch hitter."""
    challenge = assignment.challenge
    writer = assignment.writer_id
    if actor.pk != writer and not is_maintainer(actor, challenge.collection):
        raise Refused("Only the assigned writer or the moderators can default an assignment.")
    if assignment.fulfilled_at:
        raise ValidationError("This assignment has been fulfilled.")
    writer_user = User.objects.filter(pk=writer).first() if writer else None
    if assignment.pinch_hitter_id:
        assignment.pinch_hitter = None  # a pinch hitter defaulting hands it back
    assignment.defaulted_at = timezone.now()
    _drop_draft(assignment)
    assignment.save(update_fields=["pinch_hitter", "defaulted_at", "work"])
    assignment_defaulted_notify(assignment, writer=writer_user)
    return assignment


@transaction.atomic
def assignment_pinch_hit(*, actor: User, assignment: Assignment, user: User) -> Assignment:
    """A moderator asks `user` to write this gift instead."""
    challenge = assignment.challenge
    _check_maintainer(actor, challenge)
    if assignment.recipient.user_id == user.pk:
        raise ValidationError({"pinch_hitter": "Nobody can pinch-hit for themselves."})
    if assignment.fulfilled_at:
        raise ValidationError("This assignment has been fulfilled.")
    if user.pk != assignment.writer_id:
        _drop_draft(assignment)
    assignment.pinch_hitter = user
    if challenge.assignments_sent_at:
        assignment.sent_at = timezone.now()
    assignment.save(update_fields=["pinch_hitter", "sent_at", "work"])
    if challenge.assignments_sent_at:
        assignment_sent_notify(assignment)
    return assignment


@transaction.atomic
def assignment_fulfil(*, actor: User, assignment: Assignment, work: Work) -> Assignment:
    """Post to an assignment: the work joins the collection as a gift to the recipient."""
    if assignment.writer_id != actor.pk or not assignment.sent_at:
        raise Refused("This is not your assignment.")
    if not is_creator(actor, work):
        raise Refused("You can only fulfil an assignment with your own work.")
    _join_exchange(actor=actor, assignment=assignment, work=work)
    assignment.work = work
    assignment.fulfilled_at = timezone.now()
    assignment.save(update_fields=["work", "fulfilled_at"])
    return assignment


def _join_exchange(*, actor: User, assignment: Assignment, work: Work) -> None:
    """The work goes into the exchange's collection (refused if it is closed and the work is
    not in it yet) and becomes a gift to the recipient; the collection's concealment decides
    when the recipient and everyone else see it."""
    collection = assignment.challenge.collection
    item = CollectionItem.objects.filter(collection=collection, work=work).first()
    if item is None or item.creator_status != ItemStatus.APPROVED:
        item_add(actor=actor, collection=collection, work=work)
    recipient = assignment.recipient.user
    if not work.gifts.filter(recipient=recipient).exists():
        gift_add(actor=actor, work=work, recipient=recipient.username)


def _drop_draft(assignment: Assignment) -> None:
    """A writer's draft linked to the assignment stays theirs when the assignment moves on;
    the caller saves `work`."""
    if not assignment.fulfilled_at:
        assignment.work = None


@transaction.atomic
def assignment_work_link(
    *, actor: User, work: Work, assignment_id: str | None
) -> Assignment | None:
    """Post New Work opened from "Fulfill": link the work being saved to the actor's
    assignment. A draft stays linked until it is posted (`assignment_work_posted`), which
    fulfils the assignment; a posted work fulfils it at once.

    The link the edit form carries back is kept as it is, whichever creator edits. None
    unlinks this work from the assignment it has not fulfilled yet.
    """
    pending = Assignment.objects.filter(work=work, fulfilled_at=None)
    if assignment_id is None:
        pending.update(work=None)
        return None
    linked = (
        Assignment.objects.filter(work=work, pk=assignment_id)
        .select_related("challenge__collection", "recipient__user")
        .first()
        if assignment_id.isdigit() and len(assignment_id) <= 18
        else None
    )
    if linked is not None:
        if not linked.fulfilled_at:
            _join_exchange(actor=actor, assignment=linked, work=work)
        return linked
    try:
        assignment = access_assignment_to_write(actor, assignment_id)
    except Http404:
        raise ValidationError(NOT_YOURS) from None
    if assignment.fulfilled_at:
        raise ValidationError("This assignment has already been fulfilled.")
    if not is_creator(actor, work):
        raise Refused("You can only fulfil an assignment with your own work.")
    pending.exclude(pk=assignment.pk).update(work=None)
    _join_exchange(actor=actor, assignment=assignment, work=work)
    assignment.work = work
    if work.posted:
        assignment.fulfilled_at = timezone.now()
    assignment.save(update_fields=["work", "fulfilled_at"])
    return assignment


@transaction.atomic
def assignment_work_posted(*, actor: User, work: Work) -> list[Assignment]:
    """The work linked to an assignment was posted (at once or from its draft): the
    assignment is fulfilled, provided its writer is still a creator of the work."""
    fulfilled = []
    for assignment in (
        Assignment.objects.filter(work=work, fulfilled_at=None)
        .select_related("challenge__collection", "recipient__user", "giver")
        .select_for_update(of=("self",))
    ):
        writer = assignment.writer_id
        if (
            writer is None
            or not assignment.sent_at
            or not Creatorship.objects.filter(
                work=work, pseud__user_id=writer, accepted=True
            ).exists()
        ):
            raise ValidationError(NOT_YOURS)
        _join_exchange(actor=User.objects.get(pk=writer), assignment=assignment, work=work)
        assignment.fulfilled_at = timezone.now()
        assignment.save(update_fields=["fulfilled_at"])
        fulfilled.append(assignment)
    return fulfilled
