"""A gift exchange from sign-ups to reveal, through the real actions and the real task."""

import pytest
from django.core.exceptions import ValidationError

from polis.collections.actions import assignments as assigning
from polis.collections.actions.collections import collection_reveal
from polis.collections.actions.matching import assignments_generate, matching_start
from polis.collections.anonymity import byline_text, is_anonymous, is_unrevealed
from polis.collections.errors import Refused
from polis.collections.models import Assignment, MatchingStatus, PotentialGivers
from tests.collections.conftest import close_signups, prompt

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange(make_exchange, make_user, sign_up):
    """Five people; cat and eve both need dan (the only one offering C), so one of them
    cannot be served: four of five get a giver."""
    mod = make_user("mod")
    challenge = make_exchange(mod)
    people = {name: make_user(name) for name in ("ann", "bob", "cat", "dan", "eve")}
    sign_up(people["ann"], challenge, [prompt(["A"])], [prompt(["B"])])
    sign_up(people["bob"], challenge, [prompt(["B"])], [prompt(["A"])])
    sign_up(people["cat"], challenge, [prompt(["C"])], [prompt(["D"])])
    sign_up(people["dan"], challenge, [prompt(["D"], ["Ann"])], [prompt(["C", "A"], ["Ann"])])
    sign_up(people["eve"], challenge, [prompt(["C"])], [prompt(["B"])])
    close_signups(challenge)
    return challenge, mod, people


