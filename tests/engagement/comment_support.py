"""Helpers shared by the comment tests: a guest's details, posting a comment, replying."""

from django.urls import reverse

from polis.engagement.comments import comment_create

GUEST = {"name": "Wanderer", "email": "wanderer@example.org"}


def _post(client, work, text="<p>Loved the lamp.</p>", **extra):
    url = reverse("engagement:comment_create", kwargs={"work_id": work.pk})
    return client.post(url, {"text": text, **extra})


def _reply(people, viewer, parent, text):
    comment, _ = comment_create(actor=people[viewer], work=parent.work, text=text, parent=parent)
    return comment
