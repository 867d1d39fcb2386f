"""Find trigger patterns in a sentence: clitic-aware word matching with bounded gaps, one pattern per trigger.

A pattern's first word run is the trigger itself; later runs («* اتفاقية») must follow within
:data:`MAX_GAP` tokens, crossing commas (a parenthetical «، أمس الخميس،») and quotation marks, no other punctuation. At each word the most specific pattern wins
(more words, then the longer, more specific code), and the words it used cannot start another trigger.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.events.lexicon import Pattern, pattern_index
from marsad.normalize import Normalized
from marsad.tokenize import Token, segments

MAX_GAP = 10
_GAP_PUNCT = frozenset(',«»"“”()')


@dataclass(frozen=True, slots=True)
class Match:
    pattern: Pattern
    head: tuple[int, int]  # token range of the trigger run
    end: int  # token index after the last matched word
    start: int  # original offsets of the trigger (clitics excluded)
    stop: int
    future_prefix: bool  # «سيوقع», «وستزور»: the future prefix sits on the trigger
    pronoun: bool  # «زيارته»: a pronoun suffix stands for the actor


class TokenForms:
    """Lookup forms of each token (whole word and clitic readings), computed on demand."""

    def __init__(self, tokens: list[Token], nz: Normalized):
        self.tokens, self.nz = tokens, nz
        self._cache: dict[int, dict[str, tuple[int, str, str]]] = {}

    def get(self, i: int) -> dict[str, tuple[int, str, str]]:
        """form -> (original start of the form, proclitics removed, enclitic removed)."""
        got = self._cache.get(i)
        if got is None:
            tok = self.tokens[i]
            got = {}
            if tok.kind == "word":
                for seg in segments(tok, self.nz):
                    got.setdefault(seg.form, (seg.start, seg.prefix, seg.suffix))
            self._cache[i] = got
        return got


def find_triggers(forms: TokenForms, lo: int, hi: int) -> list[Match]:
    """Trigger matches among tokens ``lo:hi`` (one sentence), left to right, non-overlapping."""
    index = pattern_index()
    tokens = forms.tokens
    used: set[int] = set()
    out: list[Match] = []
    for i in range(lo, hi):
        if i in used or tokens[i].kind != "word":
            continue
        here = forms.get(i)
        cands: list[Pattern] = []
        for form in here:
            cands.extend(index.get(form, ()))
        if not cands:
            continue
        cands.sort(key=lambda p: (-p.size, -len(p.code)))
        for p in cands:
            spans = _match(p, forms, i, hi, used)
            if spans is None:
                continue
            h0, h1 = spans[0]
            start, prefix, suffix = here[p.runs[0][0]]
            stop = tokens[h1 - 1].end
            out.append(Match(p, (h0, h1), spans[-1][1], start, stop, "س" in prefix, bool(suffix)))
            for s, e in spans:
                used.update(range(s, e))
            break
    return out


def _match(p: Pattern, forms: TokenForms, i: int, hi: int, used: set[int]) -> list[tuple[int, int]] | None:
    spans = []
    pos = i
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
            if forms.tokens[j].kind == "punct" and forms.tokens[j].norm not in _GAP_PUNCT:
                break
            if _run_at(run, forms, j, hi, used):
                found = j
                break
            skipped += forms.tokens[j].kind != "punct"
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
