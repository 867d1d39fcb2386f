"""Arabic numbers in normalized text: digits (28.2, 1,200,000, 2,5) and number words up to the trillions.

Shared by :mod:`marsad.times` and :mod:`marsad.amounts`. Works on ``doc.normalized.text`` (ASCII digits,
``.`` for ٫, ``,`` for ، and ٬, ة folded to ه, no diacritics). The words come from
``rules/amount/ar/numbers.tsv`` and ``ordinals.tsv``.

>>> [(n.text, int(n.value)) for n in find_numbers("وقع ثمانيه وعشرون مليارا و500 مليون")]
[('ثمانيه وعشرون مليارا و500 مليون', 28500000000)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from marsad.normalize import Normalized, normalize_word
from marsad.rulesdata import alternation, table
from marsad.tokenize import WordIndex, word_index

LETTER_BEFORE = r"(?<![^\W\d_])"
LETTER_AFTER = r"(?![^\W\d_])"
DIGITS = r"\d+(?:[.,]\d+)*"


@dataclass(frozen=True, slots=True)
class Word:
    value: Decimal
    type: str


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in normalized text: ``text == normalized[start:end]``."""

    start: int
    end: int
    text: str
    value: Decimal
    words: bool  # written (at least partly) in words
    atoms: tuple[str, ...]  # normalized atoms, in order ("28.2", "مليار")
    last_type: str  # type of the last atom ("num", "unit", "scale", ...)


@cache
def cardinal_words() -> dict[str, Word]:
    return {r["form"]: Word(Decimal(r["value"]), r["type"]) for r in table("amount", "numbers")}


@cache
def ordinal_words() -> dict[str, Word]:
    return {r["form"]: Word(Decimal(r["value"]), r["type"]) for r in table("amount", "ordinals")}


_LETTERS = re.compile(r"[^\W\d_]+")


def first_words(forms: Iterable[str], prefixes: Iterable[str] = ("",)) -> frozenset[str] | None:
    """Every token a match can open with, when it opens with one of ``forms`` glued to one of ``prefixes``.

    A form's first token is its leading run of letters (the tokenizer's words are maximal letter runs).
    None when some form does not start with a letter: such a pattern cannot be anchored on words.
    """
    prefixes = tuple(prefixes)
    out: set[str] = set()
    for f in forms:
        m = _LETTERS.match(f)
        if m is None:
            return None
        out.update(p + m.group() for p in prefixes)
    return frozenset(out)


