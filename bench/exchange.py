"""A Yuletide-sized gift exchange: optimal assignment against AO3-style greedy, and timings.

Run:  .venv/bin/python bench/exchange.py [--signups 3000] [--fandoms 2000] [--seed 1]
                                           [--database sqlite|memory]

It generates sign-ups (Zipf-popular fandoms, characters per fandom, "any" offers), then:
1. in memory: potential matches, the optimal assignment and the greedy baseline, with the
   share of participants assigned and the average tag overlap of each;
2. with `--database sqlite` (default) also through the real code path: the sign-ups are
   written to a fresh SQLite database under a temporary directory, then the potential-match
   task body (`matching_run`: matches, the assignment solved on all of them, and each
   recipient's best givers stored in one row) and the `assignments_generate` action are
   timed; as a check, the assignment is also solved again on the stored (kept) givers only.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from polis.collections.matching import (  # noqa: E402
    Entrant,
    Match,
    PromptTags,
    Rule,
    greedy_assignment,
    optimal_assignment,
    potential_matches,
)

CHARACTERS_PER_FANDOM = 8
RULES = [Rule("fandom", 1, True), Rule("character", 1, True)]


def generate(signups: int, fandoms: int, seed: int) -> list[Entrant]:
    """Requests ask for rarer fandoms than offers cover (as in Yuletide), both Zipf-shaped."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, fandoms + 1)
    popularity = 1.0 / ranks**1.1
    popularity /= popularity.sum()

    def fandom() -> int:
        return int(rng.choice(fandoms, p=popularity))

    def characters(of: int, low: int, high: int) -> frozenset[int]:
        count = int(rng.integers(low, high + 1))
        first = fandoms + of * CHARACTERS_PER_FANDOM
        picks = rng.choice(CHARACTERS_PER_FANDOM, size=count, replace=False)
        return frozenset(first + int(c) for c in picks)

    entrants = []
    for number in range(signups):
        requests = []
        for _ in range(int(rng.integers(2, 4))):
            f = fandom()
            requests.append(
                PromptTags({"fandom": frozenset({f}), "character": characters(f, 1, 3)})
            )
        offers = []
        for _ in range(int(rng.integers(3, 7))):
            f = fandom()
            if rng.random() < 0.4:  # "any characters" in this fandom
                offers.append(
                    PromptTags({"fandom": frozenset({f})}, any_types=frozenset({"character"}))
                )
            else:
                offers.append(
                    PromptTags({"fandom": frozenset({f}), "character": characters(f, 1, 4)})
                )
        entrants.append(Entrant(number + 1, requests, offers))
    return entrants


def summarise(name: str, result, total: int, seconds: float) -> None:
    served = len(result.pairs)
    average = result.total_score / served if served else 0.0
    print(
        f"  {name:<8} assigned {served}/{total} ({100 * served / total:.1f} %), "
        f"average overlap {average:.2f}, mutual pairs {len(result.mutual_pairs)}, "
        f"{seconds:.2f} s"
    )


def in_memory(entrants: list[Entrant]) -> None:
    ids = [e.id for e in entrants]
    started = time.perf_counter()
    matches = potential_matches(entrants, RULES, prompts_must_match=1)
    matched = time.perf_counter() - started
    print(f"  potential matches: {len(matches)} pairs in {matched:.2f} s")
    started = time.perf_counter()
    optimal = optimal_assignment(ids, ids, matches)
    optimal_time = time.perf_counter() - started
    started = time.perf_counter()
    greedy = greedy_assignment(ids, ids, matches)
    greedy_time = time.perf_counter() - started
    summarise("optimal", optimal, len(ids), optimal_time)
    summarise("greedy", greedy, len(ids), greedy_time)
    print(f"  repair swaps (optimal): {optimal.swaps}")
    print(f"  potential matches + optimal assignment: {matched + optimal_time:.2f} s")


