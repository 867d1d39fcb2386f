"""Within-document resolution: choose among overlapping candidates, link ambiguous names, and group
all mentions of one real entity.

Rules (documented in ``docs/entities.md``):
- Overlaps: the longest span wins, then the stronger source (KB > ministry > title > trigger);
  the weak signals (foreign-name endings, CRF) only fill gaps. A losing person candidate hands its
  roles and KB link to the winner («الرئيس عبد الفتاح السيسي» keeps the KB link of «السيسي»).
- Ambiguous KB names (طرابلس Libya/Lebanon, عمان Oman/Amman): the entry whose country the document
  mentions elsewhere (countries, nationality adjectives, unambiguous places, the dateline) wins;
  ties go to countries, then capitals, then the KB order.
- People: the same KB id; else the same surname (rapidfuzz ratio ≥ 85 on normalized forms, exact for
  short ones), and for multi-word names every aligned word ≥ 80 («قاسم زومارت توكاييف»).
- Descriptions («الرئيس الروسي») join the person the document gives that role and country, else the
  KB person holding it at the publication date; otherwise they are dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from marsad.document import Entity, Mention
from marsad.entities.candidates import CONNECTORS, Candidate, Context
from marsad.entities.roles import compose_role_en
from marsad.entities.romanize import romanize
from marsad.kb import Entry, load_kb
from marsad.kb.gazetteer import Hit
from marsad.normalize import normalize_word, strip_diacritics

WEAK = frozenset({"foreign", "crf"})
KB_FUZZY_MIN = 88  # «روسكوزموس» ~ «روسكوسموس» (88.9); one letter in nine
TYPE_FAMILY = {"PER": "PER", "ORG": "ORG", "FAC": "ORG", "EVENT": "ORG", "GPE": "GPE", "LOC": "GPE"}
SURNAME_MIN = 85
WORD_MIN = 80
#: roles whose country may be taken from the document's dateline when nothing else states it
HEAD_ROLES = frozenset({"president", "prime-minister", "king", "emir", "crown-prince", "vice-president", "sultan"})


@dataclass
class Group:
    type: str
    kb_id: str | None = None
    cands: list[Candidate] = field(default_factory=list)
    words: list[list[str]] = field(default_factory=list)  # normalized name words of PER mentions

    @property
    def first(self) -> int:
        return min(c.start for c in self.cands)


def select(cands: list[Candidate], text: str = "") -> tuple[list[Candidate], list[Candidate]]:
    """(chosen non-overlapping candidates, descriptions): longest first, then stronger source."""
    chosen: list[Candidate] = []
    descriptions = [c for c in cands if c.source == "description"]
    tiers = ([c for c in cands if c.source not in WEAK and c.source != "description"],
             [c for c in cands if c.source in WEAK])
    taken = bytearray(max((c.nend for c in cands), default=0) + 1)  # characters of the chosen candidates
    exact = True  # False once an empty candidate is chosen: the mask cannot show its overlaps
    for tier in tiers:
        for c in sorted(tier, key=lambda c: (-c.length, c.priority, c.nstart)):
            if exact and c.nend > c.nstart and taken.find(1, c.nstart, c.nend) < 0:
                clash = []  # nothing chosen overlaps: skip the scan of every chosen candidate
            else:
                clash = [d for d in chosen if c.nstart < d.nend and d.nstart < c.nend]
            if not clash:
                chosen.append(c)
                if c.nend > c.nstart:
                    taken[c.nstart:c.nend] = b"\x01" * (c.nend - c.nstart)
                else:
                    exact = False
            for d in clash:
                absorb(d, c, text)
    chosen.sort(key=lambda c: c.nstart)
    return chosen, descriptions


def absorb(winner: Candidate, loser: Candidate, text: str = "") -> None:
    """A person candidate that lost an overlap gives the winner its roles, country and KB link, the link only
    when the winner's given name agrees with the entry's («سيرغي فيكتوروفيتش لافروف» takes Lavrov's from
    «لافروف»; «إبراهيم الخليفي» does not take Nasser Al-Khelaifi's from «الخليفي»). ``text``: normalized text."""
    if winner.type != "PER" or loser.type != "PER":
        return
    have = {(r["start"], r["role"]) for r in winner.roles}
    winner.roles += [r for r in loser.roles if (r["start"], r["role"]) not in have]
    if not winner.kb_ids and loser.kb_ids and (not text or _given_name_agrees(text[winner.nstart:winner.nend],
                                                                              loser.kb_ids)):
        winner.kb_ids = loser.kb_ids
    winner.country = winner.country or loser.country


def _given_name_agrees(name: str, kb_ids: tuple[str, ...]) -> bool:
    first = name.split()[:1]
    kb = load_kb()
    return bool(first) and any(same_person_spelling(first[0], n.split()[0])
                               for i in kb_ids if i in kb.entries for n in map(normalize_word, kb.entries[i].names))


def context_countries(ctx: Context, chosen: list[Candidate], nisbas: list[Hit]) -> set[str]:
    """Countries the document mentions unambiguously: the evidence for choosing among same-named entries."""
    out: set[str] = set()
    for c in chosen:
        if len(c.kb_ids) == 1:
            e = ctx.kb.entries.get(c.kb_ids[0])
            if e is not None:
                out.add(e.id if e.kind == "country" else (e.country or ""))
        elif c.country:
            out.add(c.country)
    out |= {ctx.nisba(h) or "" for h in nisbas}
    out.add(ctx.dateline_country() or "")
    out.discard("")
    return out


@cache
def kb_names(family: str) -> tuple[list[str], list[str]]:
    """(normalized names, ids) of the KB entries of one type family, for fuzzy linking of variants."""
    kb = load_kb()
    names: list[str] = []
    ids: list[str] = []
    for e in kb.entries.values():
        if TYPE_FAMILY.get(e.type) != family:
            continue
        for n in e.names:
            key = normalize_word(n)
            if len(key) >= 6:
                names.append(key)
                ids.append(e.id)
    return names, ids


def fuzzy_link(text: str, type_: str) -> str | None:
    """KB id of a spelling variant («روسكوزموس» → org:roscosmos), when one entry is clearly closest."""
    return _fuzzy_link(normalize_word(text), type_)


@lru_cache(maxsize=20000)
def _fuzzy_link(key: str, type_: str) -> str | None:
    family = TYPE_FAMILY.get(type_)
    if family is None or len(key) < 6 or (family == "PER" and " " not in key):
        return None
    if family == "PER":
        names, ids = _people_spelt_alike(key)
    else:
        names, ids = _names_near_length(family, len(key))
    found = process.extract(key, names, scorer=ratio, score_cutoff=KB_FUZZY_MIN, limit=3)
    if family == "PER":
        found = [f for f in found if same_person_spelling(key, f[0])]
    if not found:
        return None
    best = ids[found[0][2]]
    if any(ids[k] != best and score > found[0][1] - 3 for _, score, k in found[1:]):
        return None
    return best


#: words this short must be spelled alike (محمد، أحمد، حامد are other names)
SHORT_NAME_WORD = 4


def same_person_spelling(a: str, b: str) -> bool:
    """Two normalized person names that can be spellings of one name: the same number of words, each equal
    or one edit apart (توكاييف/توكايف، جومارت/زومارت، جاوش/جاويش) unless short or a known given name, since
    given names one letter apart are other names (سلمان/سليمان، محمد/أحمد)."""
    from marsad.ner.features import given_names

    given = given_names()
    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and all(
        x == y or (max(len(x), len(y)) > SHORT_NAME_WORD and x not in given and y not in given
                   and Levenshtein.distance(x, y) <= 1) for x, y in zip(wa, wb))


def _people_spelt_alike(key: str) -> tuple[list[str], list[str]]:
    """The KB people's names (in :func:`kb_names` order) that :func:`same_person_spelling` could accept for
    ``key``: as many words, and a first word equal or one edit apart (they share a one-deletion form), so
    the fuzzy scan reads a handful of names instead of thousands."""
    names, ids = kb_names("PER")
    words = key.count(" ") + 1
    index = _first_word_deletions()
    keep = sorted({k for form in _deletions(key.split(" ", 1)[0]) for k in index.get(form, ())})
    keep = [k for k in keep if names[k].count(" ") + 1 == words]
    return [names[k] for k in keep], [ids[k] for k in keep]


def _deletions(word: str) -> set[str]:
    """The word and every form with one letter deleted: two words one edit apart share one of these."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


@cache
def _first_word_deletions() -> dict[str, tuple[int, ...]]:
    """One-deletion form of the first word of each KB person name → the indexes of those names."""
    out: dict[str, list[int]] = {}
    for k, name in enumerate(kb_names("PER")[0]):
        for form in _deletions(name.split(" ", 1)[0]):
            out.setdefault(form, []).append(k)
    return {form: tuple(ks) for form, ks in out.items()}


@lru_cache(maxsize=512)
def _names_near_length(family: str, length: int) -> tuple[list[str], list[str]]:
    """The names of :func:`kb_names` (in their order) that can reach ``KB_FUZZY_MIN`` against a key of ``length``
    letters: ratio = 200·LCS/(a+b) ≤ 200·min(a, b)/(a+b), so the others cannot, and skipping them changes nothing."""
    names, ids = kb_names(family)
    keep = [k for k, n in enumerate(names)
            if 200 * min(len(n), length) / (len(n) + length) >= KB_FUZZY_MIN - 1e-6]
    return [names[k] for k in keep], [ids[k] for k in keep]


def choose(ctx: Context, ids: tuple[str, ...], countries: set[str]) -> Entry:
    """The KB entry an ambiguous name most likely means in this document: one of a country it mentions, and
    among those one of the dateline's country (a «الرابية» in a dispatch from Amman is Amman's)."""
    entries = [ctx.kb.entries[i] for i in ids]
    home = ctx.dateline_country()

    def score(e: Entry) -> tuple[float, int]:
        own = e.id if e.kind == "country" else e.country
        s = 2.0 * (own in countries) + 1.0 * (e.kind == "country") + 0.5 * (e.subtype == "capital") \
            + 0.75 * (own is not None and own == home)
        return s, -entries.index(e)

    return max(entries, key=score)


def published_year(ctx: Context) -> int | None:
    try:
        return dt.date.fromisoformat(ctx.doc.meta.published or "").year
    except ValueError:
        return None


@cache
def role_holders() -> dict[tuple[str, str], tuple[Entry, ...]]:
    """KB people by (role key, where) of any role they held: the candidates for a description."""
    out: dict[tuple[str, str], list[Entry]] = {}
    for e in load_kb().entries.values():
        for r in e.roles:
            out.setdefault((r.key, r.where), []).append(e)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def holds(entry: Entry, key: str, where: str | None, year: int | None) -> bool:
    """Does the KB say this person held role ``key`` at ``where`` in ``year`` (current role if no year)?"""
    for r in entry.roles:
        if r.key != key or (where and r.where != where):
            continue
        if year is None:
            if r.end is None:
                return True
        elif (r.start is None or r.start <= year) and (r.end is None or year <= r.end):
            return True
    return False


def name_words(text: str) -> list[str]:
    return [w for w in normalize_word(text).split() if w]


def same_person(words: list[str], known: list[list[str]]) -> bool:
    """Is a name (normalized words) a variant or the surname of one of a person's known names?"""
    for other in known:
        if not words or not other:
            continue
        a, b = words[-1], other[-1]
        if a != b and (min(len(a), len(b)) <= 4 or ratio(a, b) < SURNAME_MIN):
            continue
        if len(words) == 1 or len(other) == 1:
            return True
        core_a = [w for w in words if w not in CONNECTORS]
        core_b = [w for w in other if w not in CONNECTORS]
        if all(x == y or ratio(x, y) >= WORD_MIN for x, y in zip(reversed(core_a), reversed(core_b), strict=False)):
            return True
    return False


