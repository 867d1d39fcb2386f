"""Amounts in Arabic news: money, percentages, quantities with units, counts of things, ordinals.

``annotate(doc)`` fills ``doc.amounts`` with :class:`Amount` (original offsets; ``value`` an int when
integral; ``kind`` in money | percent | quantity | count | ordinal):

* money: a number (digits or words, with ألف/مليون/مليار/بليون/تريليون in all their forms) and a currency
  name or symbol mapped to ISO 4217. A country adjective decides (ريال قطري → QAR); a bare ريال/دينار/جنيه/
  درهم/ليرة takes the currency of the nearest country named before it in the sentence, else anywhere in the
  article, else the default of ``rules/amount/ar/currency_codes.tsv`` (ريال → SAR, دينار → KWD, جنيه → EGP,
  درهم → AED, ليرة → TRY, دولار → USD);
* percent (10%، ١٠٪، 10 في المئة) unit ``percent``; percentage points (نقطة مئوية) unit ``pp``;
* quantity with a unit from ``units.tsv`` (كم → km, برميل يوميا → bbl/d, ميغاواط → MW...);
* count: a number followed by a noun, the unit being the noun as written (سبع وثائق → 7 «وثائق»);
  «من أصل 89» takes the unit of the count before it;
* ordinal after a definite noun (اللقاء الخامس → 5; الدورة الـ78 → 78), unit None.

Never amounts: characters claimed by a time expression (years, dates, durations), phone numbers, URLs,
long identifiers, numbers after a reference word (رقم، الصفحة، الآية، المادة، القرار...) or a colon, codes
glued to a word (إف-16، كوفيد-19), bare years and vague plurals (آلاف المتظاهرين، مليارات الدولارات).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from marsad.document import Amount, Document
from marsad.normalize import Normalized
from marsad.numbers import (
    LETTER_AFTER,
    LETTER_BEFORE,
    Number,
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
from marsad.tokenize import WordIndex, word_index

_SYMBOLS = "$€£¥₽₺₹₸₩"


@cache
def currency_forms() -> dict[str, str]:
    return {r["form"]: r["base"] for r in table("amount", "currencies")}


@cache
def currency_codes() -> dict[tuple[str, str], str]:
    return {(r["base"], r.get("adjective") or ""): r["code"] for r in table("amount", "currency_codes")}


@cache
def country_codes() -> dict[str, str]:
    return {r["form"]: r["code"] for r in table("amount", "countries")}


@cache
def unit_forms() -> dict[str, str]:
    return {r["form"]: r["unit"] for r in table("amount", "units")}


@cache
def count_heads() -> frozenset[str]:
    """Plural nouns counted by a definite number after them (``count_heads.tsv``)."""
    return frozenset(r["form"] for r in table("amount", "count_heads"))


@dataclass(frozen=True)
class _Rules:
    currency: re.Pattern[str]
    symbol_before: re.Pattern[str]
    percent: re.Pattern[str]
    pp: re.Pattern[str]
    unit: re.Pattern[str]
    noun: re.Pattern[str]
    country: re.Pattern[str]
    ordinal: re.Pattern[str]
    phone: re.Pattern[str]
    url: re.Pattern[str]
    of_total: re.Pattern[str]
    def_count: re.Pattern[str]


@cache
def rules() -> _Rules:
    words = [f for f in currency_forms() if f[0] not in _SYMBOLS and not f.startswith("us")]
    symbols = [f for f in currency_forms() if f not in words]
    adjectives = {a for (_, a) in currency_codes() if a}
    currency = re.compile(
        rf"\s*(?:(?:من\s+)?(?:ال)?(?P<cur>{alternation(words)}){LETTER_AFTER}"
        rf"(?:\s+(?:ال)?(?P<adj>{alternation(adjectives)})ا?{LETTER_AFTER})?|(?P<sym>{alternation(symbols)}))")
    symbol_before = re.compile(rf"(?P<sym>{alternation(symbols)})\s*$")
    percent = re.compile(rf"\s*(?:{alternation(word_class('amount', 'percent'))})(?:{LETTER_AFTER}|(?<=%))")
    pp = re.compile(rf"\s*{alternation(word_class('amount', 'pp'))}{LETTER_AFTER}")
    unit = re.compile(rf"\s*(?P<unit>{alternation(unit_forms())}){LETTER_AFTER}"
                      rf"(?:\s+(?P<pd>{alternation(word_class('amount', 'per_day'))}){LETTER_AFTER})?")
    noun = re.compile(rf"\s+(?P<noun>[^\W\d_]{{2,}}){LETTER_AFTER}")
    country = re.compile(rf"{LETTER_BEFORE}(?:[وبل]|وب|ول)?(?P<c>{alternation(country_codes())}){LETTER_AFTER}")
    phone = re.compile(r"(?:\+|\b00)\d[\d\s-]{6,}\d|\b\d{2,4}(?:[\s-]\d{2,4}){3,}\b|(?<![\d.,])0\d{2,}[\d-]*")
    url = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
    of_total = re.compile(rf"{LETTER_BEFORE}(?:{alternation(word_class('amount', 'of_total'))})\s+$")
    def_count = re.compile(rf"{LETTER_BEFORE}و?ال(?P<n>{alternation(_definite_numbers())})"
                           rf"(?:\s+(?P<teen>عشر|عشره))?{LETTER_AFTER}")
    return _Rules(currency, symbol_before, percent, pp, unit, noun, country, ordinal_re(), phone, url, of_total,
                  def_count)


@cache
def _definite_numbers() -> dict[str, int]:
    """Number words that count with the article after their noun («الدول الست»): three to ten."""
    return {f: int(w.value) for f, w in cardinal_words().items() if w.type == "unit" and 3 <= w.value <= 10}


def _count_head(t: str, pos: int) -> tuple[int, int] | None:
    """Normalized span of the counted noun (``count_heads``) among the three words before ``pos``, clitics
    stripped («ودول آسيا الوسطى الخمس» → «دول»); None when there is none or punctuation intervenes."""
    heads = count_heads()
    window = t[max(0, pos - 60):pos]
    m = re.search(r"(?:[^\W\d_]+\s+){1,3}$", window)
    if not m:
        return None
    base = pos - len(window)
    words = [(base + w.start(), w.group()) for w in re.finditer(r"[^\W\d_]+", window[m.start():])]
    words = [(s + m.start(), w) for s, w in words]
    for k in range(len(words) - 1, -1, -1):
        s, w = words[k]
        two = f"{w} {words[k + 1][1]}" if k + 1 < len(words) else None
        for cand in (two, w):
            if cand is None:
                continue
            for strip in (0, 1, 2):
                form = cand[strip:]
                if strip and not re.match(r"(?:[وبفل]|وب|ول)$", cand[:strip]):
                    continue
                if form.startswith("ل") and cand[:strip].endswith("ل") and not form.startswith("ال"):
                    form = "ا" + form  # «للدول» → «الدول» is looked up, «لدول» reported
                    if form in heads:
                        return s + strip, s + len(cand)
                    continue
                if form in heads:
                    return s + strip, s + len(cand)
    return None


@cache
def _anchors() -> tuple[frozenset[str], frozenset[str]]:
    """Tokens the country and ordinal rules can open with (see ``numbers.scan``): a country name or an
    ordinal after «ال», each with the proclitics its rule allows («وبمصر», «والخامس», «ال15»)."""
    countries = first_words(country_codes(), ("", "و", "ب", "ل", "وب", "ول"))
    ords = first_words(f for f, w in ordinal_words().items() if w.type in ("unit", "compound_only", "ten"))
    if countries is None or ords is None:
        raise ValueError("country and ordinal forms must start with a letter")
    pres = ("", "و", "ب", "ل", "ف", "لل", "وب", "ول", "وال", "بال", "فال", "كال")
    ordinals = frozenset(p + "ال" + o for p in pres for o in ords) | frozenset(p + "ال" for p in pres)
    return countries, ordinals


@dataclass
class _Item:
    start: int  # normalized offsets
    end: int
    value: Decimal
    unit: str | None
    kind: str
    unit_span: tuple[int, int] | None = None  # normalized span of a noun unit (reported as written)


def _resolve_currency(base: str, adj: str | None, t: str, pos: int, countries: list[tuple[int, str]]) -> str:
    codes = currency_codes()
    if adj:
        code = codes.get((base, adj)) or codes.get((base, adj.rstrip("ا")))
        if code:
            return code
    options = {c for (b, a), c in codes.items() if b == base}
    if len(options) > 1:
        sent_start = max(t.rfind(".", 0, pos), t.rfind("\n", 0, pos)) + 1
        before = [(p, c) for p, c in countries if c in options and sent_start <= p < pos]
        if before:
            return before[-1][1]
        anywhere = [c for _, c in countries if c in options]
        if anywhere:
            return max(set(anywhere), key=anywhere.count)
    return codes[(base, "")]


def _blocked_as_count(t: str, num: Number) -> bool:
    """Numbers that are references or identifiers, not counts of things."""
    digits = num.atoms[0] if not num.words else ""
    if digits and (len(digits.replace(",", "").replace(".", "")) >= 7 or (digits.startswith("0") and len(digits) > 1
                                                                           and "." not in digits)):
        return True
    head = t[max(0, num.start - 30):num.start]
    if re.search(r"[:#/\-–]\s*$", head) or re.search(r"[A-Za-z]\s*$", head):
        return True
    prev = re.search(r"([^\W\d_][^\s]*)\s*$", head)
    if prev:
        word = prev.group(1).rstrip(".")
        refs = word_class("amount", "ref")
        if word in refs or any(word.startswith(p) and word[len(p):] in refs for p in ("و", "ب", "ف", "ل")):
            return True
        if word + "." in refs:
            return True
    tail = t[num.end:num.end + 12]
    if re.match(r"[/\-:ر+]\d|\s*[/\-–]\s*(?:\d|صفر)|\+", tail) or re.search(r"(?:\d|صفر)\s*[/\-–]\s*$|[ر+]$", head):
        return True  # «2-0», «3/صفر», «5 - 4» (scores), «5+1», «19ر162» (written decimals, not two numbers)
    if re.match(r"\s*[)\]]|\s*[-.]\s", tail) and (re.search(r"(?:^|[\n.:!؟?])\s*$", head) or not head.strip()):
        return True  # list markers: «2)», «(1):», «3 - تقويض…», «2. تطوير…» at the start of an item
    return bool(re.match(r"\s*[)\]]", tail) and re.search(r"[(\[]\s*$", head)
                and not re.search(r"عدد\s*[(\[]\s*$", head))  # «الفائز من (12)»: a reference, not a count


def _scan(nz: Normalized, blocked: list[tuple[int, int]]) -> list[_Item]:
    t = nz.text
    r = rules()
    items: list[_Item] = []
    ix = word_index(nz)
    country_starts, ordinal_starts = _anchors()
    countries = [(m.start(), country_codes()[m.group("c")]) for m in scan(r.country, t, ix.starts(country_starts))]
    stop = word_class("amount", "stop")
    units = unit_forms()
    cur_forms = currency_forms()
    hard = [(m.start(), m.end()) for m in scan(r.phone, t, _phone_starts(t, ix))]
    if "@" in t or "http" in t or "www." in t:  # the only ways a URL or an e-mail address can match
        hard += [(m.start(), m.end()) for m in r.url.finditer(t)]

    def overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
        return any(a < e and s < b for s, e in spans)

    ordinal_spans: list[tuple[int, int]] = []
    for m in scan(r.ordinal, t, ix.starts(ordinal_starts)):
        v = ordinal_value(m)
        if v is None or v == 0:
            continue
        prev = re.search(r"(?P<noun>(?:[وبلفك]|لل|وال|بال|فال|ال)?[^\W\d_]+)\s+$", t[max(0, m.start() - 30):m.start()])
        if not prev:
            continue
        noun = prev.group("noun")
        if not (noun.startswith(("ال", "وال", "بال", "فال", "كال", "لل"))):
            continue
        nstart = m.start() - len(prev.group(0))
        os_, oe = nz.to_original(nstart, nstart + len(noun))
        if re.match(r"[وبفك]?[إأآ]", nz.source[os_:oe]):
            continue  # «إليزابيث الثانية»: a name in «إل», not a noun with the article
        start = m.start() + len(m.group("pre") or "")
        if overlaps(start, m.end(), blocked):
            continue
        items.append(_Item(start, m.end(), Decimal(v), None, "ordinal"))  # ordinals have no unit (guidelines)
        ordinal_spans.append((start, m.end()))
    for m in scan(r.def_count, t, ix.starts(_def_count_starts())):
        head = _count_head(t, m.start())
        if head is None or overlaps(m.start(), m.end(), blocked):
            continue
        start = m.start() + (1 if t[m.start()] == "و" else 0)
        n = _definite_numbers()[m.group("n")] + (10 if m.group("teen") else 0)
        items.append(_Item(start, m.end(), Decimal(n), None, "count", head))
    last_count: _Item | None = None
    for num in numbers_of(nz):
        if overlaps(num.start, num.end, hard) or overlaps(num.start, num.end, blocked) \
                or overlaps(num.start, num.end, ordinal_spans):
            continue
        value = num.value
        end = num.end
        sym = r.symbol_before.search(t, max(0, num.start - 4), num.start)
        if sym:
            items.append(_Item(sym.start(), end, value, _resolve_currency(cur_forms[sym.group("sym")], None, t,
                                                                           num.start, countries), "money"))
            continue
        m = r.percent.match(t, end)
        if m:
            items.append(_Item(num.start, m.end(), value, "percent", "percent"))
            continue
        m = r.pp.match(t, end)
        if m:
            items.append(_Item(num.start, m.end(), value, "pp", "percent"))
            continue
        m = r.currency.match(t, end)
        if m:
            base = cur_forms[m.group("cur") or m.group("sym")]
            if _dual_construct(num, nz, m):
                value *= 2
            code = _resolve_currency(base, m.group("adj"), t, num.start, countries)
            items.append(_Item(num.start, m.end(), value, code, "money"))
            continue
        m = r.unit.match(t, end)
        if m:
            unit = units[re.sub(r"\s+", " ", m.group("unit"))]
            if m.group("pd") and not unit.endswith("/d"):
                unit += "/d"
            if _dual_construct(num, nz, m):
                value *= 2
            items.append(_Item(num.start, m.end(), value, unit, "quantity"))
            continue
        if _blocked_as_count(t, num) or _after_ordinal_word(t, num.start):
            continue
        if len(num.atoms) == 1 and not num.words and re.fullmatch(r"\d{4}", num.atoms[0]) \
                and 1800 <= int(num.atoms[0]) <= 2100:
            noun_m = r.noun.match(t, end)
            if not noun_m or noun_m.group("noun") in stop:
                continue
        of_total = r.of_total.search(t, max(0, num.start - 15), num.start)
        m = r.noun.match(t, end)
        if m and m.group("noun") not in stop and not m.group("noun").startswith("ال") \
                and m.group("noun") not in cur_forms:
            item = _Item(num.start, m.end(), value, None, "count", (m.start("noun"), m.end("noun")))
            items.append(item)
            last_count = item
            continue
        if of_total and last_count is not None and last_count.unit_span:
            items.append(_Item(num.start, end, value, None, "count", last_count.unit_span))
            continue
        if num.words and num.last_type != "scale_plural":
            items.append(_Item(num.start, end, value, None, "count"))
        elif not num.words and value >= 0 and len(num.atoms) == 1:
            items.append(_Item(num.start, end, value, None, "count"))
    return items


@cache
def _def_count_starts() -> frozenset[str]:
    return frozenset(p + "ال" + f for f in _definite_numbers() for p in ("", "و"))


def _phone_starts(t: str, ix: WordIndex) -> list[int]:
    """Every place the phone rule can match: a «+», the start of a number, or a digit right after the «.» or
    «,» inside one (all its branches open with «+» or a digit after a non-word character)."""
    toks = ix.tokens
    starts: list[int] = []
    for i in ix.nums:
        tok = toks[i]
        starts.append(tok.nstart)
        if "." in tok.norm or "," in tok.norm:
            starts += [tok.nstart + k + 1 for k, ch in enumerate(tok.norm) if ch in ".,"]
    plus = t.find("+")
    if plus >= 0:
        while plus >= 0:
            starts.append(plus)
            plus = t.find("+", plus + 1)
        starts.sort()
    return starts


def _after_ordinal_word(t: str, pos: int) -> bool:
    """«حزمة ثالثة عشرة»: the «عشرة» of an indefinite ordinal is not a count."""
    from marsad.numbers import ordinal_words

    prev = re.search(r"([^\W\d_]+)\s+$", t[max(0, pos - 20):pos])
    return bool(prev) and prev.group(1) in ordinal_words()


def _dual_construct(num: Number, nz: Normalized, m: re.Match[str]) -> bool:
    """«مليارا دولار»: a lone scale in -ا (no tanween written) directly before its noun is the dual construct."""
    if len(num.atoms) != 1 or not num.atoms[0].endswith("ا") or not num.words:
        return False
    s, e = nz.to_original(num.start, num.end)
    if "\u064b" in nz.source[s:e + 1]:
        return False
    return not nz.text[num.end:m.end()].lstrip().startswith("من")


def find(nz: Normalized, blocked: list[tuple[int, int]]) -> list[_Item]:
    """Amounts in normalized text, avoiding ``blocked`` normalized spans (time expressions)."""
    items = _scan(nz, blocked)
    items.sort(key=lambda it: (-(it.end - it.start), it.start))
    chosen: list[_Item] = []
    for it in items:
        if not any(it.start < o.end and o.start < it.end for o in chosen):
            chosen.append(it)
    chosen.sort(key=lambda it: it.start)
    return chosen


def extract(doc: Document) -> list[Amount]:
    from marsad import times

    nz = doc.normalized
    blocked = doc.scratch.get("times.spans")
    outlets = doc.scratch.get("times.outlets")
    if blocked is None:  # the times component did not run on this document
        blocked = [(s, e) for s, e, *_ in times.find(nz, doc.meta.published)]
        outlets = None
    if outlets is None:
        outlets = times.outlet_spans(nz.text, word_index(nz))
    blocked = blocked + outlets if outlets else blocked
    out = []
    for it in find(nz, blocked):
        start, end = nz.to_original(it.start, it.end)
        while end < len(doc.text) and doc.text[end] == "\u0640":
            end += 1
        unit = it.unit
        if it.unit_span:
            us, ue = nz.to_original(*it.unit_span)
            unit = doc.text[us:ue]
        out.append(Amount(start, end, doc.text[start:end], to_number(it.value), unit, it.kind))
    return out


def annotate(doc: Document) -> None:
    """Fill ``doc.amounts`` (in text order), never over characters of a time expression."""
    doc.amounts.extend(extract(doc))

