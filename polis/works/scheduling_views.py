"""Pages to schedule a draft work or a draft chapter for posting at a chosen time."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from polis.works.access import access_chapter_for_edit, access_work_for_edit
from polis.works.scheduling import chapter_schedule, work_schedule


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label="Post at",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Date and time, in the archive's time zone ({tz}). Subscribers are told "
        "when it is posted.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["scheduled_at"]
        field.help_text = field.help_text.format(tz=timezone.get_current_timezone_name())

    def clean(self):
        cleaned = super().clean()
        if "schedule" in self.data and not cleaned.get("scheduled_at"):
            self.add_error("scheduled_at", "Choose the date and time to post at.")
        return cleaned


def _schedule_page(request, *, obj, change, back, context) -> HttpResponse:
    initial = {"scheduled_at": timezone.localtime(obj.scheduled_at) if obj.scheduled_at else None}
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        at = None if "unschedule" in request.POST else form.cleaned_data["scheduled_at"]
        try:
            change(at)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error("scheduled_at" if field == "scheduled_at" else None, errors)
        else:
            if at is None:
                messages.success(request, "It is no longer scheduled; it stays a draft.")
            else:
                shown = timezone.localtime(at).strftime("%Y-%m-%d %H:%M %Z")
                messages.success(request, f"It will be posted at {shown}.")
            return redirect(back)
    return render(request, "works/schedule.html", {"form": form, "scheduled": obj, **context})


@login_required
def work_schedule_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    return _schedule_page(
        request,
        obj=work,
        change=lambda at: work_schedule(actor=request.user, work=work, at=at),
        back=f"/works/{work.pk}/preview",
        context={"work": work, "heading": f"Schedule {work.title}", "posted": work.posted},
    )


@login_required
def chapter_schedule_view(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    chapter = access_chapter_for_edit(request.user, work, chapter_id)
    return _schedule_page(
        request,
        obj=chapter,
        change=lambda at: chapter_schedule(actor=request.user, chapter=chapter, at=at),
        back=f"/works/{work.pk}/chapters/manage",
        context={
            "work": work,
            "chapter": chapter,
            "heading": f"Schedule chapter {chapter.position} of {work.title}",
            "posted": chapter.posted,
        },
    )
