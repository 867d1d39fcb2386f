"""Actor mentions of a document with CAMEO actor codes (country + sector, or an IGO code).

Sources, in order: the entities layer (when the entities component ran), then KB hits for names,
nationality adjectives and metonyms, so the coder also works without entities. Adjacent pieces
merge into one actor phrase: «وزير الخارجية الروسي» → RUSGOV, «الجيش السوداني» → SDNMIL,
«نظيره الكازاخي قاسم جومارت توكاييف» → KAZGOV. People are coded by their role in the text, else
by their KB role at the publication date (Putin in 2023 → RUSGOV). Offices named without a holder
(«خادم الحرمين الشريفين», offices.tsv) stand for their government. Each actor records whether it is a
state, a person, and so whether it is political (:attr:`ActorMention.political`): the coder's sources
must be. A plural nationality («اليمنيين») alone is the country's civilians (CVL).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.document import Document
from marsad.events.lexicon import key_of, load_actor_words, load_igo_codes, load_offices
from marsad.events.triggers import automaton, token_hits
from marsad.kb import KB, Entry, load_kb
from marsad.lead import parse_lead
from marsad.normalize import Normalized, normalize_word
from marsad.tokenize import Token

#: prepositions whose object is not a sentence subject (normalized)
PREPOSITIONS = frozenset(normalize_word(w) for w in (
    "في", "من", "إلى", "الى", "مع", "على", "عن", "ضد", "بين", "لدى", "نحو", "أمام", "حول", "بشأن", "إزاء", "حيال",
    "باتجاه", "شرف", "قرب", "عبر", "خلال", "بحق", "تجاه", "منذ", "بعد", "قبل", "عند", "لصالح", "بواسطة", "برفقة",
    "ضمن", "داخل", "إطار", "وسط", "لدي", "بدعم", "نيابة"))
_CLITIC_PREPS = {"ب": "ب", "ل": "ل", "وب": "ب", "ول": "ل", "فب": "ب", "فل": "ل", "ك": "ك", "وك": "ك"}
#: the agent of a verbal noun or passive: «من قبل X», «على يد X», «على أيدي X», «من جانب X» (normalized)
_AGENT_NOUNS = {"قبل": ("من",), "يد": ("علي",), "ايدي": ("علي",), "جانب": ("من",)}
AGENT = "agent"
_HONORIFICS = frozenset({"جلاله", "فخامه", "سمو", "معالي", "صاحب", "دوله", "سماحه", "حضره"})
#: sectors that make an actor political on their own (a country or a state metonym is political too)
POLITICAL_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG", "PTY", "REB", "OPP", "IGO", "INS", "SEP"})


@dataclass(slots=True)
class ActorMention:
    """An actor phrase in the text: token range, code and how it is introduced."""

    t0: int  # first token index (document tokens)
    t1: int  # last token index + 1
    start: int  # original offsets of the phrase
    end: int
    code: str | None
    entity: str | None = None
    kb_id: str | None = None
    kind: str = "name"  # name | nisba | dual | sector (a sector word alone: «الجيش»)
    is_place: bool = False  # a place that is not a metonym: a location or a visit target, never a source
    prep: str = ""  # preposition before the phrase (normalized), "" when none
    conj: bool = False  # starts with «و»: coordinated with the phrase before
    members: list[str] = field(default_factory=list)  # dual words: the codes they stand for
    state: bool = False  # a country or a government seat standing for it («السعودية», «الكرملين»)
    person: bool = False  # a person (for pronoun agreement: «زيارته» is a man's, «زيارتها» a country's)

    @property
    def political(self) -> bool:
        """A state, a government/military/... body, an IGO, a person in such a role, or a dual word."""
        return self.kind == "dual" or is_political_code(self.code, self.state)


def is_political_code(code: str | None, state: bool = False) -> bool:
    if not code:
        return False
    if code in _igo_code_set():
        return True
    if len(code) == 3:
        return state
    return code[3:6] in POLITICAL_SECTORS


@lru_cache(maxsize=1)
def _igo_code_set() -> frozenset[str]:
    return frozenset(load_igo_codes().values()) | {"IGO"}


def entry_code(kb: KB, entry: Entry, year: int | None, sector: str | None = None) -> str | None:
    """CAMEO actor code of a KB entry; ``sector`` from the text overrides the KB's."""
    igo = load_igo_codes()
    if entry.kind == "country":
        return entry.extra.get("cameo") or entry.id
    if entry.kind == "place":
        return entry.country if entry.country and entry.country != "XXX" else None
    if entry.kind == "org":
        if entry.id in igo:
            return igo[entry.id]
        if entry.sector == "IGO":
            return "IGO"
        return _compose(entry.country, sector or entry.sector)
    if entry.kind == "person":
        role = _role_at(kb, entry, year)
        if role is not None:
            where, role_sector = role
            if where.startswith("org:"):
                org = kb.entries.get(where)
                return entry_code(kb, org, year) if org is not None and org.kind == "org" else igo.get(where, "IGO")
            return _compose(where, sector or role_sector)
        return _compose(entry.country, sector)
    return None


