"""Signing up for a gift exchange: what is accepted, and bad input refused with nothing changed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from polis.collections.actions.signups import SignupInput, signup_update
from polis.collections.models import Prompt, Signup
from tests.collections.conftest import close_signups, prompt

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> dict:
    return {key: sorted(value) for key, value in error.message_dict.items()}


def test_a_sign_up_keeps_its_requests_offers_tags_and_details(make_exchange, make_user, sign_up):
    challenge = make_exchange()
    wren = make_user("wren")
    signup = sign_up(
        wren,
        challenge,
        [prompt(["A"], ["Ann"], description="<p>Hurt/comfort, please</p>")],
        [prompt(["B", "C"]), prompt(any_fandom=True)],
    )
    requests = list(signup.prompts.filter(kind="request"))
    offers = list(signup.prompts.filter(kind="offer").order_by("position"))
    assert [sorted(t.name for t in r.tags.all()) for r in requests] == [["A", "Ann"]]
    assert requests[0].description == "<p>Hurt/comfort, please</p>"
    assert [sorted(t.name for t in o.tags.all()) for o in offers] == [["B", "C"], []]
    assert offers[1].any_types == ["fandom"]


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (1, 2, "Sign-ups for Yuletide open on"),
        (-2, -1, "Sign-ups for Yuletide closed on"),
    ],
)
def test_sign_ups_outside_the_window_are_refused(
    make_exchange, make_user, sign_up, opens, closes, message
):
    now = timezone.now()
    challenge = make_exchange(
        signup_opens_at=now + datetime.timedelta(days=opens),
        signup_closes_at=now + datetime.timedelta(days=closes),
    )
    with pytest.raises(ValidationError) as error:
        sign_up(make_user(), challenge, [prompt(["A"])], [prompt(["B"])])
    assert error.value.messages[0].startswith(message)
    assert Signup.objects.count() == 0


def test_tags_outside_the_tag_set_are_refused_by_name(make_exchange, make_user, make_work, sign_up):
    challenge = make_exchange()
    make_work(fandoms=["Elsewhere"])  # a real tag, but not in the set
    with pytest.raises(ValidationError) as error:
        sign_up(make_user(), challenge, [prompt(["Elsewhere"])], [prompt(["Nowhere"])])
    assert messages(error.value) == {
        "offer_1_fandom": ["“Nowhere” is not in this challenge's tag set."],
        "request_1_fandom": ["“Elsewhere” is not in this challenge's tag set."],
    }
    assert (Signup.objects.count(), Prompt.objects.count()) == (0, 0)


def test_too_many_tags_too_many_prompts_and_wrong_types_are_refused(
    make_exchange, make_user, sign_up
):
    challenge = make_exchange()
    with pytest.raises(ValidationError) as error:
        sign_up(
            make_user(),
            challenge,
            [prompt(["A", "B", "C"]), prompt(["Ann"]), prompt(["A"])],
            [prompt(["A"], ["D"])],
        )
    assert messages(error.value) == {
        "offer_1_character": ["“D” is a Fandom tag, not Character."],
        "request_1_fandom": ["Choose between 1 and 2 Fandom tag(s); you chose 3."],
        "request_2_fandom": ["“Ann” is a Character tag, not Fandom."],
        "requests": ["You submitted 3 request(s); this challenge allows at most 2."],
    }
    assert Signup.objects.count() == 0


def test_any_is_refused_where_the_rule_does_not_allow_it(make_exchange, make_user, sign_up):
    challenge = make_exchange()
    challenge.tag_rules.filter(tag_type="fandom").update(allow_any=False)
    with pytest.raises(ValidationError) as error:
        sign_up(make_user(), challenge, [prompt(any_fandom=True)], [prompt(["A"])])
    assert messages(error.value) == {
        "request_1_fandom": ["“Any” is not allowed for Fandom tags in this challenge."]
    }


def test_a_second_sign_up_by_the_same_user_is_refused(make_exchange, make_user, sign_up):
    challenge = make_exchange()
    wren = make_user("wren")
    first = sign_up(wren, challenge, [prompt(["A"])], [prompt(["B"])])
    with pytest.raises(ValidationError) as error:
        sign_up(wren, challenge, [prompt(["C"])], [prompt(["D"])])
    assert error.value.messages == ["You have already signed up for Yuletide; edit that sign-up."]
    assert list(Signup.objects.values_list("pk", flat=True)) == [first.pk]
    assert sorted(Prompt.objects.values_list("tags__name", flat=True)) == ["A", "B"]


def test_a_participant_edits_while_open_but_not_after_closing(make_exchange, make_user, sign_up):
    challenge = make_exchange()
    wren = make_user("wren")
    signup = sign_up(wren, challenge, [prompt(["A"])], [prompt(["B"])])
    data = SignupInput(pseud=wren.pseuds.get(), requests=[prompt(["C"])], offers=[prompt(["D"])])
    signup_update(actor=wren, signup=signup, data=data)
    assert sorted(Prompt.objects.values_list("tags__name", flat=True)) == ["C", "D"]
    close_signups(challenge)
    with pytest.raises(ValidationError):
        signup_update(
            actor=wren,
            signup=signup,
            data=SignupInput(
                pseud=wren.pseuds.get(), requests=[prompt(["A"])], offers=[prompt(["A"])]
            ),
        )
    assert sorted(Prompt.objects.values_list("tags__name", flat=True)) == ["C", "D"]
