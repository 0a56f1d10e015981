"""Writing pages: post, preview, edit and delete works; add, edit, order and post chapters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polis.accounts.standing import AccountRestricted
from polis.works import actions, guard_forms, idempotency, staleness
from polis.works.access import (
    access_chapter_for_edit,
    access_creatorship_invitation,
    access_work_for_edit,
)
from polis.works.forms import ChapterForm, WorkForm
from polis.works.hooks import posting_fields, posting_prefill
from polis.works.models import TAG_FIELDS, Work, creator_pseuds, tags_of_type
from polis.works.selectors import work_for_display
from polis.works.suggestion_forms import (
    form_suggestions,
    is_suggestion_step,
    unbound_form,
    with_chosen_suggestions,
)


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Show an action's refusal on the form, on the field it names when it names one (a
    hidden field has nowhere to show it: the form's own errors take it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            shown = field in form.fields and not form.fields[field].widget.is_hidden
            form.add_error(field if shown else None, errors)
    else:
        form.add_error(None, error)


def _work_initial(work: Work) -> dict:
    work = work_for_display(work)
    initial = {
        "title": work.title,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "restricted": work.restricted,
        "complete": work.complete,
        "expected_chapters": work.expected_chapters,
        "published_at": work.published_at,
        "rating": work.rating,
        "pseuds": [pseud.pk for pseud in creator_pseuds(work)],
    }
    for tag_type, field in TAG_FIELDS.items():
        names = [tag.name for tag in tags_of_type(work, tag_type)]
        if field in {"warnings", "categories"}:
            initial[field] = names
        elif field != "rating":
            initial[field] = ", ".join(names)
    for extra in posting_fields():
        initial[extra.name] = ", ".join(extra.current(work))
    first = work.chapters.order_by("position").first()
    if first is not None:
        initial["text"] = first.source
        initial["text_format"] = first.text_format
    return initial


@login_required
def work_new(request: HttpRequest) -> HttpResponse:
    # `?assignment_id=N` (a gift exchange's "Fulfill") fills in the collection and the gift.
    initial = (
        {} if request.method == "POST" else posting_prefill(user=request.user, params=request.GET)
    )
    # A new work is a one-shot (1/1) until the writer says more chapters are coming, as on AO3.
    initial.setdefault("expected_chapters", 1)
    data = with_chosen_suggestions(request.POST) if request.POST else None
    if is_suggestion_step(data):
        return _suggesting(request, data, work=None, heading="Post New Work")
    form = WorkForm(data, user=request.user, initial=initial)
    guard_forms.add_token(form)
    status = 200
    if request.method == "POST" and form.is_valid():
        post = "post" in request.POST
        try:
            work, created = idempotency.work_create_once(
                key=guard_forms.submitted(form, guard_forms.TOKEN),
                actor=request.user,
                pseuds=list(form.cleaned_data["pseuds"]),
                data=form.work_input(),
                chapter=form.chapter_input(),
                co_creators=form.cleaned_data["co_creators"],
                post=post,
                extras=form.extras(),
            )
        except AccountRestricted as error:
            form.add_error(None, str(error))  # the form keeps what was typed
            status = 403
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if not created:  # the same form sent again (a double-click): the first work
                return redirect(work) if work.posted else redirect("works:preview", work.pk)
            if post:
                messages.success(request, "Work was successfully posted.")
                return redirect(work)
            if "preview" not in request.POST:
                messages.success(request, "Draft was successfully created.")
            return redirect("works:preview", work_id=work.pk)
    return render(
        request, "works/form.html", {"form": form, "heading": "Post New Work"}, status=status
    )


@login_required
def work_preview(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for_display(access_work_for_edit(request.user, work_id))
    chapters = list(work.chapters.numbered(drafts=True).order_by("position", "pk"))
    return render(
        request,
        "works/preview.html",
        {
            "work": work,
            "chapters": chapters,
            "shown": chapters,
            "full": True,
            "multi": len(chapters) > 1,
            "is_creator": True,
        },
    )


@login_required
@require_POST
def work_post_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    try:
        actions.work_post(actor=request.user, work=work)
    except AccountRestricted as error:
        messages.error(request, str(error))
        return redirect("works:preview", work_id=work.pk)
    except ValidationError as error:
        # Something posting fulfils refused it (an assignment's exchange closed, say).
        messages.error(request, " ".join(error.messages))
        return redirect("works:preview", work_id=work.pk)
    messages.success(request, "Work was successfully posted.")
    return redirect(work)


@login_required
def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    single = work.chapters.count() == 1
    data = with_chosen_suggestions(request.POST) if request.POST else None
    if is_suggestion_step(data):
        return _suggesting(request, data, work=work, heading=f"Edit {work.title}", single=single)
    form = WorkForm(data, user=request.user, include_text=single, initial=_work_initial(work))
    guard_forms.add_version(form, work)
    stale = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            work = _save_edit(request, work, form, single)
        except AccountRestricted as error:
            form.add_error(None, str(error))
            status = 403
        except ValidationError as error:
            _apply_errors(form, error)
        except staleness.StaleEdit as error:
            work = error.current
            form, stale = _stale_work_form(request, work, form, single)
        else:
            messages.success(request, "Work was successfully updated.")
            if "post" in request.POST and not work.posted:
                try:
                    actions.work_post(actor=request.user, work=work)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                    # Rolled back: the work in memory must not still say it was posted.
                    work.refresh_from_db()
                else:
                    messages.success(request, "Work was successfully posted.")
            if not work.posted:
                return redirect("works:preview", work_id=work.pk)
            return redirect(work)
    return render(
        request,
        "works/form.html",
        {"form": form, "work": work, "heading": f"Edit {work.title}", "stale": stale},
        status=status,
    )


def _stale_work_form(
    request: HttpRequest, current: Work, typed: WorkForm, single: bool
) -> tuple[WorkForm, list[dict]]:
    """The writer's input kept (on the current version), and how it differs from the saved."""
    saved = WorkForm(user=request.user, include_text=single, initial=_work_initial(current))
    rows = guard_forms.stale_comparison(typed, saved)
    form = WorkForm(
        guard_forms.on_current_version(request.POST, current),
        user=request.user,
        include_text=single,
        initial=_work_initial(current),
    )
    guard_forms.add_version(form, current)
    form.is_valid()
    form.add_error(None, guard_forms.STALE_MESSAGE.format(kind="work"))
    return form, rows