def resolve(ctx: Context, cands: list[Candidate], nisbas: list[Hit]) -> list[Entity]:
    """Entities of the document, numbered e1, e2, ... in order of first mention."""
    chosen, descriptions = select(cands, ctx.nz.text)
    countries = context_countries(ctx, chosen, nisbas)
    picked: dict[str, str] = {}  # normalized surface -> chosen id, so one surface means one entry
    groups: list[Group] = []
    by_kb: dict[str, Group] = {}
    by_name: dict[tuple[str, str], Group] = {}
    people: list[Group] = []
    singles: list[Candidate] = []
    _surname_to_last_full_name(ctx, chosen)
    for c in chosen:
        if not c.kb_ids and c.type == "PER":
            c.kb_ids = _first_and_last_name(ctx, ctx.nz.text[c.nstart:c.nend])
        if not c.kb_ids and c.source not in ("ministry", "metonym", "descriptive"):  # («الهيئة العامة للرياضة» is
            # not a misspelt «الهيئة العامة للترفيه»: what a body is for is not a spelling variant)
            linked = fuzzy_link(c.name or ctx.doc.text[c.start:c.end], c.type)
            if linked is not None:
                c.kb_ids = (linked,)
        if c.kb_ids:
            key = normalize_word(ctx.doc.text[c.start:c.end])
            kb_id = c.kb_ids[0] if len(c.kb_ids) == 1 else picked.setdefault(key, choose(ctx, c.kb_ids, countries).id)
            _join(ctx, by_kb, groups, people, kb_id, c)
        elif c.type == "PER":
            words = name_words(ctx.doc.text[c.start:c.end])
            if len(words) == 1:
                singles.append(c)
                continue
            _add_person(c, words, groups, people)
        else:
            nkey = (c.type, normalize_word(c.name or ctx.doc.text[c.start:c.end]))
            g = by_name.get(nkey)
            if g is None:
                g = by_name[nkey] = Group(c.type)
                groups.append(g)
            g.cands.append(c)
    for c in singles:  # surnames alone join a full name seen anywhere in the document
        _add_person(c, name_words(ctx.doc.text[c.start:c.end]), groups, people)
    _descriptions(ctx, descriptions, groups, by_kb, people)
    return _entities(ctx, groups, nisbas)


