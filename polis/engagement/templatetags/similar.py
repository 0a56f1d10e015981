"""The work page's "Similar works" section (polis.engagement.similar), for the viewer."""

from django import template

from polis.engagement.similar import similar_works

register = template.Library()


@register.inclusion_tag("engagement/includes/similar.html", takes_context=True)
def similar_works_section(context) -> dict:
    request = context["request"]
    viewer = request.user
    works = similar_works(viewer=viewer, work=context["work"], blurbs=True)
    return {"similar": works, "subject": context["work"], "user": viewer, "request": request}