def _suggesting(
    request: HttpRequest, data, *, work: Work | None, heading: str, single: bool = True
) -> HttpResponse:
    """The form again, as typed (ticked suggestions added), with tag suggestions to tick."""
    form = unbound_form(WorkForm, data, user=request.user, include_text=single)
    context = {"form": form, "heading": heading, "suggestions": form_suggestions(data, work)}
    if work is not None:
        context["work"] = work
    return render(request, "works/form.html", context)


def _save_edit(request: HttpRequest, work: Work, form: WorkForm, single: bool) -> Work:
    return staleness.work_update_checked(
        check=staleness.form_version(guard_forms.submitted(form, guard_forms.VERSION)),
        actor=request.user,
        work=work,
        data=form.work_input(),
        co_creators=form.cleaned_data["co_creators"],
        pseuds=list(form.cleaned_data["pseuds"]),
        extras=form.extras(),
        # The work form holds only the text; the chapter's own preface stays as it was.
        text=form.chapter_input() if single else None,
    )


@login_required
def work_delete_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    if request.method == "POST":
        title = work.title
        actions.work_delete(actor=request.user, work=work)
        messages.success(request, f"Your work {title} was deleted.")
        return redirect("accounts:user_works", username=request.user.username)
    return render(request, "works/delete.html", {"work": work})


@login_required
@require_POST
def creatorship_respond(request: HttpRequest, work_id: int) -> HttpResponse:
    invitation = access_creatorship_invitation(request.user, work_id)
    decision = request.POST.get("decision")
    if decision not in {"accept", "decline"}:
        # Never read a missing or mistyped answer as "decline": that deletes the invitation.
        return HttpResponseBadRequest("Choose accept or decline.")
    if decision == "accept":
        actions.creatorship_accept(actor=request.user, creatorship=invitation)
        messages.success(request, f"You are now listed as a creator of {invitation.work.title}.")
    else:
        actions.creatorship_decline(actor=request.user, creatorship=invitation)
        messages.success(request, "You declined the invitation.")
    return redirect("accounts:creatorships", username=request.user.username)


