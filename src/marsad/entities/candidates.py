"""Entity candidates: every span that may name a person, organization or place, with its evidence.

Sources, strongest first: KB gazetteer hits (names, metonyms; nationality adjectives are kept
aside as country evidence), title phrases («وزير الرياضة أوليغ ماتيتسين», see ``roles``), trigger
words («مدينة كوستاناي», «مطار X»), ministries («وزارة الخزانة الأميركية»); then weak ones that only
fill gaps: the transliterated-foreign-name signal («بوريسوف») and the CRF tagger when its model exists.
Spans never include proclitics: «وبوتين» yields «بوتين».
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import attrgetter
from typing import Any

from marsad.document import Document
from marsad.entities.lexicon import (
    collisions,
    compass,
    honorifics,
    name_table,
    org_name_words,
    stopwords,
    suffix_types,
    triggers,
)
from marsad.entities.romanize import is_foreign_word, romanize
from marsad.kb import KB, load_kb
from marsad.kb.gazetteer import Gazetteer, Hit
from marsad.normalize import normalize_word, strip_diacritics
from marsad.tokenize import Token, WordIndex, word_index

#: priority among strong candidates of equal length (lower wins)
PRIORITY = {"kb": 0, "metonym": 0, "ministry": 1, "title": 2, "trigger": 3, "descriptive": 3, "description": 4,
            "foreign": 5, "crf": 6}
#: proclitic chains that may be stripped from a name token given evidence
_PROCLITICS = ("وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")
#: name connectors: joined to the next word of the name
CONNECTORS = frozenset({"بن", "ابن", "بنت", "ابو", "ام", "ال", "عبد", "فون", "دير", "دي", "دا", "فان", "لا", "لو", "دو"})
CRF_TYPES = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "GPE"}
_START, _NSTART = attrgetter("start"), attrgetter("nstart")


@dataclass(slots=True)
class Candidate:
    start: int  # original offsets of the mention
    end: int
    nstart: int  # normalized offsets
    nend: int
    type: str
    source: str
    kb_ids: tuple[str, ...] = ()
    name: str | None = None  # canonical Arabic name when it is not the mention text
    name_en: str | None = None
    country: str | None = None
    sector: str | None = None
    roles: list[dict[str, Any]] = field(default_factory=list)
    role_key: str | None = None  # descriptions: the role they name («الرئيس الروسي»)
    ref: str | None = None  # role links: key of the org candidate a role names

    @property
    def length(self) -> int:
        return self.nend - self.nstart

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.source, 9)


class Context:
    """One document's tokens and gazetteer hits, indexed by token for the pattern finders."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.kb: KB = load_kb()
        self.nz = doc.normalized
        self.tokens: list[Token] = doc.tokens
        self.starts = list(map(_NSTART, self.tokens))
        self.index: WordIndex = word_index(self.nz)  # where each word form stands (token indexes)
        self.forms = set(self.index.at)
        self.hits = [h for h in self.kb.find(self.nz) if _written_as_meant(h)]
        self.hit_at = {self.tok(h.nstart): h for h in self.hits}
        self.titles = [h for h in self.kb.title_gazetteer.find(self.nz) if _written_as_meant(h)]
        self.title_at = {self.tok(h.nstart): h for h in self.titles}
        self._governed: dict[int, Any] | None = None  # see governed_hits
        self._dateline: str | None = "?"  # see dateline_country

    def dateline_country(self) -> str | None:
        """The country of the dateline's place («الخرطوم» → SDN), when the KB is sure of it. Datelines name
        cities: «عمّان» is Amman, not Oman."""
        if self._dateline == "?":
            self._dateline = None
            if self.doc.meta.dateline:
                found = self.kb.lookup(self.doc.meta.dateline)
                found = [f for f in found if f.kind == "place"] or found
                countries = {f.id if f.kind == "country" else f.country for f in found}
                self._dateline = countries.pop() if len(countries) == 1 else None
        return self._dateline

    def tok(self, nstart: int) -> int:
        """Index of the token containing normalized offset ``nstart``."""
        return max(bisect_right(self.starts, nstart) - 1, 0)

    def tok_end(self, nend: int) -> int:
        """Index of the token containing the character before ``nend``."""
        return self.tok(nend - 1)

    def kinds(self, hit: Hit) -> set[str]:
        return {how for how, _ in hit.payloads}

    def nisba(self, hit: Hit) -> str | None:
        return next((ident for how, ident in hit.payloads if how == "nisba"), None)

    def word(self, i: int) -> Token | None:
        if 0 <= i < len(self.tokens) and self.tokens[i].kind == "word":
            return self.tokens[i]
        return None

    def strip(self, tok: Token) -> tuple[int, str]:
        """(proclitic length, stem) of a name token: strip only where the stem occurs bare elsewhere."""
        for p in _PROCLITICS:
            stem = tok.norm[len(p):]
            if tok.norm.startswith(p) and len(stem) >= 3 and (stem in self.forms or (len(p) == 2 and len(stem) >= 4)):
                return len(p), stem
        return 0, tok.norm

    def cand(self, i: int, j: int, type_: str, source: str, skip: int = 0, **kw: Any) -> Candidate:
        """A candidate over tokens i..j (inclusive), minus ``skip`` proclitic letters of token i."""
        ns, ne = self.tokens[i].nstart + skip, self.tokens[j].nend
        start, end = self.nz.to_original(ns, ne)
        return Candidate(start, end, ns, ne, type_, source, **kw)


