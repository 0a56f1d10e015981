"""Work skins: who may see and change one, every write to it, and the CSS a work page links.

A skin is private to its owner: only they list, edit, delete or choose it (anyone else gets the
same 404 as for a missing skin). Its CSS reaches readers only through a work that uses it, at
/works/ID/skin.css, which asks the work's own access rule first. The CSS is cleaned by
polis.core.css on every save; a skin with problems is refused with every problem listed.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404

from polis.accounts.models import User
from polis.accounts.standing import require_participation
from polis.core.css import CONTAINMENT, CssError, sanitize_work_skin
from polis.works.access import is_creator
from polis.works.models import Work, WorkSkin

TITLE_MAX = 100
DESCRIPTION_MAX = 500


# --------------------------------------------------------------------------- access


def access_skin_for_edit(user: User, skin_id: int) -> WorkSkin:
    """The user's own skin; Http404 for anyone else's and for a missing one."""
    if not user.is_authenticated:
        raise Http404("No such skin.")
    skin = WorkSkin.objects.filter(pk=skin_id, user=user).first()
    if skin is None:
        raise Http404("No such skin.")
    return skin


# --------------------------------------------------------------------------- reads


def skins_of(user: User) -> QuerySet[WorkSkin]:
    return WorkSkin.objects.filter(user=user).order_by("title", "pk")


def work_skin_stylesheet(work: Work) -> str | None:
    """The CSS the work page links (its skin, contained); None when it has no skin."""
    skin = work.work_skin
    return None if skin is None else CONTAINMENT + skin.css


# --------------------------------------------------------------------------- writes


def _clean(*, title: str, css: str, description: str) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = ["Give the skin a title."]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"A title can be at most {TITLE_MAX} characters long."]
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [f"A description can be at most {DESCRIPTION_MAX} characters."]
    clean_css = ""
    if not css.strip():
        errors["css"] = ["Write some CSS."]
    else:
        try:
            clean_css = sanitize_work_skin(css)
        except CssError as error:
            errors["css"] = error.problems
        else:
            if not clean_css:
                errors["css"] = ["This CSS has no rules."]
    if errors:
        raise ValidationError(errors)
    return title, clean_css, description.strip()


def _save(skin: WorkSkin) -> WorkSkin:
    try:
        with transaction.atomic():
            skin.save()
    except IntegrityError as error:
        raise ValidationError({"title": "You already have a skin with that title."}) from error
    return skin


@transaction.atomic
def skin_create(*, actor: User, title: str, css: str, description: str = "") -> WorkSkin:
    require_participation(actor)
    title, clean_css, description = _clean(title=title, css=css, description=description)
    return _save(WorkSkin(user=actor, title=title, css=clean_css, description=description))


@transaction.atomic
def skin_update(
    *, actor: User, skin: WorkSkin, title: str, css: str, description: str = ""
) -> WorkSkin:
    require_participation(actor)
    if skin.user_id != actor.pk:
        raise Http404("No such skin.")
    skin.title, skin.css, skin.description = _clean(title=title, css=css, description=description)
    return _save(skin)


@transaction.atomic
def skin_delete(*, actor: User, skin: WorkSkin) -> None:
    """Delete the skin; the works that used it fall back to no skin."""
    if skin.user_id != actor.pk:
        raise Http404("No such skin.")
    skin.delete()


@transaction.atomic
def work_choose_skin(*, actor: User, work: Work, skin: WorkSkin | None) -> Work:
    """A creator puts one of their own skins on the work, or none. The work's version
    (`updated_at`) stays, so open edit forms do not turn stale."""
    require_participation(actor)
    if not is_creator(actor, work):
        raise Http404("No such work.")
    if skin is not None and skin.user_id != actor.pk:
        raise ValidationError({"skin": "Choose one of your own skins."})
    Work.objects.filter(pk=work.pk).update(work_skin=skin)
    work.work_skin = skin
    return work
