"""The scoring pipeline: calls → graph → features → rings → families → risk, tier, reasons."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from graphfraud.cdr import validate_calls, validate_subscribers
from graphfraud.cdr.scan import CallKeys
from graphfraud.features import CRUDE_RULE_COLUMN, compute_number_features
from graphfraud.graph import CallGraph, EncodedCalls, assemble_call_graph, encode_call_table
from graphfraud.graph.keyed import encode_call_keys
from graphfraud.kernels.between import calls_between
from graphfraud.rings import detect_rings
from graphfraud.scoring.families import family_scores, ramp
from graphfraud.scoring.policy import TIERS, Policy
from graphfraud.scoring.reasons import REASONS, explain, explain_ring, typical_values
from graphfraud.scoring.ringsel import batch_together, select_rings
from graphfraud.scoring.scorecard import ambiguous_members, risk_of, tier_caps, tiers_of, unconfirmed_rings

__all__ = ["CRUDE_RULE_FANOUT", "FULL_WINDOW_DAYS", "NUMBERS_SCHEMA", "RINGS_SCHEMA", "ScoreResult",
           "build_graph", "encode_calls", "score_calls", "score_graph"]  # fmt: skip

#: The carriers' crude rule: this many first-contact callees within 60 minutes → suspend.
CRUDE_RULE_FANOUT = 10
#: Days of calls over which camouflaged rings (a few members under an hourly cap, handing victims
#: on hours apart) are found as fully as the rest: measured in docs/detection.md, "How many days
#: to score". A shorter window is scored all the same; ``graphfraud score`` says so.
FULL_WINDOW_DAYS = 7
_KEY_FEATURES = (
    "out_calls", "in_calls", "first_contact_fanout_1h", "first_contact_fanout_24h",
    "callback_rate", "outgoing_share", "repeat_contact_ratio", "answer_rate", "short_answer_share",
    "off_hours_share", "account_age_days", "distinct_imeis", "shared_device_sims",
    "consecutive_batch_size", "colocated_high_fanout_sims",
)
NUMBERS_SCHEMA = pa.schema([
    ("number", pa.string()), ("risk", pa.float64()), ("tier", pa.string()),
    ("ring_id", pa.string()), ("reasons", pa.list_(pa.string())), ("explanation", pa.string()),
    ("features", pa.string()),
])
RINGS_SCHEMA = pa.schema([
    ("ring_id", pa.string()), ("risk", pa.float64()), ("tier", pa.string()), ("size", pa.int64()),
    ("members", pa.list_(pa.string())), ("reasons", pa.list_(pa.string())),
    ("explanation", pa.string()), ("features", pa.string()),
])


@dataclass(frozen=True)
class ScoreResult:
    """``numbers`` and ``rings`` per docs/graph-model.md; ``crude_rule`` (bool per numbers row)
    is the carriers' crude rule, for comparison; ``timings`` seconds per stage; ``span_days`` the
    days from the first call's start to the last's (0 without calls)."""

    numbers: pa.Table
    rings: pa.Table
    crude_rule: np.ndarray
    timings: dict[str, float] = field(default_factory=dict)
    span_days: float = 0.0


def _as_validated(
    calls: pa.Table | CallKeys, subscribers: pa.Table | None
) -> tuple[pa.Table | CallKeys, pa.Table | None]:
    """Accept raw contract tables (``start_time``) as well as validated ones (``start``)."""
    if isinstance(calls, pa.Table) and "start" not in calls.column_names:
        calls = validate_calls(calls.append_column("__line", pa.array(np.arange(calls.num_rows) + 2))).table
    if subscribers is not None and "__line" not in subscribers.column_names and not pa.types.is_date(
        subscribers.schema.field("activated_on").type
    ):
        lines = pa.array(np.arange(subscribers.num_rows) + 2)
        subscribers = validate_subscribers(subscribers.append_column("__line", lines)).table
    return calls, subscribers


def score_calls(
    calls: pa.Table | CallKeys,
    subscribers: pa.Table | None = None,
    *,
    policy: Policy | None = None,
    seed: int = 0,
    local_utc_offset_hours: float = 8.0,
    step: Callable[[str], None] | None = None,
    details: bool = True,
) -> ScoreResult:
    """Score every number that appears as a caller.

    Parameters
    ----------
    calls, subscribers : pa.Table
        Validated (``graphfraud.cdr``) or raw contract tables; ``calls`` may also be the keys
        of a clean CSV file (:func:`graphfraud.cdr.scan.scan_calls_csv`).
    policy : Policy
        Tiers, caps, weights (default: :class:`Policy` defaults).
    seed : int
        Seed of ring detection (Louvain); same input and seed, same result.
    step : callable, optional
        Called with a stage name before each stage (progress display).
    details : bool
        Fill ``numbers["features"]`` (a JSON object of key features per number) and
        ``numbers["explanation"]`` (the reasons in words, with their evidence): what Neo4j and
        the API show. False leaves both null, which saves over a second per 10M calls when only
        the CSV (codes, no words) is wanted.
    """
    t0 = time.perf_counter()
    if step:
        step("graph")
    graph = build_graph(calls, subscribers)
    timings = {"graph": time.perf_counter() - t0}
    return score_graph(graph, policy=policy or Policy(), seed=seed,
                       local_utc_offset_hours=local_utc_offset_hours, step=step, timings=timings,
                       details=details)  # fmt: skip


def encode_calls(calls: pa.Table | CallKeys, subscribers: pa.Table | None = None) -> EncodedCalls:
    """The first half of :func:`build_graph`: every text encoded, the calls still in input order.

    The result keeps nothing of scanned keys but their start times and durations, so a caller
    holding big inputs can drop them here, before :func:`assemble_call_graph` (the second half)
    allocates the graph's arrays, and again before :func:`score_graph`.
    """
    calls, subscribers = _as_validated(calls, subscribers)
    if isinstance(calls, CallKeys):
        return encode_call_keys(calls, subscribers)
    return encode_call_table(calls, subscribers)


def build_graph(calls: pa.Table | CallKeys, subscribers: pa.Table | None = None) -> CallGraph:
    """The call graph of :func:`score_calls`'s input (validated or raw tables, or scanned keys)."""
    return assemble_call_graph(encode_calls(calls, subscribers))