def _written_as_meant(hit: Hit) -> bool:
    """False for a hit on a name that is also a common word, unless written exactly as the name."""
    forms = collisions().get(hit.key)
    return forms is None or strip_diacritics(hit.text) in forms


def looks_common(word: str) -> bool:
    """Shapes of common Arabic words that are rarely names: masdars and verbs (تفاعل، تفعيل، استفعال),
    feminine and plural endings (ـة، ـات، ـية)."""
    if word in name_table() or is_foreign_word(word):
        return False
    if word.endswith(("ه", "ات", "يين", "ون")):
        return True
    if word.startswith(("است", "انت", "ات")) and len(word) >= 6:
        return True
    return word.startswith("ت") and len(word) >= 5 and (word[2] == "ا" or word[3] == "ي")


def is_name_word(ctx: Context, i: int, first: bool) -> bool:
    """Could token i be (part of) a proper name? Rules out function words, titles, adjectives of nationality."""
    tok = ctx.word(i)
    if tok is None or len(tok.norm) < 2 or tok.norm in stopwords():
        return False
    if not first and i in ctx.title_at:
        return False
    hit = ctx.hit_at.get(i)
    if hit is not None and (ctx.nisba(hit) or "metonym" in ctx.kinds(hit)):
        return False
    if tok.norm.startswith(("لل", "بال", "وال", "فال", "كال")):
        return False
    if first and tok.norm in CONNECTORS - {"عبد", "ابو"}:
        return False
    return True


def name_run(ctx: Context, i: int, max_words: int = 4) -> tuple[int, int] | None:
    """Token span (i, j) of a person's name starting at token i, or None.

    Stops at punctuation, function words, a following title, KB places/organizations and
    conjunction-prefixed words; a family name with the article («الصفدي») closes the name.
    """
    if not is_name_word(ctx, i, first=True) or ctx.tokens[i].norm.startswith("ال"):
        return None
    table = name_table()
    words: list[int] = []
    j = i
    count = 0
    while j < len(ctx.tokens) and count < max_words:
        if not is_name_word(ctx, j, first=not words):
            break
        norm = ctx.tokens[j].norm
        hit = ctx.hit_at.get(j)
        if words and hit is not None and hit.nstart == ctx.tokens[j].nstart and norm not in table:
            if any(how == "name" and ctx.kb.entries[e].type != "PER" for how, e in hit.payloads if e in ctx.kb.entries):
                break
        if words and norm[0] == "و" and len(norm) > 3 and norm not in table and norm[1:] not in CONNECTORS:
            break
        if words and norm.startswith(("لي", "لت", "لن")) and len(norm) >= 4 and norm not in table \
                and not is_foreign_word(norm):
            break  # «ظريف ليؤكد»: «ل» + a verb, not a name
        prev = ctx.tokens[words[-1]].norm if words else ""
        after_connector = prev in CONNECTORS
        if count >= 2 and not after_connector and norm not in table and not is_foreign_word(norm) \
                and not (hit is not None and hit.nstart == ctx.tokens[j].nstart):
            break  # a third word must look like a name: «أنطونيو غوتيريش رسالة» stops before «رسالة»
        if norm.startswith("ال") and words and count >= 2 and not after_connector:
            break
        if not after_connector and looks_common(norm) and norm not in CONNECTORS:
            break
        words.append(j)
        j += 1
        if norm in CONNECTORS:
            continue
        count += 1
        if len(words) > 1 and norm.startswith("ال") and prev not in ("عبد", "ابو", "ال") \
                and not (ctx.word(j) and ctx.tokens[j].norm in ("بن", "ابن", "بنت")):
            break
    while words and ctx.tokens[words[-1]].norm in CONNECTORS:
        words.pop()
    if not words:
        return None
    return words[0], words[-1]


# ---------------------------------------------------------------- KB hits


def kb_candidates(ctx: Context) -> tuple[list[Candidate], list[Hit]]:
    """Name and metonym candidates from the KB gazetteer, and the nationality-adjective hits aside."""
    out: list[Candidate] = []
    nisbas: list[Hit] = []
    for hit in ctx.hits:
        kinds = ctx.kinds(hit)
        if hit.prefix and not _clitic_ok(ctx, hit):
            continue
        if "nisba" in kinds:
            nisbas.append(hit)
            continue
        if "name" in kinds and _adjective_reading(ctx, hit):
            continue
        if "name" in kinds:
            ids = tuple(dict.fromkeys(e for how, e in hit.payloads if how == "name" and e in ctx.kb.entries))
            trig = governed_hits(ctx).get(ctx.tok(hit.nstart))
            if trig is not None:
                ids = qualified_ids(ctx, trig, hit.key) or ids
            types = {ctx.kb.entries[e].type for e in ids}
            type_ = types.pop() if len(types) == 1 else "GPE"
            if type_ == "GPE" and all(ctx.kb.entries[e].kind == "place" and ctx.kb.entries[e].country == "XXX"
                                      for e in ids):
                type_ = "LOC"  # Europe, Central Asia: regions without a government (annotation guidelines)
            nstart = _after_title(ctx, hit) if type_ == "PER" else hit.nstart
            nstart, nend = _bare_name(ctx, ids, nstart, hit.nend)
            start, end = ctx.nz.to_original(nstart, nend)
            out.append(Candidate(start, end, nstart, nend, type_, "kb", ids))
        elif "metonym" in kinds:
            out.append(metonym_candidate(ctx, hit))
    return out, nisbas