def _compose(country: str | None, sector: str | None) -> str | None:
    if not country:
        return sector if sector in ("IGO",) else None
    if sector == "IGO":
        sector = None
    return country + (sector or "")


def _role_at(kb: KB, entry: Entry, year: int | None) -> tuple[str, str] | None:
    """(where, sector) of the person's role at ``year`` (current role when unknown); latest role as fallback."""
    best = None
    for role in entry.roles:
        title = kb.titles.get(role.key)
        sector = title.sector if title else "GOV"
        held = year is None or ((role.start is None or role.start <= year) and (role.end is None or year <= role.end))
        if held and (year is not None or role.end is None):
            return role.where, sector
        if best is None or (role.start or 0) >= best[0]:
            best = (role.start or 0, role.where, sector)
    return None if best is None else (best[1], best[2])


def find_actors(doc: Document, spans: list[tuple[int, int]] | None = None) -> list[ActorMention]:
    """Actor phrases of a document in text order, with prepositions and coordination marked. ``spans``
    (normalized offsets) limits the search for names, titles and role words to those stretches of text (the
    sentences with triggers and the ones before them); entity mentions are taken from the whole document."""
    kb = load_kb()
    tokens = doc.tokens
    view = _view(doc.normalized, spans)
    year = int(doc.meta.published[:4]) if doc.meta.published and doc.meta.published[:4].isdigit() else None
    pieces: list[ActorMention] = []
    taken: list[tuple[int, int]] = []
    bounds = _Bounds(tokens)
    for ent in doc.entities:
        if ent.type not in ("PER", "ORG", "GPE", "LOC", "FAC"):
            continue
        entry = kb.entries.get(ent.kb_id) if ent.kb_id else None
        for m in ent.mentions:
            code = entry_code(kb, entry, year) if entry else _entity_code(kb, ent, year)
            is_place = ent.type in ("GPE", "LOC", "FAC") and not (entry and entry.kind == "country")
            if entry is not None and entry.kind == "place" and entry.extra.get("metonym") == "GOV":
                is_place, code = False, (code or "") + "GOV" if code else None
            piece = _piece(bounds, m.start, m.end, code, "name", ent.id, ent.kb_id, is_place)
            if piece:
                piece.state = (entry is not None and (entry.kind == "country" or (
                    entry.kind == "place" and entry.extra.get("metonym") == "GOV"))) or (
                    entry is None and ent.type == "GPE" and code is not None and len(code) == 3 and not is_place)
                piece.person = ent.type == "PER"
                pieces.append(piece)
                taken.append((m.start, m.end))
    for hit in _kb_hits(doc, kb, view):
        if taken and any(hit.start < e and s < hit.end for s, e in taken):
            continue
        piece = _hit_piece(kb, bounds, hit, year)
        if piece:
            pieces.append(piece)
    pieces += _office_pieces(doc, view, bounds, taken, pieces)
    titles = [(h.start, h.end, h.payloads) for h in _title_hits(doc, kb, view)]
    lead_end = parse_lead(doc.text)[2]
    pieces = [p for p in pieces if p.start >= lead_end]
    pieces.sort(key=lambda p: p.t0)
    _mark_context(tokens, pieces, doc, construct=False)
    roles = role_words(tokens, view)
    merged = _merge(kb, tokens, bounds, pieces, titles, doc.normalized, roles)
    for a in merged:
        if a.kind == "people" and a.code and len(a.code) == 3:
            a.code += "CVL"  # «اليمنيين» alone: civilians of the country
    _add_alone_sector_words(doc, kb, merged, roles)
    _mark_context(tokens, merged, doc, construct=True)
    _resolve_duals(merged)
    return merged