#: words that make a name a chain of ancestors: dropping what stands between them changes the person
_LINEAGE = frozenset({"بن", "ابن", "بنت", "ابو", "ام", "ال", "عبد"})


def _first_and_last_name(ctx: Context, name: str) -> tuple[str, ...]:
    """«رمضان أحمد قاديروف»: a name with a father's name in the middle is the KB person named by its first and
    last words («رمضان قاديروف»), when exactly one KB person has that name (not for «بن» chains)."""
    words = name.split()
    if len(words) < 3 or any(w in _LINEAGE for w in words):
        return ()
    ids = {e for how, e in ctx.kb.names.table.get(f"{words[0]} {words[-1]}", ())
           if how == "name" and e in ctx.kb.entries and ctx.kb.entries[e].type == "PER"}
    return tuple(ids) if len(ids) == 1 else ()


def _surname_to_last_full_name(ctx: Context, chosen: list[Candidate]) -> None:
    """«فلورنتينو بيريز ... وأضاف بيريز»: a surname alone that the KB reads as someone else (Shimon Peres) is the
    person last named in full with that surname before it: it takes that person's KB link, or none when that
    person is not in the KB and their given name is not the KB entry's."""
    text = ctx.nz.text
    full: dict[str, list[Candidate]] = {}  # last word -> multi-word person candidates, in text order
    for c in chosen:
        words = text[c.nstart:c.nend].split()
        if c.type == "PER" and len(words) >= 2:
            full.setdefault(words[-1], []).append(c)
    if not full:
        return
    for c in chosen:
        words = text[c.nstart:c.nend].split()
        if c.type != "PER" or not c.kb_ids or len(words) != 1 or words[0] not in full:
            continue
        before = [p for p in full[words[0]] if p.nstart < c.nstart]
        if not before:
            continue
        last = before[-1]
        if last.kb_ids:
            c.kb_ids = last.kb_ids
        elif not _given_name_agrees(text[last.nstart:last.nend], c.kb_ids):
            c.kb_ids = ()