#: words of a name after the ordinal tried against the KB («للتعاون الأقاليمي بين روسيا وكازاخستان»)
ORDINAL_NAME_WORDS = 6


def ordinal_event_candidates(ctx: Context) -> list[Candidate]:
    """«المنتدى التاسع عشر للتعاون الأقاليمي»: a recurring event named with its edition's ordinal between the
    head and the complement; the KB knows it as «منتدى التعاون الأقاليمي». Linked when head + complement
    (longest first) is a KB event's name; the mention spans head to complement, ordinal included."""
    from marsad.numbers import ordinal_re

    out: list[Candidate] = []
    text = ctx.nz.text
    for m in ordinal_re().finditer(text):
        if m.group("pre"):
            continue
        i, j = ctx.tok(m.start()), ctx.tok_end(m.end()) + 1  # the head before, the complement after
        head, first = ctx.word(i - 1), ctx.word(j)
        if head is None or first is None or not head.norm.startswith("ال") or not first.norm.startswith("لل"):
            continue
        words = [head.norm[2:], "ال" + first.norm[2:]]
        k = j
        best = None
        while True:
            ids = [e for how, e in ctx.kb.names.table.get(" ".join(words), ())
                   if how == "name" and e in ctx.kb.entries and ctx.kb.entries[e].type == "EVENT"]
            if ids:
                best = (k, tuple(dict.fromkeys(ids)))
            k += 1
            if ctx.word(k) is None or k - j >= ORDINAL_NAME_WORDS:
                break
            words.append(ctx.tokens[k].norm)
        if best is not None:
            out.append(ctx.cand(i - 1, best[0], "EVENT", "kb", kb_ids=best[1]))
    return out


def _bare_name(ctx: Context, ids: tuple[str, ...], nstart: int, nend: int) -> tuple[int, int]:
    """A KB alias that wraps a bare name of the same entry in a trigger word or a nationality adjective
    («شركة شيفرون», «حركة حماس», «سمرقند الأوزبكية») is a mention of the bare name only."""
    if len(ids) != 1:
        return nstart, nend
    entry = ctx.kb.entries[ids[0]]
    bare = _bare_forms(ids[0])
    i, j = ctx.tok(nstart), ctx.tok_end(nend)
    if j <= i:
        return nstart, nend
    text = ctx.nz.text
    trig = triggers().get(ctx.tokens[i].norm)
    if trig is not None and (not trig.include or j == i + 1) and text[ctx.tokens[i + 1].nstart:nend] in bare:
        return ctx.tokens[i + 1].nstart, nend
    if entry.type in ("GPE", "LOC") and ctx.kb.country_of_nisba(ctx.tokens[j].norm) \
            and text[nstart:ctx.tokens[j - 1].nend] in bare:
        return nstart, ctx.tokens[j - 1].nend
    return nstart, nend


def _adjective_reading(ctx: Context, hit: Hit) -> bool:
    """«الشركة السعودية», «للموانئ السعودية»: a country name that is also a feminine nationality adjective
    («السعودية») right after a definite common noun is the adjective, not the country."""
    if hit.prefix or " " in hit.key or not hit.key.startswith("ال") or not hit.key.endswith(("يه", "ية")):
        return False
    if not any(how == "name" and ctx.kb.entries.get(e) and ctx.kb.entries[e].kind == "country"
               for how, e in hit.payloads):
        return False
    i = ctx.tok(hit.nstart)
    prev = ctx.word(i - 1)
    return (prev is not None and prev.norm.startswith(("ال", "لل", "بال", "وال", "فال")) and len(prev.norm) >= 5
            and prev.norm not in stopwords() and (i - 1) not in ctx.hit_at
            and (i - 1) not in ctx.title_at and not any(h.nstart < prev.nend <= h.nend for h in ctx.titles))


@lru_cache(maxsize=4096)
def _bare_forms(kb_id: str) -> frozenset[str]:
    return frozenset(normalize_word(n) for n in load_kb().entries[kb_id].names)


def _clitic_ok(ctx: Context, hit: Hit) -> bool:
    """«كبيرا» is not ك + «بيرا»: a short name behind a proclitic counts only if the document also has it bare
    (countries excepted: «بمصر»). «ك» (as) needs that evidence at any length."""
    if " " in hit.key or (len(hit.key) > 4 and "ك" not in hit.prefix):
        return True
    if any(how == "name" and ctx.kb.entries.get(e) and ctx.kb.entries[e].kind == "country" for how, e in hit.payloads):
        return "ك" not in hit.prefix or hit.key in ctx.forms
    return hit.key in ctx.forms


def _after_title(ctx: Context, hit: Hit) -> int:
    """Start of the name proper in a KB person alias that opens with a title («الرئيس الإيراني إبراهيم رئيسي»)."""
    i = ctx.tok(hit.nstart)
    title = ctx.title_at.get(i)
    if title is None or title.nstart != hit.nstart or title.nend >= hit.nend:
        return hit.nstart
    k = ctx.tok_end(title.nend) + 1
    while k < len(ctx.tokens) and ctx.tokens[k].nend < hit.nend and (
            ctx.kb.country_of_nisba(ctx.tokens[k].norm) or honorific(ctx, k)):
        k += 1
    return ctx.tokens[k].nstart if k < len(ctx.tokens) and ctx.tokens[k].nstart < hit.nend else hit.nstart


