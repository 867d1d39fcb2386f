"""Turn trigger matches into coded events: source/target actors, date, place, modality.

Actor roles follow Arabic word order. A verb's subject is the first unintroduced actor right after it, only
fillers («أمس», «صاحب السمو الملكي») between (VSO: «وقع الجانبان…»), or the nearest one before it in the same
clause (SVO: «بوتين وتوكاييف يوقعان…»; «أوباما – الذي زار»: the relative's antecedent; «نفت كازاخستان أنها
فرضت»: the matrix subject). A lone country after a masculine transitive verb is its object («زار كينيا»).
A verbal noun takes its genitive when it can have one («زيارة بوتين», not «الزيارة») — unless the genitive
is its patient («اغتيال النائب العام», «زيارة كينيا»: flags gen-target / gen-place) — an adjacent nationality
adjective («الغارات الروسية»), «الأخير», or the subject of a support verb governing it («بعث الملك برقية
تهنئة», support_verbs.tsv). An agent phrase («من قبل X», «على يد X») or a relative clause with a resumptive
pronoun («الزيارة التي قام بها X») names the source explicitly. A pronoun on a verbal noun («زيارته») stands
for the nearest political actor the clause names before it, else the previous sentence's subject; on a verb
(«استقبله») or a patient noun («تدميرها») it is the target. The target is the first actor after the trigger
(and its source) introduced by one of the pattern's prepositions, or a direct object, in the same clause and
not the complement of a relation noun («الحدود مع سوريا»). Passives («تم توقيع») take their parties from
«بين X وY» / «من قبل X». Reciprocal codes (meet, sign, agree, clash) yield one event per directed pair.

Precision guards: the source must be a political actor (a state, a government/military/police/judicial/
legislative body, a party, an armed group, an IGO, a person holding such a role) unless the code allows other
sectors (``source_also`` in the code table: companies sign deals, civilians protest); homographs are dropped
in their negative contexts (``negative_context.tsv``); generic triggers (flags ``guard``/``market``) are
dropped in sports, culture (and economy) sentences and in sports documents (``domain_words.tsv``); a verbal
noun that only names what an earlier trigger of its clause is about («بحث … التعاون العسكري», «طالبت … بوقف
هدم») is no event of its own; consulting takes two parties; a bare own country is no target.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from marsad.document import ActorRef, Document, Event, Mention
from marsad.events.actors import AGENT, ActorMention, actor_word, dateline_entry, find_actors
from marsad.events.lexicon import (
    Code,
    Cue,
    Negative,
    key_of,
    load_codes,
    load_cues,
    load_domain_words,
    load_function_words,
    load_negatives,
    load_support_verbs,
)
from marsad.events.modality import modality_of
from marsad.events.triggers import Match, TokenForms, automaton, candidate_tokens, find_triggers, token_hits
from marsad.kb import load_kb

VSO_WINDOW = {"verb": 3, "noun": 2, "passive": 0}
SVO_WINDOW = {"verb": 12, "noun": 8, "passive": 0}
TARGET_WINDOW = 16
NEGATIVE_WINDOW = 4
#: a sentence is in a domain with this many of its words; a document with this many is wholly in it
SENTENCE_DOMAIN_HITS = 1
DOCUMENT_DOMAIN_HITS = 4
_PASSIVE_AUX = frozenset({"تم", "يتم", "سيتم", "جري", "يجري", "سيجري"})
_DATE_RE = re.compile(r"^\d{4}(-\d{2}){0,2}")
_QUOTE_RE = re.compile(r"«[^»\n]*»|“[^”\n]*”|\"[^\"\n]*\"")
_LOCATION_PREPS = frozenset({"في", "ب"})
_CLAUSE_PUNCT = frozenset(",;:.!?")
_GAP_PUNCT = frozenset(',-–—«»"“”(+')
_GUARDS = frozenset({"guard", "market"})
_LEISURE = frozenset({"sports", "culture"})
_OBJECT_PRONOUNS = frozenset({"ه", "ها", "هم", "هما", "هن"})
_THIRD_PERSON = _OBJECT_PRONOUNS
_GENITIVE_TARGET = frozenset({"gen-target", "gen-place"})
#: «أنه/أنها» right before a verb: its subject is the pronoun, i.e. the subject of the clause around it
_THAT_IT = frozenset({"انه", "انها", "بانه", "بانها", "وانه", "وانها", "انهم", "انهما", "بانهم"})
_CIVILIAN = frozenset({"GOV", "LEG", "PTY", "JUD", "OPP", "IGO", ""})
_PRONOUN_TARGET = frozenset({"pron-target", "gen-target"})  # «تدميرها», «محاكمته»: the pronoun is the patient


@dataclass(slots=True)
class Party:
    entity: str | None
    code: str | None
    mention: ActorMention | None = None


@dataclass(slots=True)
class _Ctx:
    doc: Document
    forms: TokenForms
    actors: list[ActorMention]
    starts: list[int]
    cues: tuple[Cue, ...]
    quotes: list
    sports_doc: bool
    previous: list[ActorMention]  # actors of the previous sentence


def code_document(doc: Document) -> list[Event]:
    """All events of a document, in text order."""
    tokens = doc.tokens
    if not tokens:
        return []
    forms = TokenForms(tokens, doc.normalized)
    token_starts = [t.start for t in tokens]
    candidates = candidate_tokens(tokens, doc.normalized, forms.nstarts)
    found = []
    for sent in doc.sentences:
        lo, hi = bisect_left(token_starts, sent.start), bisect_left(token_starts, sent.end)
        if hi > lo:
            here = candidates[bisect_left(candidates, lo):bisect_left(candidates, hi)]
            found.append((sent, lo, hi, find_triggers(forms, lo, hi, here) if here else []))
    if not any(m for *_, m in found):
        return []
    domain_at = _domain_tokens(tokens, doc.normalized, forms.nstarts)
    domains = [_domain_counts(domain_at, lo, hi) for _s, lo, hi, _m in found]
    sports_doc = sum(n for d in domains for k, n in d.items() if k in _LEISURE) >= DOCUMENT_DOMAIN_HITS
    found = [(sent, lo, hi, [m for m in matches if not _blocked(m, tokens, forms, (lo, hi), domain, sports_doc)])
             for (sent, lo, hi, matches), domain in zip(found, domains, strict=True)]
    if not any(m for *_, m in found):
        return []  # no trigger outside sports, culture or market talk: the actors are not needed
    spans = [(tokens[found[j][1]].nstart, tokens[found[k][2] - 1].nend)  # trigger sentences and the ones before
             for k, (*_, matches) in enumerate(found) if matches for j in (max(0, k - 1),)]
    actors = find_actors(doc, spans)
    starts = [a.t0 for a in actors]
    ctx = _Ctx(doc, forms, actors, starts, load_cues(), _quote_spans(doc), sports_doc, [])
    events: list[Event] = []
    codes = load_codes()
    for sent, lo, hi, matches in found:
        in_sent = actors[bisect_left(starts, lo):bisect_left(starts, hi)]
        seen: set[tuple] = set()
        earlier = 0
        for match in matches:
            for ev in _code_match(ctx, match, in_sent, codes[match.pattern.code], (lo, hi), sent, earlier):
                key = (ev.code, ev.source.actor, ev.target.actor, ev.modality)
                if key not in seen:  # one event per code and actor pair in a sentence
                    seen.add(key)
                    events.append(ev)
            earlier = match.head[1]
        ctx.previous = in_sent
    return events


# --- guards -------------------------------------------------------------------------------------------------------


_DOMAIN_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "ال", "وب", "ول", "فب", "فل", "وال", "بال", "فال", "كال", "وبال",
                    "وكال", "فبال")


@lru_cache(maxsize=100_000)
def _domain_of(norm: str) -> str | None:
    """Domain of a word, its proclitics removed («وبالمباراة», «للمنتخب»)."""
    words = load_domain_words()
    for pre in _DOMAIN_PREFIXES:
        if norm.startswith(pre) and len(norm) - len(pre) >= 3:
            rest = norm[len(pre):]
            if rest in words:
                return words[rest]
            if pre and "ال" + rest in words:
                return words["ال" + rest]
    if norm.startswith(("لل", "ولل", "فلل")):
        rest = "ال" + norm[norm.index("لل") + 2:]
        return words.get(rest)
    return None


def _domain_tokens(tokens, nz, starts: list[int]) -> list[tuple[int, str]]:
    """(token index, domain) of the document's domain words, in text order."""
    hits = token_hits(_domain_automaton(), tokens, nz, starts)
    return [(i, d) for i in sorted(hits) if (d := _domain_of(tokens[i].norm))]