def run_matching(challenge, mod, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        matching_start(actor=mod, challenge=challenge)
    challenge.refresh_from_db()
    return challenge


def writers(challenge) -> dict[str, str | None]:
    return {
        a.recipient.user.username: (a.giver.user.username if a.giver else None)
        for a in Assignment.objects.filter(challenge=challenge).select_related(
            "recipient__user", "giver__user"
        )
    }


def test_potential_matches_run_as_a_task_and_record_progress(
    exchange, django_capture_on_commit_callbacks
):
    challenge, mod, _ = exchange
    challenge = run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assert (challenge.matching_status, challenge.matching_progress) == (MatchingStatus.DONE, 100)
    assert challenge.matching_message == "7 potential matches among 5 participants."
    names = dict(challenge.signups.values_list("pk", "user__username"))
    rows = PotentialGivers.objects.filter(challenge=challenge)
    pairs = [
        (names[g], names[row.recipient_id], score) for row in rows for g, score, _ in row.givers
    ]
    assert sorted(pairs) == [
        ("ann", "bob", 1),
        ("bob", "ann", 1),
        ("cat", "dan", 1),
        ("dan", "ann", 1),
        ("dan", "cat", 1),
        ("dan", "eve", 1),
        ("eve", "bob", 1),
    ]


def test_assignments_before_matching_is_done_are_refused(exchange):
    challenge, mod, _ = exchange
    with pytest.raises(ValidationError) as error:
        assignments_generate(actor=mod, challenge=challenge)
    assert error.value.messages == [
        "Potential matches are not ready: generate them and wait until they are done."
    ]
    assert Assignment.objects.count() == 0


def test_matching_while_sign_ups_are_open_is_refused(make_exchange, make_user):
    mod = make_user("mod")
    challenge = make_exchange(mod)
    with pytest.raises(ValidationError) as error:
        matching_start(actor=mod, challenge=challenge)
    assert error.value.messages == ["Close sign-ups before generating matches."]
    challenge.refresh_from_db()
    assert challenge.matching_status == MatchingStatus.IDLE


def test_only_maintainers_start_matching(exchange, make_user):
    challenge, _, people = exchange
    with pytest.raises(Refused):
        matching_start(actor=people["ann"], challenge=challenge)
    challenge.refresh_from_db()
    assert challenge.matching_status == MatchingStatus.IDLE


def test_the_assignment_serves_everyone_it_can_and_lists_the_rest(
    exchange, django_capture_on_commit_callbacks
):
    challenge, mod, _ = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    result = assignments_generate(actor=mod, challenge=challenge)
    got = writers(challenge)
    assert sorted(got) == ["ann", "bob", "cat", "dan", "eve"]
    assert sum(1 for giver in got.values() if giver) == len(result.pairs) == 4
    unmatched = [a.recipient.user.username for a in assigning.unmatched(challenge)]
    assert [name for name, giver in got.items() if giver is None] == unmatched
    assert unmatched in (["cat"], ["eve"])
    assert all(giver != name for name, giver in got.items())
    givers = [giver for giver in got.values() if giver]
    assert len(givers) == len(set(givers))
    # ann↔bob is avoidable (eve can write for bob), and the repair avoids it.
    assert result.mutual_pairs == [] or got["bob"] != "ann"


def test_sending_is_refused_while_someone_has_no_writer_then_pinch_hitters_fix_it(
    exchange, make_user, django_capture_on_commit_callbacks
):
    challenge, mod, _ = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    (missing,) = assigning.unmatched(challenge)
    with pytest.raises(ValidationError) as error:
        assigning.assignments_send(actor=mod, challenge=challenge)
    assert error.value.messages == [
        f"1 participant(s) have nobody writing for them yet: {missing.recipient.user.username}. "
        "Edit their assignments or assign pinch hitters first."
    ]
    assert Assignment.objects.filter(sent_at__isnull=False).count() == 0
    pinch = make_user("pinch")
    assigning.assignment_pinch_hit(actor=mod, assignment=missing, user=pinch)
    assert assigning.assignments_send(actor=mod, challenge=challenge) == 5
    challenge.refresh_from_db()
    assert challenge.assignments_sent_at is not None


def test_changed_sign_ups_make_matches_stale(
    exchange, make_user, sign_up, django_capture_on_commit_callbacks
):
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    from polis.collections.actions.signups import signup_delete

    signup_delete(actor=mod, signup=people["cat"].challenge_signups.get())
    with pytest.raises(ValidationError) as error:
        assignments_generate(actor=mod, challenge=challenge)
    assert "generate them again" in error.value.messages[0]


def test_default_regenerate_fulfil_and_reveal(
    exchange, make_user, make_work, django_capture_on_commit_callbacks
):
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    (missing,) = assigning.unmatched(challenge)
    with pytest.raises(ValidationError):
        assigning.assignment_regenerate(actor=mod, assignment=missing)
    assigning.assignment_pinch_hit(actor=mod, assignment=missing, user=make_user("pinch"))
    assigning.assignments_send(actor=mod, challenge=challenge)

    ann_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["ann"])
    bob = people["bob"]
    assert ann_gift.giver.user == bob
    work = make_work(bob, title="For Ann")
    with pytest.raises(Refused):
        assigning.assignment_fulfil(actor=people["cat"], assignment=ann_gift, work=work)
    assigning.assignment_fulfil(actor=bob, assignment=ann_gift, work=work)
    work.refresh_from_db()
    assert [g.recipient.username for g in work.gifts.all()] == ["ann"]
    assert (is_anonymous(work), is_unrevealed(work)) == (True, True)
    assert byline_text(work) == "Anonymous"

    collection_reveal(actor=mod, collection=challenge.collection, creators=False)
    work.refresh_from_db()
    assert (is_anonymous(work), is_unrevealed(work)) == (True, False)
    collection_reveal(actor=mod, collection=challenge.collection)
    work.refresh_from_db()
    assert (is_anonymous(work), is_unrevealed(work)) == (False, False)
    assert byline_text(work) == "bob"