def _add_person(c: Candidate, words: list[str], groups: list[Group], people: list[Group]) -> None:
    """Put a person candidate in the latest group naming the same person, or start a new group."""
    g = next((g for g in reversed(people) if same_person(words, g.words)), None)
    if g is None:
        g = Group("PER")
        groups.append(g)
        people.append(g)
    g.cands.append(c)
    g.words.append(words)


def _join(ctx: Context, by_kb: dict[str, Group], groups: list[Group], people: list[Group], kb_id: str,
          c: Candidate) -> Group:
    g = by_kb.get(kb_id)
    if g is None:
        e = ctx.kb.entries.get(kb_id)
        type_ = e.type if e else c.type
        if type_ == "GPE" and e is not None and e.kind == "place" and e.country == "XXX":
            type_ = "LOC"  # Europe, Central Asia: regions without a government (annotation guidelines)
        g = by_kb[kb_id] = Group(type_, kb_id)
        groups.append(g)
        if g.type == "PER":
            people.append(g)
            if e is not None:
                g.words += [name_words(n) for n in e.names]
    g.cands.append(c)
    if g.type == "PER":
        g.words.append(name_words(ctx.doc.text[c.start:c.end]))
    return g


def _descriptions(ctx: Context, descriptions: list[Candidate], groups: list[Group], by_kb: dict[str, Group],
                  people: list[Group]) -> None:
    """Attach «الرئيس الروسي» to the person holding that role in the document or, failing that, the KB."""
    year = published_year(ctx)
    for d in descriptions:
        key, where = d.role_key or "", d.country or (d.roles[-1].get("org") if d.roles else None)
        found = [g for g in people if g.cands and g.first < d.start and _has_role(ctx, g, key, where, year)]
        if not found:
            found = [g for g in people if g.cands and _has_role(ctx, g, key, where, year)]
        if found:
            g = max(found, key=lambda g: max((c.start for c in g.cands if c.start < d.start), default=-1))
            g.cands.append(d)
            continue
        holders = [e for e in role_holders().get((key, where or ""), ()) if holds(e, key, where, year)]
        if len(holders) == 1:
            _join(ctx, by_kb, groups, people, holders[0].id, d)


