"""Find trigger patterns in a sentence: clitic-aware word matching with bounded gaps, one pattern per trigger.

A pattern's first word run is the trigger itself; later runs («* اتفاقية») must follow within
:data:`MAX_GAP` tokens, crossing commas (a parenthetical «، أمس الخميس،») and quotation marks, no other
punctuation. At each word the most specific pattern wins (more words, then the longer, more specific
code), and the words it used cannot start another trigger.

Speed: one Aho-Corasick pass over the normalized document finds the words that can start a pattern
(:func:`candidate_tokens`; every such word contains a key of :func:`~marsad.events.lexicon.trigger_keys`),
so other words are never segmented. A word's clitic readings and the patterns they start depend only on its
spelling and are computed once per process (:func:`word_forms`, :func:`starts_of`). Patterns with a gap are
indexed by their second word, so the words after a trigger are read once, not once per pattern. Original
offsets are computed only for matched triggers.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from marsad.events.lexicon import Pattern, Starts, load_function_words, pattern_index, second_keys, trigger_keys
from marsad.normalize import Normalized
from marsad.tokenize import Token, _readings

MAX_GAP = 10
#: letters a key may have before it in a word (proclitics «وبال» + the article the key drops) and after it (a pronoun
#: «هما» + the «ه/ت» the key drops)
_MAX_BEFORE = 6
_MAX_AFTER = 4
_GAP_PUNCT = frozenset(',«»"“”()+')
_EMPTY: dict[str, tuple[int, int, str, str]] = {}


@dataclass(frozen=True, slots=True)
class Match:
    pattern: Pattern
    head: tuple[int, int]  # token range of the trigger run
    end: int  # token index after the last matched word
    start: int  # original offsets of the trigger (clitics excluded)
    stop: int
    future_prefix: bool  # «سيوقع», «وستزور»: the future prefix sits on the trigger
    pronoun: str  # «زيارته»: the pronoun suffix on the trigger («ه», «ها», «هم»…), "" when none
    form: str  # the trigger word as looked up (clitics removed)
    prefix: str  # proclitics on the trigger word («وب», «ال»)
    second: int | None  # token index where the pattern's second word run starts (its object), None for one run


@lru_cache(maxsize=100_000)
def word_forms(norm: str) -> dict[str, tuple[int, int, str, str]]:
    """form -> (proclitics length, enclitic length, proclitics, enclitic) for a normalized word, whole word first."""
    out: dict[str, tuple[int, int, str, str]] = {}
    for plen, form, slen, prefix, suffix in _readings(norm):
        out.setdefault(form, (plen, slen, prefix, suffix))
    return out


@lru_cache(maxsize=100_000)
def starts_of(norm: str) -> tuple[Starts, ...]:
    """The pattern groups whose first word is one of the word's readings."""
    index = pattern_index()
    return tuple(index[form] for form in word_forms(norm) if form in index)