def scan(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))``, trying the pattern only at ``starts`` (sorted).

    Exact whenever every position where ``pattern`` can match is in ``starts``: each caller passes the
    starts of the only tokens its pattern can open with (``WordIndex``), so a rule runs at a few places
    per document instead of at every character. Lookbehinds still see the text before a start.
    """
    out: list[re.Match[str]] = []
    pos = 0
    match = pattern.match
    for s in starts:
        if s < pos:
            continue
        m = match(text, s)
        if m is not None and m.end() > s:
            out.append(m)
            pos = m.end()
    return out


@cache
def _atom_starts() -> frozenset[str]:
    """Word tokens a number atom can open with: a number word, with «و»/«ب» glued or alone before it."""
    words = first_words(cardinal_words(), ("", "و", "ب"))
    assert words is not None, "number words must start with a letter"
    return words | {"و", "ب"}


@cache
def _atom_re() -> re.Pattern[str]:
    words = alternation(cardinal_words())
    return re.compile(rf"(?<![\w.,/:#-])(?P<pre>و\s?|ب)?(?:(?P<dig>{DIGITS})(?![\d])|(?P<word>{words}){LETTER_AFTER})")


@cache
def ordinal_re() -> re.Pattern[str]:
    """An ordinal with the article: «الخامس», «التاسع عشر», «الحادي والعشرين», «الـ15» (→ «ال15»)."""
    ords = ordinal_words()
    units = alternation(f for f, w in ords.items() if w.type in ("unit", "compound_only"))
    tens = alternation(f for f, w in ords.items() if w.type == "ten")
    teen = alternation([normalize_word("عشر"), normalize_word("عشرة")])
    return re.compile(
        rf"{LETTER_BEFORE}(?P<pre>[وبلف]|لل|وب|ول|وال|بال|فال|كال)??ال(?:"
        rf"(?P<unit>{units})(?:\s+(?P<teen>{teen})|\s+و(?:ال)?(?P<ten2>{tens}))?"
        rf"|(?P<ten>{tens})|(?P<dig>\d{{1,4}})(?!\d))(?![\w])"
    )


def ordinal_value(m: re.Match[str]) -> int | None:
    """Value of an :func:`ordinal_re` match (None for «الحادي» alone)."""
    if m.group("dig"):
        return int(m.group("dig"))
    ords = ordinal_words()
    if m.group("ten"):
        return int(ords[m.group("ten")].value)
    unit = ords[m.group("unit")]
    if m.group("teen"):
        return int(unit.value) + 10
    if m.group("ten2"):
        return int(unit.value) + int(ords[m.group("ten2")].value)
    if unit.type == "compound_only":
        return None
    return int(unit.value)


def parse_digits(s: str) -> Decimal | None:
    """«28.2» → 28.2, «1,200,000» → 1200000, «2,5» → 2.5, «1.500.000» → 1500000."""
    try:
        if "," in s and "." in s:
            dec = "." if s.rfind(".") > s.rfind(",") else ","
            thou = "," if dec == "." else "."
            return Decimal(s.replace(thou, "").replace(dec, "."))
        for sep in (",", "."):
            if sep in s:
                parts = s.split(sep)
                if len(parts) > 2 or (sep == "," and len(parts[1]) == 3 and len(parts[0]) <= 3):
                    if all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
                        return Decimal("".join(parts))
                    return None
                return Decimal(s.replace(sep, "."))
        return Decimal(s)
    except InvalidOperation:
        return None


class _Acc:
    """Accumulates number atoms left to right, refusing sequences that are not one number."""

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.group = Decimal(0)
        self.last: str | None = None
        self.last_value = Decimal(0)
        self.last_scale = Decimal(0)
        self.pending_compound = False

    def add(self, kind: str, value: Decimal, conj: bool) -> bool:
        last = self.last
        if self.pending_compound and not (kind == "unit" and value == 10 and not conj):
            return False
        if kind == "num":
            if last is not None and not (conj and last in ("scale", "scale_plural", "scale_dual")):
                return False
            self.group = value
        elif kind in ("unit", "compound_only"):
            if last is None:
                self.group = value
            elif value == 10 and not conj and last in ("unit", "compound_only") and self.last_value < 10:
                self.group += 10
                kind = "teen"
            elif conj and last in ("hundred", "hundred_scale", "scale", "scale_plural", "scale_dual"):
                self.group += value
            else:
                return False
            self.pending_compound = kind == "compound_only"
        elif kind == "ten":
            if last is None or (conj and last in ("unit", "hundred", "hundred_scale", "scale", "scale_plural",
                                                   "scale_dual")):
                self.group += value
            else:
                return False
        elif kind == "hundred":
            if last is None or (conj and last in ("scale", "scale_plural", "scale_dual")):
                self.group += value
            else:
                return False
        elif kind == "hundred_scale":
            if last is None or (conj and last in ("scale", "scale_plural", "scale_dual")):
                self.group += value
            elif not conj and last in ("unit", "num") and self.group < 10:
                self.group *= value
            else:
                return False
        elif kind in ("scale", "scale_plural", "scale_dual"):
            if kind == "scale_dual":
                if last is not None and not conj:
                    return False
                self.group = 2 * value
            elif last is None:
                if kind == "scale_plural":
                    return False
                self.group = value
            elif conj:
                return False
            elif last in ("scale", "scale_dual") and self.group == 0 and value > self.last_scale:
                self.total *= value
            elif last in ("num", "unit", "teen", "ten", "hundred", "hundred_scale"):
                if self.total and value == self.last_scale:
                    return False  # «خمسة آلاف وستة آلاف»: two numbers
                if kind == "scale_plural" and not (last == "num" or 3 <= self.group <= 10):
                    return False
                if kind == "scale" and last != "num" and 3 <= self.group <= 10 and value == 1000:
                    return False  # «ثلاثة ألف»: the plural آلاف is required
                self.group *= value
            else:
                return False
            if self.group:
                if self.total and value > self.last_scale:
                    self.total = self.total * value + self.group
                else:
                    self.total += self.group
            self.group = Decimal(0)
            self.last_scale = value
        elif kind == "fraction":
            if not (conj and last in ("scale", "scale_dual") and self.group == 0):
                return False
            self.total += value * self.last_scale
        else:
            return False
        self.last = kind
        self.last_value = value
        return True

    @property
    def value(self) -> Decimal:
        return self.total + self.group


def _copy(acc: _Acc) -> _Acc:
    new = _Acc()
    new.total, new.group, new.last, new.last_value = acc.total, acc.group, acc.last, acc.last_value
    new.last_scale, new.pending_compound = acc.last_scale, acc.pending_compound
    return new


#: Unit words not reported as a number on their own («واحد» follows its noun; «أحد» is "one of").
_WEAK_ALONE = {"احد", "احدي", "واحد", "واحده", "اثنين"}


def numbers_of(nz: Normalized) -> tuple[Number, ...]:
    """:func:`find_numbers` of a document's normalized text, computed once per document (``nz.cache``)."""
    found = nz.cache.get(numbers_of)
    if found is None:
        found = nz.cache[numbers_of] = tuple(find_numbers(nz.text, word_index(nz)))
    return found


