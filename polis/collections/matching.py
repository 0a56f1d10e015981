"""Gift-exchange matching, free of Django: potential matches, then who writes for whom.

Three steps, each a pure function of plain data so the benchmark and the tests can run them
on any input:

1. `potential_matches` — giver G can write for recipient R when at least
   `prompts_must_match` of R's requests are each matched by one of G's offers. A request and
   an offer match when, for every tag type whose rule has `match_count > 0`, they share at
   least `match_count` tags of that type, or (if the rule's `any_matches`) either side says
   "any" for that type. Offers are indexed by tag, so a request only looks at the offers that
   share one of its tags (or said "any"). The score of (G, R) is the total tag overlap: for
   each of R's matched requests, the most tags it shares with one of G's offers.
2. `optimal_assignment` — a maximum-weight bipartite matching of givers to recipients
   (scipy's `linear_sum_assignment`), each potential match weighing `BIG + score` with BIG
   larger than any possible total of scores. So the result first maximises the number of
   recipients who get a giver they match with, then the total overlap among those; nobody is
   ever their own giver (self pairs are never potential matches), and non-matches are never
   used (they weigh 0 and are dropped).
3. `break_mutual_pairs` — A writes for B and B for A is legal but unwanted (and guessable).
   The repair pass only makes exchanges that keep both numbers of step 2 exactly equal:
   replacing A as B's giver by a giver who has no recipient, or trading recipients between
   A→B and another assignment C→D (A→D, C→B) when both new pairs are potential matches —
   and never when that creates another mutual pair. Guarantee: the result is still optimal
   for both numbers; every mutual pair left is one that no such single exchange can remove.
   Longer cycles are not searched, so a remaining pair does not prove that no optimal
   mutual-free assignment exists; the moderators see the remaining pairs and can edit them.

`best_givers` cuts the pairs down to what is stored: per recipient, the best N givers.

`greedy_assignment` is the AO3-style baseline the benchmark compares with: recipients with
the fewest potential givers first, each taking the best-scoring giver still free.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Rule:
    tag_type: str
    match_count: int  # tags of this type a request and an offer must share; 0 = no rule
    any_matches: bool = True  # "any" on either side satisfies the rule


@dataclass(frozen=True)
class PromptTags:
    """The tags of one request or offer, by type, and the types it says "any" for."""

    tags: Mapping[str, frozenset[int]]
    any_types: frozenset[str] = frozenset()

    @property
    def all_tags(self) -> frozenset[int]:
        return frozenset().union(*self.tags.values()) if self.tags else frozenset()


@dataclass
class Entrant:
    id: int
    requests: list[PromptTags] = field(default_factory=list)
    offers: list[PromptTags] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    giver: int
    recipient: int
    prompts_matched: int
    score: int


@dataclass
class AssignmentResult:
    """recipient → (giver, score); recipients without a giver; givers without a recipient."""

    pairs: dict[int, tuple[int, int]]
    unmatched_recipients: list[int]
    idle_givers: list[int]
    mutual_pairs: list[tuple[int, int]] = field(default_factory=list)
    swaps: int = 0

    @property
    def total_score(self) -> int:
        return sum(score for _, score in self.pairs.values())


Progress = Callable[[int, int], None]


def potential_matches(
    entrants: Iterable[Entrant],
    rules: Iterable[Rule],
    *,
    prompts_must_match: int = 1,
    progress: Progress | None = None,
) -> list[Match]:
    """Every acceptable (giver, recipient) pair with its score; see the module docstring.

    Vectorised with sparse matrices: requests × tags times tags × offers counts the shared
    tags of every (request, offer) pair that shares any, per tag type. One required rule
    (the one with the fewest "any" prompts) produces the candidate pairs; the other rules
    filter them; the totals give the scores; numpy then keeps, per (giver, request), the best
    offer and, per (giver, recipient), the number of requests matched and their sum.
    """
    from scipy import sparse

    entrants = list(entrants)
    total = len(entrants)
    if progress:
        progress(0, total)
    requests: list[tuple[int, PromptTags]] = []
    offers: list[tuple[int, PromptTags]] = []
    for entrant in entrants:
        requests.extend((entrant.id, spec) for spec in entrant.requests)
        offers.extend((entrant.id, spec) for spec in entrant.offers)
    if not requests or not offers:
        if progress:
            progress(total, total)
        return []
    n_req, n_off = len(requests), len(offers)
    columns: dict[int, int] = {}

    def matrix(prompts: list[tuple[int, PromptTags]], tag_type: str | None):
        rows, cols = [], []
        for number, (_, spec) in enumerate(prompts):
            tags = spec.all_tags if tag_type is None else spec.tags.get(tag_type, ())
            for tag in tags:
                rows.append(number)
                cols.append(columns.setdefault(tag, len(columns)))
        return rows, cols

    def product(tag_type: str | None):
        """(request, offer) → shared tags of this type (all types for None), as CSR."""
        r_rows, r_cols = matrix(requests, tag_type)
        o_rows, o_cols = matrix(offers, tag_type)
        width = max(len(columns), 1)
        left = sparse.csr_matrix(
            (np.ones(len(r_rows), np.int32), (r_rows, r_cols)), shape=(n_req, width)
        )
        right = sparse.csr_matrix(
            (np.ones(len(o_rows), np.int32), (o_rows, o_cols)), shape=(n_off, width)
        )
        shared = (left @ right.T).tocsr()
        shared.sort_indices()  # row-major COO below: keys come out sorted
        return shared.tocoo()

    def any_flags(prompts, tag_type: str) -> np.ndarray:
        return np.array([tag_type in spec.any_types for _, spec in prompts], dtype=bool)

    required = [rule for rule in rules if rule.match_count > 0]
    flags = {
        rule.tag_type: (any_flags(requests, rule.tag_type), any_flags(offers, rule.tag_type))
        for rule in required
    }

    def any_load(rule: Rule) -> int:
        if not rule.any_matches:
            return 0
        req_any, off_any = flags[rule.tag_type]
        return int(req_any.sum()) * n_off + n_req * int(off_any.sum())

    required.sort(key=any_load)
    keys = _candidate_keys(required[0], product, flags, n_req, n_off) if required else None
    if keys is None:  # no rule: every pair is a candidate
        keys = np.arange(n_req * n_off, dtype=np.int64)
    if progress:
        progress(total // 3, total)
    for rule in required[1:]:
        if not len(keys):
            break
        shared = _values_at(product(rule.tag_type), keys, n_off)
        keep = shared >= rule.match_count
        if rule.any_matches:
            req_any, off_any = flags[rule.tag_type]
            keep |= req_any[keys // n_off] | off_any[keys % n_off]
        keys = keys[keep]
    if progress:
        progress(2 * total // 3, total)
    scores = _values_at(product(None), keys, n_off)
    request_owner = np.array([owner for owner, _ in requests], dtype=np.int64)
    offer_owner = np.array([owner for owner, _ in offers], dtype=np.int64)
    req_index, off_index = keys // n_off, keys % n_off
    recipient, giver = request_owner[req_index], offer_owner[off_index]
    mine = recipient != giver
    req_index, giver, recipient, scores = (
        req_index[mine],
        giver[mine],
        recipient[mine],
        scores[mine],
    )
    # Owners as dense numbers, so a pair of them is one int64 key.
    ids = np.array(sorted({e.id for e in entrants}), dtype=np.int64)
    n_ids = len(ids)
    g_index, r_index = np.searchsorted(ids, giver), np.searchsorted(ids, recipient)
    # Best offer per (request, giver): one sort on (request, giver, score descending).
    top = int(scores.max()) + 1 if len(scores) else 1
    order = np.argsort((req_index * n_ids + g_index) * top + (top - 1 - scores), kind="stable")
    req_index, g_index, r_index, scores = (
        req_index[order],
        g_index[order],
        r_index[order],
        scores[order],
    )
    first = np.ones(len(order), dtype=bool)
    first[1:] = (req_index[1:] != req_index[:-1]) | (g_index[1:] != g_index[:-1])
    g_index, r_index, scores = g_index[first], r_index[first], scores[first]
    # Per (giver, recipient): requests matched and the sum of their best overlaps.
    unique, inverse = np.unique(g_index * n_ids + r_index, return_inverse=True)
    matched = np.bincount(inverse, minlength=len(unique))
    summed = np.bincount(inverse, weights=scores, minlength=len(unique)).astype(np.int64)
    needed = np.array(
        [min(prompts_must_match, len(e.requests)) for e in sorted(entrants, key=lambda e: e.id)]
    )
    keep = matched >= needed[unique % n_ids]
    givers_of, recipients_of = ids[unique[keep] // n_ids], ids[unique[keep] % n_ids]
    found = [
        Match(g, r, count, score)
        for g, r, count, score in zip(
            givers_of.tolist(),
            recipients_of.tolist(),
            matched[keep].tolist(),
            summed[keep].tolist(),
            strict=True,
        )
    ]
    if progress:
        progress(total, total)
    return found


def best_givers(
    matches: Iterable[Match], kept: int = 0, *, must_keep: Mapping[int, int] | None = None
) -> dict[int, tuple[list[list[int]], int]]:
    """recipient → ([[giver, score, prompts_matched], ...] best score first, all givers).

    `kept` > 0 keeps that many givers per recipient; `must_keep` (recipient → giver) adds a
    giver that did not make the cut, such as the one the optimal assignment chose.
    """
    grouped: dict[int, list[list[int]]] = defaultdict(list)
    for m in matches:
        grouped[m.recipient].append([m.giver, m.score, m.prompts_matched])
    must_keep = must_keep or {}
    out = {}
    for recipient, givers in grouped.items():
        givers.sort(key=lambda g: (-g[1], g[0]))
        total = len(givers)
        if kept and total > kept:
            chosen = givers[:kept]
            extra = must_keep.get(recipient)
            if extra is not None and all(g[0] != extra for g in chosen):
                chosen += [g for g in givers[kept:] if g[0] == extra]
            givers = chosen
        out[recipient] = (givers, total)
    return out


def _candidate_keys(rule: Rule, product, flags, n_req: int, n_off: int) -> np.ndarray:
    """Keys (request × n_off + offer) of the pairs meeting one rule, sorted."""
    shared = product(rule.tag_type)
    hit = shared.data >= rule.match_count
    keys = shared.row[hit].astype(np.int64) * n_off + shared.col[hit]
    req_any, off_any = flags[rule.tag_type]
    if rule.any_matches and (req_any.any() or off_any.any()):
        extra = [keys]
        for request in np.flatnonzero(req_any):
            extra.append(request * n_off + np.arange(n_off, dtype=np.int64))
        any_offers = np.flatnonzero(off_any).astype(np.int64)
        if len(any_offers):
            extra.append((np.arange(n_req, dtype=np.int64)[:, None] * n_off + any_offers).ravel())
        keys = np.concatenate(extra)
        keys = np.unique(np.concatenate(extra))
    return keys


def _values_at(matrix, keys: np.ndarray, n_off: int) -> np.ndarray:
    """The matrix's values at these keys; 0 where it has none (its COO is row-major sorted)."""
    stored, data = matrix.row.astype(np.int64) * n_off + matrix.col, matrix.data
    if not len(stored):
        return np.zeros(len(keys), dtype=np.int64)
    position = np.searchsorted(stored, keys)
    position = np.minimum(position, len(stored) - 1)
    return np.where(stored[position] == keys, data[position], 0).astype(np.int64)


