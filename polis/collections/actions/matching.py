"""Gift exchanges, first half: potential matches (a background task) and assignments."""

import logging
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polis.accounts.models import User
from polis.collections import matching
from polis.collections.access import is_maintainer
from polis.collections.errors import Refused
from polis.collections.models import (
    Assignment,
    Challenge,
    MatchingStatus,
    PotentialGivers,
    Prompt,
    PromptKind,
    Signup,
    TagRule,
)

log = logging.getLogger(__name__)
_BATCH = 500


def _check_maintainer(actor: User, challenge: Challenge) -> None:
    if not is_maintainer(actor, challenge.collection):
        raise Refused("Only the collection's owners and moderators can run its matching.")


def _check_exchange(challenge: Challenge) -> None:
    if not challenge.is_gift_exchange:
        raise ValidationError("Matching is for gift exchanges.")


@transaction.atomic
def matching_start(*, actor: User, challenge: Challenge) -> Challenge:
    """Queue potential-match generation; progress is recorded on the challenge."""
    from polis.collections.tasks import generate_potential_matches

    _check_maintainer(actor, challenge)
    _check_exchange(challenge)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.signup_open():
        raise ValidationError("Close sign-ups before generating matches.")
    if challenge.assignments_sent_at:
        raise ValidationError("Assignments have been sent; matches can no longer change.")
    if challenge.matching_status in (MatchingStatus.QUEUED, MatchingStatus.RUNNING):
        raise ValidationError("Matching is already running; wait for it to finish.")
    if not Signup.objects.filter(challenge=challenge).exists():
        raise ValidationError("Nobody has signed up yet.")
    challenge.matching_status = MatchingStatus.QUEUED
    challenge.matching_progress = 0
    challenge.matching_message = "Waiting for a worker."
    challenge.save(update_fields=["matching_status", "matching_progress", "matching_message"])
    transaction.on_commit(partial(generate_potential_matches.enqueue, challenge.pk))
    return challenge


def load_entrants(challenge: Challenge) -> list[matching.Entrant]:
    """Every sign-up's requests and offers as plain sets of tag ids (three queries)."""
    prompts = Prompt.objects.filter(challenge=challenge).order_by("signup_id", "kind", "position")
    specs: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    tag_rows = Prompt.tags.through.objects.filter(prompt__challenge=challenge).values_list(
        "prompt_id", "tag_id", "tag__type"
    )
    for prompt_id, tag_id, tag_type in tag_rows:
        specs[prompt_id][tag_type].add(tag_id)
    entrants: dict[int, matching.Entrant] = {
        signup_id: matching.Entrant(signup_id)
        for signup_id in Signup.objects.filter(challenge=challenge).values_list("pk", flat=True)
    }
    for prompt_id, signup_id, kind, any_types in prompts.values_list(
        "pk", "signup_id", "kind", "any_types"
    ):
        spec = matching.PromptTags(
            tags={t: frozenset(ids) for t, ids in specs[prompt_id].items()},
            any_types=frozenset(any_types or ()),
        )
        entrant = entrants[signup_id]
        (entrant.requests if kind == PromptKind.REQUEST else entrant.offers).append(spec)
    return list(entrants.values())


def load_rules(challenge: Challenge) -> list[matching.Rule]:
    return [
        matching.Rule(rule.tag_type, rule.match_count, rule.any_matches)
        for rule in TagRule.objects.filter(challenge=challenge)
    ]


def matching_run(challenge_id: int) -> int:
    """The task's body: compute potential matches, solve the assignment on all of them while
    they are in memory, and store each recipient's best givers with that proposal."""
    challenge = Challenge.objects.get(pk=challenge_id)
    started = timezone.now()
    rows = Challenge.objects.filter(pk=challenge_id)
    rows.update(
        matching_status=MatchingStatus.RUNNING,
        matching_started_at=started,
        matching_progress=0,
        matching_message="Reading sign-ups.",
    )

    def progress(done: int, total: int) -> None:
        # 0–60 % is the matching, 60–90 % the assignment; storing the rows is the rest.
        percent = int(60 * done / total) if total else 60
        rows.update(matching_progress=percent, matching_message=f"Matched {done} of {total}.")

    try:
        entrants = load_entrants(challenge)
        found = matching.potential_matches(
            entrants,
            load_rules(challenge),
            prompts_must_match=challenge.prompts_must_match,
            progress=progress,
        )
        rows.update(matching_progress=60, matching_message="Solving the assignment.")
        recipients = sorted(e.id for e in entrants if e.requests)
        givers = sorted(e.id for e in entrants if e.offers)
        proposal = matching.optimal_assignment(recipients, givers, found)
        rows.update(matching_progress=90, matching_message="Storing the matches.")
        with transaction.atomic():
            PotentialGivers.objects.filter(challenge_id=challenge_id).delete()
            _store(challenge_id, recipients, found, proposal)
            rows.update(
                matching_status=MatchingStatus.DONE,
                matching_progress=100,
                matching_finished_at=timezone.now(),
                matching_message=(
                    f"{len(found)} potential matches among {len(entrants)} participants."
                ),
            )
    except Exception as error:  # recorded for the moderators, then re-raised for the worker
        log.exception("potential matches failed for challenge %s", challenge_id)
        rows.update(
            matching_status=MatchingStatus.FAILED,
            matching_finished_at=timezone.now(),
            matching_message=f"Failed: {error}"[:255],
        )
        raise
    return len(found)