def metonym_candidate(ctx: Context, hit: Hit) -> Candidate:
    """«الكرملين» stands for Russia's government: a mention of the country (GPE, kb_id = ISO3).

    Palaces named as places («في قصر الاتحادية», «القصر الرئاسي «آق أوردا»») stay facilities (FAC).
    """
    m = ctx.kb.metonyms[int(next(i for how, i in hit.payloads if how == "metonym"))]
    i = ctx.tok(hit.nstart)
    before = ctx.tokens[i - 1].norm if i > 0 else ""
    palace = hit.key.startswith(("قصر", "مبنى", "مقر")) or before in ("في", "الرئاسي", "«") \
        or hit.prefix == "ب"
    if palace:
        return Candidate(hit.start, hit.end, hit.nstart, hit.nend, "FAC", "metonym", (), m.name, m.name_en, m.country,
                         m.sector)
    return Candidate(hit.start, hit.end, hit.nstart, hit.nend, "GPE", "metonym", (m.country,), sector=m.sector)


# ---------------------------------------------------------------- trigger words


def quoted(ctx: Context, i: int) -> tuple[int, int] | None:
    """Token span inside «...» or "..." opening at token i (at most 6 words)."""
    if ctx.tokens[i].norm not in ("«", '"', "“"):
        return None
    close = {"«": "»", '"': '"', "“": "”"}[ctx.tokens[i].norm]
    for j in range(i + 1, min(i + 8, len(ctx.tokens))):
        if ctx.tokens[j].norm == close:
            return (i + 1, j - 1) if j > i + 1 else None
        if ctx.tokens[j].kind != "word":
            return None
    return None


def trigger_candidates(ctx: Context) -> list[Candidate]:
    """Names announced by a trigger word: «مدينة كوستاناي» (GPE), «وكالة روسكوزموس» (ORG), «مطار X» (FAC).

    A name the KB knows only with the trigger («مقاطعات ... وأقمولا» → «مقاطعة آقمولا») is linked to it."""
    forms = trigger_forms()
    out: list[Candidate] = []
    for i in ctx.index.indexes(trigger_words()):
        tok = ctx.tokens[i]
        trig = forms[tok.norm]
        if i + 1 >= len(ctx.tokens) or ((i + 1) in ctx.hit_at and not trig.plural):
            continue
        for a, b, skip, is_quoted in _trigger_names(ctx, i + 1, trig):
            name_tokens = " ".join(t.text for t in ctx.tokens[a:b + 1])
            if trig.include:
                last = b + 1 if is_quoted else b
                c = ctx.cand(i, last, trig.type, "trigger", skip=len(tok.norm) - len(trig.word))
                c.name = trig_name(ctx, i, b, len(tok.norm) - len(trig.word))
                c.name_en = trig.en.format(romanize(name_tokens, foreign=True if is_quoted else None))
            else:
                c = ctx.cand(a, b, trig.type, "trigger", skip=skip)
                c.kb_ids = qualified_ids(ctx, trig, ctx.nz.text[c.nstart:c.nend])
                c.name_en = _region_en(ctx, a, b, skip) or trig.en.format(
                    romanize(name_tokens[skip:] if skip else name_tokens))
            out.append(c)
    return out


def qualified_ids(ctx: Context, trig: Any, key: str) -> tuple[str, ...]:
    """KB places/organizations named «<singular trigger> <key>» («نهر» + «الأورال» → the Ural River), of the
    trigger's type (GPE and LOC alike): the trigger tells which of same-named things is meant."""
    return () if trig.include else _kb_ids_of_type(ctx, f"{trig.singular} {key}", trig.type)


def governed_hits(ctx: Context) -> dict[int, Any]:
    """Token index of each KB hit named right after a trigger or in a plural trigger's list → the trigger
    («مقاطعات أكتوبي ...»: the hit «أكتوبي» is the region, not the city). Computed once per document."""
    got = ctx._governed
    if got is None:
        got = ctx._governed = {}
        forms = trigger_forms()
        for i in ctx.index.indexes(trigger_words()):
            trig = forms[ctx.tokens[i].norm]
            if trig.include or i + 1 >= len(ctx.tokens) or (i + 1) not in ctx.hit_at:
                continue
            got[i + 1] = trig
            if trig.plural:
                hits: list[int] = []
                _trigger_names(ctx, i + 1, trig, hits)
                got.update((j, trig) for j in hits)
    return got


def _region_en(ctx: Context, a: int, b: int, skip: int) -> str | None:
    """«غرب كازاخستان» → "West Kazakhstan": a compass word and a KB name, in English."""
    en = compass().get(ctx.tokens[a].norm[skip:])
    hit = ctx.hit_at.get(a + 1) if b > a else None
    if en is None or hit is None:
        return None
    entry = next((ctx.kb.entries[e] for how, e in hit.payloads if how == "name" and e in ctx.kb.entries), None)
    return f"{en} {entry.name_en}" if entry else None


@cache
def trigger_forms() -> dict[str, Any]:
    """Every trigger word with and without its proclitics («ومدينة», «بمدينة»), for one lookup per token."""
    out: dict[str, Any] = {}
    for word, trig in triggers().items():
        for p in ("", "و", "ب", "ل", "ف", "وب", "ول", "ك"):
            out.setdefault(p + word, trig)
    return out


@cache
def trigger_words() -> frozenset[str]:
    return frozenset(trigger_forms())