@login_required
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    form = ChapterForm(request.POST or None)
    guard_forms.add_token(form)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            chapter, created = idempotency.chapter_add_once(
                key=guard_forms.submitted(form, guard_forms.TOKEN),
                actor=request.user,
                work=work,
                data=form.chapter_input(),
                post="post" in request.POST,
            )
        except AccountRestricted as error:
            form.add_error(None, str(error))
            status = 403
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if not created:  # the same form sent again: the chapter it added
                return redirect(chapter)
            messages.success(
                request,
                "Chapter was successfully posted." if chapter.posted else "Chapter saved as draft.",
            )
            return redirect(chapter)
    return render(
        request,
        "works/chapter_form.html",
        {"form": form, "work": work, "heading": "Add Chapter"},
        status=status,
    )


@login_required
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    chapter = access_chapter_for_edit(request.user, work, chapter_id)
    form = ChapterForm(request.POST or None, initial=_chapter_initial(chapter))
    guard_forms.add_version(form, chapter)
    stale = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            staleness.chapter_update_checked(
                check=staleness.form_version(guard_forms.submitted(form, guard_forms.VERSION)),
                actor=request.user,
                chapter=chapter,
                data=form.chapter_input(),
                post="post" in request.POST,
            )
        except AccountRestricted as error:
            form.add_error(None, str(error))
            status = 403
        except ValidationError as error:
            _apply_errors(form, error)
        except staleness.StaleEdit as error:
            chapter = access_chapter_for_edit(request.user, work, chapter_id)
            saved = ChapterForm(initial=_chapter_initial(error.current))
            stale = guard_forms.stale_comparison(form, saved)
            form = ChapterForm(
                guard_forms.on_current_version(request.POST, error.current),
                initial=_chapter_initial(error.current),
            )
            guard_forms.add_version(form, error.current)
            form.is_valid()
            form.add_error(None, guard_forms.STALE_MESSAGE.format(kind="chapter"))
        else:
            messages.success(request, "Chapter was successfully updated.")
            return redirect(chapter)
    return render(
        request,
        "works/chapter_form.html",
        {
            "form": form,
            "work": work,
            "chapter": chapter,
            "heading": f"Edit {chapter.heading}",
            "stale": stale,
        },
        status=status,
    )


def _chapter_initial(chapter) -> dict:
    return {
        "chapter_title": chapter.title,
        "chapter_summary": chapter.summary,
        "chapter_notes": chapter.notes,
        "chapter_end_notes": chapter.end_notes,
        "text": chapter.source,
        "text_format": chapter.text_format,
    }


@login_required
def chapter_delete_view(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    chapter = access_chapter_for_edit(request.user, work, chapter_id)
    error = None
    if request.method == "POST":
        try:
            actions.chapter_delete(actor=request.user, chapter=chapter)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "The chapter was successfully deleted.")
            return redirect(work)
    return render(
        request, "works/chapter_delete.html", {"work": work, "chapter": chapter, "error": error}
    )


@login_required
@require_POST
def chapter_post_view(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    chapter = access_chapter_for_edit(request.user, work, chapter_id)
    try:
        actions.chapter_post(actor=request.user, chapter=chapter)
    except AccountRestricted as error:
        messages.error(request, str(error))
        return redirect("works:chapters_manage", work_id=work.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("works:chapters_manage", work_id=work.pk)
    messages.success(request, "Chapter was successfully posted.")
    return redirect(chapter)


@login_required
def chapters_manage(request: HttpRequest, work_id: int) -> HttpResponse:
    """Reorder chapters by giving each a position number (works without JavaScript)."""
    work = access_work_for_edit(request.user, work_id)
    chapters = list(work.chapters.numbered(drafts=True).order_by("position", "pk"))
    error = None
    if request.method == "POST":
        try:
            positions = {c.pk: int(request.POST.get(f"position-{c.pk}", "")) for c in chapters}
        except ValueError:
            error = "Give every chapter a position number."
        else:
            if sorted(positions.values()) != list(range(1, len(chapters) + 1)):
                error = f"Use each position from 1 to {len(chapters)} exactly once."
            else:
                order = sorted(positions, key=positions.__getitem__)
                actions.chapters_reorder(actor=request.user, work=work, chapter_ids=order)
                messages.success(request, "Chapter order has been successfully updated.")
                return redirect("works:navigate", work_id=work.pk)
    return render(
        request,
        "works/chapters_manage.html",
        {"work": work, "chapters": chapters, "error": error, "submitted": request.POST},
    )