def _store(
    challenge_id: int,
    recipients: list[int],
    found: list[matching.Match],
    proposal: matching.AssignmentResult,
) -> None:
    """One row per recipient (those nobody matches too), in a few batched INSERTs."""
    chosen = {recipient: giver for recipient, (giver, _) in proposal.pairs.items()}
    best = matching.best_givers(found, settings.POLIS_EXCHANGE_GIVERS_KEPT, must_keep=chosen)
    PotentialGivers.objects.bulk_create(
        (
            PotentialGivers(
                challenge_id=challenge_id,
                recipient_id=recipient,
                givers=best.get(recipient, ([], 0))[0],
                giver_count=best.get(recipient, ([], 0))[1],
                proposed=True,
                proposed_giver_id=chosen.get(recipient),
                proposed_score=proposal.pairs[recipient][1] if recipient in chosen else 0,
            )
            for recipient in recipients
        ),
        batch_size=_BATCH,
    )


def _edges(challenge: Challenge) -> dict[tuple[int, int], int]:
    """(giver, recipient) → score for every stored (kept) potential match."""
    edges: dict[tuple[int, int], int] = {}
    for recipient, givers in PotentialGivers.objects.filter(challenge=challenge).values_list(
        "recipient_id", "givers"
    ):
        for giver, score, _ in givers:
            edges[(giver, recipient)] = score
    return edges


def match_score(challenge: Challenge, giver_id: int, recipient_id: int) -> int:
    """The overlap of one pair; 0 when the giver is not among the recipient's kept givers."""
    row = PotentialGivers.objects.filter(challenge=challenge, recipient_id=recipient_id).first()
    return (row.edges() if row else {}).get((giver_id, recipient_id), 0)


def _participants(challenge: Challenge) -> tuple[list[int], list[int]]:
    prompts = Prompt.objects.filter(challenge=challenge)
    recipients = prompts.filter(kind=PromptKind.REQUEST).values_list("signup_id", flat=True)
    givers = prompts.filter(kind=PromptKind.OFFER).values_list("signup_id", flat=True)
    return sorted(set(recipients)), sorted(set(givers))


def _proposed(
    challenge: Challenge, recipients: list[int], givers: list[int]
) -> matching.AssignmentResult | None:
    """The assignment the matching task solved on every pair, if it recorded one."""
    rows = PotentialGivers.objects.filter(challenge=challenge).values_list(
        "recipient_id", "proposed", "proposed_giver_id", "proposed_score"
    )
    pairs: dict[int, tuple[int, int]] = {}
    for recipient, proposed, giver, score in rows:
        if not proposed:
            return None
        if giver is not None:
            pairs[recipient] = (giver, score)
    return matching.assignment_from_pairs(pairs, recipients, givers)


@transaction.atomic
def assignments_generate(*, actor: User, challenge: Challenge) -> matching.AssignmentResult:
    """Compute the optimal assignment from current potential matches (see matching.py).

    Every participant who requested gets an assignment row; those without a giver are the
    unmatched, listed for the moderators, never dropped.
    """
    _check_maintainer(actor, challenge)
    _check_exchange(challenge)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.assignments_sent_at:
        raise ValidationError("Assignments have already been sent.")
    if challenge.matching_status != MatchingStatus.DONE:
        raise ValidationError(
            "Potential matches are not ready: generate them and wait until they are done."
        )
    if not challenge.matches_current:
        raise ValidationError(
            "Sign-ups changed after the potential matches were generated; generate them again."
        )
    recipients, givers = _participants(challenge)
    result = _proposed(challenge, recipients, givers)
    if result is None:  # matches stored without a proposal: solve on the kept givers
        result = matching.optimal_assignment(
            recipients,
            givers,
            [matching.Match(g, r, 1, s) for (g, r), s in _edges(challenge).items()],
        )
    Assignment.objects.filter(challenge=challenge).delete()
    Assignment.objects.bulk_create(
        Assignment(
            challenge=challenge,
            recipient_id=recipient,
            giver_id=result.pairs[recipient][0] if recipient in result.pairs else None,
            score=result.pairs[recipient][1] if recipient in result.pairs else 0,
        )
        for recipient in recipients
    )
    challenge.assignments_generated_at = timezone.now()
    challenge.save(update_fields=["assignments_generated_at"])
    return result
