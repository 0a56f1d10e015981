"""`{% work_context work as context %}`: the work page's collections, gifts and prompts."""

from django import template

from polis.collections.work_context import WorkContext, work_context

register = template.Library()


@register.simple_tag(takes_context=True, name="work_context")
def work_context_tag(context, work) -> WorkContext:
    # The work's header and preface both ask; one answer per request and work.
    request = context["request"]
    answers = request.__dict__.setdefault("_polis_work_context", {})
    if work.pk not in answers:
        answers[work.pk] = work_context(request.user, work)
    return answers[work.pk]
