"""Reason codes with plain-language text (en + zh) and the value behind them vs the population.

Each reason names the feature it rests on, the number's value and the *typical* value: the
population median over callers with at least ``Policy.typical_min_calls`` outgoing calls.
Mitigating reasons (``mitigating: True``) say why a busy number was left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

__all__ = ["REASONS", "Reason", "format_value", "typical_values"]


@dataclass(frozen=True)
class Reason:
    code: str
    family: str  # volume, place, reciprocity, coordination, identity, mitigating
    feature: str
    unit: str  # "share", "count", "days", "score"
    en: str  # templates: {v} the number's value, {t} the typical value, {ring} the ring id
    zh: str

    @property
    def mitigating(self) -> bool:
        return self.family == "mitigating"


REASONS: dict[str, Reason] = {r.code: r for r in (
    Reason("RING_MEMBER", "coordination", "ring_score", "score",
           "member of fraud ring {ring} (ring score {v}; 0 for numbers in no ring)",
           "属于诈骗团伙 {ring}（团伙评分 {v}；不在团伙中的号码为 0）"),
    Reason("RING_ASSOCIATE", "coordination", "ring_contacts", "count",
           "two-way calls with {v} members of fraud ring {ring}",
           "与诈骗团伙 {ring} 的 {v} 名成员有双向通话"),
    Reason("SHARED_DEVICE_FARM", "coordination", "shared_device_sims", "count",
           "its handset also carried {v} other SIMs vs {t} typical",
           "所用手机还插过 {v} 张其他 SIM 卡，一般为 {t} 张"),
    Reason("CONSECUTIVE_BATCH", "coordination", "consecutive_batch_size", "count",
           "one of {v} consecutive numbers activated together and all calling out vs {t} typical",
           "属于同时开通、连号外呼的 {v} 个号码之一，一般为 {t} 个"),
    Reason("COLOCATED_FANOUT", "place", "colocated_high_fanout_sims", "count",
           "{v} other mass-calling SIMs on the same cell the same day vs {t} typical",
           "同一天同一基站还有 {v} 张大量外呼的 SIM 卡，一般为 {t} 张"),
    Reason("SPOOFED_ID", "identity", "distinct_imeis", "count",
           "calls carry no handset and no cell and the number is never called: a spoofed caller id",
           "呼叫没有手机串号也没有基站，且从未被呼叫：疑似伪造主叫号码"),
    Reason("NEW_ACCOUNT", "identity", "account_age_days", "days",
           "number activated {v} days before calling out vs {t} typical",
           "号码开通 {v} 天即开始外呼，一般为 {t} 天"),
    Reason("HIGH_FIRST_CONTACT_FANOUT", "volume", "first_contact_fanout_1h", "count",
           "called {v} new numbers within one hour vs {t} typical",
           "一小时内呼叫 {v} 个从未联系过的号码，一般为 {t} 个"),
    Reason("NO_CALLBACKS", "reciprocity", "callback_rate", "share",
           "callback rate {v} vs {t} typical", "回拨率 {v}，一般为 {t}"),
    Reason("ONE_WAY_CALLING", "reciprocity", "outgoing_share", "share",
           "outgoing share of calls {v} vs {t} typical", "主叫占比 {v}，一般为 {t}"),
    Reason("NO_REPEAT_CONTACTS", "reciprocity", "repeat_contact_ratio", "ratio",
           "{v} calls per person called vs {t} typical", "每个被叫号码平均 {v} 次通话，一般为 {t} 次"),
    Reason("LOW_ANSWER_RATE", "reciprocity", "answer_rate", "share",
           "answer rate {v} vs {t} typical", "接通率 {v}，一般为 {t}"),
    Reason("SHORT_CALLS", "reciprocity", "short_answer_share", "share",
           "answered calls under 10 s: {v} vs {t} typical", "接通后 10 秒内挂断占 {v}，一般为 {t}"),
    Reason("CALLBACKS_NORMAL", "mitigating", "callback_rate", "share",
           "people it calls call it back ({v}, typical {t}): customers, not victims",
           "被叫者会回拨（回拨率 {v}，一般为 {t}）：更像客户而非受害者"),
    Reason("STABLE_CIRCLE", "mitigating", "repeat_contact_ratio", "ratio",
           "calls the same people repeatedly ({v} calls per person vs {t} typical)",
           "反复联系相同的人（每人 {v} 次，一般为 {t} 次）"),
    Reason("WORKING_HOURS", "mitigating", "off_hours_share", "share",
           "calls in working hours (only {v} outside 08–20 h vs {t} typical)",
           "通话集中在工作时间（08–20 点以外仅占 {v}，一般为 {t}）"),
    Reason("ESTABLISHED_NUMBER", "mitigating", "account_age_days", "days",
           "an established number ({v} days old vs {t} typical)",
           "号码已使用较久（{v} 天，一般为 {t} 天）"),
    Reason("RING_UNCONFIRMED", "mitigating", "account_age_days", "days",
           "ring {ring} rests on hand-offs and calls between its members alone, and neither the"
           " calls nor the activation dates confirm it: colleagues who pass clients on look the"
           " same, so online verification at most",
           "团伙 {ring} 仅凭接力呼叫和成员间通话认定，通话特征和开户日期均不足以确认："
           "同事之间转交客户也会如此，因此最多要求线上核验"),
)}


def format_value(value: float, unit: str) -> str:
    """Human text of a feature value: shares as percent, counts as integers."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "n/a"
    if unit == "share":
        pct = 100 * value
        return f"{pct:.1f}%" if 0 < pct < 10 else f"{pct:.0f}%"
    if unit in ("count", "days"):
        return f"{value:.0f}"
    return f"{value:.2f}"


