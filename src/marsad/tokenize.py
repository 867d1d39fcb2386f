"""Tokens with exact offsets and candidate clitic segmentations.

Tokens are found in the normalized text and mapped back, so «وكازاخستان» is one token whose
segmentations include the stem «كازاخستان» with offsets that exclude the conjunction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache

from marsad.normalize import DIACRITICS, Normalized, normalize

# In normalized text: numbers (ASCII digits, '.' or ',' inside), words, then any other visible char.
_TOKEN_RE = re.compile(r"(?P<num>\d+(?:[.,]\d+)*)|(?P<word>[^\W\d_]+)|(?P<punct>[^\s\w]|_)")

#: Proclitic chains (normalized), longest first: conjunction + preposition/future + article.
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك", "س")
#: Enclitic pronouns, longest first.
ENCLITICS = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ه", "ي", "ك")
MIN_STEM = 3


@dataclass(frozen=True, slots=True)
class Segment:
    """One reading of a token: ``form`` is what to look up, ``start:end`` its original characters."""

    prefix: str  # normalized proclitics removed ("وبال", "لل", "")
    form: str  # normalized lookup form (article restored after لل)
    suffix: str  # normalized enclitic removed
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token:
    start: int  # original offsets
    end: int
    text: str  # == original[start:end]
    norm: str  # normalized form
    kind: str  # "word" | "num" | "punct"
    nstart: int  # offsets in the normalized text
    nend: int


def _chains() -> dict[str, tuple[tuple[str, str, str, str], ...]]:
    """(chain, conjunction + preposition, preposition, article) of every proclitic chain, in reading order,
    by first letter: a word is only tried against the chains it can start with."""
    by_first: dict[str, list[tuple[str, str, str, str]]] = {}
    for conj in _CONJ:
        for prep in _PREP:
            for art in ("", "ال"):
                pre = conj + prep + art
                if pre:
                    by_first.setdefault(pre[0], []).append((pre, conj + prep, prep, art))
    return {k: tuple(v) for k, v in by_first.items()}


_CHAINS = _chains()
#: enclitics by last letter, in ENCLITICS order
_ENCLITICS_BY_LAST = {ch: tuple(e for e in ENCLITICS if e[-1] == ch) for ch in {e[-1] for e in ENCLITICS}}


@lru_cache(maxsize=200_000)
def _readings(norm: str) -> tuple[tuple[int, str, int, str, str], ...]:
    """Clitic readings of a normalized word: (prefix_len, form, suffix_len, prefix, suffix)."""
    out: list[tuple[int, str, int, str, str]] = [(0, norm, 0, "", "")]
    seen = {(0, 0)}
    for pre, conj_prep, prep, art in _CHAINS.get(norm[:1], ()):
        if not norm.startswith(pre):
            continue
        rest = norm[len(pre):]
        if len(rest) < MIN_STEM:
            continue
        # "لل" = ل + ال with the alef elided: «للاتحاد» reads as ل + الاتحاد
        form = ("ال" + rest[1:]) if (prep == "ل" and art == "" and rest.startswith("ل") and len(rest) > 3) else None
        if art:  # «بالاتحاد» reads as ب + «الاتحاد», the article kept in the span
            _add(out, seen, len(conj_prep), art + rest, "", conj_prep)
        _add(out, seen, len(pre), rest, "", pre)
        if form:
            _add(out, seen, len(pre) + 1, form, "", pre + "ل")
        if not art:
            _add_enclitics(out, seen, rest, len(pre), pre)
    _add_enclitics(out, seen, norm, 0, "")
    return tuple(out)


def _add(out: list, seen: set, plen: int, form: str, suffix: str, prefix: str) -> None:
    key = (plen, len(suffix), form)
    if key not in seen:
        seen.add(key)
        out.append((plen, form, len(suffix), prefix, suffix))


def _add_enclitics(out: list, seen: set, stem: str, plen: int, prefix: str) -> None:
    for enc in _ENCLITICS_BY_LAST.get(stem[-1:], ()):
        if stem.endswith(enc) and len(stem) - len(enc) >= MIN_STEM + 1:
            base = stem[: -len(enc)]
            _add(out, seen, plen, base, enc, prefix)
            if base.endswith("ت"):  # حكومته → حكومة (ة written ت before a pronoun)
                _add(out, seen, plen, base[:-1] + "ه", enc, prefix)


def tokenize(text: str | Normalized) -> list[Token]:
    """Split into word, number and punctuation tokens with original and normalized offsets."""
    return _tokenize(text if isinstance(text, Normalized) else normalize(text), None, None)


def _tokenize(nz: Normalized, at: dict[str, list[int]] | None, nums: list[int] | None) -> list[Token]:
    """:func:`tokenize`, also filling a :class:`WordIndex`'s ``at`` and ``nums`` when given (one pass)."""
    text = nz.text
    src = nz.source
    origin = nz.origin
    n = len(src)
    tokens: list[Token] = []
    append = tokens.append
    new = object.__new__
    s0, s1, s2, s3, s4, s5, s6 = _SETTERS
    for m in _TOKEN_RE.finditer(text):
        s, e = m.span()
        if origin is None:  # identity map: nothing was dropped, so no trailing marks to keep either
            start, end = s, e
        else:  # inlined Normalized.to_original (tokens are never empty)
            start, end = origin[s], origin[e - 1] + 1
            while end < n and src[end] in DIACRITICS:
                end += 1
        kind = _KINDS[m.lastindex]  # type: ignore[index]
        norm = text[s:e]
        if at is not None:
            if kind == "word":
                lst = at.get(norm)
                if lst is None:
                    at[norm] = [len(tokens)]
                else:
                    lst.append(len(tokens))
            elif kind == "num":
                nums.append(len(tokens))  # type: ignore[union-attr]
        tok = new(Token)  # Token(...) without the frozen dataclass's per-field object.__setattr__ (half the cost)
        s0(tok, start)
        s1(tok, end)
        s2(tok, src[start:end])
        s3(tok, norm)
        s4(tok, kind)
        s5(tok, s)
        s6(tok, e)
        append(tok)
    return tokens


