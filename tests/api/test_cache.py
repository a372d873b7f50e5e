"""The answer cache: nothing kept before the graph's version is known, dropped when it moves."""

from graphfraud.api.cache import AnswerCache


def test_nothing_is_kept_until_the_version_is_known() -> None:
    cache = AnswerCache(poll_s=1.0, max_entries=10)
    cache.put("a", b"1")
    assert cache.get("a") is None
    cache.observe(3)
    cache.put("a", b"1")
    assert cache.get("a") == b"1"


def test_a_new_version_or_an_unknown_one_empties_it() -> None:
    cache = AnswerCache(poll_s=1.0, max_entries=10)
    cache.observe(1)
    cache.put("a", b"1")
    cache.observe(1)
    assert cache.get("a") == b"1"  # same version: still valid
    cache.observe(2)
    assert cache.get("a") is None
    cache.put("a", b"2")
    cache.observe(None)  # Neo4j did not answer: cannot tell
    assert cache.get("a") is None
    cache.put("a", b"3")
    assert cache.get("a") is None


def test_least_recently_used_entries_go_first_and_zero_disables() -> None:
    cache = AnswerCache(poll_s=1.0, max_entries=2)
    cache.observe(1)
    cache.put("a", b"a")
    cache.put("b", b"b")
    assert cache.get("a") == b"a"  # a is now the most recent
    cache.put("c", b"c")
    assert cache.get("b") is None and cache.get("a") == b"a" and cache.get("c") == b"c"
    off = AnswerCache(poll_s=0, max_entries=10)
    off.observe(1)
    off.put("a", b"a")
    assert off.get("a") is None


def test_a_reloading_cache_answers_from_the_last_version_until_reloaded() -> None:
    cache = AnswerCache(poll_s=1.0, max_entries=10, reload=True)
    cache.observe("v1")
    cache.put("a", b"a1")
    cache.put("b", b"b1")
    cache.observe("v2")
    assert len(cache) == 0 and cache.reloading
    assert cache.get("a") == b"a1"  # the last run's card, while the new ones are read
    cache.put("a", b"a2")
    assert cache.get("a") == b"a2" and cache.get("b") == b"b1"
    cache.forget(["b"])  # an appeal: gone from both layers
    assert cache.get("b") is None
    cache.reloaded()
    assert cache.get("a") == b"a2" and not cache.reloading


def test_a_second_move_or_an_unknown_version_drops_the_old_layer() -> None:
    cache = AnswerCache(poll_s=1.0, max_entries=10, reload=True)
    cache.observe("v1")
    cache.put("a", b"a1")
    cache.observe("v2")
    cache.put("b", b"b2")
    cache.observe("v3")  # never more than one run behind
    assert cache.get("a") is None and cache.get("b") is None
    cache.put("c", b"c3")
    cache.observe(None)
    cache.observe("v4")
    assert cache.get("c") is None and not cache.reloading
    plain = AnswerCache(poll_s=1.0, max_entries=10)  # /evidence: no old layer
    plain.observe("v1")
    plain.put("a", b"a1")
    plain.observe("v2")
    assert plain.get("a") is None
