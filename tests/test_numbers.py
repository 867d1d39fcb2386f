from decimal import Decimal

import pytest

from marsad.normalize import normalize
from marsad.numbers import find_numbers, ordinal_re, ordinal_value, parse_digits, to_number


def nums(text: str) -> list[tuple[str, float]]:
    return [(n.text, float(n.value)) for n in find_numbers(normalize(text).text)]


@pytest.mark.parametrize("text,value", [
    ("ثمانية وعشرون مليارا", 28e9),
    ("ثلاثمائة وخمسين مليون", 350e6),
    ("مئة ألف", 1e5),
    ("مليار ونصف", 1.5e9),
    ("7 مليارات و300 مليون", 7.3e9),
    ("ثلاثة عشر", 13),
    ("أحد عشر", 11),
    ("عشرة آلاف", 1e4),
    ("ألفي", 2000),
    ("مليوني", 2e6),
    ("ثلاثة ملايين وخمسمائة ألف", 3.5e6),
    ("ألف وخمسمائة مليون", 1.5e9),
    ("٢٨٫٢ مليار", 28.2e9),
    ("28.2 مليار", 28.2e9),
    ("خمسة وعشرين", 25),
    ("تسعمائة وتسعة وتسعون", 999),
    ("ملياراً و500 مليون", 1.5e9),
])
def test_cardinals(text: str, value: float) -> None:
    found = nums(text)
    assert len(found) == 1, found
    assert found[0][1] == pytest.approx(value)


def test_separate_numbers_and_vague_plurals() -> None:
    assert [v for _, v in nums("خمسة أشخاص وثلاثة جنود")] == [5, 3]
    assert nums("آلاف المتظاهرين") == []
    assert nums("قال أحد المسؤولين") == []
    assert [v for _, v in nums("في 2018 2019")] == [2018, 2019]


@pytest.mark.parametrize("s,value", [("28.2", "28.2"), ("1,200,000", "1200000"), ("2,5", "2.5"),
                                     ("1.500.000", "1500000"), ("2,500.75", "2500.75"), ("7598.8", "7598.8")])
def test_parse_digits(s: str, value: str) -> None:
    assert parse_digits(s) == Decimal(value)


@pytest.mark.parametrize("text,value", [("الخامس", 5), ("التاسع عشر", 19), ("الحادي والعشرين", 21),
                                        ("الثانية عشرة", 12), ("الـ78", 78), ("الأولى", 1), ("العشرين", 20)])
def test_ordinals(text: str, value: int) -> None:
    m = ordinal_re().search(normalize(text).text)
    assert m and ordinal_value(m) == value


def test_to_number() -> None:
    assert to_number(Decimal("28200000000.0")) == 28200000000
    assert isinstance(to_number(Decimal("28200000000.0")), int)
    assert to_number(Decimal("2.5")) == 2.5