def trig_name(ctx: Context, i: int, b: int, skip: int = 0) -> str:
    """Canonical name of a trigger-included span: its words without quote marks or the trigger's proclitics
    («بمستشفى الملك» → «مستشفى الملك»)."""
    start = ctx.nz.to_original(ctx.tokens[i].nstart + skip, ctx.tokens[i].nend)[0]
    words = [ctx.doc.text[start:ctx.tokens[i].end]] + [t.text for t in ctx.tokens[i + 1:b + 1] if t.kind == "word"]
    return " ".join(words)


def _trigger_names(ctx: Context, i: int, trig: Any, hits: list[int] | None = None) -> list[tuple[int, int, int, bool]]:
    """(first, last, proclitic letters to skip, quoted) of the names after a trigger ending at token i-1; the KB
    hits a plural trigger's list steps over are added to ``hits``."""
    q = quoted(ctx, i)
    if q:
        return [(q[0], q[1], 0, True)]
    found: list[tuple[int, int, int, bool]] = []
    j = i
    listed = False
    while j < len(ctx.tokens):
        skip = 0
        tok = ctx.word(j)
        if tok is None:
            break
        if listed:  # list after a plural trigger: «مدن كوكشيتاو وسيمي وأوست كامينوغورسك»
            if not trig.plural or tok.norm[0] != "و":
                break
            skip = 1
        if j in ctx.hit_at:  # a known name in the list: step over it
            if not trig.plural:
                break
            h = ctx.hit_at[j]
            if ctx.nisba(h):
                break
            if hits is not None:
                hits.append(j)
            j = ctx.tok_end(h.nend) + 1
            listed = True
            continue
        end = _listed_region(ctx, j, trig, skip) if listed else None  # «مقاطعات أكتوبي وغرب كازاخستان»
        if end is None and trig.plural:
            end = _qualified_item(ctx, j, trig, skip)
            if end is None:  # «بلدات وقرى يغلب عليها», «محافظات أخرى»: unknown items must look foreign
                end = _trigger_name_end(ctx, j, trig, skip)
                words = [ctx.tokens[j].norm[skip:]] + [t.norm for t in ctx.tokens[j + 1:(end or j) + 1]]
                if end is not None and not all(map(is_foreign_word, words)):
                    break
        elif end is None:
            end = _trigger_name_end(ctx, j, trig, skip)
        if end is None:
            break
        found.append((j, end, skip, False))
        listed = True
        j = end + 1
    return found


def _qualified_item(ctx: Context, j: int, trig: Any, skip: int) -> int | None:
    """Last token of the longest run of up to three words from token j that the KB knows with the trigger
    («محافظات ... وصلاح الدين» → «محافظة صلاح الدين»), or None."""
    words: list[str] = []
    best = None
    for k in range(j, min(j + 3, len(ctx.tokens))):
        tok = ctx.word(k)
        if tok is None:
            break
        words.append(tok.norm[skip:] if k == j else tok.norm)
        if qualified_ids(ctx, trig, " ".join(words)):
            best = k
    return best


def _listed_region(ctx: Context, j: int, trig: Any, skip: int) -> int | None:
    """Last token of «غرب كازاخستان» in a list of provinces: a compass word, then a KB place or country."""
    if trig.type != "GPE" or ctx.tokens[j].norm[skip:] not in compass():
        return None
    hit = ctx.hit_at.get(j + 1)
    if hit is None or hit.prefix or ctx.nisba(hit):
        return None
    return ctx.tok_end(hit.nend)


def _trigger_name_end(ctx: Context, j: int, trig: Any, skip: int) -> int | None:
    """Last token of an unquoted name starting at token j, or None when it does not look like one."""
    max_words = 2 if trig.type in ("GPE", "LOC") else 3
    end = None
    for k in range(j, min(j + max_words, len(ctx.tokens))):
        tok = ctx.word(k)
        if tok is None or not is_name_word(ctx, k, first=k == j and not skip):
            break
        norm = tok.norm[skip:] if k == j else tok.norm
        if norm in stopwords() or (k > j and (norm[0] in "وف" or k in ctx.hit_at)):
            break
        if norm.startswith("ال"):
            if not trig.definite or k > j:
                break
        elif norm.endswith("ه") and not is_foreign_word(norm):
            break
        if trig.type in ("ORG", "EVENT") and not is_foreign_word(norm):
            break
        if trig.type == "FAC" and not (norm.startswith("ال") or is_foreign_word(norm) or norm in name_table()):
            break  # «محطة لتعميق», «أنبوب جديد»: not a facility's name
        end = k
        if norm.startswith("ال"):
            break
    return end


# ---------------------------------------------------------------- ministries


@cache
def ministry_gazetteer() -> Gazetteer:
    """«وزارة» + every minister portfolio of the KB titles («وزير الخزانة» → «وزارة الخزانة»)."""
    kb = load_kb()
    pairs = []
    for t in kb.titles.values():
        for n in t.names:
            for head in ("وزير ", "وزيرة "):
                if n.startswith(head) and len(n) > len(head) + 2:
                    pairs.append(("وزارة " + n[len(head):], t.key))
    return Gazetteer(pairs)


