"""Quotes: who said what, in direct and indirect speech, with the cue and the speaker entity.

``annotate(doc)`` fills ``doc.quotes`` with :class:`~marsad.document.Quote`. Cues come from
``lexicons/quote_cues.tsv`` (verbs, participles, relay verbs, source prepositions), found in the
normalized text with the KB :class:`~marsad.kb.gazetteer.Gazetteer` so «وأضاف» and «فيما أكد» match.
Other word classes (name nouns, venue nouns, complementizers...) live in ``lexicons/quote_words.tsv``.

What a cue introduces:

* ``cue ...: «...»`` or ``cue: text`` → a direct quote (the quoted content, else to the end of the sentence);
* ``cue ... أن/إن clause`` → an indirect quote (``direct: false``) spanning the complement clause up to the
  next clause (``، مشيرا إلى أن``، ``، فيما``) or the end of the sentence; a quoted fragment inside it
  ("راسخة ولا تتأثر") is also reported as a direct quote with the same speaker and cue;
* ``«...»، قال X`` / ``«...» بحسب X`` → a direct quote whose speaker follows it;
* ``وبحسب X، فإن ...`` / ``...، وفقا لـX`` → an indirect quote of the attributed clause.

The speaker is the entity whose mention (or stated role) opens the phrase after the cue; a bare title
(«وأكد الوزير») resolves to the last person mentioned with that role; no subject (وأضاف: / وتابع / لكنه
أقر) means the last speaker, else the last person of the previous sentence; «من جانبه/بدوره» the last person
mentioned; a participle (مؤكدا، قائلا) the subject of its clause. A venue («في مقابلة مع صحيفة X») is
recorded apart (:func:`find_quotes`), never taken as the speaker. Quoted names and titles (مبادرة «...»,
«الممر الأوسط», a quoted entity name) are not speech. A subject that is no entity («دبلوماسيون») gives
``speaker=None`` with the cue kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marsad.document import Document, Entity, Mention, Quote
from marsad.kb import load_kb, read_tsv
from marsad.kb.gazetteer import Gazetteer, Hit
from marsad.lead import parse_lead
from marsad.normalize import normalize_word
from marsad.tokenize import Token

LEXICONS = Path(__file__).parent / "lexicons"
CUE_KINDS = frozenset({"verb", "participle", "phrase", "relay", "source-preposition"})
CUE_MODES = frozenset({"direct", "indirect", "both"})
WORD_CLASSES = frozenset({"naming", "media", "stop", "filler", "complementizer", "not-complement", "clause-break",
                          "anaphor", "relative", "statement", "source", "relative-head", "org-head", "inference"})

_OPEN = {"«": "»", "“": "”"}
_QUOTE_CHARS = "«»“”\""
_MARKS_RE = re.compile('[\n«»“”"]')
_COMMAS = {",", "،"}
_MAX_QUOTE = 1500  # an unclosed mark may not pair with one paragraphs later
_MAX_WINDOW = 25  # tokens scanned after a cue for its colon or quotation
_MAX_COMP = 14  # tokens after a cue within which «أن/إن» opens its complement
_MAX_NAME_WORDS = 7
_PLURAL = ("وا", "ون", "ين")  # endings of plural cue forms (normalized)  # longer quoted text is speech even after «مبادرة»


@dataclass(frozen=True, slots=True)
class CueSpec:
    form: str
    kind: str
    mode: str


@dataclass(slots=True)
class Found:
    """A quote plus what the output contract has no field for yet: the venue entity id."""

    quote: Quote
    venue: str | None = None


# ---------------------------------------------------------------- lexicons


def _rows(name: str, directory: Path = LEXICONS) -> list[dict[str, str]]:
    return list(read_tsv(directory / name))


def validate_lexicons(directory: Path = LEXICONS) -> list[str]:
    """Problems in the quote lexicons (empty when they are sound): columns, kinds, modes, duplicates."""
    problems: list[str] = []
    seen: set[str] = set()
    for i, row in enumerate(_rows("quote_cues.tsv", directory), 1):
        where = f"quote_cues.tsv row {i}"
        form = row.get("form", "")
        if not form or not any(ch.isalpha() for ch in form):
            problems.append(f"{where}: empty form")
        if row.get("kind") not in CUE_KINDS:
            problems.append(f"{where}: kind {row.get('kind')!r} not in {sorted(CUE_KINDS)}")
        if row.get("mode") not in CUE_MODES:
            problems.append(f"{where}: mode {row.get('mode')!r} not in {sorted(CUE_MODES)}")
        if not row.get("notes"):
            problems.append(f"{where}: notes missing")
        key = normalize_word(form)
        if key in seen:
            problems.append(f"{where}: duplicate form {form}")
        seen.add(key)
    pairs: set[tuple[str, str]] = set()
    for i, row in enumerate(_rows("quote_words.tsv", directory), 1):
        where = f"quote_words.tsv row {i}"
        if row.get("class") not in WORD_CLASSES:
            problems.append(f"{where}: class {row.get('class')!r} not in {sorted(WORD_CLASSES)}")
        if not row.get("form"):
            problems.append(f"{where}: empty form")
        pair = (row.get("class", ""), normalize_word(row.get("form", "")))
        if pair in pairs:
            problems.append(f"{where}: duplicate {pair}")
        pairs.add(pair)
    return problems


@cache
def cue_gazetteer() -> Gazetteer:
    """Every cue form compiled once; payload = its :class:`CueSpec`."""
    return Gazetteer((r["form"], CueSpec(normalize_word(r["form"]), r["kind"], r["mode"]))
                     for r in _rows("quote_cues.tsv"))


@cache
def word_class(cls: str) -> frozenset[str]:
    """Normalized forms of one class of ``quote_words.tsv``."""
    return frozenset(normalize_word(r["form"]) for r in _rows("quote_words.tsv") if r["class"] == cls)


# ---------------------------------------------------------------- per-document context


@dataclass(frozen=True, slots=True)
class _Ref:
    """A place where an entity is named: a mention, or the text of a role stated for it."""

    start: int
    end: int
    entity: Entity


@dataclass(frozen=True, slots=True)
class _Cue:
    hit: Hit
    spec: CueSpec
    index: int  # token index of the cue's first token


def _strip_clitic(norm: str) -> tuple[str, ...]:
    """A word and its readings without one proclitic (و ف ب ل) — enough for small word lists."""
    forms = [norm]
    if len(norm) > 3 and norm[0] in "وفبل":
        forms.append(norm[1:])
    return tuple(forms)


def _in_class(norm: str, cls: str) -> bool:
    words = word_class(cls)
    return any(f in words for f in _strip_clitic(norm))


class _Ctx:
    """Analyses of one document shared by every cue: tokens, quote pairs, names, entity references."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self.tokens: list[Token] = doc.tokens
        self.tok_starts = [t.start for t in self.tokens]
        self.sentences = doc.sentences
        self.sent_starts = [s.start for s in self.sentences]
        refs: list[_Ref] = []
        for ent in doc.entities:
            refs += [_Ref(m.start, m.end, ent) for m in ent.mentions]
            for role in ent.roles:
                if isinstance(role.get("start"), int) and isinstance(role.get("end"), int):
                    refs.append(_Ref(role["start"], role["end"], ent))
        self.refs = sorted(refs, key=lambda r: (r.start, -r.end))
        self.ref_starts = [r.start for r in self.refs]
        self.by_id = {e.id: e for e in doc.entities}
        self.times = sorted((t.start, t.end) for t in doc.times)
        self.lead_end = parse_lead(self.text)[2]  # «الخرطوم (د ب أ) –» is no part of a quote
        self.pairs = _quote_pairs(self.text)
        self.by_open = {p[0]: p for p in self.pairs}
        self.names = {p for p in self.pairs if self._is_name(p)}
        self._titles: list[Hit] | None = None

    # -- lookups
    def tok_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self.tok_starts, offset)

    def sentence_index(self, offset: int) -> int:
        i = bisect.bisect_right(self.sent_starts, offset) - 1
        return max(i, 0)

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        if not self.sentences:
            return 0, len(self.text)
        s = self.sentences[self.sentence_index(offset)]
        return s.start, max(s.end, offset)

    def refs_in(self, start: int, end: int) -> list[_Ref]:
        lo = bisect.bisect_left(self.ref_starts, start)
        hi = bisect.bisect_left(self.ref_starts, end)
        return self.refs[lo:hi]

    def titles(self) -> list[Hit]:
        if self._titles is None:
            self._titles = load_kb().title_gazetteer.find(self.doc.normalized) if self.tokens else []
        return self._titles

    def pair_at_open(self, offset: int) -> tuple[int, int] | None:
        return self.by_open.get(offset)

    def pair_containing(self, offset: int) -> tuple[int, int] | None:
        """The innermost quotation around ``offset``."""
        i = bisect.bisect_right(self.pairs, (offset, len(self.text) + 1)) - 1
        while i >= 0:
            if self.pairs[i][0] <= offset <= self.pairs[i][1]:
                return self.pairs[i]
            i -= 1
            if i >= 0 and offset - self.pairs[i][0] > _MAX_QUOTE:
                break
        return None

    def in_time(self, tok: Token) -> bool:
        i = bisect.bisect_right(self.times, (tok.start, len(self.text) + 1)) - 1
        return i >= 0 and self.times[i][0] <= tok.start < self.times[i][1]

    # -- quoted names
    def _is_name(self, pair: tuple[int, int]) -> bool:
        """A quoted name or title: after a naming noun, an entity's name, or a short definite phrase."""
        o, c = pair
        inner = [t for t in self.tokens[self.tok_at(o + 1):self.tok_at(c)] if t.kind == "word"]
        if not inner or len(inner) > _MAX_NAME_WORDS:
            return False
        i = self.tok_at(o) - 1
        before = [t for t in self.tokens[max(0, i - 1):i + 1] if t.kind == "word" and t.end <= o]
        if before and _in_class(before[-1].norm, "naming"):
            return True
        if len(before) == 2 and _in_class(before[0].norm, "naming") and before[1].norm.endswith(("ي", "يه")):
            return True  # القصر الرئاسي «آق أوردا»
        covered = sum(min(r.end, c) - max(r.start, o + 1) for r in self.refs_in(o + 1, c) if r.end <= c)
        if covered >= 0.6 * (c - o - 1):
            return True
        prev = self.tokens[i] if i >= 0 else None
        opener = prev is None or prev.kind == "punct" or _in_class(prev.norm, "complementizer")
        return len(inner) <= 3 and inner[0].norm.startswith("ال") and not opener and not self._cue_word(prev)

    def _cue_word(self, tok: Token | None) -> bool:
        return tok is not None and bool(cue_gazetteer().get(tok.norm) or cue_gazetteer().get(tok.norm[1:]))