def score_graph(
    graph: CallGraph,
    *,
    policy: Policy,
    seed: int = 0,
    local_utc_offset_hours: float = 8.0,
    step: Callable[[str], None] | None = None,
    timings: dict[str, float] | None = None,
    details: bool = True,
) -> ScoreResult:
    """:func:`score_calls` on an already built call graph."""
    timings = dict(timings or {})
    clock = time.perf_counter()

    def lap(name: str, next_step: str | None) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now
        if step and next_step:
            step(next_step)

    if step:
        step("features")
    feats = compute_number_features(graph, local_utc_offset_hours=local_utc_offset_hours)
    lap("features", "rings")
    rings = detect_rings(graph, seed=seed)
    lap("rings", "scoring")

    f = {name: getattr(feats, name) for name in feats.__dataclass_fields__ if name != "numbers"}
    ev = rings.evidence.numbers
    for name in ("co_target_partners", "co_targeted_victims", "shared_device_sims",
                 "consecutive_batch_size", "shared_cell_high_fanout"):
        f[name] = getattr(ev, name)
    f["batch_together"] = batch_together(graph, rings.evidence, policy.ring_min_size)
    sel = select_rings(graph, rings, f["callback_rate"], f["distinct_callees"], policy,
                       account_age_days=f["account_age_days"], features=f)  # fmt: skip
    score = (np.asarray(rings.table["score"].to_numpy(zero_copy_only=False), np.float64)
             if rings.n_rings else np.zeros(1))
    out_score = score[sel.parent] if sel.parent.size else np.zeros(1)
    in_ring = sel.member_of >= 0
    ring_score = np.where(in_ring, out_score[np.maximum(sel.member_of, 0)], 0.0)
    f["ring_score"] = ring_score
    member = in_ring & ~sel.associate
    ring_coord = np.where(member, 0.6 + 0.4 * ramp(ring_score, policy.ring_min_score, 0.8), 0.0)
    fs = family_scores(f, policy, ring_coordination=ring_coord, ring_associate=sel.associate)
    risk = risk_of(fs, policy)
    ambiguous = ambiguous_members(sel.member_of, sel.associate, sel.handoff_only,
                                  f["account_age_days"], sel.calls_like_fraud,
                                  fs.mitigations["established"])  # fmt: skip
    tier = tiers_of(risk, tier_caps(fs, policy, ambiguous), policy)

    callers = np.flatnonzero(feats.out_calls > 0)
    numbers = _numbers_table(graph, rings, sel, f, fs, risk, tier, callers, ambiguous, policy,
                             details)  # fmt: skip
    ring_table = _rings_table(graph, rings, sel, risk, ambiguous, policy)
    crude = f[CRUDE_RULE_COLUMN][callers] >= CRUDE_RULE_FANOUT
    span = float(graph.start.max() - graph.start.min()) / 86400 if graph.n_calls else 0.0
    lap("scoring", None)
    return ScoreResult(numbers=numbers, rings=ring_table, crude_rule=crude, timings=timings,
                       span_days=span)