def ministry_candidates(ctx: Context, nisbas: list[Hit]) -> list[Candidate]:
    """Ministries by pattern: «وزارة الطاقة الكازاخية» → ORG, sector GOV, country KAZ."""
    out: list[Candidate] = []
    nisba_at = {ctx.tok(h.nstart): h for h in nisbas}
    for hit in ministry_gazetteer().find(ctx.nz):
        title = ctx.kb.titles[hit.payloads[0]]
        j = ctx.tok_end(hit.nend) + 1
        country, nend = None, hit.nend
        if j in nisba_at and nisba_at[j].prefix == "":
            country, nend = ctx.nisba(nisba_at[j]), nisba_at[j].nend
        elif ctx.word(j) and ctx.tokens[j].norm == "في" and (j + 1) in ctx.hit_at:  # «وزارة الصحة في غزة»
            country = _country_of_hit(ctx, ctx.hit_at[j + 1])
        start, end = ctx.nz.to_original(hit.nstart, nend)
        ministry_en = title.role_en.replace("Minister of", "Ministry of", 1) if title.role_en.startswith("Minister of") \
            else f"Ministry ({title.role_en})"
        out.append(Candidate(start, end, hit.nstart, nend, "ORG", "ministry", name=ctx.doc.text[start:end], name_en=ministry_en,
                             country=country, sector="GOV"))
    return out


#: words after «ل» that never open what a body is for («الاتحاد الأوروبي لدى», «لها», «لكن»)
_NOT_PURPOSE = frozenset({"لدي", "لها", "له", "لهم", "لكن", "لكل", "لم", "لن", "لا", "لذلك", "لان", "لقد", "لعام", "لمده"})
#: definite words that follow a descriptive name without belonging to it («… التابعة للوزارة»)
_NOT_NAME_TAIL = frozenset({"التابعه", "التابع", "المعنيه", "المعني", "المختصه", "المختص", "المذكوره", "المذكور"})
#: definite words after the «ل» word that the name may still hold («للصناعات الأساسية», «للتعليم والتدريب»)
_MAX_PURPOSE_WORDS = 3


def descriptive_org_candidates(ctx: Context) -> list[Candidate]:
    """«الشركة السعودية لشراء الطاقة», «الهيئة العامة للإحصاء»: a head noun, adjectives (a nationality or
    «العامة/الوطنية...», ``data/org_names.tsv``), then «ل» and what the body is for. Not when the head and its
    adjectives are a KB name already («الاتحاد الأوروبي لتقديم ...» is the EU, then a purpose)."""
    heads, adjectives = org_name_words()
    forms = _org_head_forms()
    out: list[Candidate] = []
    for i in ctx.index.indexes(frozenset(forms)):
        if i in ctx.hit_at:
            continue
        head, skip = forms[ctx.tokens[i].norm]
        j, country, adj_en = i + 1, None, []
        while ctx.word(j) is not None and j - i <= 2:
            norm = ctx.tokens[j].norm
            nat = ctx.kb.country_of_nisba(norm) or _country_adjective(ctx, norm)
            if norm in adjectives:
                adj_en.append(adjectives[norm])
            elif nat and country is None:
                country = nat
            else:
                break
            j += 1
        purpose = ctx.word(j)
        if j == i + 1 or purpose is None or not purpose.norm.startswith("ل") or len(purpose.norm) < 4 \
                or purpose.norm in _NOT_PURPOSE or any(k in ctx.hit_at and not ctx.nisba(ctx.hit_at[k])
                                                       for k in range(i + 1, j)):
            continue
        end = _purpose_end(ctx, j)
        if end is None:
            continue
        c = ctx.cand(i, end, "ORG", "descriptive", skip=skip, country=country)
        words = [t.text for t in ctx.tokens[j:end + 1]]
        words[0] = words[0][1:] if not words[0].startswith("لل") else "ال" + words[0][2:]
        suffix = f" ({ctx.kb.entries[country].name_en})" if country in ctx.kb.entries else ""
        purpose_en = romanize(" ".join(words))
        purpose_en = "al-" + purpose_en[3:] if purpose_en.startswith("Al-") else purpose_en
        c.name_en = " ".join([*adj_en, heads[head], "for", purpose_en]) + suffix
        out.append(c)
    return out


def _purpose_end(ctx: Context, j: int) -> int | None:
    """Last token of «ل…» and the definite words (or KB places) that complete it: «لتحلية المياه المالحة»,
    «لشؤون المسجد الحرام»; None when an indefinite «ل» word has nothing after it («اللجنة العليا لمعرض»)."""
    end = j
    while end - j < _MAX_PURPOSE_WORDS and (nxt := ctx.word(end + 1)) is not None:
        hit = ctx.hit_at.get(end + 1)
        if hit is not None and not hit.prefix and all(
                ctx.kb.entries[e].kind in ("place", "country") for how, e in hit.payloads if e in ctx.kb.entries):
            end = ctx.tok_end(hit.nend)
            continue
        word = nxt.norm[1:] if nxt.norm.startswith("وال") else nxt.norm
        if hit is not None or not word.startswith("ال") or (end + 1) in ctx.title_at or honorific(ctx, end + 1) \
                or word in stopwords() or word in _org_head_forms() or word in _NOT_NAME_TAIL:
            break  # «… التابعة للوزارة», «… التي», «… والهيئة العامة»: the name has ended
        end += 1
    indefinite = not ctx.tokens[j].norm.startswith("لل")
    return None if indefinite and end == j else end


