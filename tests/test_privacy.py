import pyarrow as pa
import pytest

from graphfraud.errors import ConfigError
from graphfraud.privacy import TOKEN_PATTERN, Pseudonymizer, redact


def test_tokens_are_stable_keyed_and_well_formed() -> None:
    a = Pseudonymizer("k" * 32)
    b = Pseudonymizer("k" * 32)
    other = Pseudonymizer("z" * 32)
    tok = a.token("13800138000")
    assert TOKEN_PATTERN.match(tok)
    assert tok == b.token("13800138000")
    assert tok != other.token("13800138000")
    assert tok != a.token("13800138001")
    col = a.tokens(pa.array(["13800138000", "13800138001", "13800138000"]))
    assert col.to_pylist() == [tok, a.token("13800138001"), tok]


def test_short_or_missing_key_is_refused() -> None:
    with pytest.raises(ConfigError):
        Pseudonymizer("")
    with pytest.raises(ConfigError):
        Pseudonymizer("short")


def test_redact_hides_the_middle() -> None:
    assert redact("13800138000") == "138******00"
    assert "0013" not in redact("13800138000")


def test_redact_text_hides_numbers_in_log_lines() -> None:
    from graphfraud.privacy import redact_text

    line = redact_text("GET /v1/numbers/13800138000/evidence?hops=2 -> 503 (ring R0001)")
    assert "13800138000" not in line and "138******00" in line
    assert "R0001" in line and "503" in line  # short numbers and ids stay readable


def test_list_tokens_keep_each_list_its_order_and_nulls() -> None:
    p = Pseudonymizer("k" * 32)
    lists = pa.array([["13800138000", "13900000001"], [], None, ["13800138000"]], pa.list_(pa.string()))
    for column in (lists, lists.slice(1), pa.chunked_array([lists[:2], lists[2:]])):
        want = [None if v is None else [p.token(x) for x in v] for v in column.to_pylist()]
        assert p.list_tokens(column).to_pylist() == want


def test_token_pattern_takes_no_trailing_newline() -> None:
    token = Pseudonymizer("k" * 32).token("13800138000")
    assert TOKEN_PATTERN.match(token) and not TOKEN_PATTERN.match(token + "\n")