def _office_pieces(doc: Document, view: Normalized, bounds, taken: list[tuple[int, int]],
                   pieces: list[ActorMention]) -> list[ActorMention]:
    """«خادم الحرمين الشريفين» without a name: the office stands for its government (offices.tsv); followed by a
    name («خادم الحرمين الشريفين الملك سلمان»), it becomes the start of that name's phrase."""
    text, out = view.text, []
    spans = taken + [(p.start, p.end) for p in pieces]
    for phrase, code, person in load_offices():
        at = text.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            start, stop = doc.normalized.to_original(at, end)
            if (at == 0 or not text[at - 1].isalpha() or text[at - 1] in "وبل") and (
                    end == len(text) or not text[end].isalpha()) and not any(start < e and s < stop for s, e in spans):
                piece = _piece(bounds, start, stop, code, "name")
                after = next((p for p in pieces if piece is not None and piece.t1 <= p.t0 <= piece.t1 + 1), None)
                if after is not None and (after.code or "")[:3] == code[:3]:
                    after.t0, after.start = piece.t0, piece.start
                elif piece is not None:
                    piece.person = person
                    out.append(piece)
            at = text.find(phrase, end)
    return out


def _view(nz: Normalized, spans: list[tuple[int, int]] | None) -> Normalized:
    """The normalized text with everything outside ``spans`` blanked (offsets unchanged)."""
    if spans is None:
        return nz
    text, parts, pos = nz.text, [], 0
    for s, e in sorted(spans):
        s = max(s, pos)
        if e <= s:
            continue
        parts += [" " * (s - pos), text[s:e]]
        pos = e
    parts.append(" " * (len(text) - pos))
    return Normalized("".join(parts), nz.source, nz.origin)


def _kb_hits(doc: Document, kb: KB, view: Normalized) -> list:
    """KB name hits; the gazetteer caches them on the normalized text, so components share one scan."""
    return kb.find(view)


def _title_hits(doc: Document, kb: KB, view: Normalized) -> list:
    return kb.title_gazetteer.find(view)


def home_country(doc: Document, actors: list[ActorMention]) -> str | None:
    """The document's home country: the dateline's, else the country named most."""
    if doc.meta.dateline:
        entry = dateline_entry(doc.meta.dateline)
        if entry is not None and entry.country:
            return entry.country[:3]
    counts = Counter(a.code[:3] for a in actors if a.code and a.code[:3].isupper() and a.kind != "sector")
    return counts.most_common(1)[0][0] if counts else None


def dateline_entry(dateline: str) -> Entry | None:
    """KB entry of a dateline city; places win over countries (a dateline names a city: «عمّان» is Amman)."""
    found = load_kb().lookup(dateline)
    found.sort(key=lambda e: e.kind != "place")
    return found[0] if found else None


def _add_alone_sector_words(doc: Document, kb: KB, actors: list[ActorMention], roles: dict[int, tuple]) -> None:
    """«الجيش»، «الحكومة» alone stand for the home country's army or government."""
    home = None
    lead_end = parse_lead(doc.text)[2]
    for i, role in roles.items():
        tok = doc.tokens[i]
        if role[0] != "sector" or not role[2] or tok.start < lead_end:
            continue
        if any(a.t0 <= i < a.t1 for a in actors) or any(a.t0 == i + 1 and not a.conj for a in actors):
            continue
        home = home or home_country(doc, actors)
        if home is None:
            return
        start = doc.normalized.to_original(tok.nstart + role[3], tok.nend)[0]
        actors.append(ActorMention(i, i + 1, start, tok.end, home + (role[1] or ""), kind="sector"))
    actors.sort(key=lambda a: a.t0)


def _entity_code(kb: KB, ent, year: int | None) -> str | None:
    sector = None
    for role in ent.roles or []:
        title = kb.titles.get(role.get("role", ""))
        if title:
            sector = title.sector
            break
    if ent.type == "GPE" and ent.country:
        return ent.country
    if ent.type == "PER" and sector is None:
        sector = None
    return _compose(ent.country, sector)


