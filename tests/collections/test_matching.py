"""The matching algorithm on plain data: rules, optimality, no self, mutual pairs, greedy."""

import itertools
import random

import pytest

from polis.collections.matching import (
    Entrant,
    Match,
    PromptTags,
    Rule,
    augment_for,
    greedy_assignment,
    optimal_assignment,
    potential_matches,
)

FANDOM = [Rule("fandom", 1, True), Rule("character", 0)]


def p(fandoms=(), characters=(), any_types=()):
    return PromptTags(
        tags={"fandom": frozenset(fandoms), "character": frozenset(characters)},
        any_types=frozenset(any_types),
    )


def pairs_of(matches):
    return sorted((m.giver, m.recipient, m.prompts_matched, m.score) for m in matches)


def test_a_request_and_an_offer_match_on_a_shared_fandom_scored_by_overlap():
    entrants = [
        Entrant(1, requests=[p({10}, {20, 21})], offers=[p({11})]),
        Entrant(2, requests=[p({11})], offers=[p({10}, {20})]),
        Entrant(3, requests=[p({12})], offers=[p({10, 11}, {21})]),
    ]
    assert pairs_of(potential_matches(entrants, FANDOM)) == [
        (1, 2, 1, 1),
        (2, 1, 1, 2),
        (3, 1, 1, 2),
        (3, 2, 1, 1),
    ]


def test_nobody_is_ever_a_potential_match_for_themselves():
    entrants = [Entrant(1, requests=[p({10})], offers=[p({10})])]
    assert potential_matches(entrants, FANDOM) == []


def test_any_matches_only_when_the_rule_allows_it():
    entrants = [
        Entrant(1, requests=[p(any_types={"fandom"})], offers=[p({10})]),
        Entrant(2, requests=[p({10})], offers=[p({11})]),
        Entrant(3, requests=[p({12})], offers=[p(any_types={"fandom"})]),
    ]
    allowed = pairs_of(potential_matches(entrants, FANDOM))
    assert [(g, r) for g, r, _, _ in allowed] == [(1, 2), (2, 1), (3, 1), (3, 2)]
    strict = [Rule("fandom", 1, any_matches=False)]
    assert [(g, r) for g, r, _, _ in pairs_of(potential_matches(entrants, strict))] == [(1, 2)]


def test_match_count_requires_that_many_shared_tags_of_the_type():
    rules = [Rule("fandom", 1), Rule("character", 2, any_matches=False)]
    entrants = [
        Entrant(1, requests=[p({10}, {20, 21})]),
        Entrant(2, offers=[p({10}, {20})]),
        Entrant(3, offers=[p({10}, {20, 21, 22})]),
    ]
    assert pairs_of(potential_matches(entrants, rules)) == [(3, 1, 1, 3)]


def test_prompts_must_match_counts_requests_matched_by_some_offer():
    entrants = [
        Entrant(1, requests=[p({10}), p({11})]),
        Entrant(2, offers=[p({10})]),
        Entrant(3, offers=[p({10}), p({11})]),
    ]
    assert [(m.giver, m.prompts_matched) for m in potential_matches(entrants, FANDOM)] == [
        (2, 1),
        (3, 2),
    ]
    found = potential_matches(entrants, FANDOM, prompts_must_match=2)
    assert [(m.giver, m.prompts_matched) for m in found] == [(3, 2)]


def test_progress_is_reported_up_to_the_total():
    seen = []
    entrants = [Entrant(i, requests=[p({1})], offers=[p({1})]) for i in range(120)]
    potential_matches(entrants, FANDOM, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 120)
    assert seen[-1] == (120, 120)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def _brute_force(ids, matches):
    edges = {(m.giver, m.recipient): m.score for m in matches}
    best = (0, 0)
    for perm in itertools.permutations(ids + [None] * len(ids), len(ids)):
        used = [g for g in perm if g is not None]
        if len(used) != len(set(used)):
            continue
        chosen = [(g, r) for g, r in zip(perm, ids, strict=True) if g is not None]
        if all(pair in edges for pair in chosen):
            best = max(best, (len(chosen), sum(edges[pair] for pair in chosen)))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_the_assignment_is_optimal_never_self_and_one_gift_per_giver(seed):
    rng = random.Random(seed)
    ids = list(range(rng.randint(2, 5)))
    matches = [
        Match(g, r, 1, rng.randint(0, 4)) for g in ids for r in ids if g != r and rng.random() < 0.5
    ]
    result = optimal_assignment(ids, ids, matches)
    assert (len(result.pairs), result.total_score) == _brute_force(ids, matches)
    assert all(giver != recipient for recipient, (giver, _) in result.pairs.items())
    givers = [giver for giver, _ in result.pairs.values()]
    assert len(givers) == len(set(givers))
    assert sorted(result.unmatched_recipients) == sorted(set(ids) - set(result.pairs))
    assert len(greedy_assignment(ids, ids, matches).pairs) <= len(result.pairs)