def find_numbers(text: str, index: WordIndex | None = None) -> list[Number]:
    """Every maximal number in normalized ``text``, left to right.

    ``index``: the :func:`marsad.tokenize.word_index` of the same text, to look for atoms only where a
    number or number word stands (same result, much faster on long documents).
    """
    words = cardinal_words()
    out: list[Number] = []
    acc: _Acc | None = None
    start = end = 0
    atoms: list[str] = []
    has_words = False
    if index is None:
        found: Iterable[re.Match[str]] = _atom_re().finditer(text)
    else:
        toks = index.tokens
        starts = [toks[i].nstart for i in index.nums]
        starts += index.starts(_atom_starts())
        starts.sort()
        found = scan(_atom_re(), text, starts)

    def close() -> None:
        if acc is None or acc.pending_compound or acc.last is None:
            return
        if len(atoms) == 1 and atoms[0] in _WEAK_ALONE:
            return
        out.append(Number(start, end, text[start:end], acc.value, has_words, tuple(atoms), acc.last))

    for m in found:
        pre = m.group("pre") or ""
        conj = pre.startswith("و")
        if m.group("dig"):
            value = parse_digits(m.group("dig"))
            if value is None:
                close()
                acc = None
                continue
            kind, atom = "num", m.group("dig")
        else:
            atom = m.group("word")
            w = words[atom]
            kind, value = w.type, w.value
        gap = text[end:m.start()]
        joined = acc is not None and gap.strip() == "" and "\n" not in gap and len(gap) <= 3 and pre != "ب"
        if joined and acc is not None:
            trial = _copy(acc)
            if trial.add(kind, value, conj):
                acc, end = trial, m.end()
                atoms.append(atom)
                has_words = has_words or kind != "num"
                continue
        close()
        acc = _Acc()
        if not acc.add(kind, value, False) or (kind == "fraction"):
            acc = None
            end = m.end()
            continue
        start, end = m.start() + len(pre), m.end()
        atoms = [atom]
        has_words = kind != "num"
    close()
    return out


def to_number(value: Decimal) -> int | float:
    """int when integral, else float (the output contract's number)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