class _Bounds:
    """Token start/end offsets of a document, for finding the tokens of a character span by bisection."""

    def __init__(self, tokens: list[Token]):
        self.starts = [t.start for t in tokens]
        self.ends = [t.end for t in tokens]


def _token_range(bounds: _Bounds, start: int, end: int) -> tuple[int, int] | None:
    first = bisect_right(bounds.ends, start)  # first token ending after ``start``
    last = bisect_left(bounds.starts, end)  # tokens before it start before ``end``
    return (first, last) if first < last else None


def _piece(bounds, start, end, code, kind, entity=None, kb_id=None, is_place=False) -> ActorMention | None:
    rng = _token_range(bounds, start, end)
    if rng is None:
        return None
    return ActorMention(rng[0], rng[1], start, end, code, entity, kb_id, kind, is_place)


def _hit_piece(kb: KB, bounds, hit, year) -> ActorMention | None:
    how, ident = hit.payloads[0]
    if how == "nisba":
        entry = kb.entries.get(ident)
        code = entry_code(kb, entry, year) if entry else ident
        piece = _piece(bounds, hit.start, hit.end, code, "nisba", kb_id=ident)
        if piece is not None and hit.key.endswith(_PLURAL_ENDINGS):
            piece.kind = "people"  # «اليمنيين», «الأردنيون»: people of the country, not an adjective
        return piece
    if how == "metonym":
        m = kb.metonyms[int(ident)]
        piece = _piece(bounds, hit.start, hit.end, _compose(m.country, m.sector), "name")
        if piece is not None:
            piece.state = True
        return piece
    entry = kb.entries.get(ident)
    if entry is None or entry.type == "EVENT":
        return None
    code = entry_code(kb, entry, year)
    is_place = entry.kind == "place" or entry.type == "FAC"
    metonym = entry.kind == "place" and entry.extra.get("metonym") == "GOV" and code
    if metonym:
        code = code + "GOV"  # «موسكو» standing for the Russian government; still a place after في/إلى
    piece = _piece(bounds, hit.start, hit.end, code, "name", kb_id=ident, is_place=is_place)
    if piece is not None:
        piece.state = entry.kind == "country" or bool(metonym)
        piece.person = entry.kind == "person"
    return piece


_PLURAL_ENDINGS = ("يين", "يون", "ين", "ون")


def _merge(kb: KB, tokens, bounds, pieces, titles, nz: Normalized, roles: dict[int, tuple]) -> list[ActorMention]:
    """Join title/sector word + nationality + name runs into one actor phrase."""
    title_before: dict[int, tuple[int, str, int]] = {}  # token after the title -> (title's first token, sector, offset)
    for s, e, payloads in titles:
        rng = _token_range(bounds, s, e)
        if rng:
            sector = kb.titles[payloads[0]].sector if payloads and payloads[0] in kb.titles else "GOV"
            title_before.setdefault(rng[1], (rng[0], sector, s))
    out: list[ActorMention] = []
    for p in pieces:
        prev = out[-1] if out else None
        touching = prev is not None and (prev.t1 == p.t0 or (prev.t1 + 1 == p.t0 and tokens[prev.t1].norm in "»”\""))
        if prev and touching and _joinable(prev, p):
            _absorb(prev, p)
            continue
        # a role word right before: title («وزير الخارجية») or sector noun («الجيش»، «نظيره»)
        sector = None
        title = title_before.get(p.t0) if not p.prep and not p.conj else None
        if title is not None:
            sector = title[1]
            p.t0, p.start, p.person = title[0], title[2], True
        if sector is None and p.t0 > 0 and not p.prep and not p.conj:
            for back in (1, 2) if p.kind == "nisba" else (1,):  # «وزارة الخزانة الأميركية»: a construct between
                if p.t0 - back < 0 or (back == 2 and (tokens[p.t0 - 1].kind != "word" or out and out[-1].t1 > p.t0 - 2)):
                    break
                tok = tokens[p.t0 - back]
                role = actor_word(tok)
                if role and role[0] == "sector":
                    sector = role[1]  # «والجيش»، «بنظيره»: the phrase starts after the proclitics
                    p.t0, p.start = p.t0 - back, nz.to_original(tok.nstart + role[3], tok.nend)[0]
                    break
        if sector and p.code and p.kind in ("nisba", "name", "people") and not p.is_place:
            p.code = _with_sector(p.code, sector, kb)
        elif sector and p.is_place and p.code:
            p.code, p.is_place = _with_sector(p.code[:3], sector, kb), False  # «حكومة كازاخستان»
        out.append(p)
    # dual words («الجانبان») are actors of their own
    covered = {i for a in out for i in range(a.t0, a.t1)}
    for i, role in roles.items():
        if role[0] == "dual" and i not in covered:
            out.append(ActorMention(i, i + 1, tokens[i].start, tokens[i].end, None, kind="dual"))
    out.sort(key=lambda a: a.t0)
    return _dual_nationalities(out, tokens)