def _quote_pairs(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of «…», “…” and "…" pairs, within a paragraph line, innermost allowed."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _MARKS_RE.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            stack = []
        elif ch in _OPEN:
            stack.append((_OPEN[ch], i))
        elif ch == '"' and stack and stack[-1][0] == '"':
            _close(pairs, stack.pop()[1], i)
        elif ch == '"':
            stack.append(('"', i))
        elif ch in ("»", "”"):
            while stack and stack[-1][0] != ch:
                stack.pop()
            if stack:
                _close(pairs, stack.pop()[1], i)
    pairs.sort()
    return pairs


def _close(pairs: list[tuple[int, int]], o: int, c: int) -> None:
    if 0 < c - o - 1 <= _MAX_QUOTE:
        pairs.append((o, c))


# ---------------------------------------------------------------- the annotator


def annotate(doc: Document) -> None:
    """Append the document's quotes (direct and indirect) with speaker entity ids and cues."""
    for found in find_quotes(doc):
        found.quote.venue = found.venue
        doc.quotes.append(found.quote)


def find_quotes(doc: Document) -> list[Found]:
    """Quotes with their venue; :func:`annotate` keeps the contract's part."""
    if not doc.text.strip():
        return []
    return _Finder(_Ctx(doc)).run()


class _Finder:
    def __init__(self, ctx: _Ctx):
        self.ctx = ctx
        self.out: list[Found] = []
        self.claimed: set[tuple[int, int]] = set()
        self.last_speaker: str | None = None
        self.last_speaker_sent = -10
        self.last_statement: tuple[str, str] | None = None
        self.sent_cues: dict[int, list[tuple[int, str | None]]] = {}
        self.cues = list(self._cues())
        self.cue_at = {c.index: c for c in self.cues}

    def _cues(self) -> Iterator[_Cue]:
        ctx = self.ctx
        for hit in cue_gazetteer().find(ctx.doc.normalized):
            spec: CueSpec = hit.payloads[0]
            allowed = ("", "و") if spec.kind == "source-preposition" else ("", "و", "ف")
            if hit.prefix not in allowed:
                continue
            pair = ctx.pair_containing(hit.start)
            if pair and pair not in ctx.names:
                continue  # the speaker's own words
            yield _Cue(hit, spec, ctx.tok_at(hit.start - len(hit.prefix)))

    def run(self) -> list[Found]:
        consumed: set[int] = set()
        for cue in self.cues:
            if cue.index in consumed:
                continue
            if cue.spec.kind == "participle" and self._inside_indirect(cue.hit.start):
                continue  # «…، مشيرا إلى أن …»: a continuation already inside the speaker's indirect quote
            if cue.spec.kind == "source-preposition":
                self._source(cue, consumed)
            else:
                self._verb(cue)
        self.out.sort(key=lambda f: (f.quote.start, f.quote.end))
        return self.out

    def _inside_indirect(self, offset: int) -> bool:
        return any(not f.quote.direct and f.quote.start <= offset < f.quote.end for f in self.out)

    # -- emitting
    def _emit(self, cue: _Cue, start: int, end: int, speaker: str | None, direct: bool, venue: str | None,
              fragments: bool = True) -> None:
        text = self.ctx.text
        start = max(start, self.ctx.lead_end)
        while start < end and (text[start].isspace() or text[start] in ",،:"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ".,،;:؛"):
            end -= 1
        if end <= start or not any(ch.isalpha() for ch in text[start:end]):
            return
        whole = self.ctx.pair_at_open(start) if not direct else None
        if whole is not None and whole[1] == end - 1 and whole not in self.ctx.names:
            self.claimed.add(whole)  # «مشددا على أن «...»»: the complement is the speaker's own words
            start, end, direct = start + 1, end - 1, True
        h = cue.hit
        self.out.append(Found(Quote(start, end, text[start:end], speaker, Mention(h.start, h.end, h.text), direct),
                              venue))
        if speaker is not None:
            self.last_speaker = speaker
            self.last_speaker_sent = self.ctx.sentence_index(h.start)
        if fragments and not direct:  # quoted words inside reported speech belong to that one indirect quote
            for pair in self.ctx.pairs:
                if start <= pair[0] and pair[1] < end and pair not in self.ctx.names:
                    self.claimed.add(pair)

    def _emit_pair(self, cue: _Cue, pair: tuple[int, int], speaker: str | None, venue: str | None) -> None:
        self.claimed.add(pair)
        self._emit(cue, pair[0] + 1, pair[1], speaker, True, venue)

    def _speech_pair_before(self, offset: int) -> tuple[int, int] | None:
        """An unclaimed quotation closing just before ``offset`` (only spaces and commas between)."""
        for pair in reversed(self.ctx.pairs):
            if pair[1] >= offset:
                continue
            gap = self.ctx.text[pair[1] + 1:offset]
            if gap.strip(" ,،\u00a0") == "" and pair not in self.claimed and pair not in self.ctx.names:
                return pair
            return None
        return None

    # -- verb, participle, phrase and relay cues
    def _verb(self, cue: _Cue) -> None:
        ctx = self.ctx
        if self._in_relative_clause(cue):
            return
        s_start, s_end = ctx.sentence_bounds(cue.hit.start)
        window, boundary, bpos = self._window(cue, s_end)
        venue = None
        if cue.spec.kind == "participle":
            speaker = self._clause_subject(cue, s_start)
        else:
            subject, speaker, venue = self._subject(cue, window)
            if not subject:
                speaker = self._no_subject(cue, s_start)
        si = ctx.sentence_index(cue.hit.start)
        self.sent_cues.setdefault(si, []).append((cue.hit.start, speaker))
        mode = cue.spec.mode
        if boundary in ("colon", "quote") and mode != "indirect":
            pair = ctx.pair_at_open(bpos) if boundary == "quote" else self._pair_after_colon(bpos)
            if pair is None and boundary == "colon":
                pair = self._open_across_lines(bpos)
            if pair is not None:
                self._emit_pair(cue, pair, speaker, venue)
            else:
                k = ctx.tok_at(bpos + 1)
                if k < len(ctx.tokens) and _in_class(ctx.tokens[k].norm, "complementizer"):
                    bpos = ctx.tokens[k].end - 1
                self._emit(cue, bpos + 1, s_end, speaker, True, venue)
        elif cue.spec.kind == "relay" and not any(t.norm == "عن" for t in window[:5]):
            return  # «نقل خبرته»: a transfer, not a report
        elif boundary == "comp" and mode != "direct":
            tok = ctx.tokens[bpos]
            self._emit(cue, tok.end, self._clause_end(tok.end, s_end), speaker, False, venue)
        else:
            pair = self._speech_pair_before(cue.hit.start - len(cue.hit.prefix))
            if pair is not None:
                self._emit_pair(cue, pair, speaker, venue)
            elif speaker is not None:
                self.last_speaker, self.last_speaker_sent = speaker, si  # «ونفى الوزير ...» sets the topic

    def _open_across_lines(self, colon: int) -> tuple[int, int] | None:
        """«قال: «…\n…»»: an opening mark after a colon whose closing mark is on a later line."""
        text = self.ctx.text
        o = colon + 1
        while o < len(text) and text[o] == " ":
            o += 1
        if o >= len(text) or text[o] not in _OPEN and text[o] != '"':
            return None
        close = _OPEN.get(text[o], '"')
        c = text.find(close, o + 1, o + 1 + _MAX_QUOTE)
        if c < 0 or "\n" not in text[o:c] or (text[o] in _OPEN and text[o] in text[o + 1:c]):
            return None
        return o, c

    def _in_relative_clause(self, cue: _Cue) -> bool:
        """«إلى أي مسألة يرى أنها تهدد…»: an imperfective cue right after «أي/كل + indefinite noun» is a relative
        clause describing that noun, not a report; after «مما/ما» («مما يؤكد أن») it draws a conclusion."""
        if cue.hit.prefix or cue.spec.kind != "verb" or cue.index < 1 or cue.spec.form[0] not in "يت":
            return False
        prev = self.ctx.tokens[cue.index - 1]
        if prev.norm in word_class("inference"):
            return True  # «مما يؤكد أن»: a conclusion, not a report
        prev2 = self.ctx.tokens[cue.index - 2] if cue.index >= 2 else prev
        return prev.kind == "word" and not prev.norm.startswith("ال") and _in_class(prev2.norm, "relative-head")

    def _pair_after_colon(self, colon: int) -> tuple[int, int] | None:
        ctx = self.ctx
        k = ctx.tok_at(colon + 1)
        if k < len(ctx.tokens) and _in_class(ctx.tokens[k].norm, "complementizer"):
            k += 1  # «قالت الشرطة: إنه «...»»
        if k >= len(ctx.tokens):
            return None
        pair = ctx.pair_at_open(ctx.tokens[k].start)
        return pair if pair is not None and pair not in self.ctx.names else None

    def _window(self, cue: _Cue, s_end: int) -> tuple[list[Token], str | None, int]:
        """Tokens after the cue up to what it introduces: ("colon", offset) | ("quote", offset) |
        ("comp", token index) | (None, -1)."""
        ctx = self.ctx
        toks = ctx.tokens
        k = ctx.tok_at(cue.hit.end)
        window: list[Token] = []
        while k < len(toks) and toks[k].start < s_end and len(window) < _MAX_WINDOW:
            tok = toks[k]
            if k in self.cue_at and k != cue.index:
                break
            if tok.text in _QUOTE_CHARS:
                pair = ctx.pair_at_open(tok.start)
                if pair is not None and pair in ctx.names:
                    window += toks[k:ctx.tok_at(pair[1] + 1)]
                    k = ctx.tok_at(pair[1] + 1)
                    continue
                if pair is not None:
                    return window, "quote", tok.start
            if tok.text == ":":
                return window, "colon", tok.start
            if (len(window) <= _MAX_COMP and _in_class(tok.norm, "complementizer") and tok.norm not in ("لان",)
                    and not (window and _in_class(window[-1].norm, "not-complement"))):
                return window, "comp", k
            if tok.text in _COMMAS and k + 1 < len(toks) and _in_class(toks[k + 1].norm, "clause-break"):
                break
            if tok.norm in word_class("relative"):
                break  # «أعلن إلغاء القمة التي كان مقررا أن...»: that «أن» is not the cue's
            window.append(tok)
            k += 1
        return window, None, -1

    def _subject(self, cue: _Cue, window: list[Token]) -> tuple[list[Token], str | None, str | None]:
        """(subject tokens, speaker id, venue id) of the phrase after a verb cue."""
        if cue.spec.kind == "relay":  # نقلت الوكالة عن الوزير: speaker after عن, the outlet is the venue
            at = next((i for i, t in enumerate(window[:5]) if t.norm == "عن"), None)
            if at is None:
                return [], None, None
            outlet = self._phrase(window[:at], first_free=False)
            source = self._phrase(window[at + 1:], first_free=True)
            return source or outlet, self._resolve(source, cue) if source else None, self._first_entity(outlet)
        subject = self._phrase(window, first_free=False)
        rest = [t for t in window if not subject or t.start >= subject[-1].end]
        speaker = self._resolve(subject, cue) if subject else None
        if subject and speaker is None:
            speaker = self._late_person(subject, rest) or self._author(subject, window) \
                or self._org_named_before(subject, cue.hit.start)
        return subject, speaker, self._venue(rest)

    def _phrase(self, toks: list[Token], first_free: bool) -> list[Token]:
        """The noun phrase opening ``toks``: up to a comma, a preposition/adverb or a time expression."""
        out: list[Token] = []
        for i, tok in enumerate(toks):
            if tok.kind == "punct" and tok.text not in _QUOTE_CHARS:
                if tok.text in "-–." and out:
                    out.append(tok)
                    continue
                break
            if _in_class(tok.norm, "filler") and not out:
                continue
            if not (first_free and i == 0) and (tok.norm in word_class("stop") or self.ctx.in_time(tok)):
                break
            out.append(tok)
        while out and out[-1].kind == "punct":
            out.pop()
        return out

    def _venue(self, rest: list[Token]) -> str | None:
        for i, tok in enumerate(rest):
            if _in_class(tok.norm, "media") and tok.norm not in ("تصريحات", "تصريح", "بيان"):
                end = rest[min(i + 4, len(rest) - 1)].end
                refs = self.ctx.refs_in(tok.start, end)
                if refs:
                    return refs[0].entity.id
        return None

    def _first_entity(self, toks: list[Token]) -> str | None:
        if not toks:
            return None
        refs = self.ctx.refs_in(toks[0].start, toks[-1].end)
        return refs[0].entity.id if refs else None

    def _resolve(self, subject: list[Token], cue: _Cue) -> str | None:
        """The entity a speaker phrase names: a person (or role text), a title's holder, else an org/place."""
        ctx = self.ctx
        s0, s1 = subject[0].start, subject[-1].end
        refs = ctx.refs_in(s0, s1)
        people = [r for r in refs if r.entity.type == "PER"]
        title = next((h for h in ctx.titles() if s0 <= h.start < s1), None)
        if people:
            ent = people[0].entity
            if title is not None and title.start <= people[0].start and not ent.kb_id and len(ent.mentions) == 1:
                held = self._title_holder(title, cue.hit.start)
                if held and held != ent.id and ctx.by_id[held].kb_id:
                    return held  # «ونفى الوزير تقارير...»: a known minister, not a one-off name after the title
            return ent.id
        if title is not None and title.start < (refs[0].start if refs else s1):
            held = self._title_holder(title, cue.hit.start)
            if held is not None or title.start == s0:
                return held
            return self._surname(subject[:ctx.tok_at(title.start) - ctx.tok_at(s0)], cue.hit.start)  # «الدكتور مرغلاني المتحدث ...»
        if refs and refs[0].start < subject[0].end + 1:
            return refs[0].entity.id
        return self._surname(subject, cue.hit.start)

    def _surname(self, subject: list[Token], before: int) -> str | None:
        """«وقال ميلر» after «أليكسي ميلر»: a person named earlier by the last word of a mention."""
        words = {t.norm for t in subject[:4] if t.kind == "word"}
        best: tuple[int, str] | None = None
        for ref in self.ctx.refs_in(0, before):
            if ref.entity.type == "PER" and len(ref.entity.mentions) and ref.end <= before:
                last = self.ctx.doc.normalized.text[self._nspan(ref)].split()
                if last and last[-1] in words and len(last[-1]) >= 3 and (best is None or ref.start > best[0]):
                    best = (ref.start, ref.entity.id)
        return best[1] if best else None

    def _nspan(self, ref: _Ref) -> slice:
        i, j = self.ctx.tok_at(ref.start), self.ctx.tok_at(ref.end)
        toks = self.ctx.tokens
        return slice(toks[i].nstart, toks[j - 1].nend) if j > i else slice(0, 0)

    def _late_person(self, subject: list[Token], rest: list[Token]) -> str | None:
        """«مسؤول السياسة الخارجية في التكتل جوزيب بوريل أن»: a name closing a title that holds a preposition."""
        ctx = self.ctx
        titles_end = {h.end for h in ctx.titles()}
        for tok in rest[:6]:
            if _in_class(tok.norm, "media") or tok.kind == "punct":
                return None
            for ref in ctx.refs_in(tok.start, tok.end):
                prev = ctx.tokens[ctx.tok_at(ref.start) - 1]
                if (ref.entity.type == "PER" and prev.kind == "word" and prev.norm not in word_class("stop")
                        and prev.end not in titles_end):
                    return ref.entity.id
        return None

    def _author(self, subject: list[Token], window: list[Token]) -> str | None:
        """«ذكر بيان صادر عن الكرملين»: a statement speaks for the entity it comes from."""
        norm = subject[0].norm
        if _in_class(norm, "statement"):
            refs = self.ctx.refs_in(subject[0].end, window[-1].end)
            if refs:
                self.last_statement = (norm, refs[0].entity.id)
                return refs[0].entity.id
            return None
        definite = norm[2:] if norm.startswith("ال") else norm[3:] if norm.startswith(("وال", "فال")) else ""
        if len(subject) == 1 and self.last_statement and definite == self.last_statement[0]:
            return self.last_statement[1]  # «وأشار البيان إلى أن» after «بيان صادر عن الكرملين»
        return None

    def _org_named_before(self, subject: list[Token], before: int) -> str | None:
        """«وقالت الشركة أن»: the organization of that kind («شركة ...», «الشركة ...») named last before the cue."""
        if len(subject) != 1:
            return None
        norm = subject[0].norm
        head = next((norm[len(p):] for p in ("ال", "وال", "فال") if norm.startswith(p)), "")
        if head not in word_class("org-head"):
            return None
        best: tuple[int, str] | None = None
        kb = load_kb()
        text = self.ctx.doc.text
        for ent in self.ctx.doc.entities:
            if ent.type not in ("ORG", "FAC"):
                continue
            entry = kb.entries.get(ent.kb_id or "")
            names = [ent.name or "", *(entry.names if entry else ())]
            for m in ent.mentions:
                names.append(m.text)
                names += text[max(0, m.start - 12):m.start].split()[-1:]  # «شركة» right before the name
            if not any(f.startswith((head, "ال" + head)) for n in names for f in _strip_clitic(normalize_word(n))):
                continue
            seen = [m.start for m in ent.mentions if m.end <= before]
            if seen and (best is None or max(seen) > best[0]):
                best = (max(seen), ent.id)
        return best[1] if best else None

    def _title_holder(self, title: Hit, before: int) -> str | None:
        """The person mentioned last before ``before`` who holds ``title`` (and its nationality if stated)."""
        ctx = self.ctx
        keys = set(title.payloads)
        k = ctx.tok_at(title.end)
        country = None
        if k < len(ctx.tokens):
            country = load_kb().country_of_nisba(ctx.tokens[k].text)
        best: tuple[int, str] | None = None
        for ent in ctx.doc.entities:
            if ent.type != "PER" or not _holds(ent, keys, country):
                continue
            seen = [m.start for m in ent.mentions if m.start < before]
            seen += [r["start"] for r in ent.roles if isinstance(r.get("start"), int) and r["start"] < title.start]
            if seen and (best is None or max(seen) > best[0]):
                best = (max(seen), ent.id)
        return best[1] if best else None

    def _no_subject(self, cue: _Cue, s_start: int) -> str | None:
        """Speaker of a cue with no subject: «من جانبه» → last person; else the last speaker nearby,
        else the last person of the previous sentence."""
        ctx = self.ctx
        if cue.index > 0 and not cue.hit.prefix and cue.spec.kind != "participle":
            prev = ctx.tokens[cue.index - 1]
            if prev.norm == "قد" and cue.index > 1:
                prev = ctx.tokens[cue.index - 2]  # «وكان توكاييف قد وصف»: the subject stands before «قد»
            refs = [r for r in ctx.refs_in(0, prev.end) if r.end == prev.end]
            if prev.kind == "word" and refs:
                return refs[-1].entity.id  # «إلا أن أستانا تؤكد أنها»: the subject stands before the verb
        if cue.spec.form.endswith(_PLURAL):
            return None  # «قالوا» / «معتبرين»: not the last (single) speaker
        si = ctx.sentence_index(cue.hit.start)
        before = ctx.doc.normalized.text[:ctx.tokens[cue.index].nstart].rstrip(" ,")
        if any(before.endswith(a) for a in word_class("anaphor")):
            return self._last_person(cue.hit.start)
        if self.last_speaker and si - self.last_speaker_sent <= 3:
            return self.last_speaker
        prev_start = ctx.sentences[si - 1].start if si > 0 else s_start
        person = self._last_person(cue.hit.start, since=prev_start)
        return person or self.last_speaker

    def _last_person(self, before: int, since: int = 0) -> str | None:
        people = [r for r in self.ctx.refs_in(since, before) if r.entity.type == "PER" and r.end <= before]
        return people[-1].entity.id if people else None

    def _clause_subject(self, cue: _Cue, s_start: int) -> str | None:
        """Speaker of a participle (مؤكدا أن): the clause's earlier cue, its first person, or its title."""
        ctx = self.ctx
        toks = ctx.tokens
        start = s_start
        for k in range(cue.index - 1, ctx.tok_at(s_start), -1):
            if _in_class(toks[k].norm, "clause-break") and toks[k - 1].text in _COMMAS:
                start = toks[k].start
                break
        si = ctx.sentence_index(cue.hit.start)
        earlier = [sp for pos, sp in self.sent_cues.get(si, []) if start <= pos < cue.hit.start]
        if earlier:
            return earlier[-1]
        people = [r for r in ctx.refs_in(start, cue.hit.start) if r.entity.type == "PER"]
        if people:
            return people[0].entity.id
        title = next((h for h in ctx.titles() if start <= h.start < cue.hit.start), None)
        if title is not None:
            return self._title_holder(title, cue.hit.start)
        return self._no_subject(cue, s_start)

    def _clause_end(self, start: int, s_end: int) -> int:
        """End of the clause opened at ``start``: before the next participle cue or «، فيما/، وأضاف...»."""
        ctx = self.ctx
        toks = ctx.tokens
        k = ctx.tok_at(start)
        while k < len(toks) and toks[k].start < s_end:
            tok = toks[k]
            pair = ctx.pair_at_open(tok.start) if tok.text in _QUOTE_CHARS else None
            if pair is not None:
                k = ctx.tok_at(pair[1] + 1)
                continue
            cue = self.cue_at.get(k)
            if cue is not None and cue.spec.kind == "participle" and cue.spec.form.endswith(_PLURAL):
                return tok.start  # «، معتبرين أن»: other speakers; «، مشيرا إلى أن» continues the same one
            if tok.text in _COMMAS and k + 1 < len(toks):
                nxt = toks[k + 1]
                nxt_cue = self.cue_at.get(k + 1)
                same = nxt_cue is not None and nxt_cue.spec.kind == "participle" and not nxt_cue.spec.form.endswith(
                    _PLURAL)
                if _in_class(nxt.norm, "clause-break") or (nxt_cue is not None and not same):
                    return tok.start
            k += 1
        return s_end

    # -- source prepositions: بحسب X، وفقا لـX، نقلا عن X، على لسان X
    def _source(self, cue: _Cue, consumed: set[int]) -> None:
        ctx = self.ctx
        toks = ctx.tokens
        s_start, s_end = ctx.sentence_bounds(cue.hit.start)
        k = ctx.tok_at(cue.hit.end)
        while k < len(toks) and toks[k].start < s_end and (_in_class(toks[k].norm, "filler") or k in self.cue_at):
            if k in self.cue_at:
                consumed.add(k)  # بحسب ما قال الوزير: «قال» belongs to this cue
            k += 1
        rest = toks[k:ctx.tok_at(s_end)]
        subject = self._phrase(rest, first_free=True)
        speaker = self._resolve(subject, cue) if subject else None
        venue = None
        if speaker is None and not self._is_source(subject):
            return  # «وفقا للقانون»: in accordance with, not according to someone
        pair = self._speech_pair_before(cue.hit.start - len(cue.hit.prefix))
        if pair is not None:
            self._emit_pair(cue, pair, speaker, venue)
            return
        lead = [t for t in toks[ctx.tok_at(s_start):cue.index] if t.kind == "word" or t.text in _COMMAS]
        if not lead:  # «وبحسب الوزارة، فإن ...»: the rest of the sentence after the source
            after = subject[-1].end if subject else cue.hit.end
            j = ctx.tok_at(after)
            while j < len(toks) and toks[j].start < s_end and toks[j].text not in _COMMAS:
                j += 1
            if j >= len(toks) or toks[j].start >= s_end:
                return
            j += 1
            if j < len(toks) and toks[j].norm in ("فان", "فانه", "فانها", "ان"):
                j += 1
            if j < len(toks) and toks[j].start < s_end:
                self._emit(cue, toks[j].start, s_end, speaker, False, venue)
            return
        prev = toks[cue.index - 1] if cue.index > 0 else None
        if (prev is not None and prev.text in _COMMAS) or cue.spec.form.endswith(("ما", "قال")):
            self._emit(cue, s_start, prev.start if prev is not None and prev.text in _COMMAS else cue.hit.start,
                       speaker, False, venue)


    def _is_source(self, subject: list[Token]) -> bool:
        """A phrase that can be a source: a source noun (مصادر، مسؤول) or a title opening it."""
        if not subject:
            return False
        if any(h.start == subject[0].start or h.start - len(h.prefix) == subject[0].start for h in self.ctx.titles()):
            return True
        return _in_class(subject[0].norm, "source") or _in_class(subject[0].norm, "statement")


def _holds(ent: Entity, keys: set[str], country: str | None) -> bool:
    """Whether an entity's stated or KB roles match a title key (a generic «الوزير» matches any minister)."""
    roles: list[tuple[str, str | None]] = [(r.get("role") or "", r.get("country") or r.get("org")) for r in ent.roles]
    if ent.kb_id:
        entry = load_kb().entries.get(ent.kb_id)
        if entry is not None:
            roles += [(r.key, r.where) for r in entry.roles if r.end is None]
    for key, where in roles:
        if any(key == k or key.endswith("-" + k) for k in keys) and (country is None or where in (country, None)):
            return True
    return False
