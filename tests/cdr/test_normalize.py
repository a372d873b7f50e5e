import pyarrow as pa
import pytest

from graphfraud.cdr import normalize_number, normalize_numbers


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("0086-138-0013-8000", "13800138000"),
        ("008613800138000", "13800138000"),  # digits only: the code still goes
        ("0086", "0086"),  # nothing after the code
        ("+86", None),
        ("(010) 6552-9988", "01065529988"),
        ("95588", "95588"),
        ("1380013800a", None),
        ("", None),
        ("1234567890123456", None),
    ],
)
def test_normalize_number(raw: str, expected: str | None) -> None:
    assert normalize_number(raw) == expected


def test_nulls_are_not_numbers() -> None:
    _numbers, ok = normalize_numbers(pa.array(["13800138000", None]))
    assert ok.to_pylist() == [True, False]


def test_a_column_of_digits_with_and_without_the_0086_code() -> None:
    numbers, ok = normalize_numbers(pa.array(["13800138000", "008613800138000", "95588"]))
    assert numbers.to_pylist() == ["13800138000", "13800138000", "95588"] and all(ok.to_pylist())
