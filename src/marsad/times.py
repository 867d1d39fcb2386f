"""Time expressions in Arabic news: dates, years, ranges, relative days, decades, centuries, durations.

``annotate(doc)`` fills ``doc.times`` with :class:`TimeExpr` (original offsets, ISO 8601 / TIMEX3 values):

* dates: day–month–year in digits and words, the three month-name systems (يناير / كانون الثاني /
  جانفي…) and Hijri dates (value converted to Gregorian with the Umm al-Qura calendar, the Hijri date kept in
  ``TimeExpr.hijri``); grain ``day``/``month``/``year``;
* partial dates (7 أكتوبر) take their year from an explicit year earlier in the sentence, else from the
  publication date: the past is preferred (a date more than a week after publication moves back a year)
  unless the sentence speaks of the future (سوف، المقبل، من المقرر…) or the expression says «الماضي/المقبل»;
* ranges (من يناير إلى أغسطس 2023 → ``2023-01/2023-08``, بين 2018 و2020 → ``2018/2020``), grain ``range``;
* relative expressions anchored to ``doc.meta.published`` (أمس، الأسبوع الماضي، منذ ثلاثة أيام، يوم الثلاثاء
  الماضي); weeks as ``2023-W45``;
* decades (التسعينيات → ``199``) and centuries (القرن الحادي والعشرين → ``20``, TIMEX3 style);
* durations (15 عاماً → ``P15Y``, 24 ساعة → ``PT24H``; decades and centuries in years: ثلاثة عقود → ``P30Y``).

Without a publication date, an expression that needs one is still reported with a TIMEX3-style unresolved
value: ``PAST_REF`` / ``PRESENT_REF`` / ``FUTURE_REF`` for relative expressions, ``XXXX-10-07`` /
``XXXX-09`` for a day or month without a year, ``XXXX-WXX-2`` for a bare weekday.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from marsad.document import Document, TimeExpr
from marsad.normalize import Normalized, normalize_word
from marsad.numbers import (
    LETTER_AFTER,
    LETTER_BEFORE,
    cardinal_words,
    first_words,
    numbers_of,
    ordinal_re,
    ordinal_value,
    ordinal_words,
    scan,
    to_number,
)
from marsad.rulesdata import alternation, table, word_class
from marsad.tokenize import WordIndex, tokenize, word_index

# ----------------------------------------------------------------------------- calendars


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Umm al-Qura conversion (via ``hijridate``) where it is defined, the tabular calendar elsewhere."""
    try:
        from hijridate import Hijri

        return Hijri(year, month, day).to_gregorian()
    except (ImportError, ValueError, OverflowError):
        pass
    if day == 30:
        try:
            from hijridate import Hijri

            return Hijri(year, month, 29).to_gregorian() + dt.timedelta(days=1)
        except (ImportError, ValueError, OverflowError):
            pass
    return tabular_hijri_to_gregorian(year, month, day)