def _dual_nationalities(actors: list[ActorMention], tokens) -> list[ActorMention]:
    """«الرئيسان الروسي والكازاخي»: a dual word followed by two nationality adjectives stands for them."""
    out: list[ActorMention] = []
    k = 0
    while k < len(actors):
        a = actors[k]
        out.append(a)
        k += 1
        if a.kind != "dual":
            continue
        group = []
        while k < len(actors) and actors[k].kind == "nisba" and actors[k].code and (
                actors[k].t0 == (group[-1].t1 if group else a.t1)) and (not group or actors[k].conj):
            group.append(actors[k])
            k += 1
        if len(group) >= 2:
            sector = (actor_word(tokens[a.t0]) or ("", None))[1] or ""
            a.members = [g.code[:3] + sector for g in group]
            a.t1, a.end = group[-1].t1, group[-1].end
        else:
            out += group
    return out


def _joinable(prev: ActorMention, p: ActorMention) -> bool:
    """«الروسي فلاديمير بوتين» is one actor; «بوتين وتوكاييف» and «بوتين توكاييف» are two."""
    if p.conj or p.prep:
        return False
    if prev.kind == "nisba" and p.kind == "name" and not p.is_place:
        return True
    if prev.kind == "name" and p.kind == "nisba":  # «غازبروم» الروسية: the adjective adds nothing new
        return prev.code is None or (p.code or "")[:3] == (prev.code or "")[:3]
    return False


def _absorb(prev: ActorMention, p: ActorMention) -> None:
    """«الرئيس الروسي فلاديمير بوتين»: keep the most specific code (a person or org beats a nationality)."""
    prev.t1, prev.end = p.t1, p.end
    if p.entity and not prev.entity:
        prev.entity = p.entity
    prev.person = prev.person or p.person
    if p.kind == "name" and p.code and not p.is_place:
        if prev.kind == "nisba" and prev.code and len(prev.code) > 3 and (p.code[:3] == prev.code[:3]) and len(p.code) == 3:
            pass  # «الوزير الروسي» + bare-country person: keep the sector from the title
        else:
            prev.code = p.code
            prev.state = p.state
        prev.kb_id, prev.kind = p.kb_id, "name"
    elif p.kind == "nisba" and prev.code is None:
        prev.code = p.code
    prev.is_place = prev.is_place and p.is_place


def _with_sector(code: str, sector: str, kb: KB) -> str:
    if len(code) == 3 and code in kb.entries and sector and sector != "IGO":
        return code + sector
    return code


def role_words(tokens: list[Token], nz: Normalized) -> dict[int, tuple[str, str | None, bool, int]]:
    """Token index -> role of the sector and dual words of a document («الجيش», «الجانبان»), in text order."""
    hits = token_hits(_role_automaton(), tokens, nz)
    return {i: role for i in sorted(hits) if (role := _actor_word_of(tokens[i].norm))}


@lru_cache(maxsize=1)
def _role_automaton():
    return automaton({key_of(w) for w in load_actor_words() if " " not in w})


def actor_word(tok: Token) -> tuple[str, str | None, bool, int] | None:
    """(role, sector, alone, length of proclitics before the word) for «الجيش», «وبنظيره», «للحكومة»."""
    return _actor_word_of(tok.norm) if tok.kind == "word" else None


@lru_cache(maxsize=50_000)
def _actor_word_of(norm: str) -> tuple[str, str | None, bool, int] | None:
    words = load_actor_words()
    for pre in ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"):
        cand = norm[len(pre):] if norm.startswith(pre) else None
        if cand and cand in words:
            return (*words[cand], len(pre))
        if cand and pre.endswith("ل") and cand.startswith("ل") and "ا" + cand in words:  # «للحكومة»
            return (*words["ا" + cand], len(pre))
    return None


