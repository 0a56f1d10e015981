"""Every write to users, pseuds, preferences and invitations: validated, in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from polis.accounts.hooks import bylines_changed
from polis.accounts.models import Invitation, Pseud, ReadingPreferences, User
from polis.accounts.standing import require_participation
from polis.accounts.validators import validate_pseud_name, validate_username
from polis.core.text import to_html

PSEUD_DESCRIPTION_MAX_LENGTH = 500


def _save_or_field_error(obj: User | Pseud, *, field: str, message: str, **save_kwargs) -> None:
    """Save; a unique-constraint race lost to another request reads as a field error."""
    try:
        with transaction.atomic():
            obj.save(**save_kwargs)
    except IntegrityError as error:
        raise ValidationError({field: message}) from error


def _full_clean_only(obj: User | Pseud, fields: set[str]) -> None:
    """full_clean limited to `fields`: other fields of old rows are not this action's business."""
    exclude = [f.name for f in obj._meta.concrete_fields if f.name not in fields]
    obj.full_clean(exclude=exclude)


def _pseud_description_html(description: str) -> str:
    if len(description) > PSEUD_DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            {
                "description": (
                    f"A description can be at most {PSEUD_DESCRIPTION_MAX_LENGTH} characters long."
                )
            }
        )
    return (
        to_html(description, "html", allow_class=False, field="description")
        if description.strip()
        else ""
    )


def _check_pseud_name(*, user: User, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    try:
        validate_pseud_name(name)
    except ValidationError as error:
        raise ValidationError({"name": error.messages}) from error
    taken = Pseud.objects.filter(user=user, name__iexact=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": f"You already have a pseud called “{name}”."})
    return name


@transaction.atomic
def user_setup(*, user: User) -> Pseud:
    """Give a new user the default pseud named like the username. Calling it again is harmless."""
    default = user.pseuds.filter(is_default=True).first()
    if default is not None:
        return default
    pseud = user.pseuds.filter(name__iexact=user.username).first() or Pseud(user=user)
    pseud.name = user.username
    pseud.is_default = True
    pseud.full_clean()
    pseud.save()
    return pseud


@transaction.atomic
def user_change_username(*, actor: User, new_username: str) -> User:
    """Rename the account; its default pseud follows so bylines and URLs stay in step."""
    new_username = new_username.strip()
    try:
        validate_username(new_username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error
    if new_username == actor.username:
        return actor
    taken_message = "That username is already taken."
    if User.objects.filter(username__iexact=new_username).exclude(pk=actor.pk).exists():
        raise ValidationError({"username": taken_message})

    actor.username = new_username
    _full_clean_only(actor, {"username"})
    _save_or_field_error(actor, field="username", message=taken_message, update_fields=["username"])

    old_default = actor.pseuds.select_for_update().filter(is_default=True).first()
    namesake = (
        actor.pseuds.filter(name__iexact=new_username)
        .exclude(pk=old_default.pk if old_default else None)
        .first()
    )
    if namesake is not None:
        # The user already writes under the new name: that pseud becomes the default and the
        # old default stays, under its old name, as an ordinary pseud.
        if old_default is not None:
            old_default.is_default = False
            old_default.save(update_fields=["is_default"])
        namesake.name = new_username
        namesake.is_default = True
        namesake.full_clean()
        namesake.save(update_fields=["name", "is_default"])
    elif old_default is not None:
        old_default.name = new_username
        old_default.full_clean()
        old_default.save(update_fields=["name"])
    else:
        user_setup(user=actor)
    # Every byline of the account shows the username (and links to it).
    bylines_changed(list(actor.pseuds.values_list("pk", flat=True)))
    return actor


@transaction.atomic
def user_update_preferences(
    *, actor: User, view_adult: bool | None = None, similar_works_enabled: bool | None = None
) -> User:
    """Save the reader's preferences (those given; None leaves one as it is)."""
    fields = set()
    if view_adult is not None:
        actor.view_adult = view_adult
        fields.add("view_adult")
    if similar_works_enabled is not None:
        actor.similar_works_enabled = similar_works_enabled
        fields.add("similar_works_enabled")
    if fields:
        _full_clean_only(actor, fields)
        actor.save(update_fields=sorted(fields))
    return actor


@transaction.atomic
def reading_preferences_save(*, actor: User, values: dict) -> ReadingPreferences:
    """Save the account's reading preferences (those given; the others keep their values).
    `values` is checked by polis.accounts.reading.check; full_clean checks it again."""
    row, _created = ReadingPreferences.objects.select_for_update().get_or_create(user=actor)
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def pseud_create(*, actor: User, name: str, description: str = "") -> Pseud:
    """Add a pseud the actor can write under."""
    name = _check_pseud_name(user=actor, name=name)
    pseud = Pseud(
        user=actor, name=name, description=_pseud_description_html(description), is_default=False
    )
    pseud.full_clean()
    _save_or_field_error(pseud, field="name", message=f"You already have a pseud called “{name}”.")
    return pseud


@transaction.atomic
def pseud_update(*, actor: User, pseud: Pseud, name: str, description: str = "") -> Pseud:
    """Rename a pseud or change its description. The default pseud keeps the username."""
    if pseud.user_id != actor.pk:
        raise PermissionDenied("Only the owner can edit a pseud.")
    name = name.strip()
    if pseud.is_default and name != pseud.name:
        raise ValidationError(
            {
                "name": (
                    "Your default pseud is your username. "
                    "To rename it, change your username in Settings."
                )
            }
        )
    name = _check_pseud_name(user=actor, name=name, exclude_pk=pseud.pk)
    renamed = name != pseud.name
    pseud.name = name
    pseud.description = _pseud_description_html(description)
    pseud.full_clean()
    _save_or_field_error(
        pseud,
        field="name",
        message=f"You already have a pseud called “{name}”.",
        update_fields=["name", "description"],
    )
    if renamed:
        bylines_changed([pseud.pk])
    return pseud


@transaction.atomic
def invitation_create(*, actor: User | None = None, email: str = "") -> Invitation:
    """A new single-use sign-up code; `actor` is None when the operator makes it (CLI)."""
    if actor is not None:
        require_participation(actor)  # a suspended or banned account invites no one
    invitation = Invitation(created_by=actor, email=email.strip())
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic
def invitation_redeem(*, token: str, user: User) -> Invitation:
    """Mark an unused invitation as used by this new user; refuse a used or unknown code."""
    invitation = Invitation.objects.select_for_update().filter(token=token.strip()).first()
    if invitation is None or invitation.used_by_id is not None or invitation.used_at is not None:
        raise ValidationError(
            {"invitation": "This invitation code is not valid or has already been used."}
        )
    if Invitation.objects.filter(used_by=user).exists():
        raise ValidationError({"invitation": "This account has already used an invitation."})
    invitation.used_by = user
    invitation.used_at = timezone.now()
    invitation.full_clean()
    invitation.save(update_fields=["used_by", "used_at"])
    return invitation
