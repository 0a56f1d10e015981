"""Signing up for a challenge: requests and offers checked against the window and the rules.

Refusals name the field to fix with keys like `request_1_fandom` (kind, position from 1,
what), which the sign-up form uses as its field names and the API turns into
`requests[0].fandom`.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from polis.accounts.models import Pseud, User
from polis.accounts.standing import require_participation
from polis.collections.access import is_maintainer
from polis.collections.errors import Refused
from polis.collections.models import Challenge, Prompt, PromptKind, Signup, TagRule
from polis.core.text import to_html
from polis.tags.models import Tag, TagType
from polis.tags.names import tag_key

DESCRIPTION_MAX = 5000
TITLE_MAX = 255


@dataclass(kw_only=True)
class PromptInput:
    """One request or offer: tag names by type, "any" types, and optional details."""

    tags: dict[str, list[str]] = field(default_factory=dict)
    any_types: list[str] = field(default_factory=list)
    title: str = ""
    description: str = ""
    anonymous: bool = False


@dataclass(kw_only=True)
class SignupInput:
    pseud: Pseud
    requests: list[PromptInput] = field(default_factory=list)
    offers: list[PromptInput] = field(default_factory=list)


@dataclass
class _Checked:
    kind: str
    position: int
    data: PromptInput
    tags: list[Tag]


def _window_error(challenge: Challenge) -> str:
    now = timezone.now()
    title = challenge.collection.title
    if challenge.signup_opens_at is None:
        return f"Sign-ups for {title} are not open."
    if now < challenge.signup_opens_at:
        return f"Sign-ups for {title} open on {challenge.signup_opens_at:%Y-%m-%d %H:%M} UTC."
    return f"Sign-ups for {title} closed on {challenge.signup_closes_at:%Y-%m-%d %H:%M} UTC."


def _count_error(kind: str, count: int, low: int, high: int) -> str | None:
    noun = "request" if kind == PromptKind.REQUEST else "offer"
    if count < low:
        return f"You submitted {count} {noun}(s); this challenge needs at least {low}."
    if count > high:
        return f"You submitted {count} {noun}(s); this challenge allows at most {high}."
    return None


def _check_prompts(
    challenge: Challenge, kind: str, prompts: list[PromptInput], errors: dict
) -> list[_Checked]:
    rules = {rule.tag_type: rule for rule in TagRule.objects.filter(challenge=challenge)}
    names = {tag_key(n) for p in prompts for ns in p.tags.values() for n in ns if n.strip()}
    found = {tag.key: tag for tag in Tag.objects.filter(key__in=names)}
    allowed: set[int] | None = None
    if challenge.tag_set_id:
        allowed = set(challenge.tag_set.tags.filter(key__in=names).values_list("pk", flat=True))
    checked = []
    for position, prompt in enumerate(prompts, start=1):
        prefix = f"{kind}_{position}"
        tags: list[Tag] = []
        for tag_type in sorted(set(prompt.tags) | set(rules) | set(prompt.any_types)):
            key = f"{prefix}_{tag_type}"
            rule = rules.get(tag_type)
            wanted = list(
                dict.fromkeys(n.strip() for n in prompt.tags.get(tag_type, []) if n.strip())
            )
            label = TagType(tag_type).label if tag_type in TagType.values else tag_type
            if rule is None:
                if wanted or tag_type in prompt.any_types:
                    errors[key] = f"This challenge does not use {label} tags."
                continue
            low, high = (
                (rule.request_min, rule.request_max)
                if kind == PromptKind.REQUEST
                else (rule.offer_min, rule.offer_max)
            )
            if tag_type in prompt.any_types:
                if not rule.allow_any:
                    errors[key] = f"“Any” is not allowed for {label} tags in this challenge."
                elif wanted:
                    errors[key] = f"Choose {label} tags or “any”, not both."
                continue
            problems = []
            for name in wanted:
                tag = found.get(tag_key(name))
                if tag is None or (allowed is not None and tag.pk not in allowed):
                    problems.append(f"“{name}” is not in this challenge's tag set.")
                elif tag.type != tag_type:
                    problems.append(f"“{name}” is a {TagType(tag.type).label} tag, not {label}.")
                else:
                    tags.append(tag)
            if not problems and not low <= len(wanted) <= high:
                problems.append(
                    f"Choose between {low} and {high} {label} tag(s); you chose {len(wanted)}."
                )
            if problems:
                errors[key] = problems
        if len(prompt.title) > TITLE_MAX:
            errors[f"{prefix}_title"] = f"A title can be at most {TITLE_MAX} characters."
        if len(prompt.description) > DESCRIPTION_MAX:
            errors[f"{prefix}_description"] = (
                f"Details can be at most {DESCRIPTION_MAX} characters."
            )
        if prompt.anonymous and not challenge.allow_anonymous_prompts:
            errors[f"{prefix}_anonymous"] = "This challenge does not allow anonymous prompts."
        checked.append(_Checked(kind, position, prompt, tags))
    return checked


def _validate(challenge: Challenge, actor: User, data: SignupInput) -> list[_Checked]:
    errors: dict = {}
    if data.pseud.user_id != actor.pk:
        errors["pseud"] = "Choose one of your own pseuds."
    request_error = _count_error(
        PromptKind.REQUEST, len(data.requests), challenge.requests_min, challenge.requests_max
    )
    if request_error:
        errors["requests"] = request_error
    offer_error = _count_error(
        PromptKind.OFFER, len(data.offers), challenge.offers_min, challenge.offers_max
    )
    if offer_error:
        errors["offers"] = offer_error
    checked = _check_prompts(challenge, PromptKind.REQUEST, data.requests[:20], errors)
    checked += _check_prompts(challenge, PromptKind.OFFER, data.offers[:20], errors)
    if errors:
        raise ValidationError(errors)
    return checked


def _save_prompts(challenge: Challenge, signup: Signup, checked: list[_Checked]) -> None:
    """Keep prompts by (kind, position) so claims on an edited prompt survive the edit."""
    existing = {(p.kind, p.position): p for p in signup.prompts.all()}
    keep = set()
    for item in checked:
        prompt = existing.get((item.kind, item.position)) or Prompt(
            challenge=challenge, signup=signup, kind=item.kind, position=item.position
        )
        prompt.title = item.data.title.strip()
        prompt.description = (
            to_html(item.data.description, "html", allow_class=False, field="description")
            if item.data.description.strip()
            else ""
        )
        prompt.any_types = sorted(set(item.data.any_types))
        prompt.anonymous = item.data.anonymous
        prompt.save()
        prompt.tags.set(item.tags)
        keep.add(prompt.pk)
    signup.prompts.exclude(pk__in=keep).delete()


def _signups_changed(challenge: Challenge) -> None:
    challenge.signups_changed_at = timezone.now()
    challenge.save(update_fields=["signups_changed_at"])


@transaction.atomic
def signup_create(*, actor: User, challenge: Challenge, data: SignupInput) -> Signup:
    """Sign up while the window is open, once per person, within the challenge's rules."""
    require_participation(actor)  # suspended and banned accounts join in nothing
    if not challenge.signup_open():
        raise ValidationError(_window_error(challenge))
    if Signup.objects.filter(challenge=challenge, user=actor).exists():
        raise ValidationError(
            f"You have already signed up for {challenge.collection.title}; edit that sign-up."
        )
    checked = _validate(challenge, actor, data)
    try:
        with transaction.atomic():
            signup = Signup.objects.create(challenge=challenge, user=actor, pseud=data.pseud)
    except IntegrityError:
        raise ValidationError(
            f"You have already signed up for {challenge.collection.title}; edit that sign-up."
        ) from None
    _save_prompts(challenge, signup, checked)
    _signups_changed(challenge)
    return signup


@transaction.atomic
def signup_update(*, actor: User, signup: Signup, data: SignupInput) -> Signup:
    """Participants edit while sign-ups are open; maintainers may fix one at any time."""
    require_participation(actor)  # suspended and banned accounts join in nothing
    challenge = signup.challenge
    maintainer = is_maintainer(actor, challenge.collection)
    if signup.user_id != actor.pk and not maintainer:
        raise Refused("Only the participant or the maintainers can change a sign-up.")
    if not challenge.signup_open() and not maintainer:
        raise ValidationError(_window_error(challenge))
    checked = _validate(challenge, signup.user, data)
    signup.pseud = data.pseud
    signup.save()
    _save_prompts(challenge, signup, checked)
    _signups_changed(challenge)
    return signup


@transaction.atomic
def signup_delete(*, actor: User, signup: Signup) -> None:
    challenge = signup.challenge
    maintainer = is_maintainer(actor, challenge.collection)
    if signup.user_id != actor.pk and not maintainer:
        raise Refused("Only the participant or the maintainers can delete a sign-up.")
    if challenge.assignments_sent_at and not maintainer:
        raise ValidationError("Assignments have been sent; ask the moderators to default you.")
    signup.delete()
    _signups_changed(challenge)
