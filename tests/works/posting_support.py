"""Helpers shared by the posting-form tests: the form's address and what a post saved."""

from django.urls import reverse

from polis.tags.models import Tag
from polis.works.models import Chapter, Creatorship, Tagging, Work

NEW = reverse("works:new")


def _only_work() -> Work:
    return Work.objects.get()


def _tag_names(work: Work, tag_type: str) -> list[str]:
    return sorted(
        Tagging.objects.filter(work=work, tag__type=tag_type).values_list("tag__name", flat=True)
    )


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Work, Chapter, Tag, Tagging, Creatorship)
    }