#: token kind by the index of the alternative of ``_TOKEN_RE`` that matched
_KINDS = (None, *sorted(_TOKEN_RE.groupindex, key=_TOKEN_RE.groupindex.__getitem__))
#: slot setters of Token's fields, in order (they bypass the frozen ``__setattr__``)
_SETTERS = tuple(Token.__dict__[f.name].__set__ for f in fields(Token))




def segments(token: Token, nz: Normalized) -> list[Segment]:
    """Candidate readings of a word token, the whole token first, each with original offsets."""
    if token.kind != "word":
        return [Segment("", token.norm, "", token.start, token.end)]
    result = []
    append = result.append
    new = object.__new__
    s0, s1, s2, s3, s4 = _SEGMENT_SETTERS
    to_original = nz.to_original
    for plen, form, slen, prefix, suffix in _readings(token.norm):
        start, end = to_original(token.nstart + plen, token.nend - slen)
        seg = new(Segment)  # Segment(prefix, form, suffix, start, end), without the frozen __setattr__ calls
        s0(seg, prefix)
        s1(seg, form)
        s2(seg, suffix)
        s3(seg, start)
        s4(seg, end)
        append(seg)
    return result


_SEGMENT_SETTERS = tuple(Segment.__dict__[f.name].__set__ for f in fields(Segment))


def tokens_of(nz: Normalized) -> tuple[Token, ...]:
    """The tokens of a normalized text, computed once per text (kept in ``nz.cache``)."""
    return word_index(nz).tokens


class WordIndex:
    """Where each word form stands in one normalized text: rules that need a given word look there
    instead of running their pattern at every character (see :func:`marsad.numbers.scan`)."""

    __slots__ = ("at", "nums", "tokens")

    def __init__(self, nz: Normalized):
        self.at: dict[str, list[int]] = {}  # normalized word -> indexes of its tokens, in order
        self.nums: list[int] = []  # indexes of number tokens
        self.tokens: tuple[Token, ...] = tuple(_tokenize(nz, self.at, self.nums))

    def indexes(self, forms: frozenset[str]) -> list[int]:
        """Sorted indexes of the word tokens whose normalized form is in ``forms``."""
        at = self.at
        hits = [at[f] for f in forms.intersection(at)]
        if not hits:
            return []
        if len(hits) == 1:
            return hits[0]
        return sorted(i for lst in hits for i in lst)

    def starts(self, forms: frozenset[str], *, then_num: bool = False) -> list[int]:
        """Sorted normalized starts of the word tokens in ``forms`` (``then_num``: only those right before a number)."""
        toks = self.tokens
        if then_num:
            n = len(toks)
            return [toks[i].nstart for i in self.indexes(forms) if i + 1 < n and toks[i + 1].kind == "num"]
        return [toks[i].nstart for i in self.indexes(forms)]


def word_index(nz: Normalized) -> WordIndex:
    """The :class:`WordIndex` of a normalized text, built once per text (kept in ``nz.cache``)."""
    ix = nz.cache.get(word_index)
    if ix is None:
        ix = nz.cache[word_index] = WordIndex(nz)
    return ix
