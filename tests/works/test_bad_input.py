"""Bad input: refused with a message and everything typed kept; hostile HTML never shown."""

import pytest
from django.urls import reverse

from polis.tags.models import Tag
from polis.works.models import Chapter, Creatorship, Tagging, Work
from tests.works.support import (
    chapter_form_data,
    parse,
    work_form_data,
)

pytestmark = pytest.mark.django_db

NEW = reverse("works:new")


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Work, Chapter, Tag, Tagging, Creatorship)
    }


def _errors(response) -> list[str]:
    return parse(response).texts("div#error li")


def _typed(response) -> dict:
    """What the re-rendered posting form holds, field by field, as the browser would send it."""
    page = parse(response)
    form = page.select_one("form#work-form")
    values: dict = {}
    for node in form.select("input"):
        name, kind = node.get("name"), node.get("type")
        if kind in {"checkbox", "radio"}:
            if "checked" in node.attrs:
                values.setdefault(name, []).append(node.get("value"))
        elif kind not in {"hidden", "submit"}:
            values[name] = node.get("value") or ""
    for node in form.select("textarea"):
        # Browsers ignore the one newline Django writes after <textarea>; html.parser keeps it.
        raw = "".join(c for c in node.children if isinstance(c, str))
        values[node.get("name")] = raw.removeprefix("\n")
    for node in form.select("select"):
        chosen = [o.get("value") for o in node.select("option") if "selected" in o.attrs]
        values[node.get("name")] = chosen[0] if chosen else None
    return values


def _full_form(writer, **overrides) -> dict:
    data = work_form_data(
        writer,
        post="1",
        rating="Teen And Up Audiences",
        warnings=["Major Character Death", "Graphic Depictions Of Violence"],
        categories=["F/M"],
        fandoms="The 100 (TV)",
        relationships="Clarke Griffin/Lexa",
        characters="Clarke Griffin, Lexa",
        freeforms="Angst",
        title="What I Typed",
        summary="My summary.",
        notes="My notes.",
        end_notes="My end notes.",
        language="fr",
        restricted="on",
        expected_chapters="4",
        published_at="2020-02-02",
        text_format="text",
        text="My text.\n\nSecond paragraph.",
    )
    data.update(overrides)
    return data


def _assert_kept(response, data: dict) -> None:
    typed = _typed(response)
    assert typed["title"] == data["title"]
    assert typed["rating"] == data["rating"]
    assert sorted(typed.get("warnings", [])) == sorted(data["warnings"])
    assert typed.get("categories", []) == data["categories"]
    for field in (
        "fandoms",
        "relationships",
        "characters",
        "freeforms",
        "summary",
        "notes",
        "end_notes",
        "expected_chapters",
        "published_at",
        "text",
    ):
        assert typed[field] == data[field], field
    assert typed["language"] == data["language"]
    assert typed["text_format"] == data["text_format"]
    assert ("restricted" in typed) is ("restricted" in data)
    assert typed["pseuds"] == [str(pk) for pk in data["pseuds"]]


def test_a_fully_typed_form_posts_so_the_refusals_below_are_about_one_field(writer_client, writer):
    response = writer_client.post(NEW, _full_form(writer))

    assert response.status_code == 302
    assert Work.objects.get().title == "What I Typed"


# ---------------------------------------------------------------- missing fields


@pytest.mark.parametrize(
    ("field", "error"),
    [
        ("title", "Work Title: This field is required."),
        ("rating", "Rating: This field is required."),
        ("warnings", "Archive Warnings: Select at least one archive warning."),
        ("fandoms", "Fandoms: Add at least one fandom."),
        ("text", "Work Text: This field is required."),
        ("language", "Language: This field is required."),
        ("pseuds", "Creator/Pseud(s): Choose at least one of your pseuds."),
    ],
)
def test_a_missing_required_field_is_refused_and_the_rest_is_kept(
    writer_client, writer, field, error
):
    data = _full_form(writer)
    blank = [] if isinstance(data[field], list) else ""
    data[field] = blank
    before = _counts()

    response = writer_client.post(NEW, data)

    assert response.status_code == 200
    assert _errors(response) == [error]
    assert _counts() == before
    typed = _typed(response)
    assert typed.get(field, blank) in (blank, None)
    assert typed["title"] == data["title"] or field == "title"
    assert typed["summary"] == "My summary."
    assert typed["text"] == data["text"]