def _edges(matches: Iterable[Match]) -> dict[tuple[int, int], int]:
    return {(m.giver, m.recipient): m.score for m in matches}


def optimal_assignment(
    recipients: Iterable[int], givers: Iterable[int], matches: Iterable[Match]
) -> AssignmentResult:
    """Maximum-cardinality, then maximum-overlap assignment; mutual pairs repaired after."""
    from scipy.optimize import linear_sum_assignment

    recipients, givers = sorted(set(recipients)), sorted(set(givers))
    giver_set, recipient_set = set(givers), set(recipients)
    edges = {
        key: score
        for key, score in _edges(matches).items()
        if key[0] != key[1] and key[0] in giver_set and key[1] in recipient_set
    }
    pairs: dict[int, tuple[int, int]] = {}
    if edges:
        row = {giver: i for i, giver in enumerate(givers)}
        col = {recipient: j for j, recipient in enumerate(recipients)}
        top = max(edges.values())
        big = float(top * (min(len(givers), len(recipients)) + 1) + 1)
        weights = np.zeros((len(givers), len(recipients)))
        rows_of = np.fromiter((row[g] for g, _ in edges), np.int64, len(edges))
        cols_of = np.fromiter((col[r] for _, r in edges), np.int64, len(edges))
        weights[rows_of, cols_of] = big + np.fromiter(edges.values(), np.float64, len(edges))
        rows, cols = linear_sum_assignment(weights, maximize=True)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            if weights[i, j] >= big:
                pairs[recipients[j]] = (givers[i], edges[(givers[i], recipients[j])])
    return break_mutual_pairs(_result(pairs, recipients, givers), edges)


