"""Prompt memes: claiming prompts, posting fills, deleting prompts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polis.accounts.models import User
from polis.accounts.standing import require_participation
from polis.collections.access import can_delete_prompt
from polis.collections.actions.gifts import gift_add
from polis.collections.actions.items import check_can_add, item_add
from polis.collections.errors import Refused
from polis.collections.models import Claim, CollectionItem, ItemStatus, Prompt
from polis.works.access import is_creator
from polis.works.models import Work


def _check_meme(prompt: Prompt) -> None:
    if not prompt.challenge.is_prompt_meme:
        raise ValidationError("Only prompts of a prompt meme can be claimed.")


@transaction.atomic
def prompt_claim(*, actor: User, prompt: Prompt) -> Claim:
    """Claim a prompt; several people may claim one unless the moderators forbid it."""
    require_participation(actor)  # suspended and banned accounts join in nothing
    _check_meme(prompt)
    collection = prompt.challenge.collection
    if collection.closed:
        raise ValidationError(f"{collection.title} is closed: prompts can no longer be claimed.")
    # Lock the prompt row: two people claiming a single-claim prompt at once, one wins.
    Prompt.objects.select_for_update().filter(pk=prompt.pk).first()
    claims = Claim.objects.filter(prompt=prompt)
    if claims.filter(user=actor).exists():
        raise ValidationError("You have already claimed this prompt.")
    if not prompt.challenge.allow_multiple_claims and claims.exists():
        raise ValidationError(
            "This prompt has already been claimed, and this challenge allows one claim per prompt."
        )
    return Claim.objects.create(prompt=prompt, user=actor)


@transaction.atomic
def claim_drop(*, actor: User, claim: Claim) -> None:
    if claim.user_id != actor.pk:
        raise Refused("Only the person who claimed a prompt can drop the claim.")
    if claim.work_id:
        raise ValidationError("This claim has been filled; remove the work from the collection.")
    claim.delete()


@transaction.atomic
def claim_fill(*, actor: User, claim: Claim, work: Work) -> Claim:
    """Link one of the actor's works to their claim; the work joins the collection."""
    if claim.user_id != actor.pk:
        raise Refused("Only the person who claimed a prompt can fill it.")
    if not is_creator(actor, work):
        raise Refused("You can only fill a prompt with your own work.")
    prompt = claim.prompt
    collection = prompt.challenge.collection
    if collection.closed:
        raise ValidationError(f"{collection.title} is closed: no new fills can be posted to it.")
    if claim.work_id and claim.work_id != work.pk:
        raise ValidationError("This claim is already filled by another work.")
    check_can_add(actor=actor, collection=collection)
    item = CollectionItem.objects.filter(collection=collection, work=work).first()
    if item is None or item.creator_status != ItemStatus.APPROVED:
        item_add(actor=actor, collection=collection, work=work)
    claim.work = work
    claim.filled_at = timezone.now()
    claim.save(update_fields=["work", "filled_at"])
    prompter = prompt.signup.user
    if (
        not prompt.anonymous
        and prompter.pk != actor.pk
        and not work.gifts.filter(recipient=prompter).exists()
    ):
        gift_add(actor=actor, work=work, recipient=prompter.username)
    return claim


@transaction.atomic
def prompt_fill(*, actor: User, prompt: Prompt, work: Work) -> Claim:
    """Claim and fill in one step (posting a fill for a prompt nobody claimed)."""
    claim = Claim.objects.filter(prompt=prompt, user=actor).first()
    if claim is None:
        claim = prompt_claim(actor=actor, prompt=prompt)
    return claim_fill(actor=actor, claim=claim, work=work)


@transaction.atomic
def prompt_delete(*, actor: User, prompt: Prompt) -> None:
    """The prompter or a maintainer deletes a prompt; its fills stay in the collection."""
    if not can_delete_prompt(actor, prompt):
        raise Refused("Only the prompter or the maintainers can delete a prompt.")
    signup = prompt.signup
    challenge = prompt.challenge
    own_closed = signup.user_id == actor.pk and not challenge.signup_open()
    if own_closed and signup.prompts.count() <= challenge.requests_min:
        raise ValidationError(
            f"Your sign-up needs at least {challenge.requests_min} prompt(s); "
            "ask a moderator to delete this one."
        )
    prompt.delete()
    if not signup.prompts.exists():
        signup.delete()