def test_a_defaulted_assignment_needs_a_pinch_hitter_before_it_is_written_again(
    exchange, make_user, django_capture_on_commit_callbacks
):
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    for missing in assigning.unmatched(challenge):
        assigning.assignment_pinch_hit(actor=mod, assignment=missing, user=make_user())
    assigning.assignments_send(actor=mod, challenge=challenge)
    ann_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["ann"])
    with pytest.raises(Refused):
        assigning.assignment_default(actor=people["cat"], assignment=ann_gift)
    assigning.assignment_default(actor=people["bob"], assignment=ann_gift)
    assert [a.pk for a in assigning.unmatched(challenge)] == [ann_gift.pk]
    helper = make_user("helper")
    assigning.assignment_pinch_hit(actor=mod, assignment=ann_gift, user=helper)
    ann_gift.refresh_from_db()
    assert ann_gift.writer_id == helper.pk
    assert assigning.unmatched(challenge) == []


def test_nobody_can_be_assigned_to_themselves_by_hand(exchange, django_capture_on_commit_callbacks):
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    ann_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["ann"])
    before = ann_gift.giver_id
    with pytest.raises(ValidationError) as error:
        assigning.assignment_set_giver(
            actor=mod, assignment=ann_gift, giver=people["ann"].challenge_signups.get()
        )
    assert error.value.message_dict == {
        "giver": ["Nobody can be assigned to write for themselves."]
    }
    ann_gift.refresh_from_db()
    assert ann_gift.giver_id == before


def test_each_recipient_keeps_only_the_best_givers_in_one_row(
    exchange, settings, django_capture_on_commit_callbacks
):
    challenge, mod, _ = exchange
    settings.POLIS_EXCHANGE_GIVERS_KEPT = 1
    challenge = run_matching(challenge, mod, django_capture_on_commit_callbacks)
    names = dict(challenge.signups.values_list("pk", "user__username"))
    rows = {
        names[row.recipient_id]: (row.giver_count, len(row.givers), row.proposed)
        for row in PotentialGivers.objects.filter(challenge=challenge)
    }
    # ann has two potential givers (bob, dan); one is kept unless the proposal needs another.
    assert rows["ann"][0] == 2 and rows["ann"][1] in (1, 2)
    assert rows == {
        "ann": rows["ann"],
        "bob": (2, rows["bob"][1], True),
        "cat": (1, 1, True),
        "dan": (1, 1, True),
        "eve": (1, 1, True),
    }
    for row in PotentialGivers.objects.filter(challenge=challenge):
        kept = [giver for giver, _, _ in row.givers]
        assert row.proposed_giver_id is None or row.proposed_giver_id in kept


def test_assignments_from_the_cut_lists_are_as_good_as_from_all_matches(
    exchange, settings, django_capture_on_commit_callbacks
):
    challenge, mod, _ = exchange
    settings.POLIS_EXCHANGE_GIVERS_KEPT = 1
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    result = assignments_generate(actor=mod, challenge=challenge)
    assert (len(result.pairs), result.total_score) == (4, 4)
    assert sum(1 for giver in writers(challenge).values() if giver) == 4


def test_matches_stored_without_a_proposal_are_solved_on_the_kept_givers(
    exchange, django_capture_on_commit_callbacks
):
    challenge, mod, _ = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    PotentialGivers.objects.filter(challenge=challenge).update(proposed=False, proposed_giver=None)
    result = assignments_generate(actor=mod, challenge=challenge)
    assert (len(result.pairs), result.total_score) == (4, 4)


def test_setting_a_giver_by_hand_takes_the_stored_score(
    exchange, django_capture_on_commit_callbacks
):
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    cat_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["cat"])
    eve_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["eve"])
    dan = people["dan"].challenge_signups.get()
    for gift in (cat_gift, eve_gift):
        assigning.assignment_set_giver(actor=mod, assignment=gift, giver=None)
    assigning.assignment_set_giver(actor=mod, assignment=cat_gift, giver=dan)
    cat_gift.refresh_from_db()
    assert (cat_gift.giver_id, cat_gift.score) == (dan.pk, 1)
    # Not a potential match: allowed by hand, with no overlap.
    ann = people["ann"].challenge_signups.get()
    assigning.assignment_set_giver(actor=mod, assignment=eve_gift, giver=ann)
    eve_gift.refresh_from_db()
    assert eve_gift.score == 0