def _reason_masks(fs, f, sel, ambiguous, policy: Policy) -> dict[str, np.ndarray]:
    p, fam = fs.parts, fs.families
    judged_busy = (fam["volume"] >= 0.3) | (fam["place"] >= 0.3) | (fam["reciprocity"] >= 0.3)
    recip = fam["reciprocity"] >= 0.3
    return {
        "RING_MEMBER": (sel.member_of >= 0) & ~sel.associate,
        "RING_ASSOCIATE": sel.associate,
        "SHARED_DEVICE_FARM": p["device_farm"] >= 0.5,
        "CONSECUTIVE_BATCH": p["batch"] >= 0.5,
        "COLOCATED_FANOUT": p["colocated"] >= 0.5,
        "SPOOFED_ID": p["spoofed"] > 0,
        "NEW_ACCOUNT": p["new_account"] > 0,
        "HIGH_FIRST_CONTACT_FANOUT": fam["volume"] >= 0.5,
        "NO_CALLBACKS": recip & (p["callback"] >= 0.5),
        "ONE_WAY_CALLING": recip & (p["outgoing"] >= 0.5),
        "NO_REPEAT_CONTACTS": recip & (p["repeat"] >= 0.5),
        "LOW_ANSWER_RATE": recip & (p["answer"] >= 0.5),
        "SHORT_CALLS": recip & (p["short"] >= 0.5),
        "CALLBACKS_NORMAL": judged_busy & fs.mitigations["callbacks_normal"],
        "STABLE_CIRCLE": judged_busy & fs.mitigations["stable_circle"],
        "WORKING_HOURS": judged_busy & fs.mitigations["working_hours"],
        "ESTABLISHED_NUMBER": judged_busy & fs.mitigations["established"],
        "RING_UNCONFIRMED": ambiguous,
    }


def _numbers_table(graph, rings, sel, f, fs, risk, tier, callers, ambiguous, policy: Policy,
                   details: bool) -> pa.Table:  # fmt: skip
    masks = _reason_masks(fs, f, sel, ambiguous, policy)
    codes = list(masks)
    bits = np.stack([masks[c][callers] for c in codes], axis=1)
    ring_ids = sel.ring_ids
    member_of = sel.member_of[callers]
    if details:  # what the explanations quote
        typical = typical_values(f, policy.typical_min_calls)
        contacts = _ring_contacts(graph, sel) if sel.associate.any() else {}
        reason_feats = {r.feature for r in REASONS.values()} - {"ring_contacts"}
        reason_vals = {k: np.asarray(f[k], np.float64)[callers] for k in reason_feats}

    # Columns are built with Arrow takes; only rows with a reason go through Python.
    ring_col = pa.array([*ring_ids, None], pa.string()).take(
        pa.array(np.where(member_of >= 0, member_of, len(ring_ids)))
    )
    n_reasons = np.zeros(callers.size, np.int32)
    flat_reasons: list[str] = []
    expl_col = np.full(callers.size, "[]", dtype=object) if details else None
    for i in np.flatnonzero(bits.any(axis=1)):
        row_codes = [c for c, b in zip(codes, bits[i], strict=True) if b]
        n_reasons[i] = len(row_codes)
        flat_reasons += row_codes
        if expl_col is not None:
            values = {k: float(reason_vals[k][i]) for k in reason_feats}
            values["ring_contacts"] = float(contacts.get(int(callers[i]), 0))
            ring = ring_ids[member_of[i]] if member_of[i] >= 0 else ""
            expl_col[i] = explain(row_codes, values, typical, ring)
    offsets = np.zeros(callers.size + 1, np.int32)
    np.cumsum(n_reasons, out=offsets[1:])
    reasons = pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat_reasons, pa.string()))
    return pa.table({
        "number": graph.numbers.take(pa.array(callers)).cast(pa.string()),
        "risk": pa.array(np.round(risk[callers], 6), pa.float64()),
        "tier": pa.array(list(TIERS), pa.string()).take(pa.array(tier[callers])),
        "ring_id": ring_col,
        "reasons": reasons,
        "explanation": (pa.array(expl_col.tolist(), pa.string()) if expl_col is not None
                        else pa.nulls(callers.size, pa.string())),
        "features": _features_json({k: np.asarray(f[k], np.float64)[callers]
                                    for k in (*_KEY_FEATURES, "ring_score")})
                    if details else pa.nulls(callers.size, pa.string()),
    }, schema=NUMBERS_SCHEMA)