def test_optimal_assignment_beats_greedy_where_greedy_takes_the_wrong_giver():
    # 3 and 4 have fewer options than 5, so greedy serves 3 first with its best giver, 2,
    # and 5 (whose givers, 2 and 3, are both taken by then) is left out; the optimum
    # serves all three.
    matches = [Match(1, 3, 1, 0), Match(2, 3, 1, 3), Match(2, 5, 1, 3)]
    matches += [Match(3, 4, 1, 0), Match(3, 5, 1, 0)]
    ids = [1, 2, 3, 4, 5]
    greedy = greedy_assignment(ids, ids, matches)
    optimal = optimal_assignment(ids, ids, matches)
    assert optimal.pairs == {3: (1, 0), 4: (3, 0), 5: (2, 3)}
    assert greedy.pairs == {3: (2, 3), 4: (3, 0)}


def test_a_mutual_pair_is_broken_when_an_equal_alternative_exists():
    # 1↔2 and 3↔4 (all scores 1) are optimal, but so are 1→2→3→4→1 cycles.
    matches = [Match(g, r, 1, 1) for g in range(1, 5) for r in range(1, 5) if g != r]
    result = optimal_assignment([1, 2, 3, 4], [1, 2, 3, 4], matches)
    assert len(result.pairs) == 4
    assert result.mutual_pairs == []
    assert result.total_score == 4


def test_a_mutual_pair_stays_when_it_is_the_only_way_to_serve_both():
    matches = [Match(1, 2, 1, 3), Match(2, 1, 1, 3)]
    result = optimal_assignment([1, 2], [1, 2], matches)
    assert result.pairs == {1: (2, 3), 2: (1, 3)}
    assert result.mutual_pairs == [(1, 2)]


def test_the_repair_never_lowers_the_score():
    # Swapping 1→2 / 3→4 into 1→4 / 3→2 would lose overlap, so the mutual pair stays.
    matches = [Match(1, 2, 1, 5), Match(2, 1, 1, 5), Match(3, 4, 1, 5), Match(4, 3, 1, 5)]
    matches += [Match(1, 4, 1, 1), Match(3, 2, 1, 1)]
    result = optimal_assignment([1, 2, 3, 4], [1, 2, 3, 4], matches)
    assert result.total_score == 20
    assert result.mutual_pairs == [(1, 2), (3, 4)]


def test_augmenting_finds_a_giver_by_moving_another_assignment():
    edges = {(1, 3): 2, (2, 3): 1, (2, 4): 1}
    pairs = {3: (2, 1)}  # 4 has nobody; 2 could move to 4 if 1 takes 3
    assert augment_for(4, pairs, edges) == {3: (1, 2), 4: (2, 1)}
    assert augment_for(4, pairs, edges, locked=frozenset({3})) is None


def _reference(entrants, rules, prompts_must_match):
    """The rules read literally, pair by pair (slow, obviously right)."""

    def matches(request, offer):
        for rule in rules:
            if rule.match_count == 0:
                continue
            if rule.any_matches and rule.tag_type in request.any_types | offer.any_types:
                continue
            shared = request.tags.get(rule.tag_type, frozenset()) & offer.tags.get(
                rule.tag_type, frozenset()
            )
            if len(shared) < rule.match_count:
                return False
        return True

    found = []
    for recipient in entrants:
        for giver in entrants:
            if giver.id == recipient.id or not recipient.requests:
                continue
            best = [
                max(
                    (len(q.all_tags & o.all_tags) for o in giver.offers if matches(q, o)),
                    default=None,
                )
                for q in recipient.requests
            ]
            hits = [b for b in best if b is not None]
            if hits and len(hits) >= min(prompts_must_match, len(recipient.requests)):
                found.append((giver.id, recipient.id, len(hits), sum(hits)))
    return sorted(found)


@pytest.mark.parametrize("seed", range(30))
def test_potential_matches_agree_with_the_rules_read_literally(seed):
    rng = random.Random(seed)

    def spec():
        any_types = {t for t in ("fandom", "character") if rng.random() < 0.15}
        return PromptTags(
            tags={
                "fandom": frozenset(rng.sample(range(5), rng.randint(0, 2))),
                "character": frozenset(rng.sample(range(10, 18), rng.randint(0, 3))),
                "freeform": frozenset(rng.sample(range(30, 34), rng.randint(0, 2))),
            },
            any_types=frozenset(any_types),
        )

    entrants = [
        Entrant(
            i,
            [spec() for _ in range(rng.randint(0, 3))],
            [spec() for _ in range(rng.randint(0, 3))],
        )
        for i in range(rng.randint(2, 9))
    ]
    rules = [
        Rule("fandom", rng.randint(0, 2), rng.random() < 0.7),
        Rule("character", rng.randint(0, 2), rng.random() < 0.7),
        Rule("freeform", 0),
    ]
    must = rng.randint(1, 2)
    got = pairs_of(potential_matches(entrants, rules, prompts_must_match=must))
    assert got == _reference(entrants, rules, must)
