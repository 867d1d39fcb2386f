"""Turn trigger matches into coded events: source/target actors, date, place, modality.

Actor roles follow Arabic word order. A verb's subject is the first unintroduced actor right after
it (VSO: «وقع الجانبان…») or, failing that, the nearest one before it (SVO: «بوتين وتوكاييف
يوقعان…»); a verbal noun takes its genitive («زيارة بوتين»). The target is the first actor after the
trigger introduced by one of the pattern's prepositions (or a direct object). Passives («تم توقيع»)
take their parties from «بين X وY» / «من قبل X». Reciprocal codes (meet, sign, agree, clash) yield
one event per directed pair of participants, as CAMEO coders do: «التقى بوتين وتوكاييف» gives
RUSGOV→KAZGOV and KAZGOV→RUSGOV with the same trigger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.document import ActorRef, Document, Event, Mention
from marsad.events.actors import ActorMention, dateline_entry, find_actors
from marsad.events.lexicon import Cue, load_codes, load_cues
from marsad.events.modality import modality_of
from marsad.events.triggers import Match, TokenForms, find_triggers
from marsad.kb import load_kb

VSO_WINDOW = {"verb": 3, "noun": 2, "passive": 0}
SVO_WINDOW = {"verb": 12, "noun": 8, "passive": 0}
TARGET_WINDOW = 12
_PASSIVE_AUX = frozenset({"تم", "يتم", "سيتم", "جري", "يجري", "سيجري"})
_DATE_RE = re.compile(r"^\d{4}(-\d{2}){0,2}")
_QUOTE_RE = re.compile(r"«[^»\n]*»|“[^”\n]*”|\"[^\"\n]*\"")
_LOCATION_PREPS = frozenset({"في", "ب"})


@dataclass(slots=True)
class Party:
    entity: str | None
    code: str | None
    mention: ActorMention | None = None


def code_document(doc: Document) -> list[Event]:
    """All events of a document, in text order."""
    tokens = doc.tokens
    if not tokens:
        return []
    actors = find_actors(doc)
    forms = TokenForms(tokens, doc.normalized)
    cues = load_cues()
    quotes = _quote_spans(doc)
    events: list[Event] = []
    ti = 0
    for sent in doc.sentences:
        lo = ti
        while lo < len(tokens) and tokens[lo].start < sent.start:
            lo += 1
        hi = lo
        while hi < len(tokens) and tokens[hi].start < sent.end:
            hi += 1
        ti = hi
        if hi <= lo:
            continue
        in_sent = [a for a in actors if lo <= a.t0 < hi]
        seen: set[tuple] = set()
        for match in find_triggers(forms, lo, hi):
            for ev in _code_match(doc, match, in_sent, forms, cues, quotes, (lo, hi), sent):
                key = (ev.code, ev.source.actor, ev.target.actor, ev.modality)
                if key not in seen:  # one event per code and actor pair in a sentence
                    seen.add(key)
                    events.append(ev)
    return events


def _code_match(doc, match: Match, actors, forms, cues: tuple[Cue, ...], quotes, bounds, sent) -> list[Event]:
    p = match.pattern
    tokens = doc.tokens
    h0, h1 = match.head
    kind = p.kind
    if kind == "noun" and h0 > bounds[0] and tokens[h0 - 1].norm.lstrip("و") in _PASSIVE_AUX:
        kind = "passive"
    if kind == "verb" and any(a.t0 == h1 and a.kind == "nisba" and a.t1 == h1 + 1 for a in actors):
        return []  # a word followed by a nationality adjective is a noun («طالب سوداني» is a student)
    quote = next((q for q in quotes if q[0] <= match.start < q[1]), None)
    if quote is not None:  # inside a quotation: only the speaker's own actions count
        actors = [a for a in actors if quote[0] <= a.start < quote[1]]
    sources = _agent(p.agent, actors, h1) if p.agent else _sources(kind, actors, h0, h1, match.end)
    if not sources and match.pronoun and kind == "noun":  # «زيارته»: the sentence's subject
        sources = next((_group(actors, i) for i, a in enumerate(actors) if a.t1 <= h0 and not a.prep and _can_act(a)), [])
    targets = _targets(p.targets, actors, sources, h1, match.end)
    if kind == "passive" and not sources and targets and p.targets != ("obj",):
        sources, targets = targets, []  # «صدر عن الزعيمين بيان مشترك»: the agent follows the preposition
    between = [a for a in actors if a.prep == "بين" and h1 <= a.t0 < match.end + TARGET_WINDOW]
    if between:
        group = _group(actors, actors.index(between[0]))
        if not sources and (p.recip or kind == "passive"):
            sources, targets = group, [a for a in targets if a not in group]
        elif p.recip and not targets:
            targets = group
    location = _location(doc, actors, h0)
    src_parties = _expand(sources)
    tgt_parties = [Party(t.entity, (t.code or "")[:3], t.mention) if t.mention and t.mention.is_place else t
                   for t in _expand(targets)]
    if not src_parties and p.agent and location[1]:
        src_parties = [Party(None, location[1] + p.agent)]
    if quote is not None and not _speaker_is_source(doc, quote, src_parties):
        return []
    pairs = _pairs(p.recip, src_parties, tgt_parties)
    if not pairs:
        return []
    code = load_codes()[p.code]
    date, date_source = _date(doc, sent, match.start)
    modality = modality_of(tokens, forms, cues, match, bounds, date, doc.meta.published)
    trigger = doc.span(match.start, match.stop)
    out = []
    for s, t in pairs:
        out.append(Event(code.code, code.label, code.plover, code.quad, code.goldstein,
                         ActorRef(s.entity, s.code) if s else ActorRef(None, None),
                         ActorRef(t.entity, t.code) if t else ActorRef(None, None),
                         date, location[0], modality, Mention(trigger.start, trigger.end, trigger.text),
                         {"start": sent.start, "end": sent.end}, date_source))
    return out


def _can_act(a: ActorMention) -> bool:
    """Places are locations, not actors, unless they stand for a government («موسكو» → RUSGOV)."""
    return (a.code is not None or a.kind == "dual") and not (a.is_place and not (a.code or "").endswith("GOV"))


def _sources(kind: str, actors, h0: int, h1: int, end: int) -> list[ActorMention]:
    if kind == "passive":  # «من قبل X»: the agent of a passive
        for i, a in enumerate(actors):
            if h1 <= a.t0 <= end + TARGET_WINDOW and a.prep == "قبل" and _can_act(a):
                return _group(actors, i)
        return []
    for i in range(len(actors) - 1, -1, -1):  # SVO with the subject right before the verb: «بوتين يزور…»
        a = actors[i]
        if kind == "verb" and h0 - 1 <= a.t1 <= h0 and not a.prep and _can_act(a):
            j = i
            while j > 0 and actors[j].conj and actors[j - 1].t1 >= actors[j].t0 - 1 and not actors[j - 1].prep:
                j -= 1
            return _group(actors, j)
        if a.t1 <= h0:
            break
    for i, a in enumerate(actors):  # VSO / genitive; a place right after a verb is its object, not its subject
        if h1 <= a.t0 <= h1 + VSO_WINDOW[kind] and not a.conj and _can_act(a) and not a.is_place and (
                not a.prep or (kind == "noun" and a.prep == "ل" and (a.kb_id or "").startswith("per:"))):
            return _group(actors, i)
        if a.t0 > h1 + VSO_WINDOW[kind]:
            break
    for i in range(len(actors) - 1, -1, -1):  # SVO
        a = actors[i]
        if a.t1 <= h0 and a.t1 >= h0 - SVO_WINDOW[kind] and not a.prep and _can_act(a):
            j = i
            while j > 0 and actors[j].conj and actors[j - 1].t1 >= actors[j].t0 - 1 and not actors[j - 1].prep:
                j -= 1
            return _group(actors, j)
    return []


def _agent(agent: str, actors, h1: int) -> list[ActorMention]:
    """Protesters name themselves: «متظاهرون أردنيون» → JORCVL (else the location's country, see caller)."""
    for a in actors:
        if a.t0 == h1 and a.kind == "nisba" and a.code:
            return [ActorMention(a.t0, a.t1, a.start, a.end, a.code[:3] + agent, kind="nisba")]
    return []


def _targets(preps: tuple[str, ...], actors, sources, h1: int, end: int) -> list[ActorMention]:
    src = set(map(id, sources))
    for i, a in enumerate(actors):
        if id(a) in src or a.t0 < h1 or a.t0 > end + TARGET_WINDOW:
            continue
        if a.conj and i > 0 and id(actors[i - 1]) in src:
            continue
        if (a.prep and a.prep in preps) or (not a.prep and "obj" in preps):
            if a.code is None and a.kind != "dual":
                continue
            return _group(actors, i)
    return []


def _group(actors, i: int) -> list[ActorMention]:
    """An actor and the ones coordinated after it with «و» («بوتين وتوكاييف»)."""
    group = [actors[i]]
    j = i + 1
    while j < len(actors) and actors[j].conj and actors[j].t0 <= group[-1].t1 + 3:
        group.append(actors[j])
        j += 1
    return group


def _expand(mentions: list[ActorMention]) -> list[Party]:
    out: list[Party] = []
    for a in mentions:
        if a.kind == "dual":
            out += [Party(None, code, a) for code in a.members]
        elif a.code:
            out.append(Party(a.entity, a.code, a))
    seen, uniq = set(), []
    for p in out:
        if (p.entity, p.code) not in seen:
            seen.add((p.entity, p.code))
            uniq.append(p)
    return uniq


def _pairs(recip: bool, sources: list[Party], targets: list[Party]) -> list[tuple[Party | None, Party | None]]:
    if recip:
        parts = _distinct(sources + targets)
        if len(parts) == 1:
            return [(parts[0], None)]
        return [(a, b) for a in parts for b in parts if a is not b and a.code != b.code]
    if not sources and not targets:
        return []
    return [(s, t) for s in (sources or [None]) for t in (targets or [None])
            if not (s and t and s.code == t.code and s.entity == t.entity)]


def _distinct(parties: list[Party]) -> list[Party]:
    """Participants once each; a bare country gives way to a coded actor of the same country (RUS < RUSGOV)."""
    out: list[Party] = []
    for p in parties:
        if any(q.code == p.code and q.entity == p.entity for q in out):
            continue
        if len(p.code or "") == 3 and any((q.code or "")[:3] == p.code and q.code != p.code for q in parties):
            continue
        out.append(p)
    return out


def _location(doc: Document, actors, h0: int) -> tuple[str | None, str | None]:
    """(location id or name, its country) from «في/ب + place» in the sentence, else the dateline."""
    entries = load_kb().entries
    places = [a for a in actors if a.prep in _LOCATION_PREPS and a.kind in ("name", "nisba") and a.code
              and (a.kb_id in entries and entries[a.kb_id].kind in ("place", "country"))]
    if places:
        best = min(places, key=lambda a: (a.t0 < h0, abs(a.t0 - h0)))
        return best.kb_id or best.entity or doc.text[best.start:best.end], (best.code or "")[:3] or None
    if doc.meta.dateline:
        entry = dateline_entry(doc.meta.dateline)
        if entry is not None:
            return entry.id, (entry.country or entry.id)[:3]
        return doc.meta.dateline, None
    return None, None


def _date(doc: Document, sent, offset: int) -> tuple[str | None, str | None]:
    """A time expression in the same sentence governs the event; else the publication date."""
    near = [t for t in doc.times if sent.start <= t.start < sent.end and t.value and _DATE_RE.match(t.value)]
    if near:
        best = min(near, key=lambda t: abs(t.start - offset))
        return _DATE_RE.match(best.value).group(0), "text"
    if doc.meta.published:
        return doc.meta.published, "published"
    return None, None


def _quote_spans(doc: Document) -> list[tuple[int, int, str | None]]:
    """Quotation spans with their speaker: the quotes layer when present, else quoted passages of 4+ words."""
    if doc.quotes:
        return [(q.start, q.end, q.speaker) for q in doc.quotes]
    return [(m.start(), m.end(), None) for m in _QUOTE_RE.finditer(doc.text) if len(m.group().split()) >= 4]


def _speaker_is_source(doc: Document, quote, sources: list[Party]) -> bool:
    speaker = quote[2]
    if not speaker or not sources:
        return False
    ent = next((e for e in doc.entities if e.id == speaker or e.name == speaker), None)
    return any(s.entity and ent and s.entity == ent.id for s in sources)
