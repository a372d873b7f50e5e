"""Which detected rings are rings in the output, who is a confirmed member, who an associate.

The ring detector also groups harmless numbers (three relatives on one handset, two couriers
sharing an area and their families). The output keeps only what survives four checks:

1. a ring *qualifies* when its score reaches ``ring_min_score``; whether its members are rarely
   called back is asked of the members themselves (2 and 3), not of the whole community:
   Louvain can leave a ring of six in one community with couriers, telemarketers and their
   families, whose call-backs would otherwise hide it;
2. a number of a qualified ring is a *candidate* when it is rarely called back itself
   (≤ ``ring_member_max_callback``); both callback rates count only callees *outside the
   number's detected ring* when there are at least ``min_callees_for_reciprocity`` of them:
   accomplices call each other back, victims rarely do, so co-members' calls are no evidence of
   a social life;
3. candidates are split into farm-like groups (connected components of shared handsets and
   consecutive-number batches, at least half of whose members keep their SIMs together,
   :func:`batch_together`: a company buys its staff's SIMs in batches too, one phone each)
   and camouflaged groups (components, among the other candidates
   with at least ``ring_member_min_handoffs`` hand-offs, of edges with at least
   ``ring_edge_min_handoffs`` hand-offs between numbers that also call each other); groups
   whose median member's callback rate is over ``ring_max_median_callback`` and groups
   smaller than ``ring_min_size`` are dropped, the largest group of a detected ring keeps its
   id, others get a suffix (``R0001-b``). An *established* number (activated at least
   ``established_days`` ago) joins no camouflaged group unless its own calls look like fraud
   (:func:`~graphfraud.scoring.families.calls_like_fraud`, given ``features``): a desk of
   colleagues (recruiters, a sales team) rings each other and hands a client on hours later
   just as a ring hands on a victim, and years of history are what a ring's numbers usually
   lack — but a ring that works year-old SIMs whose victims do not call back is still a ring.
   Where activation dates are unknown, every number may join. Whatever their ages, a group
   whose median member got at least ``desk_min_reached_again_share`` of the callees that
   answered it on the line a second time is no ring (:func:`desk_groups`): a collection desk's
   debtors seldom ring back either, but a collector reaches many of its debtors again, where a
   ring member reaches a victim once and hands them on;
4. an *associate* (a mule) is a number outside the ring in two-way contact with at least
   ``ring_associate_min_members`` members and in any contact with at least
   ``ring_associate_min_contacts`` members of one output ring (and of no other), and answered
   at least ``ring_associate_min_calls_from_one`` calls from one of them: an accomplice is rung
   again and again, while a victim handed from member to member, who may well call some of them
   back, takes one call from each (a retry after an unanswered call does not count).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphfraud.graph import CallGraph
from graphfraud.graph.components import component_labels
from graphfraud.kernels.between import calls_between
from graphfraud.kernels.encode import csr_entries, unique_ints
from graphfraud.rings import Rings
from graphfraud.scoring.families import calls_like_fraud, established
from graphfraud.scoring.policy import Policy

__all__ = [
    "RingSelection",
    "batch_together",
    "called_back_groups",
    "co_member_calls",
    "desk_groups",
    "group_medians",
    "outside_callback_rate",
    "reached_again_share",
    "select_rings",
]


@dataclass(frozen=True)
class RingSelection:
    member_of: np.ndarray  # int32[n]: output ring index of a member or associate, -1
    associate: np.ndarray  # bool[n]
    handoff_only: np.ndarray  # bool[n]: a member of a camouflaged group, not of a farm-like one
    ring_ids: list[str]  # output ring index -> ring id
    parent: np.ndarray  # int64[k_out]: row of the detector's ring in ``rings.table``
    # bool[n]: the number's calls look like fraud, call-backs counted from outside its ring
    # (:func:`~graphfraud.scoring.families.calls_like_fraud`; all False without ``features``)
    calls_like_fraud: np.ndarray


def select_rings(
    graph: CallGraph,
    rings: Rings,
    callback_rate: np.ndarray,
    distinct_callees: np.ndarray,
    policy: Policy,
    account_age_days: np.ndarray | None = None,
    features: dict[str, np.ndarray] | None = None,
) -> RingSelection:
    """The output rings, members and associates of ``rings`` (see the module's checks 1–4).

    ``callback_rate``, ``distinct_callees`` and ``account_age_days`` (NaN: unknown; ``None``:
    unknown for all) are the per-number features of those names; ``features`` (all of them, as
    :func:`~graphfraud.scoring.families.family_scores` takes them) lets an established number
    whose calls look like fraud join a camouflaged group (``None``: no established number does);
    its ``batch_together`` column, when present, is :func:`batch_together` (else computed here).
    """
    n, k = graph.n_numbers, rings.n_rings
    if k == 0:
        return RingSelection(np.full(n, -1, np.int32), np.zeros(n, bool), np.zeros(n, bool), [],
                             np.zeros(0, np.int64), np.zeros(n, bool))  # fmt: skip
    ring_of = rings.ring_of.astype(np.int64)
    table = rings.table
    score = np.asarray(table["score"].to_numpy(zero_copy_only=False), np.float64)
    inr = ring_of >= 0
    co_a, co_b = co_member_calls(graph, ring_of)
    cb = outside_callback_rate(n, ring_of, callback_rate, distinct_callees, co_a, co_b,
                               policy.min_callees_for_reciprocity)  # fmt: skip
    qualified = score >= policy.ring_min_score

    ev = rings.evidence
    # Only the entries of ring members matter below (every mask starts from `same`).
    row, at = ev.entries_of(inr)
    col = ev.indices[at].astype(np.int64)
    same = ring_of[row] == ring_of[col]
    values = ev.values_at(at)
    hard_e = (values["device"] + values["batch"]) > 0
    hand_e = values["handoffs"]
    hard = np.bincount(row[same & hard_e], minlength=n)
    handoffs = np.bincount(row[same], hand_e[same], minlength=n)
    r0 = np.maximum(ring_of, 0)
    cand = inr & qualified[r0] & (cb <= policy.ring_member_max_callback)
    both = same & cand[row] & cand[col]
    # Farm-like groups: components of shared handsets / number batches.
    hard_comp = component_labels(n, row[both & hard_e], col[both & hard_e])
    hard_size = np.bincount(hard_comp, minlength=n)[hard_comp]
    # ... whose members mostly keep their batch together (batch_together): a company buys its
    # staff's SIMs in batches too, one phone each, and they go their own ways.
    together = (features["batch_together"] if features is not None and "batch_together" in features
                else batch_together(graph, rings.evidence, policy.ring_min_size))
    in_hard = cand & (hard > 0) & (hard_size >= policy.ring_min_size)
    n_together = np.bincount(hard_comp[in_hard & together], minlength=n)
    in_farm = in_hard & (2 * n_together[hard_comp] >= hard_size)
    # Camouflaged groups: components of hand-offs among the rest, who had several with co-members
    # and whose numbers are not established (a desk's are).
    rest = cand & ~in_farm & (handoffs >= policy.ring_member_min_handoffs)
    like = calls_like_fraud(features, cb, policy) if features is not None else np.zeros(n, bool)
    if account_age_days is not None:  # ... unless its own calls look like a ring member's
        rest &= ~(established(account_age_days, policy) & ~like)
    soft_e = same & rest[row] & rest[col] & (hand_e >= policy.ring_edge_min_handoffs)
    # ... between numbers that also call each other: accomplices talk, busy strangers do not.
    talk = rest[co_a] & rest[co_b]
    ca, ce = co_a[talk], co_b[talk]
    talk_keys = unique_ints(np.minimum(ca, ce) * n + np.maximum(ca, ce))
    soft_at = np.flatnonzero(soft_e)  # few edges: test only those
    e_keys = np.minimum(row[soft_at], col[soft_at]) * n + np.maximum(row[soft_at], col[soft_at])
    soft_e[soft_at] = np.isin(e_keys, talk_keys)
    soft_comp = component_labels(n, row[soft_e], col[soft_e]) + n
    # ... unless its median member got many of its callees on the line a second time: a desk of
    # collectors, each chasing its own debtors; a ring member reaches a victim once.
    rest &= ~desk_groups(graph, rest, soft_comp, ring_of, policy)
    comp = np.where(in_farm, hard_comp, soft_comp)
    confirmed = in_farm | rest
    # A ring is judged by its members' call-backs, not by those of the numbers beside it in its
    # community (each member passed ring_member_max_callback; a stricter median still counts).
    confirmed &= ~called_back_groups(confirmed, comp, cb, policy.ring_max_median_callback)
    member_of = np.full(n, -1, np.int64)
    ring_ids: list[str] = []
    parent: list[int] = []
    ids = table["ring_id"].to_pylist()
    for r in np.flatnonzero(qualified):
        idx = np.flatnonzero(confirmed & (ring_of == r))
        if idx.size == 0:
            continue
        labels, counts = np.unique(comp[idx], return_counts=True)
        keep = np.argsort(-counts, kind="stable")
        suffix = 0
        for j in keep:
            if counts[j] < policy.ring_min_size:
                continue
            member_of[idx[comp[idx] == labels[j]]] = len(ring_ids)
            ring_ids.append(ids[r] if suffix == 0 else f"{ids[r]}-{chr(ord('a') + suffix)}")
            parent.append(int(r))
            suffix += 1
    confirmed = member_of >= 0
    associate = _associates(graph, member_of, confirmed, len(ring_ids), policy)
    member_of = member_of.copy()
    member_of[associate >= 0] = associate[associate >= 0]
    return RingSelection(member_of.astype(np.int32), associate >= 0, confirmed & ~in_farm,
                         ring_ids, np.asarray(parent, np.int64), like)  # fmt: skip


def batch_together(graph: CallGraph, evidence, min_size: int) -> np.ndarray:
    """bool[n]: numbers whose SIM is kept with others: it shares a handset with another SIM, it is
    seen on no handset at all (a call platform's line, or a calls file without handsets), or it
    is one of ``min_size`` or more batch-mates (numbers joined by consecutive-number evidence)
    that dial out from one cell on one day.

    A farm boxes its batch, or racks its phones in one room; a company buys its staff's SIMs in
    a batch too, one phone each, and they go their own ways (two couriers of one depot are two).
    """
    n = graph.n_numbers
    ev = evidence.numbers
    out = (np.asarray(ev.shared_device_sims) > 0) | (np.diff(graph.caller_imeis[0]) == 0)
    batched = np.asarray(ev.consecutive_batch_size) > 1
    ids = np.flatnonzero(batched & (np.diff(graph.out_ptr) > 0))
    if ids.size == 0:
        return out
    row, at = evidence.entries_of(batched)
    linked = evidence.values_at(at)["batch"] > 0
    mates = component_labels(n, row[linked], evidence.indices[at][linked].astype(np.int64))
    # The batched SIMs' calls from a known cell (calls are grouped by caller).
    calls = csr_entries(graph.out_ptr, ids)[1]
    calls = calls[graph.cell[calls] >= 0]
    if calls.size == 0:
        return out
    day = graph.start[calls] // 86_400
    day -= day.min()
    # ... each SIM's cell-days once (a farm SIM dials thousands of calls from one), then grouped
    # by (cell-day, batch): min_size SIMs of one batch in one cell-day
    n_cells = max(len(graph.cells), 1)
    sim_cell_days = unique_ints((day * n_cells + graph.cell[calls]) * n + graph.caller[calls])
    who = sim_cell_days % n
    _, group, size = np.unique((sim_cell_days // n) * n + mates[who], return_inverse=True,
                               return_counts=True)  # fmt: skip
    out[who[size[group.ravel()] >= min_size]] = True
    return out


def co_member_calls(graph: CallGraph, ring_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Caller and callee ids (int64) of the calls between two numbers of one detected ring: few,
    found in one pass over the calls (farm SIMs do not call each other)."""
    inr = ring_of >= 0
    at = calls_between(graph.caller, graph.callee, inr, inr)
    a, b = graph.caller[at].astype(np.int64), graph.callee[at].astype(np.int64)
    same = ring_of[a] == ring_of[b]
    return a[same], b[same]


def _median_of_group(who: np.ndarray, comp: np.ndarray, values: np.ndarray) -> np.ndarray:
    """float64[n]: for each number of ``who``, the median of ``values`` over the numbers of
    ``who`` in its group (``comp``, a label per number); NaN for the others."""
    out = np.full(who.shape, np.nan)
    if who.any():
        labels, group = np.unique(comp[who], return_inverse=True)
        out[who] = group_medians(values[who], group, labels.size, empty=np.nan)[group]
    return out


def called_back_groups(who: np.ndarray, comp: np.ndarray, rate: np.ndarray,
                       limit: float) -> np.ndarray:  # fmt: skip
    """bool[n]: the numbers of ``who`` whose group (``comp``) has a median ``rate`` (the outside
    callback rate) over ``limit``."""
    return who & (_median_of_group(who, comp, rate) > limit)


def desk_groups(graph: CallGraph, rest: np.ndarray, comp: np.ndarray, ring_of: np.ndarray,
                policy: Policy) -> np.ndarray:  # fmt: skip
    """bool[n]: the numbers of ``rest`` whose group (``comp``, a label per number) is a desk: its
    median member got ``desk_min_reached_again_share`` or more of the callees that answered it on
    the line again (:func:`reached_again_share`; a member with too few callees to judge counts
    as none).

    Judged by the group, not by the number: a ring member now and then reaches a victim twice,
    and the odd collector seldom reaches its debtors; one number on the wrong side of the line
    must neither unmake a ring of three nor make a desk of collectors a ring.
    """
    if not rest.any():
        return np.zeros(rest.shape, bool)
    again = reached_again_share(graph, rest, ring_of, policy.min_callees_for_reciprocity)
    med = _median_of_group(rest, comp, np.nan_to_num(again, nan=0.0))
    return rest & (med >= policy.desk_min_reached_again_share)


def reached_again_share(graph: CallGraph, who: np.ndarray, ring_of: np.ndarray,
                        min_callees: int) -> np.ndarray:  # fmt: skip
    """float64[n]: for each number of ``who`` (bool[n]), the share of its callees that answered
    it that answered it twice or more, over callees outside its detected ring (``ring_of``) who
    never call it back and who call someone; NaN for other numbers and for those with fewer
    than ``min_callees`` such callees.

    How widely a number gets the same people on the line again: a debt collector reaches many
    of its debtors again, a ring member reaches a victim once and hands them on. Only answered
    calls count (a redial of a victim who did not pick up is the same attempt); callees who call
    it back (accomplices, mules) or share its ring (co-members it rings to look social) do not,
    nor do numbers that never place a call (a line that only answers: an accomplice's silent SIM,
    a voicemail box); and it is a share of callees, so a few callees rung very often move it by
    a few callees' worth, not by their calls.
    """
    n = graph.n_numbers
    out = np.full(n, np.nan)
    if not who.any():
        return out
    anyone = np.ones(n, bool)
    made = calls_between(graph.caller, graph.callee, who, anyone)
    a, b = graph.caller[made].astype(np.int64), graph.callee[made].astype(np.int64)
    got = calls_between(graph.caller, graph.callee, anyone, who)  # calls to them: who calls back
    backs = unique_ints(graph.callee[got].astype(np.int64) * n + graph.caller[got])
    calls_out = np.diff(graph.out_ptr) > 0  # numbers that place calls
    keep = (graph.duration[made] > 0) & ((ring_of[a] != ring_of[b]) | (ring_of[a] < 0)) & calls_out[b]
    keep &= ~np.isin(a * n + b, backs)
    pairs, calls = np.unique(a[keep] * n + b[keep], return_counts=True)
    owner = pairs // n
    again = np.bincount(owner[calls >= 2], minlength=n)
    callees = np.bincount(owner, minlength=n)
    judged = who & (callees >= max(1, min_callees))
    out[judged] = again[judged] / callees[judged]
    return out


def outside_callback_rate(n: int, ring_of: np.ndarray, callback_rate: np.ndarray,
                          distinct_callees: np.ndarray, co_a: np.ndarray, co_b: np.ndarray,
                          min_callees: int) -> np.ndarray:  # fmt: skip
    """Each number's callback rate over its callees outside its own detected ring (float64[n]).

    ``co_a``/``co_b`` are :func:`co_member_calls`. A number in no ring, or with fewer than
    ``min_callees`` callees outside its ring (three relatives who ring each other and a shop
    each are no ring of cold callers), keeps ``callback_rate``. A rate with no callee at all
    (NaN) reads 1.0, "called back": such a number cold-calls nobody.
    """
    dc = np.asarray(distinct_callees, np.int64)
    plain = np.nan_to_num(np.asarray(callback_rate, np.float64), nan=1.0)
    backs = np.rint(np.nan_to_num(np.asarray(callback_rate, np.float64)) * dc).astype(np.int64)
    pairs = unique_ints(co_a * n + co_b)  # distinct (caller, co-member callee) pairs
    a, b = pairs // n, pairs % n
    back = np.isin(b * n + a, pairs)  # the co-member calls back
    co = np.bincount(a, minlength=n)
    co_back = np.bincount(a[back], minlength=n)
    outside = dc - co
    out = plain.copy()
    judged = (ring_of >= 0) & (outside >= max(1, min_callees))
    out[judged] = (backs[judged] - co_back[judged]) / outside[judged]
    return out


def group_medians(values: np.ndarray, group: np.ndarray, k: int, empty: float) -> np.ndarray:
    """``np.median`` of ``values`` in each group ``0..k-1`` (``empty`` for a group with none).

    One sort by (group, value) instead of a ``np.median`` per group (2,700 rings: 0.19 s).
    """
    order = np.lexsort((values, group))
    ordered = values[order]
    counts = np.bincount(group, minlength=k)
    mid = np.cumsum(counts) - counts + counts // 2
    med = np.full(k, empty, np.float64)
    odd, even = counts % 2 == 1, (counts > 0) & (counts % 2 == 0)
    med[odd] = ordered[mid[odd]]
    med[even] = (ordered[mid[even] - 1] + ordered[mid[even]]) / 2  # as np.median: their mean
    return med


def _associates(graph: CallGraph, member_of, confirmed, k_out: int, policy: Policy) -> np.ndarray:
    """Output ring index each associate joins, -1 elsewhere."""
    n = graph.n_numbers
    out = np.full(n, -1, np.int64)
    if k_out == 0:
        return out
    # Calls between a member and a non-member, either way (their order does not matter here).
    touch = np.concatenate([calls_between(graph.caller, graph.callee, confirmed, ~confirmed),
                            calls_between(graph.caller, graph.callee, ~confirmed, confirmed)])  # fmt: skip
    a, b = graph.caller[touch].astype(np.int64), graph.callee[touch].astype(np.int64)
    by_member = confirmed[a]
    other = np.where(by_member, b, a)
    mem = np.where(by_member, a, b)
    pair_dir = unique_ints((other * n + mem) * 2 + by_member)
    pairs, n_dir = np.unique(pair_dir // 2, return_counts=True)
    o, m = pairs // n, pairs % n
    key = o * k_out + member_of[m]
    keys, n_contacts = np.unique(key, return_counts=True)
    two_keys, n_two = np.unique(key[n_dir == 2], return_counts=True)
    two = np.zeros(keys.size, np.int64)
    two[np.searchsorted(keys, two_keys)] = n_two
    # The most answered calls one member made to the number: an accomplice is rung again and
    # again (a retry after a call that went unanswered is the same attempt).
    answered = by_member & (graph.duration[touch] > 0)
    rung, times = np.unique(other[answered] * n + mem[answered], return_counts=True)
    rung_key = (rung // n) * k_out + member_of[rung % n]
    most = np.zeros(keys.size, np.int64)
    np.maximum.at(most, np.searchsorted(keys, rung_key), times)
    ok = ((n_contacts >= policy.ring_associate_min_contacts)
          & (two >= policy.ring_associate_min_members)
          & (most >= policy.ring_associate_min_calls_from_one))
    cand_o, cand_r = keys[ok] // k_out, keys[ok] % k_out
    uo, uc = np.unique(cand_o, return_counts=True)
    single = np.isin(cand_o, uo[uc == 1])  # tied to several rings: more likely a shared victim
    out[cand_o[single]] = cand_r[single]
    return out