def test_whitespace_only_text_is_refused(writer_client, writer):
    response = writer_client.post(NEW, _full_form(writer, text="   \n\n  "))

    assert response.status_code == 200
    assert _errors(response) == ["Work Text: Brevity is the soul of wit, but we need some text."]
    assert Work.objects.count() == 0


def test_an_unknown_rating_is_refused(writer_client, writer):
    data = _full_form(writer)
    data["rating"] = "Super Explicit"

    response = writer_client.post(NEW, data)

    assert response.status_code == 200
    assert _errors(response) == [
        "Rating: Select a valid choice. Super Explicit is not one of the available choices."
    ]
    assert Work.objects.count() == 0
    typed = _typed(response)
    assert typed["title"] == "What I Typed"
    assert typed["rating"] is None  # an unknown choice cannot be shown as selected


def test_an_unknown_archive_warning_is_refused(writer_client, writer):
    data = _full_form(writer)
    data["warnings"] = ["No Archive Warnings Apply", "Spoilers"]

    response = writer_client.post(NEW, data)

    assert response.status_code == 200
    assert _errors(response) == [
        "Archive Warnings: Select a valid choice. Spoilers is not one of the available choices."
    ]
    assert Work.objects.count() == 0


# ---------------------------------------------------------------- limits


def _tags(prefix: str, number: int) -> str:
    return ", ".join(f"{prefix} {n}" for n in range(number))


@pytest.mark.parametrize(("extra_freeforms", "accepted"), [(71, True), (72, False)])
def test_at_most_75_user_defined_tags(writer_client, writer, extra_freeforms, accepted):
    # 1 fandom + 1 relationship + 2 characters + 1 freeform are already in the full form.
    freeforms = f"Angst, {_tags('Tag', extra_freeforms - 1)}"
    data = _full_form(writer)
    data["freeforms"] = freeforms
    before = _counts()

    response = writer_client.post(NEW, data)

    if accepted:
        assert response.status_code == 302
        assert (
            Work.objects.get().tags.exclude(type__in=["rating", "warning", "category"]).count()
            == 75
        )
        return
    assert response.status_code == 200
    assert _errors(response) == [
        "You have 76 fandom, relationship, character and additional tags; "
        "a work can have at most 75."
    ]
    assert _counts() == before
    _assert_kept(response, data)


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [
        ("title", 255, "Work Title"),
        ("summary", 1250, "Summary"),
        ("notes", 5000, "Notes"),
        ("end_notes", 5000, "Notes at the end"),
        ("text", 510_000, "Work Text"),
    ],
)
def test_length_limits_on_the_work_form(writer_client, writer, field, limit, label):
    assert writer_client.post(NEW, _full_form(writer, **{field: "x" * limit})).status_code == 302
    before = _counts()
    data = _full_form(writer)
    data[field] = "y" * (limit + 1)

    response = writer_client.post(NEW, data)

    assert response.status_code == 200
    assert _errors(response) == [
        f"{label}: Ensure this value has at most {limit} characters (it has {limit + 1})."
    ]
    assert _counts() == before
    _assert_kept(response, data)


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [
        ("chapter_title", 255, "Chapter Title"),
        ("chapter_summary", 1250, "Chapter Summary"),
        ("chapter_notes", 5000, "Chapter Notes (at the beginning)"),
        ("chapter_end_notes", 5000, "Chapter Notes (at the end)"),
        ("text", 510_000, "Chapter Text"),
    ],
)
def test_length_limits_on_the_chapter_form(writer_client, writer, make_work, field, limit, label):
    work = make_work(writer)
    url = reverse("works:chapter_new", kwargs={"work_id": work.pk})
    data = chapter_form_data(post="1", chapter_title="Kept Title", chapter_notes="Kept notes.")
    data[field] = "z" * (limit + 1)
    before = _counts()

    response = writer_client.post(url, data)

    assert response.status_code == 200
    page = parse(response)
    assert page.texts("div#error li") == [
        f"{label}: Ensure this value has at most {limit} characters (it has {limit + 1})."
    ]
    assert _counts() == before
    assert page.select_one("input[name=chapter_title]").get("value") == data["chapter_title"]
    assert page.select_one("textarea[name=chapter_notes]").text == data["chapter_notes"]
    assert page.select_one("textarea[name=text]").text == data["text"]