def _has_role(ctx: Context, g: Group, key: str, where: str | None, year: int | None) -> bool:
    for c in g.cands:
        for r in c.roles:
            if r["role"] == key and where and where in (r.get("country"), r.get("org")):
                return True
    e = ctx.kb.entries.get(g.kb_id or "")
    return e is not None and bool(where) and holds(e, key, where, year)


def _entities(ctx: Context, groups: list[Group], nisbas: list[Hit]) -> list[Entity]:
    groups = sorted((g for g in groups if g.cands), key=lambda g: g.first)
    entities: list[Entity] = []
    cand_entity: dict[int, Entity] = {}
    nisba_after = {h.nstart: ctx.nisba(h) for h in nisbas if h.prefix == ""}
    dateline_country = ctx.dateline_country()
    for n, g in enumerate(groups, 1):
        e = ctx.kb.entries.get(g.kb_id or "")
        cands = sorted(g.cands, key=lambda c: c.start)
        named = [c for c in cands if c.source != "description"]
        if e is not None:
            name, name_en = e.name_ar, e.name_en
            country = e.id if e.kind == "country" else e.country
        else:
            best = max(named or cands, key=lambda c: (len(name_words(ctx.doc.text[c.start:c.end])), -c.start))
            name = strip_diacritics(best.name or ctx.doc.text[best.start:best.end]).strip()
            name_en = best.name_en or romanize(name)
            country = next((c.country for c in cands if c.country), None)
            if best.source == "ministry":
                country = country or dateline_country
                name, name_en = ministry_name(ctx, best, country)
        if country is None:
            country = next((nisba_after[k] for c in named if (k := _next_word_start(ctx, c)) in nisba_after), None)
        mentions = {(c.start, c.end) for c in cands}
        ent = Entity(f"e{n}", g.type, name, name_en, g.kb_id, country, [],
                     [Mention(s, t, ctx.doc.text[s:t]) for s, t in sorted(mentions)])
        ent.roles = _roles(ctx, cands, e, ent, dateline_country)
        entities.append(ent)
        for c in cands:
            cand_entity[id(c)] = ent
    for ent in entities:
        for r in ent.roles:
            org = r.pop("_org_cand", None)
            if org is not None and id(org) in cand_entity:
                oe = cand_entity[id(org)]
                r["org"] = oe.kb_id or f"name:{oe.type}:{normalize_word(oe.name)}"
                r["org_entity"] = oe.id
    return entities


