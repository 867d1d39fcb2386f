"""Tokens with exact offsets and candidate clitic segmentations.

Tokens are found in the normalized text and mapped back, so «وكازاخستان» is one token whose
segmentations include the stem «كازاخستان» with offsets that exclude the conjunction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.normalize import Normalized, normalize

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


@lru_cache(maxsize=200_000)
def _readings(norm: str) -> tuple[tuple[int, str, int, str, str], ...]:
    """Clitic readings of a normalized word: (prefix_len, form, suffix_len, prefix, suffix)."""
    out: list[tuple[int, str, int, str, str]] = [(0, norm, 0, "", "")]
    seen = {(0, 0)}
    for conj in _CONJ:
        for prep in _PREP:
            for art in ("", "ال"):
                pre = conj + prep + art
                if not pre or not norm.startswith(pre):
                    continue
                rest = norm[len(pre):]
                if len(rest) < MIN_STEM:
                    continue
                # "لل" = ل + ال with the alef elided: «للاتحاد» reads as ل + الاتحاد
                form = ("ال" + rest[1:]) if (prep == "ل" and art == "" and rest.startswith("ل") and len(rest) > 3) else None
                if art:  # «بالاتحاد» reads as ب + «الاتحاد», the article kept in the span
                    _add(out, seen, len(conj + prep), art + rest, "", conj + prep)
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
    for enc in ENCLITICS:
        if stem.endswith(enc) and len(stem) - len(enc) >= MIN_STEM + 1:
            base = stem[: -len(enc)]
            _add(out, seen, plen, base, enc, prefix)
            if base.endswith("ت"):  # حكومته → حكومة (ة written ت before a pronoun)
                _add(out, seen, plen, base[:-1] + "ه", enc, prefix)


def tokenize(text: str | Normalized) -> list[Token]:
    """Split into word, number and punctuation tokens with original and normalized offsets."""
    nz = text if isinstance(text, Normalized) else normalize(text)
    src = nz.source
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(nz.text):
        start, end = nz.to_original(m.start(), m.end())
        tokens.append(Token(start, end, src[start:end], m.group(), m.lastgroup or "punct", m.start(), m.end()))
    return tokens


def segments(token: Token, nz: Normalized) -> list[Segment]:
    """Candidate readings of a word token, the whole token first, each with original offsets."""
    if token.kind != "word":
        return [Segment("", token.norm, "", token.start, token.end)]
    result = []
    for plen, form, slen, prefix, suffix in _readings(token.norm):
        start, end = nz.to_original(token.nstart + plen, token.nend - slen)
        result.append(Segment(prefix, form, suffix, start, end))
    return result