def test_a_too_long_tag_name_is_refused(writer_client, writer):
    long_name = "t" * 151

    response = writer_client.post(NEW, _full_form(writer, freeforms=f"Angst, {long_name}"))

    assert response.status_code == 200
    assert _errors(response) == [
        f"Additional Tags: Tag names can be at most 150 characters: “{'t' * 40}…”."
    ]
    assert Work.objects.count() == 0


@pytest.mark.parametrize("character", ["*", "<", "^", "=", "%"])
def test_tag_names_with_forbidden_characters_are_refused(writer_client, writer, character):
    name = f"Bad{character}Tag"

    response = writer_client.post(NEW, _full_form(writer, characters=name))

    assert response.status_code == 200
    assert _errors(response) == [
        f"Characters: Tag “{name}” contains characters that cannot be used in tags: {character}"
    ]
    assert _typed(response)["characters"] == name
    assert Work.objects.count() == 0


def test_a_failure_after_the_work_row_is_written_rolls_everything_back(
    writer_client, writer, make_work
):
    make_work(characters=["Octavia Blake"])
    before = _counts()
    data = _full_form(writer)
    data["fandoms"] = "Never Seen Fandom"
    data["relationships"] = "Never/Seen"
    data["freeforms"] = "octavia blake"

    response = writer_client.post(NEW, data)

    assert response.status_code == 200
    assert _counts() == before
    assert not Tag.objects.filter(name__in=["Never Seen Fandom", "Never/Seen"]).exists()
    assert _errors(response) == [
        "Additional Tags: “Octavia Blake” is already in the archive as a Character tag. "
        "Tag names are unique; try adding more information, e.g. the fandom."
    ]
    _assert_kept(response, data)


def test_a_refused_edit_changes_nothing(writer_client, writer, make_work):
    make_work(characters=["Octavia Blake"])
    work = make_work(writer, title="Stable", freeforms=["Angst"])
    before = (
        list(Work.objects.filter(pk=work.pk).values()),
        list(Tagging.objects.filter(work=work).values_list("tag__name", flat=True).order_by("pk")),
        list(Chapter.objects.filter(work=work).values()),
    )

    response = writer_client.post(
        reverse("works:edit", kwargs={"work_id": work.pk}),
        work_form_data(
            writer,
            update="1",
            title="Changed",
            freeforms="New Freeform, octavia blake",
            text="<p>Changed text.</p>",
        ),
    )

    assert response.status_code == 200
    assert "“Octavia Blake” is already in the archive as a Character tag." in _errors(response)[0]
    after = (
        list(Work.objects.filter(pk=work.pk).values()),
        list(Tagging.objects.filter(work=work).values_list("tag__name", flat=True).order_by("pk")),
        list(Chapter.objects.filter(work=work).values()),
    )
    assert after == before
    assert not Tag.objects.filter(name="New Freeform").exists()


# ---------------------------------------------------------------- hostile HTML

HOSTILE = (
    '<p>kept words</p><script>alert("x")</script>'
    '<p onclick="alert(1)" style="color:red">clicked</p>'
    '<a href="javascript:alert(2)">js link</a>'
    '<a href=" JaVaScRiPt:alert(3)">spaced link</a>'
    '<img src="x" onerror="alert(4)"><img src="javascript:alert(5)">'
    "<style>body{display:none}</style>"
    '<iframe src="https://evil.example/"></iframe>'
    '<svg onload="alert(6)"><script>alert(7)</script></svg>'
    '<object data="evil.swf"></object><embed src="evil.swf">'
    '<form action="https://evil.example/"><input name="password"></form>'
    '<div style="position:fixed">styled</div>'
    "<math><mi>x</mi></math>"
)
DROPPED_ELEMENTS = {"script", "style", "iframe", "svg", "math", "object", "embed", "frame"}
FORM_ELEMENTS = {"form", "input", "button", "textarea", "select"}
# What hostile HTML leaves behind if anything of it survives as markup or as text.
TRACES = ["alert(", "javascript:", "evil.example", "evil.swf", "display:none", "position:fixed"]