def tabular_hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The arithmetical (tabular, civil epoch) Islamic calendar: within a day or two of Umm al-Qura."""
    jdn = day + int(29.5 * (month - 1) + 0.99) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439
    return dt.date.fromordinal(jdn - 1721425)


def gregorian_to_hijri_year(date: dt.date) -> int:
    try:
        from hijridate import Gregorian

        return Gregorian(date.year, date.month, date.day).to_hijri().year
    except (ImportError, ValueError, OverflowError):
        return int((date.year - 622) * 33 / 32)


# ----------------------------------------------------------------------------- lexicons


@dataclass(frozen=True, slots=True)
class Month:
    system: str
    month: int
    ambiguous: bool


@cache
def months() -> dict[str, Month]:
    return {r["form"]: Month(r["system"], int(r["month"]), r["ambiguous"] == "1") for r in table("time", "months")}


@cache
def weekdays() -> dict[str, int]:
    return {r["form"]: int(r["weekday"]) for r in table("time", "weekdays")}


@cache
def relatives() -> dict[str, tuple[str, int]]:
    return {r["form"]: (r["unit"], int(r["offset"])) for r in table("time", "relative")}


@cache
def duration_units() -> dict[str, tuple[str, int]]:
    return {r["form"]: (r["unit"], int(r["count"])) for r in table("time", "units")}


@cache
def decades() -> dict[str, int]:
    return {r["form"]: int(r["decade"]) for r in table("time", "decades")}


def _w(cls: str) -> str:
    return alternation(word_class("time", cls))


@dataclass(frozen=True)
class _Rules:
    date: re.Pattern[str]
    numdate: re.Pattern[str]
    year_head: re.Pattern[str]
    year_era: re.Pattern[str]
    year_prep: re.Pattern[str]
    year_range: re.Pattern[str]
    relative: re.Pattern[str]
    weekday: re.Pattern[str]
    decade: re.Pattern[str]
    century: re.Pattern[str]
    dur_unit: re.Pattern[str]
    dual: re.Pattern[str]
    tod: re.Pattern[str]
    future: re.Pattern[str]
    future_verb: re.Pattern[str]
    and_year: re.Pattern[str]
    year_pair: re.Pattern[str]
    range_to: re.Pattern[str]
    range_from_before: re.Pattern[str]
    range_between_before: re.Pattern[str]
    ago_before: re.Pattern[str]
    tomorrow: re.Pattern[str]
    outlet: re.Pattern[str]
    dur_def: re.Pattern[str]
    per_day: re.Pattern[str]


@cache
def rules() -> _Rules:
    month = alternation(months())
    wd = alternation(weekdays())
    era = rf"(?:{_w('era_ad')}|{_w('era_ah')}){LETTER_AFTER}"
    ords = ordinal_re().pattern.replace("(?P<", "(?P<o_")  # ordinal day, groups renamed
    rel_m = rf"(?:{_w('month_rel_past')}|{_w('month_rel_future')}|{_w('month_rel_now')})"
    date = re.compile(
        rf"{LETTER_BEFORE}"
        rf"(?:(?P<wdhead>{_w('weekday_head')}\s+)?(?P<wd>{wd})\s*,?\s*(?=\d))?"
        rf"(?:(?:(?P<from>{_w('range_from')}|{_w('range_between')})\s+)?(?:يومي\s+)?"
        rf"(?P<d1>\d{{1,2}})\s*(?:-|{_w('range_to')}|و)\s*(?=\d))?"
        rf"(?:(?P<day>\d{{1,2}})(?!\d)\s*(?:من\s+)?|(?P<dord>{ords})\s+من\s+)?"
        rf"(?:(?P<mhead>{_w('month_head')})\s+)?"
        rf"(?P<month>{month}){LETTER_AFTER}"
        rf"(?:\s*\(\s*{month}\s*\)|\s*/\s*{month}{LETTER_AFTER})?"
        rf"(?:\s*,?\s*(?:من\s+)?(?:(?:{_w('year_head')})\s+)?(?P<year>\d{{4}})(?!\d)(?:\s*(?P<era>{era}))?)?"
        rf"(?:\s+(?P<rel>{rel_m}){LETTER_AFTER})?"
    )
    numdate = re.compile(
        rf"(?<![\d.,/-])(?P<a>\d{{1,4}})(?P<s1> ?)(?P<sep>[/.-])(?P<s2> ?)(?P<b>\d{{1,2}})(?P<s3> ?)(?P=sep)(?P<s4> ?)"
        rf"(?P<c>\d{{1,4}})(?![\d.,/-]?\d)"
        rf"(?:\s*(?P<era>{era}))?"
    )
    year_head = re.compile(
        rf"{LETTER_BEFORE}(?:[وبل])?(?P<head>{_w('year_head')})\s+(?P<year>\d{{4}})(?!\d)(?:\s*(?P<era>{era}))?")
    year_era = re.compile(rf"(?<![\w.,])(?P<year>\d{{3,4}})\s*(?P<era>{era})")
    year_prep = re.compile(rf"{LETTER_BEFORE}(?:[وف])?(?:{_w('year_prep')})\s+(?P<year>\d{{4}})(?!\d|[.,]\d|\s*%)")
    year_range = re.compile(
        rf"(?:(?P<from>{_w('range_from')}|{_w('range_between')})\s+(?:(?:{_w('year_head')}|العامين|سنتي)\s+)?)?"
        rf"(?<![\w.,/-])(?P<y1>\d{{4}})\s*(?P<conn>-|–|{_w('range_to')}|و)\s*"
        rf"(?:(?:{_w('year_head')})\s+)?(?P<y2>\d{{4}})(?!\d|[.,]\d)"
    )
    relative = re.compile(
        rf"{LETTER_BEFORE}(?:(?P<dp>{_w('daypart')})\s+)?(?:[وب]|وب)?(?P<rel>{alternation(relatives())}){LETTER_AFTER}")
    weekday = re.compile(
        rf"{LETTER_BEFORE}(?:(?P<dp>{_w('daypart')})\s+)?(?:[وب])?(?P<wd>{wd}){LETTER_AFTER}"
        rf"(?:\s+(?P<rel>{rel_m}){LETTER_AFTER})?")
    century_q = (rf"(?:{_w('century_rel_now')}|{_w('century_rel_past')}|{ordinal_re().pattern.replace('(?P<', '(?P<q_')}"
                 rf"|{_w('century_head')}\s+\d{{1,2}})")
    decade = re.compile(
        rf"{LETTER_BEFORE}(?:[وبل])?(?P<dec>{alternation(decades())}){LETTER_AFTER}"
        rf"(?:\s+(?P<cq>{_w('century_head')}\s+(?:{_w('century_rel_now')}|{_w('century_rel_past')}|ال?\d{{2}}(?!\d))))?")
    del century_q
    century = re.compile(
        rf"{LETTER_BEFORE}(?:[وبل])?{_w('century_head')}\s+(?:{ordinal_re().pattern}|(?:ال)?(?P<num>\d{{1,2}})(?!\d))"
        rf"(?:\s+(?P<era>الميلادي|للميلاد|الهجري|للهجره|قبل\s+الميلاد){LETTER_AFTER})?")
    units = duration_units()
    dur_unit = re.compile(rf"\s+(?P<unit>{alternation(units)}){LETTER_AFTER}")
    dual = re.compile(rf"{LETTER_BEFORE}(?P<unit>{alternation(f for f, (_, c) in units.items() if c == 2)}){LETTER_AFTER}")
    tod = re.compile(
        rf"{LETTER_BEFORE}(?:ال)?ساعه\s+(?:(?P<h>\d{{1,2}})(?::(?P<mi>\d{{2}}))?(?![\d.,])|{ords})"
        rf"(?:\s+(?P<dp>صباحا|مساء|ظهرا|عصرا|ليلا|فجرا|بعد\s+الظهر){LETTER_AFTER})?")
    future = re.compile(rf"{LETTER_BEFORE}(?:[وف])?{_w('future')}{LETTER_AFTER}")
    future_verb = re.compile(rf"{LETTER_BEFORE}(?:[وف]?(?P<w>س[يتن][^\W\d_]{{3,}})|قد\s+[يتن][^\W\d_]{{2,}})")
    and_year = re.compile(r"\s*و\s*(?P<year>\d{4})(?!\d|[.,]\d|\s*%)")
    year_pair = re.compile(r"(?<![\w.,/-])(?P<y1>\d{4})\s*و\s*(?P<y2>\d{4})(?!\d|[.,]\d|\s*%)")
    range_to = re.compile(rf"\s*(?:{_w('range_to')})\s*")
    range_from_before = re.compile(rf"{LETTER_BEFORE}(?:{_w('range_from')})\s+(?:{_w('month_head')}\s+)?$")
    range_between_before = re.compile(rf"{LETTER_BEFORE}(?:{_w('range_between')})\s+(?:{_w('month_head')}\s+)?$")
    ago_before = re.compile(rf"{LETTER_BEFORE}(?P<w>{_w('ago')}|{_w('later')})\s+$")
    tomorrow = re.compile(rf"{LETTER_BEFORE}(?:[وب])?(?P<rel>{_w('tomorrow_bare')})\s+(?:{wd}){LETTER_AFTER}")
    outlet = re.compile(rf"{LETTER_BEFORE}(?:[وبلف])?(?P<o>{_w('today_outlet')}){LETTER_AFTER}")
    def_nums = alternation(f for f, w in cardinal_words().items() if w.type == "unit" and 2 <= w.value <= 10)
    dur_def = re.compile(  # «السنوات الخمس المقبلة», «للأيام الـ10 الماضية» (span without the clitics)
        rf"{LETTER_BEFORE}(?:[وبف]|وب)?(?P<art>ال|لل)(?P<unit>{_w('dur_plural')})\s+ال\s?(?:(?P<w>{def_nums})(?:\s+(?P<teen>عشر|عشره))?{LETTER_AFTER}"
        rf"|(?P<d>\d{{1,3}})(?![\d.,]))(?:\s+(?:{_w('dur_def_rel')}){LETTER_AFTER})?")
    per_day = re.compile(  # a number or «مرات» earlier in the clause, then «في اليوم»: a rate, not today
        rf"(?:\d|{LETTER_BEFORE}(?:{alternation(cardinal_words())}|{_w('per_day_count')}){LETTER_AFTER})"
        rf"[^.،,؛;:!?\n\d]{{0,40}}\s{_w('per_day_prep')}\s+$")
    return _Rules(date, numdate, year_head, year_era, year_prep, year_range, relative, weekday, decade, century,
                  dur_unit, dual, tod, future, future_verb, and_year, year_pair, range_to, range_from_before,
                  range_between_before, ago_before, tomorrow, outlet, dur_def, per_day)


@dataclass(frozen=True)
class _Anchors:
    """The tokens each rule can open with (or must contain), so it is tried only there (``numbers.scan``).

    Every rule below starts at a word boundary (``LETTER_BEFORE``) with a word of a known class, possibly
    glued to proclitics, so its first token is one of these forms; ``date`` may open with a day number or a
    weekday, so it is tried at every token in a window before each month name (``date_window`` tokens: the
    longest possible stretch between the start of a date and its month). Gates are searched first for
    rules that rarely match: without a gate match there is no rule match.
    """

    months: frozenset[str]
    date_window: int
    year_head: frozenset[str]
    year_prep: frozenset[str]
    relative: frozenset[str]
    weekday: frozenset[str]
    decade: frozenset[str]
    century: frozenset[str]
    dual: frozenset[str]
    tod: frozenset[str]
    future: frozenset[str]
    tomorrow: frozenset[str]
    outlet: frozenset[str]
    dur_def: frozenset[str]
    gate_era: re.Pattern[str]
    gate_range: re.Pattern[str]
    gate_pair: re.Pattern[str]


def _fw(forms: Any, prefixes: tuple[str, ...] = ("",)) -> frozenset[str]:
    words = first_words(forms, prefixes)
    if words is None:
        raise ValueError("a time rule form does not start with a letter: it cannot be anchored on words")
    return words


def _single(forms: Any) -> bool:
    return all(" " not in f for f in forms)


def _max_tokens(forms: Any) -> int:
    return max((len(tokenize(f)) for f in forms), default=0)


@cache
def _anchors() -> _Anchors:
    wc = lambda cls: word_class("time", cls)  # noqa: E731
    units = duration_units()
    ords = ordinal_words()
    # tokens a date can have before its month: «يوم الثلاثاء ، من يومي 12 - الخامس عشر من شهر» ...
    date_window = (_max_tokens(wc("weekday_head")) + _max_tokens(weekdays()) + 1
                   + _max_tokens(wc("range_from") | wc("range_between")) + 1 + 1
                   + max(1, _max_tokens(wc("range_to")))
                   + max(2, 2 + _max_tokens(ords) + 1)  # «15 من» | «الحادي والعشرين من» | «ال15 من»
                   + _max_tokens(wc("month_head")) + 2)
    assert _single(wc("year_head")) and _single(wc("year_prep")), "year heads must be one word (then a number)"
    era = rf"(?:{_w('era_ad')}|{_w('era_ah')})"
    return _Anchors(
        months=_fw(months()), date_window=date_window,
        year_head=_fw(wc("year_head"), ("", "و", "ب", "ل")),
        year_prep=_fw(wc("year_prep"), ("", "و", "ف")),
        relative=_fw(wc("daypart")) | _fw(relatives(), ("", "و", "ب", "وب")),
        weekday=_fw(wc("daypart")) | _fw(weekdays(), ("", "و", "ب")),
        decade=_fw(decades(), ("", "و", "ب", "ل")),
        century=_fw(wc("century_head"), ("", "و", "ب", "ل")),
        dual=_fw(f for f, (_, c) in units.items() if c == 2),
        tod=_fw([normalize_word("ساعة")], ("", "ال")),
        future=_fw(wc("future"), ("", "و", "ف")),
        tomorrow=_fw(wc("tomorrow_bare"), ("", "و", "ب")),
        outlet=_fw(wc("today_outlet"), ("", "و", "ب", "ل", "ف")),
        dur_def=_fw(wc("dur_plural"), ("ال", "وال", "بال", "فال", "وبال", "لل", "ولل", "فلل")),
        gate_era=re.compile(rf"\d\s*{era}"),
        gate_range=re.compile(rf"\d{{4}}\s*(?:-|–|{_w('range_to')}|و)\s*(?:(?:{_w('year_head')})\s+)?\d{{4}}"),
        gate_pair=re.compile(r"\d{4}\s*و\s*\d{4}"),
    )


def _window_starts(ix: WordIndex, anchors: frozenset[str], before: int) -> list[int]:
    """Starts of every word token, and every position inside number tokens, up to ``before`` tokens before
    (and including) each anchor token, in order."""
    toks = ix.tokens
    out: list[int] = []
    last = -1
    for k in ix.indexes(anchors):
        for j in range(max(k - before, last + 1), k + 1):
            tok = toks[j]
            if tok.kind == "word":
                out.append(tok.nstart)
            elif tok.kind == "num":
                out.extend(range(tok.nstart, tok.nend))
        last = k
    return out


def _num_starts(ix: WordIndex) -> list[int]:
    toks = ix.tokens
    return [toks[i].nstart for i in ix.nums]


# ----------------------------------------------------------------------------- candidates


@dataclass
class _Cand:
    start: int
    end: int
    kind: str  # date | rel | weekday | ago | dur | decade | century | range | tod | year
    info: dict[str, Any] = field(default_factory=dict)
    weak: bool = False  # only kept when part of a range
    value: str = ""
    grain: str = ""
    hijri: str | None = None


@dataclass
class _Ctx:
    text: str
    published: dt.date | None
    future_spans: list[tuple[int, int]]
    boundaries: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.boundaries = [m.start() for m in _BOUNDARY.finditer(self.text)]


# Sentence ends for context: ! ? newline, or a period not followed by a digit (28.2 stays whole).
_BOUNDARY = re.compile(r"[!?\n]|\.(?!\d)")


def _sentence_bounds(ctx: _Ctx, i: int) -> tuple[int, int]:
    """The sentence around normalized offset ``i`` (boundaries found once per document)."""
    b = ctx.boundaries
    k = bisect.bisect_left(b, i)
    start = b[k - 1] + 1 if k > 0 else 0
    end = b[k] if k < len(b) else len(ctx.text)
    return start, end


def _is_future(ctx: _Ctx, pos: int) -> bool:
    s, e = _sentence_bounds(ctx, pos)
    return any(s <= a < e for a, _ in ctx.future_spans)


def _month_of(name: str) -> Month:
    return months()[re.sub(r"\s+", " ", name)]


def _date_cands(t: str, ix: WordIndex) -> list[_Cand]:
    r = rules()
    an = _anchors()
    out = []
    past, fut, now = word_class("time", "month_rel_past"), word_class("time", "month_rel_future"), \
        word_class("time", "month_rel_now")
    for m in scan(r.date, t, _window_starts(ix, an.months, an.date_window)):
        mo = _month_of(m.group("month"))
        day = int(m.group("day")) if m.group("day") else None
        if m.group("dord"):
            om = ordinal_re().match(m.group("dord"))
            day = ordinal_value(om) if om else None
            if day is None:
                continue
        year = int(m.group("year")) if m.group("year") else None
        rel = m.group("rel")
        reldir = "past" if rel in past else "future" if rel in fut else "now" if rel in now else None
        start = m.start()
        if m.group("d1") and not m.group("from"):
            start = m.start("d1")
        if m.group("wd") and day is None:
            start = m.start("mhead") if m.group("mhead") else m.start("month")
        if m.group("d1") and not m.group("from") and not m.group("day"):
            continue
        if day is not None and not 1 <= day <= 31:
            if year is None:
                continue
            day = None
            start = m.start("month") if not m.group("mhead") else m.start("mhead")
        if m.group("d1") and day is None:
            start = m.start("month")
        weak = mo.ambiguous and day is None and year is None and not m.group("mhead") and reldir is None
        hijri = mo.system == "hijri"
        if year is not None and not (1 <= year <= 1600 if hijri else 1000 <= year <= 2199):
            year = None  # «ربيع الأول 9842» is no date (and would overflow the calendar conversion)
        info = {"y": year, "m": mo.month, "d": day, "hijri": hijri, "dir": reldir}
        end = m.end()
        if year is None and m.group("year"):
            end = m.end("month")
        if m.group("d1") and day is not None:
            d1 = int(m.group("d1"))
            if not (1 <= d1 < day):
                continue
            info["d1"] = d1
            out.append(_Cand(start, end, "date", info))
            continue
        out.append(_Cand(start, end, "date", info, weak=weak))
    for m in scan(r.numdate, t, _num_starts(ix)):
        a, b, c = m.group("a"), int(m.group("b")), m.group("c")
        hijri = bool(m.group("era")) and normalize_word(m.group("era")) in word_class("time", "era_ah")
        if len(a) == 4 and len(c) <= 2:
            y, mo_, d = int(a), b, int(c)
        elif len(c) == 4 and len(a) <= 2:
            y, mo_, d = int(c), b, int(a)
        else:
            continue
        if m.group("sep") == "." and not (len(a) == 4 or len(c) == 4):
            continue
        if any(m.group(g) for g in ("s1", "s2", "s3", "s4")) and (m.group("sep") != "/" or 4 not in (len(a), len(c))):
            continue  # «17 / 10 / 1436 هـ»: spaces only around «/», with a four-digit year
        if not (1 <= mo_ <= 12 and 1 <= d <= 31) or not (1000 <= y <= 2199):
            continue
        hijri = hijri or (1300 <= y <= 1500 and m.group("era") is not None)
        end = m.end() if m.group("era") else m.end("c")
        out.append(_Cand(m.start(), end, "date", {"y": y, "m": mo_, "d": d, "hijri": hijri, "dir": None,
                                                   "numeric": True}))
    return out


def _year_cands(t: str, ix: WordIndex) -> list[_Cand]:
    r = rules()
    an = _anchors()
    ah = word_class("time", "era_ah")
    out = []

    def add(start: int, end: int, year: int, era: str | None, weak_ok: bool = True) -> None:
        hijri = bool(era) and normalize_word(era) in ah
        if hijri and not 1 <= year <= 1600:
            return
        if not hijri and not 1000 <= year <= 2199 and not era:
            return
        out.append(_Cand(start, end, "year", {"y": year, "hijri": hijri}))
        follow = r.and_year.match(t, end)
        if follow and weak_ok:
            y2 = int(follow.group("year"))
            if 1000 <= y2 <= 2199:
                out.append(_Cand(follow.start("year"), follow.end("year"), "year", {"y": y2, "hijri": False}))

    for m in scan(r.year_head, t, ix.starts(an.year_head, then_num=True)):
        add(m.start("head"), m.end(), int(m.group("year")), m.group("era"))
    for m in (scan(r.year_era, t, _num_starts(ix)) if an.gate_era.search(t) else ()):
        add(m.start(), m.end(), int(m.group("year")), m.group("era"))
    for m in scan(r.year_prep, t, ix.starts(an.year_prep, then_num=True)):
        y = int(m.group("year"))
        if not 1800 <= y <= 2100 or _counted_noun_follows(t, m.end()):
            continue
        add(m.start("year"), m.end("year"), y, None)
    for m in (scan(r.year_pair, t, _num_starts(ix)) if an.gate_pair.search(t) else ()):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if 1900 <= y1 <= 2100 and 1900 <= y2 <= 2100 and not _counted_noun_follows(t, m.end()):
            out.append(_Cand(m.start("y1"), m.end("y1"), "year", {"y": y1, "hijri": False}))
            out.append(_Cand(m.start("y2"), m.end("y2"), "year", {"y": y2, "hijri": False}))
    for m in (r.year_range.finditer(t) if an.gate_range.search(t) else ()):
        y1, y2, conn, frm = int(m.group("y1")), int(m.group("y2")), m.group("conn"), m.group("from")
        if not (1000 <= y1 < y2 <= 2199 and y2 - y1 <= 300):
            continue
        between = frm is not None and frm in word_class("time", "range_between")
        if conn in ("-", "–"):
            ok = True
        elif conn == "و":
            ok = between
        else:
            ok = frm is not None and not between
        if not ok:
            continue
        start = m.start() if frm else m.start("y1")
        out.append(_Cand(start, m.end(), "range", {"a": {"y": y1}, "b": {"y": y2}}))
    return out


@cache
def _amount_words() -> frozenset[str]:
    from marsad.rulesdata import table as tbl

    words: set[str] = set()
    for name in ("currencies", "units"):
        words.update(r["form"].split()[0] for r in tbl("amount", name))
    words.update(r["form"] for r in tbl("amount", "numbers") if "scale" in r["type"])
    return frozenset(words)


def _counted_noun_follows(t: str, pos: int) -> bool:
    """After «في 1990»: a counted noun («عضوا», «دولار») means the number is not a year."""
    m = re.match(r"\s*([^\W\d_]+)", t[pos:pos + 40])
    if not m:
        return bool(re.match(r"\s*[%$€]", t[pos:pos + 3]))
    word = m.group(1)
    if word in _amount_words():
        return True
    stop = word_class("amount", "stop")
    return word.endswith("ا") and len(word) > 3 and word not in stop and not word.startswith("ال")


def _relative_cands(t: str, ix: WordIndex) -> list[_Cand]:
    r = rules()
    an = _anchors()
    out = []
    not_today = word_class("time", "not_today")
    today = normalize_word("اليوم")
    outlets = outlet_spans(t, ix)
    for m in scan(r.relative, t, ix.starts(an.relative)):
        rel = re.sub(r"\s+", " ", m.group("rel"))
        unit, off = relatives()[rel]
        if rel == today:
            nxt = re.match(r"\s+([^\W\d_]+)", t[m.end():m.end() + 30])
            if nxt and nxt.group(1) in not_today:
                continue
            if any(s <= m.start("rel") and m.end("rel") <= e for s, e in outlets):
                continue  # «المصري اليوم», «روسيا اليوم»: an outlet's name
            if r.per_day.search(t, max(0, m.start("rel") - 50), m.start("rel")):
                continue  # «ثلاثة ملايين برميل في اليوم», «مرات في اليوم»: per day
        start = m.start() if m.group("dp") else m.start("rel")
        out.append(_Cand(start, m.end(), "rel", {"unit": unit, "off": off, "form": rel}))
    for m in scan(r.tomorrow, t, ix.starts(an.tomorrow)):  # «غد السبت»: tomorrow, named by its weekday
        out.append(_Cand(m.start("rel"), m.end("rel"), "rel", {"unit": "day", "off": 1, "form": m.group("rel")}))
    past, fut = word_class("time", "month_rel_past"), word_class("time", "month_rel_future")
    for m in scan(r.weekday, t, ix.starts(an.weekday)):
        rel = m.group("rel")
        start = m.start() if m.group("dp") else m.start("wd")
        reldir = "past" if rel in past else "future" if rel in fut else None
        end = m.end() if reldir else m.end("wd")
        out.append(_Cand(start, end, "weekday", {"wd": weekdays()[m.group("wd")], "dir": reldir}))
    for m in scan(r.decade, t, ix.starts(an.decade)):
        cq = m.group("cq") or ""
        century = 19
        if cq:
            tail = re.sub(r"^\S+\s+", "", cq)
            if tail in word_class("time", "century_rel_now") or tail.endswith("21"):
                century = 20
        out.append(_Cand(m.start("dec"), m.end(), "decade", {"v": f"{century}{decades()[m.group('dec')]}",
                                                              "rel_cq": "الماضي" in cq}))
    for m in scan(r.century, t, ix.starts(an.century)):
        n = int(m.group("num")) if m.group("num") else ordinal_value(m)
        if not n or not 1 <= n <= 30:
            continue
        start = m.start() + (1 if t[m.start()] in "وبل" and t[m.start():m.start() + 3] != "ال" else 0)
        out.append(_Cand(start, m.end(), "century", {"v": f"{n - 1:02d}"}))
    for m in scan(r.tod, t, ix.starts(an.tod)):
        if m.group("h"):
            h: int | None = int(m.group("h"))
        else:
            sub = ordinal_re().search(m.group(0))
            h = ordinal_value(sub) if sub else None
        mi = int(m.group("mi")) if m.group("mi") else 0
        if h is None or not 0 <= h <= 24 or mi > 59:
            continue
        if m.group("dp") and m.group("dp") in ("مساء", "عصرا", "ليلا", "بعد الظهر") and h < 12:
            h += 12
        out.append(_Cand(m.start(), m.end(), "tod", {"v": f"T{h:02d}:{mi:02d}"}))
    return out


def _duration_cands(nz: Normalized, ix: WordIndex) -> list[_Cand]:
    t = nz.text
    r = rules()
    units = duration_units()
    out = []
    ago, later = word_class("time", "ago"), word_class("time", "later")

    def add(start: int, end: int, n: Any, unit: str) -> None:
        before = r.ago_before.search(t, max(0, start - 12), start)
        if before:
            w = before.group("w")
            after = re.match(r"\s+(?:من|علي)" + LETTER_AFTER, t[end:end + 8])
            if w in ago or (w in later and not after):
                sign = -1 if w in ago else 1
                out.append(_Cand(before.start(), end, "ago", {"n": n * sign, "unit": unit}))
                return
        out.append(_Cand(start, end, "dur", {"n": n, "unit": unit}))

    for num in numbers_of(nz):
        m = r.dur_unit.match(t, num.end)
        if not m:
            continue
        unit, count = units[m.group("unit")]
        if count != 1 or num.value <= 0:
            continue
        add(num.start, m.end(), num.value, unit)
    for m in scan(r.dual, t, ix.starts(_anchors().dual)):
        unit, count = units[m.group("unit")]
        add(m.start(), m.end(), count, unit)
    for m in scan(r.dur_def, t, ix.starts(_anchors().dur_def)):
        n = int(m.group("d")) if m.group("d") else \
            int(cardinal_words()[m.group("w")].value) + (10 if m.group("teen") else 0)
        if n < 2:
            continue
        start = m.start("unit") if m.group("art") == "لل" else m.start("art")  # «للعام» → «عام» (guidelines)
        out.append(_Cand(start, m.end(), "dur", {"n": n, "unit": units[m.group("unit")][0]}))
    return out


# ----------------------------------------------------------------------------- resolution


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _week(d: dt.date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _ref(off: int) -> str:
    return "PAST_REF" if off < 0 else "FUTURE_REF" if off > 0 else "PRESENT_REF"


def _resolve_year(info: dict[str, Any], ctx: _Ctx, pos: int, context_year: int | None) -> int | None:
    """Year for a date without one: context year, else the publication date (past preferred)."""
    m, d, hijri, direction = info["m"], info.get("d"), info["hijri"], info.get("dir")
    if context_year is not None and direction is None and not hijri:
        return context_year
    pub = ctx.published
    if pub is None:
        return None
    future = direction == "future" or (direction is None and _is_future(ctx, pos))

    def first_last(y: int) -> tuple[dt.date, dt.date]:
        if hijri:
            a = hijri_to_gregorian(y, m, d or 1)
            b = a if d else hijri_to_gregorian(y, m, 29)
            return a, b
        if d:
            dd = min(d, calendar.monthrange(y, m)[1])
            return dt.date(y, m, dd), dt.date(y, m, dd)
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])

    y = gregorian_to_hijri_year(pub) if hijri else pub.year
    year_len = 1
    a, b = first_last(y)
    if direction == "now":
        return y
    if direction == "past":
        if (d and a >= pub) or (not d and a > pub.replace(day=1)) or (not d and a.month == pub.month and a.year == pub.year):
            y -= year_len
        return y
    if future:
        if b < pub:
            y += year_len
        return y
    if a > pub + dt.timedelta(days=7):
        y -= year_len
    return y


def _date_value(y: int | None, m: int, d: int | None, hijri: bool) -> tuple[str, str, str | None]:
    """(value, grain, hijri value) of a day or month date."""
    if y is None:
        if hijri:
            return ("XXXX-XX-XX" if d else "XXXX-XX"), ("day" if d else "month"), \
                (f"XXXX-{m:02d}-{d:02d}" if d else f"XXXX-{m:02d}")
        return (f"XXXX-{m:02d}-{d:02d}" if d else f"XXXX-{m:02d}"), ("day" if d else "month"), None
    if hijri:
        g = hijri_to_gregorian(y, m, d or 1)
        h = f"{y:04d}-{m:02d}-{d:02d}" if d else f"{y:04d}-{m:02d}"
        return (g.isoformat() if d else f"{g.year:04d}-{g.month:02d}"), ("day" if d else "month"), h
    if d:
        try:
            return dt.date(y, m, d).isoformat(), "day", None
        except ValueError:
            return f"{y:04d}-{m:02d}", "month", None
    return f"{y:04d}-{m:02d}", "month", None


def _resolve(c: _Cand, ctx: _Ctx, context_year: int | None) -> None:
    pub = ctx.published
    i = c.info
    if c.kind == "date":
        y = i["y"] if i["y"] is not None else _resolve_year(i, ctx, c.start, context_year)
        if "d1" in i:
            a = _date_value(y, i["m"], i["d1"], i["hijri"])
            b = _date_value(y, i["m"], i["d"], i["hijri"])
            c.value, c.grain = f"{a[0]}/{b[0]}", "range"
            return
        c.value, c.grain, c.hijri = _date_value(y, i["m"], i["d"], i["hijri"])
    elif c.kind == "year":
        if i["hijri"]:
            c.value, c.grain, c.hijri = f"{hijri_to_gregorian(i['y'], 1, 1).year:04d}", "year", str(i["y"])
        else:
            c.value, c.grain = f"{i['y']:04d}", "year"
    elif c.kind == "rel":
        unit, off = i["unit"], i["off"]
        c.grain = unit
        if pub is None:
            c.value = _ref(off)
        elif unit == "day":
            c.value = (pub + dt.timedelta(days=off)).isoformat()
        elif unit == "week":
            c.value = _week(pub + dt.timedelta(weeks=off))
        elif unit == "month":
            y, m = _shift_month(pub.year, pub.month, off)
            c.value = f"{y:04d}-{m:02d}"
        elif unit == "year":
            c.value = f"{pub.year + off:04d}"
        elif unit == "decade":
            c.value = f"{pub.year // 10 + off:03d}"
        else:
            c.value = f"{(pub.year - 1) // 100 + off:02d}"
    elif c.kind == "weekday":
        c.grain = "day"
        if pub is None:
            c.value = f"XXXX-WXX-{i['wd']}"
            return
        delta = (pub.isoweekday() - i["wd"]) % 7
        direction = i["dir"] or ("future" if _is_future(ctx, c.start) else None)
        if direction == "future":
            ahead = (i["wd"] - pub.isoweekday()) % 7 or 7
            c.value = (pub + dt.timedelta(days=ahead)).isoformat()
        else:
            if direction == "past" and delta == 0:
                delta = 7
            c.value = (pub - dt.timedelta(days=delta)).isoformat()
    elif c.kind == "ago":
        n, unit = i["n"], i["unit"]
        grain = {"D": "day", "W": "week", "M": "month", "Y": "year", "DE": "decade", "CE": "century",
                 "H": "day", "MIN": "day", "S": "day"}[unit]
        c.grain = grain
        if pub is None or n != int(n):
            c.value = _ref(int(n) or -1)
            return
        n = int(n)
        if unit == "D":
            c.value = (pub + dt.timedelta(days=n)).isoformat()
        elif unit in ("H", "MIN", "S"):
            c.value = pub.isoformat()
        elif unit == "W":
            c.value = _week(pub + dt.timedelta(weeks=n))
        elif unit == "M":
            y, m = _shift_month(pub.year, pub.month, n)
            c.value = f"{y:04d}-{m:02d}"
        elif unit == "Y":
            c.value = f"{pub.year + n:04d}"
        elif unit == "DE":
            c.value = f"{(pub.year + 10 * n) // 10:03d}"
        else:
            c.value = f"{(pub.year - 1) // 100 + n:02d}"
    elif c.kind == "dur":
        n, unit = i["n"], i["unit"]
        if unit == "DE":
            n, unit = n * 10, "Y"
        elif unit == "CE":
            n, unit = n * 100, "Y"
        num = to_number(n) if not isinstance(n, int) else n
        c.grain = "duration"
        c.value = {"H": f"PT{num}H", "MIN": f"PT{num}M", "S": f"PT{num}S"}.get(unit, f"P{num}{unit}")
    elif c.kind == "decade":
        v = i["v"]
        c.value, c.grain = v, "decade"
    elif c.kind == "century":
        c.value, c.grain = i["v"], "century"
    elif c.kind == "tod":
        c.value, c.grain = i["v"], "time"
    elif c.kind == "range":
        a, b = i["a"], i["b"]
        c.grain = "range"
        if "y" in a and "m" not in a:
            c.value = f"{a['y']:04d}/{b['y']:04d}"
        else:
            c.value = f"{a['value']}/{b['value']}"


def _merge_ranges(cands: list[_Cand], ctx: _Ctx) -> list[_Cand]:
    """«من A إلى B» and «بين A و B» over two adjacent dates or years (A borrows B's year)."""
    r = rules()
    t = ctx.text
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        if b is not None and a.kind in ("date", "year") and b.kind == a.kind and "d1" not in a.info \
                and "d1" not in b.info:
            gap = t[a.end:b.start]
            head = t[max(0, a.start - 25):a.start]
            frm = r.range_from_before.search(head)
            btw = r.range_between_before.search(head)
            if (frm and r.range_to.fullmatch(gap)) or (btw and re.fullmatch(r"\s*و\s*", gap)):
                start = a.start - len((frm or btw).group(0))  # type: ignore[union-attr]
                ai, bi = dict(a.info), dict(b.info)
                if a.kind == "date":
                    if ai["y"] is None and bi["y"] is not None:
                        ai["y"] = bi["y"] - (1 if (ai["m"], ai["d"] or 0) > (bi["m"], bi["d"] or 0) else 0)
                    if bi["y"] is None and ai["y"] is not None:
                        bi["y"] = ai["y"] + (1 if (ai["m"], ai["d"] or 0) > (bi["m"], bi["d"] or 0) else 0)
                    ca, cb = _Cand(a.start, a.end, "date", ai), _Cand(b.start, b.end, "date", bi)
                    _resolve(ca, ctx, None)
                    _resolve(cb, ctx, None)
                    rng = _Cand(start, b.end, "range", {"a": {"value": ca.value, "m": 1}, "b": {"value": cb.value}})
                else:
                    rng = _Cand(start, b.end, "range", {"a": {"y": ai["y"]}, "b": {"y": bi["y"]}})
                out.append(rng)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


#: a token that can open ``future_verb``: «سيزور», «فستظل» (then 3+ letters), «قد»
_FUTURE_VERB_TOKEN = re.compile(r"[وف]?س[يتن][^\W\d_]{3}|قد$")


def outlet_spans(t: str, ix: WordIndex) -> list[tuple[int, int]]:
    """Normalized spans of outlet names containing «اليوم» (``today_outlet``): never a date, nor an ordinal."""
    return [(m.start("o"), m.end("o")) for m in scan(rules().outlet, t, ix.starts(_anchors().outlet))]


def _future_spans(t: str, ix: WordIndex) -> list[tuple[int, int]]:
    """Future cues: lexicon words, «سـ» + imperfect verb (سيزور، فستظل), «قد» + imperfect (قد يوقع)."""
    r = rules()
    spans = [(m.start(), m.end()) for m in scan(r.future, t, ix.starts(_anchors().future))]
    nouns = tuple(word_class("time", "future_prefix_not"))
    verb_forms = frozenset(w for w in ix.at if w[0] in "سوفق" and _FUTURE_VERB_TOKEN.match(w))
    for m in scan(r.future_verb, t, ix.starts(verb_forms)):
        if m.group("w") and m.group("w").startswith(nouns):
            continue
        spans.append((m.start(), m.end()))
    return spans


def _merge_day_names(chosen: list[_Cand], t: str) -> list[_Cand]:
    """«أمس الخميس», «اليوم الأربعاء»: one expression, dated by the relative word."""
    out: list[_Cand] = []
    for c in chosen:
        prev = out[-1] if out else None
        if prev is not None and c.kind == "weekday" and not c.info["dir"] and prev.kind == "rel" \
                and prev.info["unit"] == "day" and re.fullmatch(r"\s*,?\s*", t[prev.end:c.start]):
            out[-1] = _Cand(prev.start, c.end, "rel", prev.info)
            continue
        out.append(c)
    return out


_AGREEING = re.compile(r"\s*[،,]?\s*(?:و)?الموافق\s*(?:ل)?\s*")


def _merge_agreeing(chosen: list[_Cand], t: str) -> list[_Cand]:
    """«15 رمضان 1445هـ الموافق 25 مارس 2024م»: one expression with the Gregorian value (guidelines), and
    «اليوم الاثنين 15 رمضان…»: a relative day before a date that opens with its weekday belongs to it."""
    wd = re.compile(rf"(?:{alternation(weekdays())}){LETTER_AFTER}")
    out: list[_Cand] = []
    for c in chosen:
        prev = out[-1] if out else None
        if prev is not None and c.kind == "date" and "d1" not in c.info:
            gap = t[prev.end:c.start]
            if prev.kind == "date" and "d1" not in prev.info and _AGREEING.fullmatch(gap) \
                    and prev.info["hijri"] != c.info["hijri"]:
                info = c.info if prev.info["hijri"] else prev.info
                out[-1] = _Cand(prev.start, c.end, "date", info)
                continue
            if prev.kind == "rel" and prev.info["unit"] == "day" and re.fullmatch(r"\s*,?\s*", gap) \
                    and wd.match(t, c.start):
                out[-1] = _Cand(prev.start, c.end, "date", c.info)
                continue
        out.append(c)
    return out


def find(nz: Normalized, published: str | None) -> list[tuple[int, int, str, str, str | None]]:
    """Time expressions as (normalized start, end, value, grain, hijri), non-overlapping, in order."""
    t = nz.text
    try:
        pub = dt.date.fromisoformat(published) if published else None
    except ValueError:
        pub = None
    ix = word_index(nz)
    ctx = _Ctx(t, pub, _future_spans(t, ix))
    cands = _date_cands(t, ix) + _year_cands(t, ix) + _relative_cands(t, ix) + _duration_cands(nz, ix)
    # Longest first at each start; drop candidates overlapping an already chosen one.
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if any(c.start < o.end and o.start < c.end for o in chosen):
            continue
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    chosen = _merge_agreeing(_merge_day_names(_merge_ranges(chosen, ctx), t), t)
    result = []
    context_year: int | None = None
    sentence_end = -1
    ctx_forms = word_class("time", "year_rel_context")
    for c in chosen:
        if c.weak:
            continue
        if c.start >= sentence_end:
            context_year = None
            sentence_end = _sentence_bounds(ctx, c.start)[1]
        _resolve(c, ctx, context_year)
        if c.kind == "rel" and context_year is not None and c.info.get("form") in ctx_forms:
            c.value = f"{context_year + c.info['off']:04d}"  # «في عام 2022، بزيادة عن العام السابق» → 2021
        if c.kind in ("year",) and not c.info.get("hijri"):
            context_year = c.info["y"]
        elif c.kind == "date" and c.info.get("y") and not c.info.get("hijri"):
            context_year = c.info["y"]
        result.append((c.start, c.end, c.value, c.grain, c.hijri))
    return result


def extract(doc: Document) -> list[TimeExpr]:
    nz = doc.normalized
    out = []
    found = find(nz, doc.meta.published)
    doc.scratch["times.spans"] = [(s, e) for s, e, *_ in found]  # amounts must not reuse these characters
    doc.scratch["times.outlets"] = outlet_spans(nz.text, word_index(nz))  # nor outlet names («اليوم السابع»)
    for s, e, value, grain, hijri in found:
        start, end = nz.to_original(s, e)
        while end < len(doc.text) and doc.text[end] == "\u0640":  # «هـ»: keep the tatweel of the last letter
            end += 1
        out.append(TimeExpr(start, end, doc.text[start:end], value, grain, hijri))
    return out


def annotate(doc: Document) -> None:
    """Fill ``doc.times`` (in text order)."""
    doc.times.extend(extract(doc))


def hijri_value(item: TimeExpr) -> str | None:
    """The Hijri date of a time expression written in the Hijri calendar (``1445-09-15``), else None."""
    return item.hijri
