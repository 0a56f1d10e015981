"""Every feedback page renders for the person it is for, with labelled controls and CSRF."""

import pytest
from django.urls import reverse

from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.engagement.subscriptions import subscription_create
from polis.works.series import series_add_work, series_create
from tests.engagement.conftest import client_for
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(cast):
    people, work = cast
    comment, _ = comment_create(actor=people["other"], work=work, text="Hi")
    bookmark, _ = bookmark_create(actor=people["other"], work=work, tags=["A"])
    series = series_create(actor=people["creator"], title="Saga")
    series_add_work(actor=people["creator"], series=series, work=work)
    subscription_create(actor=people["other"], target=work)
    reader = {
        "inbox": reverse("engagement:inbox", args=["reader"]),
        "history": reverse("engagement:readings", args=["reader"]),
        "later": reverse("engagement:readings", args=["reader"]) + "?show=to-read",
        "subscriptions": reverse("engagement:subscriptions", args=["reader"]),
        "muted": reverse("engagement:muted", args=["reader"]),
        "blocked": reverse("engagement:blocked", args=["reader"]),
        "mute confirm": reverse("engagement:mute", args=["writer"]),
        "comment edit": reverse("engagement:comment_edit", args=[comment.pk]),
        "comment delete": reverse("engagement:comment_delete", args=[comment.pk]),
        "comment": reverse("engagement:comment", args=[comment.pk]),
        "bookmark": reverse("engagement:bookmark", args=[bookmark.pk]),
        "bookmark edit": reverse("engagement:bookmark_edit", args=[bookmark.pk]),
        "bookmark delete": reverse("engagement:bookmark_delete", args=[bookmark.pk]),
        "external bookmark": reverse("engagement:bookmark_external"),
        "bookmarks": reverse("engagement:bookmarks"),
        "user bookmarks": reverse("engagement:user_bookmarks", args=["reader"]),
        "work bookmarks": reverse("engagement:work_bookmarks", args=[work.pk]),
        "work": work.get_absolute_url(),
        "series": series.get_absolute_url(),
        "user series": reverse("works:user_series", args=["writer"]),
    }
    creator = {
        "stats": reverse("engagement:stats", args=["writer"]),
        "comment settings": reverse("engagement:comment_settings", args=[work.pk]),
        "held comments": reverse("engagement:comments_held", args=[work.pk]),
        "delete thread": reverse("engagement:comment_delete", args=[comment.pk]) + "?thread=1",
        "series new": reverse("works:series_new"),
        "series edit": reverse("works:series_edit", args=[series.pk]),
        "series manage": reverse("works:series_manage", args=[series.pk]),
        "series delete": reverse("works:series_delete", args=[series.pk]),
        "add to series": reverse("works:work_series", args=[work.pk]),
        "work": work.get_absolute_url(),
    }
    return people, {"other": reader, "creator": creator}


@pytest.mark.parametrize("who", ["other", "creator"])
def test_pages_render_with_labelled_controls_and_csrf(pages, who):
    people, urls = pages
    client = client_for(people, who)
    for name, url in urls[who].items():
        response = client.get(url)
        assert response.status_code == 200, name
        page = parse(response)
        labelled = {node.get("for") for node in page.select("label[for]")}
        for control in (
            page.select("main textarea")
            + page.select("main select")
            + [
                node
                for node in page.select("main input")
                if node.get("type") not in {"hidden", "submit"}
            ]
        ):
            assert control.get("id") in labelled, (name, control)
        for form in page.select("main form"):
            if (form.get("method") or "").lower() == "post":
                assert form.select("input[name=csrfmiddlewaretoken]"), (name, form)
