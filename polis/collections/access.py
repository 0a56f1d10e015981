"""Who may see or change collections, tag sets, challenges and their parts: the one place.

Hidden and missing look the same (404). Collections and tag sets are public; their settings,
moderation queues, gift-exchange sign-ups and assignments are for their maintainers (and, for
one's own sign-up or assignment, for the participant).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from polis.accounts.models import User
from polis.collections.models import (
    Assignment,
    Challenge,
    Claim,
    Collection,
    CollectionItem,
    Gift,
    Membership,
    Nomination,
    Prompt,
    Signup,
    TagSet,
)
from polis.collections.models.collection import MAINTAINER_ROLES, Role
from polis.tags.access import access_tag
from polis.tags.models import Tag
from polis.tags.names import tag_from_url, tag_key
from polis.works.access import is_creator
from polis.works.visibility import is_staff

Viewer = User | AnonymousUser


def _not_found(what: str = "page") -> Http404:
    return Http404(f"No such {what}.")


def role_of(user: Viewer, collection: Collection) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(collection=collection, user=user)
        .values_list("role", flat=True)
        .first()
    )


def is_maintainer(user: Viewer, collection: Collection) -> bool:
    """Owners and moderators of the collection, or of its parent."""
    if not user.is_authenticated:
        return False
    ids = [collection.pk] + ([collection.parent_id] if collection.parent_id else [])
    return Membership.objects.filter(
        collection_id__in=ids, user=user, role__in=MAINTAINER_ROLES
    ).exists()


def is_owner(user: Viewer, collection: Collection) -> bool:
    return role_of(user, collection) == "owner"


def is_member(user: Viewer, collection: Collection) -> bool:
    return role_of(user, collection) is not None


def listed_collections(user: Viewer) -> QuerySet[Collection]:
    """Collections this viewer may see in lists: staff see all; others not those staff hid,
    save the ones they maintain."""
    if is_staff(user):
        return Collection.objects.all()
    shown = Q(hidden=False)
    if user.is_authenticated:
        shown |= Q(memberships__user=user, memberships__role__in=MAINTAINER_ROLES)
    return Collection.objects.filter(pk__in=Collection.objects.filter(shown).values("pk"))


def user_collections(viewer: Viewer, user: User) -> QuerySet[Collection]:
    """A user's collections page: those they own (named as owners on each collection's
    page), that this viewer may see listed. The user themselves sees every collection they
    maintain or belong to (membership is shown only to maintainers and the member)."""
    own = viewer.is_authenticated and viewer.pk == user.pk
    roles = Q(memberships__user=user)
    if not own:
        roles &= Q(memberships__role=Role.OWNER)
    mine = Collection.objects.filter(roles).values("pk")
    return listed_collections(viewer).filter(pk__in=mine).order_by("title", "pk")


def access_collection(user: Viewer, name: str) -> Collection:
    collection = Collection.objects.select_related("parent").filter(name=name).first()
    if collection is None:
        raise _not_found("collection")
    if collection.hidden and not (is_staff(user) or is_maintainer(user, collection)):
        raise _not_found("collection")  # hidden by staff: maintainers and staff only
    return collection


def access_collection_for_edit(user: Viewer, name: str) -> Collection:
    collection = access_collection(user, name)
    if not is_maintainer(user, collection):
        raise _not_found("collection")
    return collection


def access_collection_for_owner(user: Viewer, name: str) -> Collection:
    collection = access_collection(user, name)
    if not is_owner(user, collection):
        raise _not_found("collection")
    return collection


def access_challenge(user: Viewer, collection: Collection) -> Challenge:
    challenge = Challenge.objects.filter(collection=collection).first()
    if challenge is None:
        raise _not_found("challenge")
    challenge.collection = collection
    return challenge


# --- works in collections ------------------------------------------------------------------


def access_item_for_moderation(user: Viewer, item_id: int) -> CollectionItem:
    item = CollectionItem.objects.select_related("collection", "work").filter(pk=item_id).first()
    if item is None or not is_maintainer(user, item.collection):
        raise _not_found("item")
    return item


def access_item_for_creator(user: Viewer, item_id: int) -> CollectionItem:
    item = CollectionItem.objects.select_related("collection", "work").filter(pk=item_id).first()
    if item is None or not is_creator(user, item.work):
        raise _not_found("item")
    return item


def access_gift_for_recipient(user: Viewer, gift_id: int) -> Gift:
    if not user.is_authenticated:
        raise _not_found("gift")
    gift = Gift.objects.select_related("work").filter(pk=gift_id, recipient=user).first()
    if gift is None:
        raise _not_found("gift")
    return gift


# --- tag sets ------------------------------------------------------------------------------


def access_tag_set(user: Viewer, tag_set_id: int) -> TagSet:
    tag_set = TagSet.objects.filter(pk=tag_set_id).first()
    if tag_set is None:
        raise _not_found("tag set")
    return tag_set


def owns_tag_set(user: Viewer, tag_set: TagSet) -> bool:
    return user.is_authenticated and tag_set.owners.filter(pk=user.pk).exists()


def access_tag_set_for_edit(user: Viewer, tag_set_id: int) -> TagSet:
    tag_set = access_tag_set(user, tag_set_id)
    if not owns_tag_set(user, tag_set):
        raise _not_found("tag set")
    return tag_set


def access_nomination_for_review(user: Viewer, nomination_id: int) -> Nomination:
    nomination = Nomination.objects.select_related("tag_set").filter(pk=nomination_id).first()
    if nomination is None or not owns_tag_set(user, nomination.tag_set):
        raise _not_found("nomination")
    return nomination


# --- sign-ups, prompts, claims, assignments -------------------------------------------------


def own_signup(user: Viewer, challenge: Challenge) -> Signup | None:
    if not user.is_authenticated:
        return None
    return Signup.objects.filter(challenge=challenge, user=user).first()


def access_own_signup(user: Viewer, challenge: Challenge) -> Signup:
    signup = own_signup(user, challenge)
    if signup is None:
        raise _not_found("sign-up")
    return signup


def access_signup_for_moderation(user: Viewer, challenge: Challenge, signup_id: int) -> Signup:
    signup = Signup.objects.filter(challenge=challenge, pk=signup_id).first()
    if signup is None or not is_maintainer(user, challenge.collection):
        raise _not_found("sign-up")
    return signup


def visible_prompts(user: Viewer, challenge: Challenge) -> QuerySet[Prompt]:
    """Prompt memes show every prompt; gift-exchange sign-ups are for the maintainers."""
    prompts = Prompt.objects.filter(challenge=challenge)
    if challenge.is_prompt_meme or is_maintainer(user, challenge.collection):
        return prompts
    return prompts.none()


def access_prompt_tag(user: Viewer, prompts: QuerySet[Prompt], url_name: str) -> Tag:
    """A tag to filter these prompts by: one this viewer may see anywhere (access_tag), or
    one these prompts carry, since the prompt list shows it; Http404 otherwise."""
    try:
        return access_tag(user, url_name)
    except Http404:
        key = tag_key(tag_from_url(url_name))
        tag = Tag.objects.filter(key=key, pk__in=prompts.values("tags")).first()
        if tag is None:
            raise
        return tag


def access_prompt(user: Viewer, challenge: Challenge, prompt_id: int) -> Prompt:
    prompt = visible_prompts(user, challenge).select_related("signup__user").filter(pk=prompt_id)
    found = prompt.first()
    if found is None:
        raise _not_found("prompt")
    return found


def can_delete_prompt(user: Viewer, prompt: Prompt) -> bool:
    if not user.is_authenticated:
        return False
    return prompt.signup.user_id == user.pk or is_maintainer(user, prompt.challenge.collection)


def access_prompt_for_delete(user: Viewer, challenge: Challenge, prompt_id: int) -> Prompt:
    prompt = access_prompt(user, challenge, prompt_id)
    if not can_delete_prompt(user, prompt):
        raise _not_found("prompt")
    return prompt


def access_own_claim(user: Viewer, claim_id: int) -> Claim:
    if not user.is_authenticated:
        raise _not_found("claim")
    claim = Claim.objects.select_related("prompt__challenge__collection").filter(pk=claim_id)
    found = claim.filter(user=user).first()
    if found is None:
        raise _not_found("claim")
    return found


def access_assignment_for_moderation(
    user: Viewer, challenge: Challenge, assignment_id: int
) -> Assignment:
    assignment = Assignment.objects.filter(challenge=challenge, pk=assignment_id).first()
    if assignment is None or not is_maintainer(user, challenge.collection):
        raise _not_found("assignment")
    return assignment


def writer_assignments(user: Viewer) -> QuerySet[Assignment]:
    """Sent assignments this user writes (as giver or pinch hitter), in every challenge."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(sent_at__isnull=False)
        .filter(
            Q(pinch_hitter=user) | Q(giver__user=user, defaulted_at__isnull=True, pinch_hitter=None)
        )
        .select_related("recipient__user", "recipient__pseud", "work")
    )


def own_assignments(user: Viewer, challenge: Challenge) -> QuerySet[Assignment]:
    """Sent assignments this user writes (as giver or pinch hitter) in this challenge."""
    return writer_assignments(user).filter(challenge=challenge)


def access_assignment_to_write(user: Viewer, assignment_id: int | str) -> Assignment:
    """An assignment named on its own (`/works/new?assignment_id=N`): only its writer's;
    someone else's and a missing one are both 404."""
    if not str(assignment_id).isdigit() or len(str(assignment_id)) > 18:
        raise _not_found("assignment")
    assignment = (
        writer_assignments(user)
        .select_related("challenge__collection")
        .filter(pk=int(assignment_id))
        .first()
    )
    if assignment is None:
        raise _not_found("assignment")
    return assignment


def access_own_assignment(user: Viewer, challenge: Challenge, assignment_id: int) -> Assignment:
    assignment = own_assignments(user, challenge).filter(pk=assignment_id).first()
    if assignment is None:
        raise _not_found("assignment")
    return assignment
