"""One poll applied to the caches: evidence follows the graph, cards the scores, appeals one by one."""

from __future__ import annotations

from types import SimpleNamespace

from graphfraud.api.cache import AnswerCache
from graphfraud.api.state import follow_versions
from graphfraud.store.reads import StoredVersions


def _state() -> SimpleNamespace:
    risk, evidence = AnswerCache(1.0, 100, reload=True), AnswerCache(1.0, 100)
    state = SimpleNamespace(risk_cache=risk, evidence_cache=evidence, preloads=0)
    state.preload_risk_cards = lambda: setattr(state, "preloads", state.preloads + 1)
    return state


def _versions(graph: int, scores: int, cards: int = 0, changed: tuple[str, ...] = ()) -> StoredVersions:
    return StoredVersions(graph=f"{graph}@t", scores=f"{scores}@t", cards=cards, changed=changed)


def test_an_ingest_drops_the_subgraphs_and_keeps_the_cards() -> None:
    state = _state()
    seen = follow_versions(state, _versions(1, 1), None)
    assert state.preloads == 1  # the first poll: read every card
    state.risk_cache.put("a", b"card")
    state.evidence_cache.put("a|1|300", b"subgraph")
    seen = follow_versions(state, _versions(2, 1), seen)
    assert state.risk_cache.get("a") == b"card" and state.evidence_cache.get("a|1|300") is None
    assert state.preloads == 1


def test_appeals_drop_their_own_cards_and_too_many_drop_all() -> None:
    state = _state()
    seen = follow_versions(state, _versions(1, 1, cards=3, changed=("x", "y", "z")), None)
    for n in "abxyz":
        state.risk_cache.put(n, n.encode())
    seen = follow_versions(state, _versions(2, 1, cards=5, changed=("x", "y", "z", "a", "b")), seen)
    assert seen == 5 and state.risk_cache.get("a") is None and state.risk_cache.get("b") is None
    assert state.risk_cache.get("x") == b"x" and state.preloads == 1  # appealed before: kept
    follow_versions(state, _versions(3, 1, cards=9, changed=("x", "y")), seen)  # 4 moves, 2 named
    assert len(state.risk_cache) == 0 and state.preloads == 2


def test_a_scoring_run_reads_every_card_again_and_neo4j_down_drops_everything() -> None:
    state = _state()
    seen = follow_versions(state, _versions(1, 1), None)
    state.risk_cache.put("a", b"old")
    seen = follow_versions(state, _versions(2, 2), seen)
    assert state.preloads == 2 and state.risk_cache.get("a") == b"old"  # until the preload is done
    assert follow_versions(state, None, seen) is None
    assert state.risk_cache.get("a") is None and state.evidence_cache.version is None
