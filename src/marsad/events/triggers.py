"""Find trigger patterns in a sentence: clitic-aware word matching with bounded gaps, one pattern per trigger.

A pattern's first word run is the trigger itself; later runs («* اتفاقية») must follow within
:data:`MAX_GAP` tokens, crossing commas (a parenthetical «، أمس الخميس،») and quotation marks, no other
punctuation. At each word the most specific pattern wins (more words, then the longer, more specific
code), and the words it used cannot start another trigger.

Speed: a word's clitic readings depend only on its normalized spelling, so the forms of a spelling and
the patterns they can start are computed once per process (:func:`word_forms`, :func:`starts_of`);
a sentence with no word starting a pattern costs one dictionary lookup per word. Original offsets are
computed only for the matched trigger.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from marsad.events.lexicon import Pattern, pattern_index
from marsad.normalize import Normalized
from marsad.tokenize import Token, _readings

MAX_GAP = 10
_GAP_PUNCT = frozenset(',«»"“”()')
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
def starts_of(norm: str) -> tuple[Pattern, ...]:
    """Patterns whose first word is one of the word's readings, most specific first."""
    index = pattern_index()
    cands = [p for form in word_forms(norm) for p in index.get(form, ())]
    cands.sort(key=lambda p: (-p.size, -len(p.code)))
    return tuple(cands)


class TokenForms:
    """Lookup forms of each token (whole word and clitic readings)."""

    def __init__(self, tokens: list[Token], nz: Normalized):
        self.tokens, self.nz = tokens, nz

    def get(self, i: int) -> dict[str, tuple[int, int, str, str]]:
        tok = self.tokens[i]
        return word_forms(tok.norm) if tok.kind == "word" else _EMPTY

    def start_of(self, i: int, form: str) -> int:
        """Original start offset of reading ``form`` of token ``i`` (after its proclitics)."""
        tok = self.tokens[i]
        plen = word_forms(tok.norm)[form][0]
        return self.nz.to_original(tok.nstart + plen, tok.nend)[0]


def has_trigger(tokens: list[Token], lo: int, hi: int) -> bool:
    """Whether any word of ``tokens[lo:hi]`` can start a pattern (the cheap pre-check)."""
    return any(tok.kind == "word" and starts_of(tok.norm) for tok in tokens[lo:hi])


def find_triggers(forms: TokenForms, lo: int, hi: int) -> list[Match]:
    """Trigger matches among tokens ``lo:hi`` (one sentence), left to right, non-overlapping."""
    tokens = forms.tokens
    used: set[int] = set()
    out: list[Match] = []
    for i in range(lo, hi):
        tok = tokens[i]
        if tok.kind != "word" or i in used:
            continue
        cands = starts_of(tok.norm)
        if not cands:
            continue
        here = word_forms(tok.norm)
        for p in cands:
            spans = _match(p, forms, i, hi, used)
            if spans is None:
                continue
            h0, h1 = spans[0]
            form = p.runs[0][0]
            prefix = here[form][2]
            suffix = word_forms(tokens[h1 - 1].norm)[p.runs[0][-1]][3]  # «في استقباله»: the pronoun ends the run
            out.append(Match(p, (h0, h1), spans[-1][1], forms.start_of(i, form), tokens[h1 - 1].end,
                             "س" in prefix, suffix, form, prefix, spans[1][0] if len(spans) > 1 else None))
            for s, e in spans:
                used.update(range(s, e))
            break
    return out


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
        while j < hi and skipped <= MAX_GAP:
            tok = tokens[j]
            if tok.kind == "punct" and tok.norm not in _GAP_PUNCT:
                break
            if _run_at(run, forms, j, hi, used):
                found = j
                break
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