def typical_values(f: dict[str, np.ndarray], min_calls: int) -> dict[str, float]:
    """Median of every reason feature over callers with at least ``min_calls`` outgoing calls."""
    busy = np.nan_to_num(f["out_calls"]) >= min_calls
    out: dict[str, float] = {"ring_score": 0.0, "ring_contacts": 0.0}
    for r in REASONS.values():
        if r.feature in f:
            vals = np.asarray(f[r.feature], dtype=np.float64)[busy]
            vals = vals[~np.isnan(vals)]
            out[r.feature] = float(np.median(vals)) if vals.size else float("nan")
    return out


def explain(codes: list[str], values: dict[str, float], typical: dict[str, float], ring: str) -> str:
    """The explanation JSON of one number: ``[{code, en, zh, mitigating, evidence}]``."""
    items = []
    for code in codes:
        r = REASONS[code]
        v, t = values.get(r.feature, float("nan")), typical.get(r.feature, float("nan"))
        fv, ft = format_value(v, r.unit), format_value(t, r.unit)
        items.append({
            "code": code, "en": r.en.format(v=fv, t=ft, ring=ring),
            "zh": r.zh.format(v=fv, t=ft, ring=ring), "mitigating": r.mitigating,
            "evidence": {"feature": r.feature, "value": _num(v), "typical": _num(t)},
        })
    return json.dumps(items, ensure_ascii=False)


def _num(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)


RING_REASONS: dict[str, Reason] = {r.code: r for r in (
    Reason("RING_CO_TARGETING", "ring", "co_targeted_victims", "count",
           "{v} people were called by two or more members", "{v} 人被两名以上成员呼叫"),
    Reason("RING_HANDOFFS", "ring", "handoffs", "count",
           "{v} hand-offs: members called the same new person within hours of each other",
           "{v} 次接力：成员在数小时内先后呼叫同一陌生人"),
    Reason("RING_SHARED_DEVICES", "ring", "device_share", "share",
           "{v} of members share a handset with another member", "{v} 的成员与其他成员共用手机"),
    Reason("RING_NUMBER_BATCH", "ring", "batch_share", "share",
           "{v} of members hold consecutive numbers activated together", "{v} 的成员为同时开通的连号"),
    Reason("RING_NEW_NUMBERS", "ring", "mean_activation_age_days", "days",
           "members' numbers are on average {v} days old", "成员号码平均开通 {v} 天"),
    Reason("RING_UNCONFIRMED", "mitigating", "mean_activation_age_days", "days",
           "members are tied by hand-offs and calls between them alone, and neither their calls"
           " nor their activation dates confirm it: a desk of colleagues looks the same, so online"
           " verification at most",
           "成员仅凭接力呼叫和相互通话关联，通话特征和开户日期均不足以确认：同事协作也会如此，"
           "因此最多要求线上核验"),
)}


def explain_ring(f: dict[str, float], unconfirmed: bool = False) -> tuple[list[str], str]:
    """Codes and explanation JSON of one ring from its features; ``unconfirmed``: a ring of
    members on hand-offs and talk alone, none of them beyond doubt
    (:func:`graphfraud.scoring.scorecard.unconfirmed_rings`; capped by the policy)."""
    fired = [
        ("RING_CO_TARGETING", f["co_targeted_victims"] >= 5),
        ("RING_HANDOFFS", f["handoffs"] >= 5),
        ("RING_SHARED_DEVICES", f["device_share"] >= 0.3),
        ("RING_NUMBER_BATCH", f["batch_share"] >= 0.3),
        ("RING_NEW_NUMBERS", f["mean_activation_age_days"] <= 30),
        ("RING_UNCONFIRMED", unconfirmed),
    ]
    codes = [c for c, ok in fired if ok]
    items = []
    for code in codes:
        r = RING_REASONS[code]
        fv = format_value(f[r.feature], r.unit)
        items.append({"code": code, "en": r.en.format(v=fv), "zh": r.zh.format(v=fv),
                      "mitigating": r.family == "mitigating",
                      "evidence": {"feature": r.feature, "value": _num(f[r.feature]), "typical": None}})
    return codes, json.dumps(items, ensure_ascii=False)