@lru_cache(maxsize=1)
def _domain_automaton():
    return automaton({key_of(w) for w in load_domain_words()})


def _domain_counts(domain_at: list[tuple[int, str]], lo: int, hi: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for _i, d in domain_at[bisect_left(domain_at, (lo, "")):bisect_left(domain_at, (hi, ""))]:
        out[d] = out.get(d, 0) + 1
    return out


def _blocked(match: Match, tokens, forms: TokenForms, bounds, domain: dict[str, int], sports_doc: bool) -> bool:
    """A homograph in a negative context, or a generic trigger in a sports/economy sentence."""
    p = match.pattern
    if p.flags & _GUARDS:
        hits = {d for d, n in domain.items() if n >= SENTENCE_DOMAIN_HITS}
        if sports_doc or hits & _LEISURE or ("market" in p.flags and "economy" in hits):
            return True
    if p.kind == "verb" and not _verb_reading(match):
        return True
    for neg in load_negatives().get(match.form, ()):
        if _negative_at(neg, match, forms, bounds):
            return True
    return False


def _verb_reading(match: Match) -> bool:
    """A verb takes no article, preposition or first-person possessive: «الهاتف» is not «هاتف», «دافعي» not «دافع»."""
    return "ال" not in match.prefix and not match.prefix.rstrip("س").endswith(("ب", "ك")) and match.pronoun != "ي"


def _negative_at(neg: Negative, match: Match, forms: TokenForms, bounds) -> bool:
    lo, hi = bounds
    h0, h1 = match.head
    if neg.where == "self":  # the whole word is another word: «وزارته» is not «و + زارته»
        return (forms.tokens[h0].norm,) in neg.context
    if neg.where == "prev":
        positions = range(max(lo, h0 - 1), h0)
    elif neg.where == "next":
        positions = range(h1, min(hi, h1 + 1))
    elif neg.where == "before":
        positions = range(max(lo, h0 - NEGATIVE_WINDOW), h0)
    elif neg.where == "after":
        positions = range(h1, min(hi, h1 + NEGATIVE_WINDOW))
    else:
        positions = range(lo, hi)
    for i in positions:
        for run in neg.context:
            if i + len(run) <= hi and all(w in forms.get(i + k) for k, w in enumerate(run)):
                return True
    return False


# --- one trigger ----------------------------------------------------------------------------------------------------


def _code_match(ctx: _Ctx, match: Match, actors, code: Code, bounds, sent, earlier: int) -> list[Event]:
    """Events of one trigger; ``earlier`` is the end of the previous trigger of the sentence (0 when none)."""
    doc, p = ctx.doc, match.pattern
    tokens = doc.tokens
    h0, h1 = match.head
    kind = p.kind
    if kind == "noun" and h0 > bounds[0] and tokens[h0 - 1].norm.lstrip("و") in _PASSIVE_AUX:
        kind = "passive"
    if kind == "verb" and any(a.t0 == h1 and a.kind == "nisba" and a.t1 == h1 + 1 for a in actors):
        return []  # a word followed by a nationality adjective is a noun («طالب سوداني» is a student)
    if kind == "verb" and h0 > bounds[0] and _is("preposition", tokens[h0 - 1]):
        kind = "noun"  # «إلى رفض الاتفاق»: a verbal noun spelled like the verb
    if any(a.t0 <= h0 < a.t1 and a.kind == "name" for a in actors):
        return []  # part of a name: «عبد القادر قاضي»
    quote = next((q for q in ctx.quotes if q[0] <= match.start < q[1]), None)
    if quote is not None:  # inside a quotation: only the speaker's own actions count
        actors = [a for a in actors if quote[0] <= a.start < quote[1]]
    pron_target = bool(p.flags & _PRONOUN_TARGET) or (kind == "verb" and match.pronoun in _OBJECT_PRONOUNS)
    sources, how = _explicit_source(actors, tokens, ctx.forms, kind, h1, match.end), "explicit"
    if sources is None:
        if p.agent:
            sources, how = _agent(p.agent, actors, h1), "agent"
        else:
            sources, how = _sources(kind, actors, tokens, ctx.forms, match, bounds)
    if not sources and match.pronoun and kind == "noun" and not pron_target:  # «زيارته»: who the clause is about
        sources, how = _referent(ctx, actors, h0, match.pronoun), "pronoun"
    if kind == "noun" and how in ("support", "") and earlier and not _clause_break(tokens, earlier, h0):
        return []  # «بحث … التعاون العسكري», «طالبت … بوقف هدم»: the noun is what an earlier trigger is about
    after = max([match.end] + [a.t1 for a in sources if a.t0 >= h1])
    targets = _targets(p.targets, actors, sources, h1, after, tokens)
    if p.recip and len(_expand(sources)) >= 2 and any(a.kind == "dual" for a in sources):
        targets = []  # «اتفق الرئيسان»: the pair is complete
    if not targets and kind == "noun" and p.flags & _GENITIVE_TARGET:
        targets = [a for a in actors if a.t0 == h1 and not a.prep and _can_act(a) and a not in sources
                   and (a.state or "gen-target" in p.flags)][:1]
    if not targets and match.pronoun and kind == "verb" and h0 > bounds[0] and _is("relative", tokens[h0 - 1]):
        targets = [a for a in actors if a.t1 == h0 - 1 and not a.prep and _can_act(a)][:1]  # «القمة التي احتضنتها»
    elif not targets and match.pronoun and pron_target:  # «استقبله», «كان في استقباله»: the pronoun is the guest
        targets = _referent(ctx, actors, h0, match.pronoun, exclude=sources)
    if kind == "passive" and not sources and targets and p.targets != ("obj",):
        sources, targets = targets, []  # «صدر عن الزعيمين بيان مشترك»: the agent follows the preposition
    between = [a for a in actors if a.prep == "بين" and h1 <= a.t0 < match.end + TARGET_WINDOW]
    if between:
        group = _group(actors, actors.index(between[0]))
        if not sources and (p.recip or kind == "passive"):
            sources, targets = group, [a for a in targets if a not in group]
        elif p.recip and not targets:
            targets = group
    if "reverse" in p.flags:
        sources, targets = targets, sources  # «تلقى الرئيس برقية تهنئة من نظيره»: the sender acts
    location = _location(doc, actors, h0)
    src_parties = _expand(sources)
    tgt_parties = [Party(t.entity, (t.code or "")[:3], t.mention) if t.mention and t.mention.is_place else t
                   for t in _expand(targets)]
    if not src_parties and p.agent and location[1]:
        src_parties = [Party(None, location[1] + p.agent)]
    if "speech" in p.flags and sources and all(a.person and (a.code or "")[3:6] in _CIVILIAN for a in sources):
        code = load_codes()["111"]  # «هاجم الوزير السياسات الإيرانية»: a verbal attack
    adjective_at = h1 if kind == "noun" else -1
    src_parties = [s for s in src_parties if _can_be_source(s, code, adjective_at)]
    if not src_parties:
        return []  # no political source, no event
    if p.recip:
        tgt_parties = [t for t in tgt_parties if _can_be_source(t, code, adjective_at)]
    tgt_parties = [t for t in tgt_parties if not (len(t.code or "") == 3 and any(
        (s.code or "")[:3] == t.code for s in src_parties))]  # «رفض مصر … للتدخل»: a bare own country is no target
    if "target" in p.flags and not tgt_parties and not (p.recip and len(_distinct(src_parties)) >= 2):
        return []  # «ناقش مجلس الشيوخ مشروع قانون»: consulting takes two
    if quote is not None and not _speaker_is_source(doc, quote, src_parties):
        return []
    pairs = _pairs(p.recip, src_parties, tgt_parties)
    if not pairs:
        return []
    date, date_source = _date(doc, sent, match.start)
    modality = modality_of(tokens, ctx.forms, ctx.cues, match, bounds, date, doc.meta.published)
    trigger = doc.span(match.start, match.stop)
    out = []
    for s, t in pairs:
        out.append(Event(code.code, code.label, code.plover, code.quad, code.goldstein,
                         ActorRef(s.entity, s.code) if s else ActorRef(None, None),
                         ActorRef(t.entity, t.code) if t else ActorRef(None, None),
                         date, location[0], modality, Mention(trigger.start, trigger.end, trigger.text),
                         {"start": sent.start, "end": sent.end}, date_source))
    return out


def _can_be_source(party: Party, code: Code, adjective_at: int = -1) -> bool:
    """A political actor, or a sector the code allows (companies sign deals, civilians protest). A bare
    nationality adjective is a source only right after a verbal noun («الغارات الروسية»)."""
    m = party.mention
    if m is None:  # an agent coded from the location («متظاهرون» in Amman → JORCVL)
        return bool(party.code)
    if m.kind == "dual":
        return True
    if m.is_place and not (party.code or "").endswith("GOV"):
        return False
    if m.kind == "nisba" and not m.person and len(party.code or "") == 3 and not m.state:
        return m.t0 == adjective_at
    if m.political:
        return True
    code_sector = (party.code or "")[3:6]
    return bool(code_sector) and code_sector in code.source_also


def _can_act(a: ActorMention) -> bool:
    """Places are locations, not actors, unless they stand for a government («موسكو» → RUSGOV)."""
    return (a.code is not None or a.kind == "dual") and not (a.is_place and not (a.code or "").endswith("GOV"))


def _explicit_source(actors, tokens, forms: TokenForms, kind: str, h1: int, end: int) -> list[ActorMention] | None:
    """None when the text names no explicit agent (an empty list when it names one that is not an actor)."""
    """An agent phrase after the trigger («على يد X», «من قبل X») or «التي قام بها X» after a verbal noun."""
    for i, a in enumerate(actors):
        if a.t0 < h1:
            continue
        if a.t0 > end + TARGET_WINDOW:
            break
        if a.prep == AGENT and _can_act(a) and not _clause_break(tokens, end, a.t0):
            return _group(actors, i)
    if kind == "noun" and h1 + 1 < len(tokens) and _is("relative", tokens[h1]):
        verb = tokens[h1 + 1]
        after = h1 + 2
        if after < len(tokens) and _is("resumptive", tokens[after]):
            after += 1
        elif not any(s in _OBJECT_PRONOUNS for (_pl, _sl, _p, s) in forms.get(h1 + 1).values()) or verb.kind != "word":
            return None
        for i, a in enumerate(actors):
            if after <= a.t0 <= after + 1 and not a.prep and _can_act(a):
                return _group(actors, i)
    return None


def _is(role: str, tok) -> bool:
    """Whether a token is a function word of ``role`` (function_words.tsv), a leading «و/ف» allowed."""
    if tok.kind != "word":
        return False
    words = load_function_words()[role]
    return tok.norm in words or (tok.norm[:1] in "وف" and tok.norm[1:] in words)


def _vso_gap_ok(tokens, h1: int, t0: int) -> bool:
    """Only fillers («أمس», «صاحب السمو الملكي», «نائب»), role words («شركة») and commas, dashes or quotation
    marks stand between a verb and its subject."""
    return all(_is("filler", tokens[k]) or (tokens[k].kind == "punct" and tokens[k].norm in _GAP_PUNCT)
               or actor_word(tokens[k]) is not None for k in range(h1, t0))


def _clause_break(tokens, i: int, j: int) -> bool:
    """A clause boundary between tokens ``i`` and ``j`` (exclusive)."""
    for k in range(min(i, j), max(i, j)):
        tok = tokens[k]
        if (tok.kind == "punct" and tok.norm in _CLAUSE_PUNCT) or _is("clause", tok):
            return True
    return False


def _sources(kind: str, actors, tokens, forms: TokenForms, match: Match, bounds) -> tuple[list[ActorMention], str]:
    """The trigger's agent and how it was found: svo, vso, genitive, adjective, latter, support or "" (none)."""
    if kind == "passive":  # the agent of a passive comes from «من قبل X» / «بين X وY»
        return [], ""
    h0, h1 = match.head
    if kind == "verb":
        if h0 > bounds[0] and tokens[h0 - 1].norm in _THAT_IT:  # «نفت كازاخستان أنها فرضت»: the matrix subject
            named = [i for i, a in enumerate(actors) if a.t1 < h0 and not a.prep and _can_act(a)]
            return (_group(actors, _group_start(actors, named[-1])), "svo") if named else ([], "")
        if h0 > bounds[0] and _is("relative", tokens[h0 - 1]) and not match.pronoun:  # «أوباما – الذي زار»
            k = h0 - 2
            while k >= bounds[0] and tokens[k].kind == "punct":
                k -= 1
            found = [i for i, a in enumerate(actors) if a.t1 == k + 1 and not a.prep and _can_act(a)]
            return (_group(actors, _group_start(actors, found[0])), "svo") if found else ([], "")
        for i in range(len(actors) - 1, -1, -1):  # SVO with the subject right before the verb: «بوتين يزور…»
            a = actors[i]
            if h0 - 1 <= a.t1 <= h0 and not a.prep and _can_act(a) and not _clause_break(tokens, a.t1, h0):
                return _group(actors, _group_start(actors, i)), "svo"
            if a.t1 <= h0:
                break
        limit = h1 + VSO_WINDOW["verb"] if match.second is None else min(h1 + VSO_WINDOW["verb"], match.second - 1)
        for i, a in enumerate(actors):  # VSO; a place right after a verb is its object, not its subject
            if a.t0 > limit:
                break
            if a.t0 >= h1 and not a.prep and not a.conj and _can_act(a):  # «ودعت واشنطن»: a seat of government may act
                if not _vso_gap_ok(tokens, h1, a.t0):
                    break
                group = _group(actors, i)
                masculine = not match.form.startswith("ت") and not match.form.endswith(("ت", "تا"))
                if a.state and masculine and "obj" in match.pattern.targets and match.second is None and not any(
                        b.t0 >= group[-1].t1 and not b.prep and not b.conj and b.code and not
                        _clause_break(tokens, group[-1].t1, b.t0) for b in actors):
                    break  # «زار كينيا»: a lone (feminine) country after a masculine verb is its object
                return group, "vso"
        plural = tokens[h0].norm.endswith(("وا", "ون"))  # «هددوا»: the subject is a group, not «إيران»
        for i in range(len(actors) - 1, -1, -1):  # SVO, same clause
            a = actors[i]
            if a.t1 <= h0 and a.t1 >= h0 - SVO_WINDOW["verb"] and not a.prep and _can_act(a):
                if _clause_break(tokens, a.t1, h0):
                    return [], ""
                start = _group_start(actors, i)
                if plural and a.kind not in ("dual", "people", "sector") and start == i:
                    return [], ""
                return _group(actors, start), "svo"
        return [], ""
    got = _genitive(actors, tokens, match, bounds)
    if got[0]:
        return got
    return _support_subject(actors, tokens, forms, h0, bounds[0]), "support"


def _genitive(actors, tokens, match: Match, bounds) -> tuple[list[ActorMention], str]:
    """The agent named right after a verbal noun: its genitive («زيارة بوتين», «هجمات الحوثيين») when the noun can
    take one (no article, no pronoun), a nationality adjective («الغارات الروسية»), «ل» + a person after a visit
    («الزيارة المرتقبة للرئيس بوتين») or «الأخير» (the last one named)."""
    h0, h1 = match.head
    if h1 >= bounds[1]:
        return [], ""
    p = match.pattern
    if "pron-target" in p.flags and match.pronoun:  # «كان في استقباله الرئيس»: the host follows
        for i, a in enumerate(actors):  # («في» before the noun is not the actor's preposition)
            if a.t0 >= h1 and (not a.prep or a.prep == tokens[h0].norm) and not a.conj and _can_act(a) and not a.is_place:
                return (_group(actors, i), "vso") if _vso_gap_ok(tokens, h1, a.t0) else ([], "")
        return [], ""
    if _is("latter", tokens[h1]):
        named = [a for a in actors if a.t1 <= h0 and a.political and a.kind != "dual"]
        people = [a for a in named if a.person == tokens[h1].norm.endswith("ر")]
        return ([(people or named)[-1]] if named else []), "latter"
    definite = "ال" in match.prefix or match.form.startswith("ال") or bool(match.pronoun)
    for i, a in enumerate(actors):
        if a.t0 < h1 or a.conj or not _can_act(a):
            continue
        if a.t0 > h1 + VSO_WINDOW["noun"] or _clause_break(tokens, h1, a.t0):
            break
        if a.t0 == h1 and a.kind == "nisba" and not a.prep:
            return _group(actors, i), "adjective"  # «الغارات الروسية»
        if a.prep == "ل" and a.person and "gen-place" in p.flags:
            return _group(actors, i), "genitive"  # «الزيارة المرتقبة للرئيس»
        if a.t0 == h1 and not a.prep and not definite and not a.is_place:
            if p.flags & _GENITIVE_TARGET and (a.state or "gen-target" in p.flags):
                return [], ""  # «زيارة كينيا», «اغتيال النائب العام»: the genitive is the target
            return _group(actors, i), "genitive"
    return [], ""


def _support_subject(actors, tokens, forms: TokenForms, h0: int, lo: int) -> list[ActorMention]:
    """The subject of a support verb governing a verbal noun: «بعث الملك برقية تهنئة», «شارك الوزير في اجتماع»."""
    support = load_support_verbs()
    for k in range(h0 - 1, max(lo, h0 - SVO_WINDOW["noun"]) - 1, -1):
        tok = tokens[k]
        if (tok.kind == "punct" and tok.norm in _CLAUSE_PUNCT) or _is("clause", tok):
            return []
        if tok.kind != "word" or any(a.t0 <= k < a.t1 for a in actors):
            continue
        readings = forms.get(k)
        if not any(f in support and "ال" not in pre and not pre.rstrip("س").endswith(("ب", "ك")) and not suf
                   for f, (_pl, _sl, pre, suf) in readings.items()):
            continue
        for i, a in enumerate(actors):  # VSO after the support verb, or SVO right before it
            if k < a.t0 and a.t1 <= h0 and a.t0 <= k + 1 + VSO_WINDOW["verb"] and not a.prep and _can_act(a):
                return _group(actors, i)
            if a.t1 == k and not a.prep and _can_act(a):
                return _group(actors, _group_start(actors, i))
        return []
    return []


def _group_start(actors, i: int) -> int:
    while i > 0 and actors[i].conj and actors[i - 1].t1 >= actors[i].t0 - 1 and not actors[i - 1].prep:
        i -= 1
    return i


def _referent(ctx: _Ctx, actors, h0: int, pronoun: str, exclude=()) -> list[ActorMention]:
    """Who «ـه/ـها/ـهما» on a trigger stands for: the nearest subject-like political actor before it in the
    sentence, else the first one of the previous sentence; «ـه» prefers a person, «ـها» a state or body."""
    skip = set(map(id, exclude))
    here = [a for a in actors if a.t1 <= h0 and not a.prep and a.political and id(a) not in skip]
    here.reverse()
    before = [a for a in ctx.previous if not a.prep and a.political]
    if pronoun not in _THIRD_PERSON:
        return []  # «زيارتكم», «لقائنا»: the speaker or the addressee, not a third party
    for pool in (here, before):
        if not pool:
            continue
        if pronoun in ("هما", "هم", "هن"):
            groups = [a for a in pool if a.kind in ("dual", "people")]
            if groups:
                return [groups[0]]
            continue
        prefer = [a for a in pool if (a.person if pronoun == "ه" else not a.person)]
        pick = (prefer or pool)[0]
        return [pick]
    return []


def _agent(agent: str, actors, h1: int) -> list[ActorMention]:
    """Protesters name themselves: «متظاهرون أردنيون» → JORCVL (else the location's country, see caller)."""
    for a in actors:
        if a.t0 == h1 and a.kind in ("nisba", "people") and a.code:
            return [ActorMention(a.t0, a.t1, a.start, a.end, a.code[:3] + agent, kind="people")]
    return []


def _targets(preps: tuple[str, ...], actors, sources, h1: int, end: int, tokens) -> list[ActorMention]:
    src = set(map(id, sources))
    for i, a in enumerate(actors):
        if id(a) in src or a.t0 < h1 or a.t0 > end + TARGET_WINDOW:
            continue
        if any(_is("clause", tokens[k]) or (tokens[k].kind == "punct" and tokens[k].norm in ";:.!?")
               for k in range(end, a.t0)):
            break  # «تعهد … بينما يستعد البرلمان»: the target is in the trigger's clause
        if a.conj and i > 0 and id(actors[i - 1]) in src:
            continue
        if a.prep == AGENT:
            continue
        before = a.t0 - (1 if _separate_prep(tokens, a) else 0) - 1
        if a.prep and before >= end and _is("relation", tokens[before]):
            continue  # «الحدود مع سوريا»: the preposition belongs to the noun before it
        if (a.prep and a.prep in preps) or (not a.prep and "obj" in preps):
            if a.code is None and a.kind != "dual":
                continue
            return _group(actors, i)
    return []


def _separate_prep(tokens, a: ActorMention) -> bool:
    """Whether the actor's preposition is a word of its own («مع روسيا»), not a proclitic («لروسيا»)."""
    return a.t0 > 0 and tokens[a.t0 - 1].kind == "word" and tokens[a.t0 - 1].norm.lstrip("وف") == a.prep


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
