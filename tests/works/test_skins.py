"""Work skins on the web: a creator's skins, choosing one on a work, the scoped stylesheet the
work page links, and the reader's "hide creators' styles"."""

import pytest

from polis.works.models import WorkSkin
from polis.works.skins import skin_create, work_choose_skin

SKIN = ".phone { color: #036; border: 1px solid #ccc; }"
SCOPED = (
    "#workskin { contain: paint; }\n#workskin .phone { color: #036; border: 1px solid #ccc; }\n"
)


@pytest.fixture
def writer(make_user):
    return make_user("quill")


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.mark.django_db
def test_create_a_skin_keeping_the_input_when_refused(writer_client, writer):
    page = writer_client.get("/skins/new").content.decode()
    assert '<label for="id_css">CSS' in page and '<label for="id_title">Title' in page

    bad = "p { color: red }\nbody { display: none }"
    response = writer_client.post("/skins/new", {"title": "Phone", "css": bad})

    assert response.status_code == 200
    assert response.context["form"].errors == {"css": ["Line 2: “body” is the page, not the work."]}
    html = response.content.decode()
    assert "body { display: none }</textarea>" in html
    assert 'value="Phone"' in html
    assert WorkSkin.objects.count() == 0

    response = writer_client.post("/skins/new", {"title": "Phone", "css": SKIN})

    skin = WorkSkin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/skins/{skin.pk}/edit"
    assert (skin.user, skin.title, skin.css) == (
        writer,
        "Phone",
        "#workskin .phone { color: #036; border: 1px solid #ccc; }\n",
    )
    listing = writer_client.get("/skins").content.decode()
    assert f'<a href="/skins/{skin.pk}/edit">Phone</a>' in listing


@pytest.mark.django_db
def test_a_title_is_unique_per_user(writer_client, writer, make_user):
    skin_create(actor=writer, title="Phone", css=SKIN)
    skin_create(actor=make_user("other"), title="Phone", css=SKIN)

    response = writer_client.post("/skins/new", {"title": "Phone", "css": SKIN})

    assert response.context["form"].errors == {
        "title": ["You already have a skin with that title."]
    }


@pytest.mark.django_db
def test_someone_elses_skin_is_missing(client, writer, make_user):
    skin = skin_create(actor=writer, title="Phone", css=SKIN)
    client.force_login(make_user("other"))

    assert client.get(f"/skins/{skin.pk}/edit").status_code == 404
    assert client.post(f"/skins/{skin.pk}/delete").status_code == 404
    assert client.get("/skins/999999/edit").status_code == 404
    assert WorkSkin.objects.count() == 1


@pytest.mark.django_db
def test_choose_a_skin_and_readers_get_it_scoped(writer_client, writer, make_work, client):
    work = make_work(writer, title="Texts")
    skin = skin_create(actor=writer, title="Phone", css=SKIN)
    version = work.updated_at
    choose = writer_client.get(f"/works/{work.pk}/skin").content.decode()
    assert f'<option value="{skin.pk}">Phone</option>' in choose
    assert (
        f'<a href="/works/{work.pk}/skin">Work Skin</a>'
        in writer_client.get(f"/works/{work.pk}").content.decode()
    )

    response = writer_client.post(f"/works/{work.pk}/skin", {"skin": str(skin.pk)})

    assert response.status_code == 302
    work.refresh_from_db()
    assert work.work_skin == skin
    assert work.updated_at == version  # open edit forms stay valid
    writer_client.logout()
    page = client.get(f"/works/{work.pk}").content.decode()
    stamp = int(skin.updated_at.timestamp())
    link = f'<link rel="stylesheet" href="/works/{work.pk}/skin.css?v={stamp}" id="work-skin">'
    assert link in page
    css = client.get(f"/works/{work.pk}/skin.css")
    assert css.status_code == 200
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css.content.decode() == SCOPED


@pytest.mark.django_db
def test_hide_creators_styles_leaves_the_skin_out(client, writer, make_work):
    work = make_work(writer)
    work_choose_skin(actor=writer, work=work, skin=skin_create(actor=writer, title="P", css=SKIN))
    assert 'id="work-skin"' in client.get(f"/works/{work.pk}").content.decode()

    client.post(
        "/preferences",
        {
            "theme": "system",
            "skin": "default",
            "font_family": "serif",
            "font_size": "100",
            "text_width": "comfortable",
            "line_spacing": "normal",
            "hide_work_skins": "on",
        },
    )

    assert 'id="work-skin"' not in client.get(f"/works/{work.pk}").content.decode()


@pytest.mark.django_db
def test_only_your_own_skin_on_only_your_own_work(writer_client, writer, make_user, make_work):
    others = skin_create(actor=make_user("other"), title="Theirs", css=SKIN)
    work = make_work(writer)

    response = writer_client.post(f"/works/{work.pk}/skin", {"skin": str(others.pk)})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["skin"]
    work.refresh_from_db()
    assert work.work_skin is None
    not_mine = make_work(make_user("third"))
    assert writer_client.get(f"/works/{not_mine.pk}/skin").status_code == 404


@pytest.mark.django_db
def test_the_stylesheet_follows_the_works_own_visibility(client, writer, make_work):
    skin = skin_create(actor=writer, title="P", css=SKIN)
    draft = make_work(writer, post=False)
    restricted = make_work(writer, restricted=True)
    bare = make_work(writer)
    for work in (draft, restricted):
        work_choose_skin(actor=writer, work=work, skin=skin)

    assert client.get(f"/works/{draft.pk}/skin.css").status_code == 404
    assert client.get(f"/works/{restricted.pk}/skin.css").status_code == 404
    assert client.get(f"/works/{bare.pk}/skin.css").status_code == 404
    assert client.get("/works/999999/skin.css").status_code == 404
    client.force_login(writer)
    assert client.get(f"/works/{draft.pk}/skin.css").content.decode() == SCOPED


@pytest.mark.django_db
def test_deleting_a_skin_leaves_its_works_plain(writer_client, writer, make_work):
    work = make_work(writer)
    skin = skin_create(actor=writer, title="P", css=SKIN)
    work_choose_skin(actor=writer, work=work, skin=skin)

    response = writer_client.post(f"/skins/{skin.pk}/delete")

    assert response["Location"] == "/skins"
    work.refresh_from_db()
    assert work.work_skin is None
    assert 'id="work-skin"' not in writer_client.get(f"/works/{work.pk}").content.decode()


@pytest.mark.django_db
def test_the_preview_shows_the_skin_too(writer_client, writer, make_work):
    work = make_work(writer, post=False)
    work_choose_skin(actor=writer, work=work, skin=skin_create(actor=writer, title="P", css=SKIN))

    html = writer_client.get(f"/works/{work.pk}/preview").content.decode()

    assert f'href="/works/{work.pk}/skin.css?v=' in html