@cache
def _org_head_forms() -> dict[str, tuple[str, int]]:
    """Head nouns of :func:`descriptive_org_candidates` with their proclitics («وللهيئة») → (the bare head,
    letters before the mention: «للهيئة» is «ل» + «(ا)لهيئة», so its mention starts after one letter)."""
    heads = org_name_words()[0]
    out: dict[str, tuple[str, int]] = {}
    for h in heads:
        for p in ("", "و", "ف", "ب", "وب"):
            out.setdefault(p + h, (h, len(p)))
        out.setdefault("لل" + h[2:], (h, 1))
        out.setdefault("ولل" + h[2:], (h, 2))
    return out


def _country_adjective(ctx: Context, norm: str) -> str | None:
    """«السعودية»: a country name that is also its feminine nationality adjective."""
    if not norm.startswith("ال") or not norm.endswith("يه"):
        return None
    return next((e for how, e in ctx.kb.names.table.get(norm, ()) if how == "name" and e in ctx.kb.entries
                 and ctx.kb.entries[e].kind == "country"), None)


#: a bare «الجيش» (also «والجيش», «بالجيش») in a dispatch from a country's city is that country's army
_ARMY = "الجيش"
_ARMY_PROCLITICS = ("", "و", "ف", "ب", "وب", "فب")


@cache
def national_armies() -> dict[str, str]:
    """Country → its armed forces' KB id: the military organization named «الجيش <nationality adjective>» or
    «القوات المسلحة <nationality adjective>» of that country."""
    kb = load_kb()
    out: dict[str, str] = {}
    for e in kb.entries.values():
        if e.kind != "org" or e.sector != "MIL" or not e.country:
            continue
        for name in e.names:
            head, _, adj = normalize_word(name).rpartition(" ")
            if head in (_ARMY, "القوات المسلحه") and kb.country_of_nisba(adj) == e.country:
                out.setdefault(e.country, e.id)
    return out


def army_candidates(ctx: Context, nisbas: list[Hit]) -> list[Candidate]:
    """«الجيش» with no name of its own: the army of the country of a nationality adjective after it
    («الجيش الليبي»), else of the dateline's country («الخرطوم»: «اشتباكات بين الجيش وقوات الدعم السريع»)."""
    armies = national_armies()
    nisba_at = {ctx.tok(h.nstart): h for h in nisbas if h.prefix == ""}
    covered = {k for h in ctx.hits for k in range(ctx.tok(h.nstart), ctx.tok_end(h.nend) + 1)}
    out: list[Candidate] = []
    for i in ctx.index.indexes(frozenset(p + _ARMY for p in _ARMY_PROCLITICS)):
        if i in covered:
            continue
        nisba = nisba_at.get(i + 1)
        country = ctx.nisba(nisba) if nisba is not None else ctx.dateline_country()
        army = armies.get(country or "")
        if army is None:
            continue
        last = ctx.tok_end(nisba.nend) if nisba is not None else i
        out.append(ctx.cand(i, last, "ORG", "kb", skip=len(ctx.tokens[i].norm) - len(_ARMY), kb_ids=(army,)))
    return out


def _country_of_hit(ctx: Context, hit: Hit) -> str | None:
    ids = {ctx.kb.entries[e].id if ctx.kb.entries[e].kind == "country" else ctx.kb.entries[e].country
           for how, e in hit.payloads if how == "name" and e in ctx.kb.entries}
    return ids.pop() if len(ids) == 1 else None


# ---------------------------------------------------------------- weak signals


def foreign_candidates(ctx: Context) -> list[Candidate]:
    """Transliterated foreign surnames («بوريسوف», «فاسيلينكو») with known first names before them."""
    out: list[Candidate] = []
    types = suffix_types()
    ends = tuple(sorted(types, key=len, reverse=True))
    table = name_table()
    stop = stopwords()
    shaped = frozenset(w for w in ctx.index.at
                       if len(w) >= 5 and w.endswith(ends) and not w.startswith("ال") and w not in stop)
    for i in ctx.index.indexes(shaped):  # the word tokens of those shapes, in text order
        tok = ctx.tokens[i]
        skip, stem = ctx.strip(tok)
        suffix = next((s for s in ends if stem.endswith(s) and len(stem) - len(s) >= 3), None)
        if suffix is None or stem in stopwords() or tok.norm[1:] in stopwords() or (skip == 0 and i in ctx.hit_at):
            continue
        if suffix == "يف" and stem.startswith("ت") and len(stem) <= 5:  # تفعيل: «تكثيف», «تصنيف»
            continue
        if any(tok.norm[len(p):] in table for p in ("", *_PROCLITICS) if tok.norm.startswith(p)):
            continue  # «ونايف»: «و» + an Arabic given name, not a Russian «-يف» surname
        type_ = types[suffix]
        a = i
        if type_ == "PER" and skip == 0:
            while a - 1 >= 0 and i - a < 2 and ctx.word(a - 1) and (
                    ctx.tokens[a - 1].norm in table or is_foreign_word(ctx.tokens[a - 1].norm)) \
                    and is_name_word(ctx, a - 1, first=True) and (a - 1) not in ctx.hit_at:
                a -= 1
            if a < i:
                skip, _ = ctx.strip(ctx.tokens[a])
        out.append(ctx.cand(a, i, type_, "foreign", skip=skip if a < i or skip else 0))
    return out