def through_database(entrants: list[Entrant], fandoms: int) -> None:
    directory = tempfile.mkdtemp(prefix="polis-bench-exchange-")
    os.environ["POLIS_DATA_DIR"] = directory
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polis.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from polis.accounts.models import Pseud, User
    from polis.collections.actions.challenges import ChallengeInput, RuleInput, challenge_setup
    from polis.collections.actions.collections import CollectionInput, collection_create
    from polis.collections.actions.matching import _edges, assignments_generate, matching_run
    from polis.collections.models import Challenge, PotentialGivers, Prompt, Signup
    from polis.tags.models import Tag

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    mod = User.objects.create_user("mod", "mod@example.org", "a-long-bench-password")
    collection = collection_create(
        actor=mod, data=CollectionInput(name="yuletide", title="Yuletide", anonymous=True)
    )
    challenge = challenge_setup(
        actor=mod,
        collection=collection,
        data=ChallengeInput(
            kind="gift_exchange",
            requests_max=3,
            offers_min=1,
            offers_max=6,
            rules=[
                RuleInput(
                    tag_type="fandom",
                    request_min=1,
                    request_max=1,
                    offer_min=1,
                    offer_max=1,
                    match_count=1,
                ),
                RuleInput(
                    tag_type="character", request_max=4, offer_max=4, allow_any=True, match_count=1
                ),
            ],
        ),
    )
    with transaction.atomic():
        characters = fandoms * CHARACTERS_PER_FANDOM
        Tag.objects.bulk_create(
            [Tag(name=f"Fandom {i}", key=f"fandom {i}", type="fandom") for i in range(fandoms)]
            + [
                Tag(name=f"Character {i}", key=f"character {i}", type="character")
                for i in range(characters)
            ],
            batch_size=2000,
        )
        tag_ids = {
            (tag.type, int(tag.name.split()[-1])): tag.pk
            for tag in Tag.objects.filter(type__in=["fandom", "character"], key__contains=" ")
        }

        def tag_id(local: int) -> int:
            if local < fandoms:
                return tag_ids[("fandom", local)]
            return tag_ids[("character", local - fandoms)]

        users = User.objects.bulk_create(
            [User(username=f"p{e.id}", email=f"p{e.id}@example.org") for e in entrants]
        )
        pseuds = Pseud.objects.bulk_create(
            [Pseud(user=u, name=u.username, is_default=True) for u in users]
        )
        signups = Signup.objects.bulk_create(
            [
                Signup(challenge=challenge, user=u, pseud=p)
                for u, p in zip(users, pseuds, strict=True)
            ]
        )
        prompts, tag_links = [], []
        for entrant, signup in zip(entrants, signups, strict=True):
            for kind, specs in (("request", entrant.requests), ("offer", entrant.offers)):
                for position, spec in enumerate(specs, start=1):
                    prompts.append(
                        (
                            Prompt(
                                challenge=challenge,
                                signup=signup,
                                kind=kind,
                                position=position,
                                any_types=sorted(spec.any_types),
                            ),
                            spec,
                        )
                    )
        Prompt.objects.bulk_create([p for p, _ in prompts], batch_size=2000)
        Through = Prompt.tags.through
        for prompt, spec in prompts:
            tag_links.extend(Through(prompt_id=prompt.pk, tag_id=tag_id(t)) for t in spec.all_tags)
        Through.objects.bulk_create(tag_links, batch_size=5000)
    print(
        f"  wrote {len(signups)} sign-ups, {len(prompts)} prompts in "
        f"{time.perf_counter() - started:.1f} s (setup, not timed below)"
    )
    Challenge.objects.filter(pk=challenge.pk).update(matching_status="idle")
    started = time.perf_counter()
    count = matching_run(challenge.pk)
    task_time = time.perf_counter() - started
    challenge.refresh_from_db()
    stored = PotentialGivers.objects.filter(challenge=challenge)
    kept = sum(len(givers) for givers in stored.values_list("givers", flat=True))
    print(
        f"  matching_run (task body): {count} potential matches, {kept} kept in "
        f"{stored.count()} rows, in {task_time:.2f} s"
    )
    started = time.perf_counter()
    result = assignments_generate(actor=mod, challenge=challenge)
    assign_time = time.perf_counter() - started
    print(
        f"  assignments_generate: {len(result.pairs)}/{len(signups)} assigned, "
        f"{len(result.unmatched_recipients)} listed as unmatched, in {assign_time:.2f} s"
    )
    summarise("stored", result, len(signups), assign_time)
    ids = [s.pk for s in signups]
    edges = _edges(challenge)
    started = time.perf_counter()
    again = optimal_assignment(ids, ids, [Match(g, r, 1, score) for (g, r), score in edges.items()])
    summarise("kept", again, len(signups), time.perf_counter() - started)
    print(
        f"  potential matches + assignments through the database: {task_time + assign_time:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signups", type=int, default=3000)
    parser.add_argument("--fandoms", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", choices=["sqlite", "memory"], default="sqlite")
    args = parser.parse_args()
    random.seed(args.seed)
    entrants = generate(args.signups, args.fandoms, args.seed)
    print(
        f"exchange: {args.signups} sign-ups, {args.fandoms} fandoms (Zipf s=1.1), seed {args.seed}"
    )
    print("in memory:")
    in_memory(entrants)
    if args.database == "sqlite":
        print("through the database (SQLite):")
        through_database(entrants, args.fandoms)


if __name__ == "__main__":
    main()