def automaton(keys) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton over ``keys`` (each key's value is its length)."""
    auto = ahocorasick.Automaton()
    for key in keys:
        auto.add_word(key, len(key))
    auto.make_automaton()
    return auto


def token_hits(auto: ahocorasick.Automaton, tokens: list[Token], nz: Normalized, starts: list[int] | None = None,
               before: int = _MAX_BEFORE, after: int = _MAX_AFTER) -> dict[int, set[str]]:
    """Word tokens holding a key of ``auto`` with at most ``before``/``after`` letters around it -> those keys.
    ``starts``: the tokens' normalized start offsets, when the caller has them."""
    if starts is None:
        starts = [t.nstart for t in tokens]
    text = nz.text
    out: dict[int, set[str]] = {}
    for end, length in auto.iter(text):
        i = bisect_right(starts, end) - 1
        if i < 0:
            continue
        tok = tokens[i]
        if tok.nend <= end or tok.kind != "word" or end + 1 - length - tok.nstart > before or tok.nend - end - 1 > after:
            continue
        out.setdefault(i, set()).add(text[end + 1 - length:end + 1])
    return out


@cache
def _key_automaton() -> ahocorasick.Automaton:
    return automaton(trigger_keys())


@cache
def _second_automaton() -> ahocorasick.Automaton:
    return automaton(second_keys())


def candidate_tokens(tokens: list[Token], nz: Normalized, starts: list[int] | None = None) -> list[int]:
    """Indices of the word tokens that may start a pattern: a token holding a trigger key, or the one a key's word
    follows within its pattern («في» before «استقبالهم»). A superset of the true starts."""
    return sorted(_run_starts(_key_automaton(), trigger_keys(), tokens, nz, starts))


def second_tokens(tokens: list[Token], nz: Normalized, starts: list[int] | None = None) -> set[int]:
    """Indices of the word tokens that may start the second word run of a gapped pattern."""
    return _run_starts(_second_automaton(), second_keys(), tokens, nz, starts)


def _run_starts(auto, keys: dict[str, frozenset[int]], tokens: list[Token], nz: Normalized,
                starts: list[int] | None) -> set[int]:
    found: set[int] = set()
    for i, hit in token_hits(auto, tokens, nz, starts).items():
        for key in hit:
            found.update(i - off for off in keys[key] if i - off >= 0)
    return found


class TokenForms:
    """Lookup forms of each token (whole word and clitic readings)."""

    def __init__(self, tokens: list[Token], nz: Normalized):
        self.tokens, self.nz = tokens, nz
        self.nstarts = [t.nstart for t in tokens]
        self._seconds: set[int] | None = None

    @property
    def seconds(self) -> set[int]:
        """Tokens that may hold a gapped pattern's second word (computed on first use)."""
        if self._seconds is None:
            self._seconds = second_tokens(self.tokens, self.nz, self.nstarts)
        return self._seconds

    def get(self, i: int) -> dict[str, tuple[int, int, str, str]]:
        tok = self.tokens[i]
        return word_forms(tok.norm) if tok.kind == "word" else _EMPTY

    def start_of(self, i: int, form: str) -> int:
        """Original start offset of reading ``form`` of token ``i`` (after its proclitics)."""
        tok = self.tokens[i]
        plen = word_forms(tok.norm)[form][0]
        return self.nz.to_original(tok.nstart + plen, tok.nend)[0]


def find_triggers(forms: TokenForms, lo: int, hi: int, candidates: list[int] | None = None) -> list[Match]:
    """Trigger matches among tokens ``lo:hi`` (one sentence), left to right, non-overlapping; ``candidates``: the only
    token indices that may start one (from :func:`candidate_tokens`), all when None."""
    tokens = forms.tokens
    used: set[int] = set()
    out: list[Match] = []
    for i in (range(lo, hi) if candidates is None else candidates):
        tok = tokens[i]
        if tok.kind != "word" or i in used:
            continue
        groups = starts_of(tok.norm)
        if not groups:
            continue
        for p in _candidates(groups, forms, i, hi):
            spans = _match(p, forms, i, hi, used)
            if spans is None:
                continue
            h0, h1 = spans[0]
            form = p.runs[0][0]
            prefix = word_forms(tok.norm)[form][2]
            suffix = word_forms(tokens[h1 - 1].norm)[p.runs[0][-1]][3]  # «في استقباله»: the pronoun ends the run
            out.append(Match(p, (h0, h1), spans[-1][1], forms.start_of(i, form), tokens[h1 - 1].end,
                             "س" in prefix, suffix, form, prefix, spans[1][0] if len(spans) > 1 else None))
            for s, e in spans:
                used.update(range(s, e))
            break
    return out


def _candidates(groups: tuple[Starts, ...], forms: TokenForms, i: int, hi: int) -> list[Pattern]:
    """Patterns that may match at ``i``: one-run ones, and those whose second run's first word occurs in reach."""
    cands = [p for g in groups for p in g.single]
    if any(g.by_second for g in groups):
        tokens, seconds = forms.tokens, forms.seconds
        seen: set[str] = set()
        words = 0
        for j in range(i + 1, hi):
            tok = tokens[j]
            if tok.kind == "punct":
                if tok.norm not in _GAP_PUNCT:
                    break
                continue
            words += 1
            if words > MAX_GAP + 4:  # the first run may hold a few words
                break
            if j in seconds:
                seen.update(forms.get(j))
        for g in groups:
            for word in seen & g.by_second.keys():
                cands += g.by_second[word]
    if len(cands) > 1:
        cands.sort(key=lambda p: (-p.size, -len(p.code), p.line))
    return cands


def _match(p: Pattern, forms: TokenForms, i: int, hi: int, used: set[int]) -> list[tuple[int, int]] | None:
    spans = []
    pos = i
    tokens = forms.tokens
    for r, run in enumerate(p.runs):
        if r == 0:
            if not _run_at(run, forms, pos, hi, used):
                return None
            spans.append((pos, pos + len(run)))
            pos += len(run)
            continue
        found = None
        j, skipped = pos, 0
        clause = load_function_words()["clause"]
        while j < hi and skipped <= MAX_GAP:
            tok = tokens[j]
            if tok.kind == "punct" and tok.norm not in _GAP_PUNCT:
                break
            if _run_at(run, forms, j, hi, used):
                found = j
                break
            if tok.norm in clause or (tok.norm[:1] in "وف" and tok.norm[1:] in clause):
                break  # the gap stays inside the clause: «هاجم السعودية … بأنها … تصريحات» is not one pattern
            skipped += tok.kind != "punct"
            j += 1
        if found is None:
            return None
        spans.append((found, found + len(run)))
        pos = found + len(run)
    return spans


def _run_at(run: tuple[str, ...], forms: TokenForms, pos: int, hi: int, used: set[int]) -> bool:
    if pos + len(run) > hi:
        return False
    for k, word in enumerate(run):
        if pos + k in used or word not in forms.get(pos + k):
            return False
    return True