def _assert_clean(response, *, no_traces: bool = True) -> None:
    """No active markup anywhere on the page; with `no_traces`, not even as escaped text."""
    body = response.content.decode()
    if no_traces:
        for trace in TRACES:
            assert trace not in body.lower(), trace
    page = parse(body)
    for node in page.descendants():
        if node.tag == "script" and (node.get("src") or "").startswith("/static/polis/"):
            continue  # the site's own progressive enhancement, not user markup
        assert node.tag not in DROPPED_ELEMENTS, node
        for name, value in node.attrs.items():
            assert not name.startswith("on"), node
            assert name != "style", node
            if name in {"href", "src", "action", "data"}:
                assert not (value or "").strip().lower().startswith("javascript"), node
    for area in page.select("div#workskin") + page.select("li.work.blurb"):
        assert not [node for node in area.descendants() if node.tag in FORM_ELEMENTS]


@pytest.mark.parametrize("text_format", ["html", "markdown"])
def test_hostile_html_never_reaches_any_page(writer_client, writer, text_format):
    data = work_form_data(
        writer,
        post="1",
        rating="General Audiences",
        title="Title <b>bold</b> & more",
        summary=HOSTILE,
        notes=HOSTILE,
        end_notes=HOSTILE,
        text_format=text_format,
        text=HOSTILE,
    )
    assert writer_client.post(NEW, data).status_code == 302
    work = Work.objects.get()
    chapter_data = chapter_form_data(
        post="1",
        chapter_title="Chapter <i>x</i>",
        chapter_summary=HOSTILE,
        chapter_notes=HOSTILE,
        chapter_end_notes=HOSTILE,
        text_format=text_format,
        text=HOSTILE,
    )
    response = writer_client.post(
        reverse("works:chapter_new", kwargs={"work_id": work.pk}), chapter_data
    )
    assert response.status_code == 302
    second = work.chapters.get(position=2)

    pages = {
        "full": f"{work.get_absolute_url()}?view_full_work=true",
        "chapter 1": work.chapters.get(position=1).get_absolute_url(),
        "chapter 2": second.get_absolute_url(),
        "preview": reverse("works:preview", kwargs={"work_id": work.pk}),
        "navigate": reverse("works:navigate", kwargs={"work_id": work.pk}),
        "listing": reverse("works:index"),
        "home": reverse("home"),
        "user works": reverse("accounts:user_works", kwargs={"username": "writer"}),
    }
    for name, url in pages.items():
        response = writer_client.get(url)
        assert response.status_code == 200, name
        _assert_clean(response, no_traces=text_format == "html")

    full = parse(writer_client.get(pages["full"]))
    # Every user field reached the page, cleaned rather than dropped.
    title = full.select_one("h1.title.heading")
    assert title.text == "Title <b>bold</b> & more"
    assert title.select("b") == []
    assert full.select_one("div#chapter-2 h3.title").text == "Chapter 2: Chapter <i>x</i>"
    assert "kept words" in full.select("div.summary blockquote.userstuff")[0].text
    assert "kept words" in full.select("div.notes blockquote.userstuff")[0].text
    assert "kept words" in full.select_one("div#work_endnotes blockquote.userstuff").text
    for number in (1, 2):
        assert "kept words" in full.select_one(f"div#chapter-{number} div.userstuff.module").text
    assert "kept words" in full.select_one("div#chapter-2 div#summary blockquote").text
    assert "kept words" in full.select_one("div#chapter-2 div#notes blockquote").text
    assert "kept words" in full.select_one("div#chapter_2_endnotes blockquote").text
    links = [(a.text, a.get("href")) for a in full.select("div#chapter-1 div.userstuff.module a")]
    # Markdown shows raw HTML as text; HTML keeps the links without their script URLs.
    assert links == ([("js link", None), ("spaced link", None)] if text_format == "html" else [])


def test_hostile_html_in_edited_fields_is_cleaned_too(writer_client, writer, make_work):
    work = make_work(writer)

    writer_client.post(
        reverse("works:edit", kwargs={"work_id": work.pk}),
        work_form_data(
            writer,
            update="1",
            summary=HOSTILE,
            notes=HOSTILE,
            end_notes=HOSTILE,
            text=HOSTILE,
            published_at=work.published_at,
        ),
    )
    chapter = work.chapters.get()
    writer_client.post(
        reverse("works:chapter_edit", kwargs={"work_id": work.pk, "chapter_id": chapter.pk}),
        chapter_form_data(
            update="1", chapter_notes=HOSTILE, chapter_end_notes=HOSTILE, text=HOSTILE
        ),
    )

    response = writer_client.get(work.get_absolute_url())
    _assert_clean(response)
    assert (
        response.content.decode().count("kept words") == 6
    )  # summary, notes, end notes, text, chapter notes x2
