"""The work page says where the work belongs, as the viewer may see it: "Collections:",
"For X" and "In response to a prompt by Y in the Z collection" (AO3's preface)."""

import pytest

from polis.collections.actions import prompts as actions
from polis.collections.models import Collection, Gift
from tests.collections.test_prompt_memes import meme  # noqa: F401  (fixture)
from tests.works.support import parse

pytestmark = pytest.mark.django_db


def _context(client, work):
    page = parse(client.get(work.get_absolute_url()))
    collections = page.select("dl.work.meta dd.collections")
    return (
        collections[0].text if collections else None,
        [" ".join(li.text.split()) for li in page.select("div.preface ul.associations li")],
    )


def test_a_prompt_fill_shows_its_collection_gift_and_prompt(
    meme,  # noqa: F811
    make_user,
    make_work,
    client,
):
    _, _, _, signup = meme
    work = make_work(make_user("writer"), title="The Keeper")
    lighthouse = signup.prompts.get(title="Lighthouse AU")
    actions.prompt_fill(actor=work.pseuds.get().user, prompt=lighthouse, work=work)

    assert _context(client, work) == (
        "Kink Meme",
        ["For prompter.", "In response to a prompt by prompter in the Kink Meme collection."],
    )
    page = parse(client.get(work.get_absolute_url()))
    links = [a.get("href") for a in page.select("div.preface ul.associations a")]
    assert links == [
        "/users/prompter/gifts",
        lighthouse.get_absolute_url(),
        signup.pseud.get_absolute_url(),
        "/collections/meme",
    ]


def test_an_anonymous_prompt_names_its_prompter_anonymous(
    meme,  # noqa: F811
    make_user,
    make_work,
    client,
):
    _, _, _, signup = meme
    work = make_work(make_user("writer"), title="Hush")
    secret = signup.prompts.get(title="Secret")
    actions.prompt_fill(actor=work.pseuds.get().user, prompt=secret, work=work)

    _, lines = _context(client, work)
    assert "In response to a prompt by Anonymous in the Kink Meme collection." in lines
    assert not any("prompter" in line and "prompt by" in line for line in lines)


def test_a_collection_hidden_by_staff_and_a_refused_gift_are_left_out(
    meme,  # noqa: F811
    make_user,
    make_work,
    client,
):
    _, mod, _, signup = meme
    work = make_work(make_user("writer"), title="The Keeper")
    lighthouse = signup.prompts.get(title="Lighthouse AU")
    actions.prompt_fill(actor=work.pseuds.get().user, prompt=lighthouse, work=work)
    Collection.objects.filter(name="meme").update(hidden=True)
    Gift.objects.filter(work=work).update(refused=True)

    assert _context(client, work) == (None, [])
    client.force_login(mod)  # a maintainer still lists the collection it keeps
    assert _context(client, work) == (
        "Kink Meme",
        ["In response to a prompt by prompter in the Kink Meme collection."],
    )


def test_a_work_without_collections_shows_none_of_it(make_work, client):
    assert _context(client, make_work(title="Alone")) == (None, [])