def crf_candidates(ctx: Context) -> list[Candidate]:
    """Spans of the CRF tagger (``marsad.ner``), when its model file exists; else nothing.

    The document's sentences are tagged together: each sees how its words appear in the sentences
    around it (``Tagger.tag_document``)."""
    tagger = _tagger()
    if tagger is None:
        return []
    out: list[Candidate] = []
    starts = list(map(_START, ctx.tokens))
    sents = []
    for sent in ctx.doc.sentences:
        idx = range(bisect_left(starts, sent.start), bisect_left(starts, sent.end))
        if any(ctx.tokens[k].kind == "word" for k in idx):  # a tagger span counts only if all its tokens are words
            sents.append(idx)
    if not sents:
        return []
    tagged = _tag(tagger, tuple(tuple(ctx.tokens[k].text for k in idx) for idx in sents))
    for idx, labels in zip(sents, tagged, strict=True):
        span: list[int] = []
        kind = ""
        for k, lab in zip(idx, labels, strict=False):
            if lab.startswith("I-") and span and lab[2:] == kind:
                span.append(k)
                continue
            if span:
                out += _crf_span(ctx, span, kind)
            span, kind = ([k], lab[2:]) if lab.startswith(("B-", "I-")) else ([], "")
        if span:
            out += _crf_span(ctx, span, kind)
    return out


def _crf_span(ctx: Context, span: list[int], kind: str) -> list[Candidate]:
    type_ = CRF_TYPES.get(kind)
    if type_ is None or any(ctx.tokens[k].kind != "word" for k in span):
        return []
    if len(span) == 1 and (h := ctx.hit_at.get(span[0])) is not None and _adjective_reading(ctx, h):
        return []  # «للموانئ السعودية»: the adjective, whatever the tagger says
    if type_ == "PER":
        span = _without_leading_titles(ctx, span)
        if not span:
            return []  # «صاحب السمو»: no name, whatever the tagger says
    skip, stem = ctx.strip(ctx.tokens[span[0]])
    if not skip:
        skip, stem = _tagged_proclitic(ctx, ctx.tokens[span[0]].norm, type_)
    if stem in stopwords() or len(stem) < 2:
        return []
    c = ctx.cand(span[0], span[-1], type_, "crf", skip=skip)
    if skip:  # a KB name behind a proclitic that the clitic rule left out («وروما»): the tagger vouches for it
        c.kb_ids = _kb_ids_of_type(ctx, ctx.nz.text[c.nstart:c.nend], type_)
    return [c]


#: the words of «صاحب السمو الملكي» one by one (``honorifics.tsv`` has the phrase and «سمو», «معالي», «فخامة»)
_ADDRESS = frozenset({"صاحب", "السمو", "الملكي"})


def _address_word(norm: str) -> bool:
    words = honorifics()[0]
    return any(w in words or w in _ADDRESS for w in (norm, norm[1:] if norm.startswith("و") else ""))


def _without_leading_titles(ctx: Context, span: list[int]) -> list[int]:
    """A tagged person span without the titles and words of address it opens with («الرئيس روزفلت» → «روزفلت»);
    a title word that is also a given name stays («سلطان بن سلمان»)."""
    k = 0
    table = name_table()
    while k < len(span):
        title = ctx.title_at.get(span[k])
        if title is not None and title.nstart == ctx.tokens[span[k]].nstart and ctx.tokens[span[k]].norm not in table:
            k = min(ctx.tok_end(title.nend) - span[0] + 1, len(span))  # past the title (spans are consecutive)
        elif _address_word(ctx.tokens[span[k]].norm):
            k += 1
        else:
            break
    return span[k:]


#: KB entry types a tagger type may link to
_LINKABLE = {"PER": {"PER"}, "ORG": {"ORG", "EVENT", "FAC"}, "GPE": {"GPE", "LOC"}, "LOC": {"GPE", "LOC"}}


def _kb_ids_of_type(ctx: Context, key: str, type_: str) -> tuple[str, ...]:
    types = _LINKABLE.get(type_, {type_})
    return tuple(dict.fromkeys(e for how, e in ctx.kb.names.table.get(key, ())
                               if how == "name" and e in ctx.kb.entries and ctx.kb.entries[e].type in types))


def _tagged_proclitic(ctx: Context, norm: str, type_: str) -> tuple[int, str]:
    """(proclitic length, stem) of the first word of a span the tagger marked as a name: «وروما», «بكريت» lose
    the proclitic when the rest is a KB name of the tagged type (or, for a person, a known given name) and the
    whole word is not
    («كريستيانو» keeps its «ك»: «ريستيانو» is nothing known)."""
    def known(word: str) -> bool:
        return bool(_kb_ids_of_type(ctx, word, type_)) or (type_ == "PER" and word in name_table())

    if known(norm):
        return 0, norm
    for p in _PROCLITICS:
        stem = norm[len(p):]
        if norm.startswith(p) and len(stem) >= 3 and known(stem):
            return len(p), stem
    return 0, norm


@lru_cache(maxsize=256)
def _tag(tagger: Any, sentences: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """Labels of the sentences of one document, kept for documents that come back (repeated articles).

    Keyed by the whole document: a sentence's labels depend on its neighbours (document features),
    so a sentence met again in another document (a byline) is tagged again."""
    return tuple(map(tuple, tagger.tag_document([list(s) for s in sentences])))


@cache
def _tagger() -> Any:
    try:
        from marsad.ner import MODEL_PATH, load_tagger
    except ImportError:
        return None
    if not MODEL_PATH.is_file():
        return None
    try:
        return load_tagger()
    except Exception:  # a broken or incompatible model must not break extraction
        return None


def honorific(ctx: Context, i: int) -> bool:
    tok = ctx.word(i)
    return tok is not None and tok.norm in honorifics()[0]