def greedy_assignment(
    recipients: Iterable[int], givers: Iterable[int], matches: Iterable[Match]
) -> AssignmentResult:
    """AO3-style: fewest potential givers first; each takes the best-scoring free giver,
    preferring one that does not create a mutual pair, then the giver with fewest options."""
    recipients, givers = sorted(set(recipients)), sorted(set(givers))
    giver_set = set(givers)
    edges = {k: s for k, s in _edges(matches).items() if k[0] in giver_set and k[0] != k[1]}
    into: dict[int, list[int]] = defaultdict(list)
    degree: Counter[int] = Counter()
    for giver, recipient in edges:
        into[recipient].append(giver)
        degree[giver] += 1
    gives: dict[int, int] = {}
    pairs: dict[int, tuple[int, int]] = {}
    for recipient in sorted(recipients, key=lambda r: (len(into[r]), r)):
        free = [g for g in into[recipient] if g not in gives]
        if not free:
            continue
        giver = min(
            free,
            key=lambda g: (
                gives.get(recipient) == g,
                -edges[(g, recipient)],
                degree[g],
                g,
            ),
        )
        gives[giver] = recipient
        pairs[recipient] = (giver, edges[(giver, recipient)])
    result = _result(pairs, recipients, givers)
    result.mutual_pairs = _mutual(pairs)
    return result