def ministry_name(ctx: Context, c: Candidate, country: str | None) -> tuple[str, str]:
    """Canonical «وزارة الطاقة الكازاخية» / «Ministry of Energy (Kazakhstan)»: the same ministry gets the same
    name in every article, and two countries' ministries never share one."""
    portfolio = strip_diacritics(ctx.doc.text[c.start:c.end])
    base_en = c.name_en or "Ministry"
    entry = ctx.kb.entries.get(country or "")
    if entry is None:
        return portfolio, base_en
    words = portfolio.split()
    if words and ctx.kb.country_of_nisba(words[-1]) == country:
        words = words[:-1]
    forms = [f for f in entry.extra.get("nisba", ()) if f.startswith("ال") and f.endswith("ة")]
    name = " ".join(words) + (f" {forms[0]}" if forms else "")
    return name, f"{base_en} ({entry.name_en})"


def _next_word_start(ctx: Context, c: Candidate) -> int:
    """Normalized start of the word after a mention (past a closing quote): where a nisba would stand."""
    i = ctx.tok_end(c.nend) + 1
    if i < len(ctx.tokens) and ctx.tokens[i].norm in ("»", '"', "”"):
        i += 1
    return ctx.tokens[i].nstart if i < len(ctx.tokens) else -1


def _roles(ctx: Context, cands: list[Candidate], e: Entry | None, ent: Entity, dateline: str | None) -> list[dict[str, Any]]:
    """Roles stated in the text, with a missing country filled from the KB, the person or the dateline."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    year = published_year(ctx)
    for c in cands:
        for r in c.roles:
            if (r["start"], r["role"]) in seen:
                continue
            seen.add((r["start"], r["role"]))
            r = dict(r)
            if not r.get("country") and not r.get("org"):
                where = next((x.where for x in (e.roles if e else ()) if x.key == r["role"]
                              and holds(e, r["role"], x.where, year)), None) if e else None
                if where is None and r["role"] in HEAD_ROLES:
                    where = ent.country or dateline
                if where in ctx.kb.entries and ctx.kb.entries[where].kind == "country":
                    r["country"] = where
                elif where:
                    r["org"] = where
                if where:
                    base = ctx.kb.titles[r["role"]].role_en if r["role"] in ctx.kb.titles else r["role_en"]
                    r["role_en"] = compose_role_en(ctx, base, r.get("org"), r.get("country"), None)
            if any(o["role"] == r["role"] and (o.get("country"), o.get("org")) == (r.get("country"), r.get("org"))
                   and (r.get("country") or r.get("org")) for o in out):
                continue  # the same role stated again («الرئيس الروسي» after «الرئيس الروسي فلاديمير بوتين»)
            out.append(r)
    if ent.type == "PER" and ent.country is None:
        ent.country = next((r["country"] for r in out if r.get("country")), None)
    return out
