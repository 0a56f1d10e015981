"""Import pages: the Import New Work form, an import's progress, and claiming archived works."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.imports import actions
from polis.imports.access import access_claim, access_job
from polis.imports.actions import read_upload
from polis.imports.forms import ImportForm
from polis.imports.restore import not_restored_message
from polis.imports.selectors import claim_works, job_drafts, recent_jobs


def _apply_errors(form: ImportForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            if upload is not None:
                result = actions.import_file_result(
                    actor=request.user,
                    name=upload.name,
                    data=read_upload(upload),
                    options=form.options(),
                )
                works = result.works
            else:
                job = actions.import_urls_start(
                    actor=request.user,
                    urls=form.url_list(),
                    as_chapters=form.cleaned_data["as_chapters"],
                    options=form.options(),
                )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if upload is None:
                messages.success(request, "Your import is queued; its drafts appear below.")
                return redirect(job)
            messages.success(
                request,
                f"Imported {len(works)} draft{'s' if len(works) != 1 else ''}. Review "
                "everything on the preview, then post.",
            )
            if result.restored is not None:
                for line in result.restored.summary():
                    messages.info(request, line)
                messages.info(request, not_restored_message())
            if len(works) == 1:
                return redirect("works:preview", work_id=works[0].pk)
            return redirect("accounts:drafts", username=request.user.username)
    return render(
        request,
        "imports/new.html",
        {"form": form, "jobs": recent_jobs(request.user)},
    )


@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(request.user, job_id)
    return render(request, "imports/job.html", {"job": job, "drafts": job_drafts(job)})


def import_claim(request: HttpRequest, token: str) -> HttpResponse:
    creator = access_claim(token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            works = actions.external_creator_claim(actor=request.user, creator=creator)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"{len(works)} work{'s' if len(works) != 1 else ''} moved to your pseud."
            )
            return redirect("accounts:drafts", username=request.user.username)
    return render(
        request, "imports/claim.html", {"creator": creator, "records": claim_works(creator)}
    )