def _result(pairs: dict, recipients: list[int], givers: list[int]) -> AssignmentResult:
    giving = {giver for giver, _ in pairs.values()}
    return AssignmentResult(
        pairs=pairs,
        unmatched_recipients=[r for r in recipients if r not in pairs],
        idle_givers=[g for g in givers if g not in giving],
    )


def assignment_from_pairs(
    pairs: dict[int, tuple[int, int]], recipients: Iterable[int], givers: Iterable[int]
) -> AssignmentResult:
    """An assignment read back from storage, with its mutual pairs listed."""
    result = _result(dict(pairs), sorted(set(recipients)), sorted(set(givers)))
    result.mutual_pairs = _mutual(result.pairs)
    return result


def _mutual(pairs: dict[int, tuple[int, int]]) -> list[tuple[int, int]]:
    gives = {giver: recipient for recipient, (giver, _) in pairs.items()}
    return sorted({tuple(sorted((g, r))) for g, r in gives.items() if gives.get(r) == g})


def break_mutual_pairs(
    result: AssignmentResult, edges: dict[tuple[int, int], int], *, max_passes: int = 5
) -> AssignmentResult:
    """Remove mutual pairs by exchanges that keep the count and the total score equal."""
    pairs = dict(result.pairs)
    gives = {giver: recipient for recipient, (giver, _) in pairs.items()}
    into: dict[int, list[int]] = defaultdict(list)
    for giver, recipient in edges:
        into[recipient].append(giver)
    idle = set(result.idle_givers)
    swaps = 0
    for _ in range(max_passes):
        changed = False
        for a, b in _mutual(pairs):
            for giver, recipient in ((a, b), (b, a)):
                if gives.get(giver) != recipient or gives.get(recipient) != giver:
                    break  # already broken by the other direction
                if _exchange(giver, recipient, pairs, gives, into, edges, idle):
                    swaps += 1
                    changed = True
                    break
        if not changed:
            break
    recipients = sorted(set(pairs) | set(result.unmatched_recipients))
    givers = sorted(set(gives) | idle)
    out = _result(pairs, recipients, givers)
    out.mutual_pairs = _mutual(pairs)
    out.swaps = swaps
    return out


