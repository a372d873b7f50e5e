"""The answer cache: nothing kept before the graph's version is known, dropped when it moves."""

from graphfraud.api.state import AnswerCache


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