def _mark_context(tokens: list[Token], actors: list[ActorMention], doc: Document, construct: bool) -> None:
    """Preposition before each phrase (separate word or proclitic) and coordination with «و»."""
    nz_text = doc.normalized.text
    for a in actors:
        a.prep, a.conj = "", False
        first = tokens[a.t0]
        # proclitics inside the first token, before the name itself
        lead = nz_text[first.nstart:first.nstart + max(0, _nstart_of(doc, a.start) - first.nstart)]
        if lead.startswith(("و", "ف")) and (len(lead) >= 1):
            a.conj = lead.startswith("و")
            lead = lead[1:]
        if lead in _CLITIC_PREPS:
            a.prep = _CLITIC_PREPS[lead]
        elif lead.startswith("لل") or lead == "لل":
            a.prep = "ل"
        if not a.prep and a.t0 > 0:
            prev = tokens[a.t0 - 1]
            norm = prev.norm[1:] if prev.norm[:1] in "وف" and prev.norm[1:] in PREPOSITIONS else prev.norm
            if _agent_phrase_ends(tokens, a.t0 - 1) or (construct and a.t0 > 2 and prev.kind == "word"
                                                         and _agent_phrase_ends(tokens, a.t0 - 2)):
                a.prep = AGENT  # «من قبل X», «على يد X», «على أيدي عناصر X»
            elif prev.norm[:1] in "لب" and prev.norm[1:] in _HONORIFICS:
                a.prep = prev.norm[0]  # «لجلالة السلطان قابوس», «بفخامة الرئيس»
            elif norm in PREPOSITIONS:
                a.prep = norm
            elif prev.norm == "و":
                a.conj = True
            elif prev.kind == "punct" and _coordinated_through(tokens, a.t0):
                a.conj = True  # «وشركة «قازاق غاز»»
            elif construct and prev.kind == "word" and a.t0 > 1 and tokens[a.t0 - 2].norm in PREPOSITIONS:
                a.prep = tokens[a.t0 - 2].norm  # «مع أعضاء الحكومة الكازاخية»: one construct noun between


def _agent_phrase_ends(tokens: list[Token], k: int) -> bool:
    """Token ``k`` ends «من قبل», «على يد», «على أيدي», «من جانب» or is «بواسطة»."""
    if k < 0 or tokens[k].kind != "word":
        return False
    word = tokens[k].norm
    if word == "بواسطه":
        return True
    before = _AGENT_NOUNS.get(word)
    return bool(before) and k > 0 and tokens[k - 1].norm.lstrip("و") in before


def _coordinated_through(tokens: list[Token], t0: int) -> bool:
    """«و» + a sector word + quotation marks before a name: «وشركة «قازاق غاز»»."""
    k = t0 - 1
    while k >= 0 and tokens[k].kind == "punct" and tokens[k].norm in "«\"“(":
        k -= 1
    if k < 0 or k == t0 - 1:
        return False
    role = actor_word(tokens[k])
    return bool(role) and tokens[k].norm.startswith("و")


def _nstart_of(doc: Document, start: int) -> int:
    """Normalized offset of an original offset (first normalized char at or after it)."""
    origin = doc.normalized.origin
    if origin is None:
        return start
    lo, hi = 0, len(origin)
    while lo < hi:
        mid = (lo + hi) // 2
        if origin[mid] < start:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _resolve_duals(actors: list[ActorMention]) -> None:
    """«الجانبان/البلدان/الزعيمان» stand for the two countries mentioned most in the document."""
    counts: Counter[str] = Counter()
    best: dict[str, Counter[str]] = {}
    for a in actors:
        if a.code and a.kind != "dual" and len(a.code) >= 3 and a.code[:3].isupper() and not a.is_place:
            counts[a.code[:3]] += 1
            best.setdefault(a.code[:3], Counter())[a.code] += 1
    top = [c for c, _ in counts.most_common(2)]
    if len(top) < 2:
        return
    members = []
    for country in top:
        with_sector = [c for c, _ in best[country].most_common() if len(c) > 3]
        members.append(with_sector[0] if with_sector else country)
    for a in actors:
        if a.kind == "dual" and not a.members:
            a.members = members