def _features_json(columns: dict[str, np.ndarray]) -> pa.Array:
    """One JSON object per row, built column-wise with Arrow (a Python loop is too slow at 10M)."""
    import pyarrow.compute as pc

    parts = []
    for i, (name, values) in enumerate(columns.items()):
        text = pc.cast(pa.array(np.round(values, 4)), pa.string())
        text = pc.if_else(pa.array(np.isnan(values)), pa.scalar("null"), text)
        parts += [pa.scalar(("{" if i == 0 else ", ") + json.dumps(name) + ": "), text]
    if not parts:
        return pa.array([], pa.string())
    return pc.binary_join_element_wise(*parts, pa.scalar("}"), "")


def _ring_contacts(graph: CallGraph, sel) -> dict[int, int]:
    """Per associate: distinct ring members it is in contact with."""
    a, b = graph.caller, graph.callee
    out: dict[int, set[int]] = {}
    assoc = sel.associate
    member = (sel.member_of >= 0) & ~assoc
    for x, y in ((a, b), (b, a)):
        m = calls_between(x, y, assoc, member)
        for u, w in zip(x[m].tolist(), y[m].tolist(), strict=True):
            out.setdefault(u, set()).add(w)
    return {k: len(v) for k, v in out.items()}


def _clean(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 4)


def _rings_table(graph, rings, sel, risk, ambiguous, policy: Policy) -> pa.Table:
    rows: dict[str, list] = {name: [] for name in RINGS_SCHEMA.names}
    if not sel.ring_ids:
        return RINGS_SCHEMA.empty_table()
    numbers = graph.numbers
    feats = rings.table.drop_columns(["ring_id", "members"]).to_pylist()
    doubtful = unconfirmed_rings(sel.member_of, sel.associate, ambiguous, len(sel.ring_ids))
    for r, ring_id in enumerate(sel.ring_ids):
        idx = np.flatnonzero(sel.member_of == r)
        fr = feats[int(sel.parent[r])]
        ring_risk = 0.5 * float(fr["score"]) + 0.5 * float(np.median(risk[idx]))
        rank = 0
        for i, t in enumerate(TIERS[1:], start=1):
            if ring_risk >= policy.tier_thresholds[t]:
                rank = i
        if ring_risk < policy.ring_extreme_risk:
            rank = min(rank, TIERS.index("verify_in_person"))
        unconfirmed = bool(doubtful[r])  # a desk looks the same
        if unconfirmed:
            rank = min(rank, TIERS.index(policy.ambiguous_ring_cap))
        codes, expl = explain_ring(fr, unconfirmed)
        rows["ring_id"].append(ring_id)
        rows["risk"].append(round(ring_risk, 6))
        rows["tier"].append(TIERS[rank])
        rows["size"].append(int(idx.size))
        rows["members"].append(sorted(numbers.take(pa.array(idx)).to_pylist()))
        rows["reasons"].append(codes)
        rows["explanation"].append(expl)
        rows["features"].append(json.dumps({k: _clean(float(v)) for k, v in fr.items()}
                                           | {"associates": int(sel.associate[idx].sum())}))
    return pa.table(rows, schema=RINGS_SCHEMA)