def _exchange(
    a: int,
    b: int,
    pairs: dict[int, tuple[int, int]],
    gives: dict[int, int],
    into: dict[int, list[int]],
    edges: dict[tuple[int, int], int],
    idle: set[int],
) -> bool:
    """Give recipient `b` (currently written for by `a`, while `b` writes for `a`) another
    giver without lowering the count or the total score; True if done."""
    current = edges[(a, b)]
    for c in sorted(into[b], key=lambda g: (-edges[(g, b)], g)):
        if c in (a, b):
            continue
        if c in idle:
            if edges[(c, b)] >= current:
                idle.discard(c)
                idle.add(a)
                del gives[a]
                gives[c] = b
                pairs[b] = (c, edges[(c, b)])
                return True
            continue
        d = gives.get(c)
        if d is None or d in (a, b) or (a, d) not in edges or gives.get(d) == a:
            continue
        if edges[(a, d)] + edges[(c, b)] >= current + edges[(c, d)]:
            gives[a], gives[c] = d, b
            pairs[d] = (a, edges[(a, d)])
            pairs[b] = (c, edges[(c, b)])
            return True
    return False


def augment_for(
    recipient: int,
    pairs: dict[int, tuple[int, int]],
    edges: dict[tuple[int, int], int],
    *,
    locked: frozenset[int] = frozenset(),
) -> dict[int, tuple[int, int]] | None:
    """Find a giver for one unmatched recipient by an augmenting path: a free giver, or a
    giver whose current recipient can move to another giver (and so on). Nobody loses their
    match; recipients in `locked` (already sent) keep theirs. None if no path exists."""
    gives = {giver: r for r, (giver, _) in pairs.items()}
    into: dict[int, list[int]] = defaultdict(list)
    for giver, r in edges:
        into[r].append(giver)
    for r in into:
        into[r].sort(key=lambda g: (-edges[(g, r)], g))
    # Breadth-first over recipients; parent[giver] = the recipient it would take.
    parent: dict[int, int] = {}
    queue = [recipient]
    seen_recipients = {recipient}
    while queue:
        current = queue.pop(0)
        for giver in into[current]:
            if giver in parent or giver == current:
                continue
            parent[giver] = current
            held = gives.get(giver)
            if held is None:
                new = dict(pairs)
                node = giver
                while True:
                    target = parent[node]
                    previous = new.get(target)
                    new[target] = (node, edges[(node, target)])
                    if previous is None:
                        return new
                    node = previous[0]
            if held not in seen_recipients and held not in locked:
                seen_recipients.add(held)
                queue.append(held)
    return None
