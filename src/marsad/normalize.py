"""Arabic normalization for matching, with an offset map back to the original text.

Every component searches the *normalized* text (no diacritics or tatweel, one alef, ASCII
digits, ASCII punctuation) and reports spans in the *original* text through
:meth:`Normalized.to_original`, so ``text[start:end]`` is always the original characters.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

#: Combining marks removed for matching: harakat, shadda, sukun, dagger alef, Quranic marks.
DIACRITICS = "".join(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06DD), *range(0x06DF, 0x06E9),
                                      *range(0x06EA, 0x06EE)])
TATWEEL = "\u0640"
#: Bidi controls, zero-width characters and the BOM: invisible, never part of a match.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u061c\u00ad"
DROPPED = DIACRITICS + TATWEEL + INVISIBLE

_BASE_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ک": "ك", "ۀ": "ه", "ە": "ه",
    "٫": ".", "٬": ",", "،": ",", "؛": ";", "؟": "?", "٪": "%", "۔": ".",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
}
_BASE_MAP.update({chr(0x0660 + i): str(i) for i in range(10)})
_BASE_MAP.update({chr(0x06F0 + i): str(i) for i in range(10)})
_BASE_MAP.update({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})

# Arabic presentation forms (ligatures such as ﻻ) expand to several letters: slow path only.
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
_DROP_RE = re.compile(f"[{DROPPED}]+")


@lru_cache(maxsize=4)
def _table(ta_marbuta: bool, hamza: bool) -> dict[int, str | None]:
    mapping = dict(_BASE_MAP)
    if ta_marbuta:
        mapping["ة"] = "ه"
    if hamza:
        mapping.update({"ؤ": "و", "ئ": "ي", "ء": ""})
    table: dict[int, str | None] = {ord(k): v for k, v in mapping.items()}
    table.update({ord(c): None for c in DROPPED})
    if hamza:
        table[ord("ء")] = None
    return table


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalized text plus, for each of its characters, the index of the original character."""

    text: str
    source: str
    origin: array | None  # None: identity map (nothing was dropped or expanded)
    #: per-document results of pure functions of this text (gazetteer hits...), keyed by their owner object
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def start_of(self, i: int) -> int:
        """Original index of normalized index ``i`` (``len(text)`` maps to ``len(source)``)."""
        if self.origin is None:
            return i
        return self.origin[i] if i < len(self.origin) else len(self.source)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span to the original span, keeping trailing marks of its last letter."""
        if end <= start:
            s = self.start_of(start)
            return s, s
        o_start = self.start_of(start)
        o_end = self.start_of(end - 1) + 1
        src = self.source
        while o_end < len(src) and src[o_end] in DIACRITICS:
            o_end += 1
        return o_start, o_end


def normalize(text: str, *, ta_marbuta: bool = True, hamza: bool = False) -> Normalized:
    """Normalize ``text`` for matching and keep the way back to its original offsets.

    ``ta_marbuta`` folds ة into ه (news spells both); ``hamza`` also folds ؤ/ئ and drops ء.
    """
    table = _table(ta_marbuta, hamza)
    if _PRESENTATION.search(text) or hamza:
        return _normalize_slow(text, table)
    out = text.translate(table)
    if len(out) == len(text):
        return _new(out, text, None)
    origin = array("l")
    pos = 0
    for m in _DROP_RE.finditer(text):
        origin.extend(range(pos, m.start()))
        pos = m.end()
    origin.extend(range(pos, len(text)))
    return _new(out, text, origin)


def _normalize_slow(text: str, table: dict[int, str | None]) -> Normalized:
    """Character-by-character path for input whose characters may expand (ligatures) or vanish."""
    parts: list[str] = []
    origin = array("l")
    for i, ch in enumerate(text):
        if _PRESENTATION.match(ch):
            ch = unicodedata.normalize("NFKC", ch)
        mapped = ch.translate(table)
        parts.append(mapped)
        origin.extend([i] * len(mapped))
    return _new("".join(parts), text, origin)


_SETTERS = tuple(Normalized.__dict__[f.name].__set__ for f in fields(Normalized))


def _new(text: str, source: str, origin: array | None) -> Normalized:
    """``Normalized(text, source, origin)`` without the frozen dataclass's per-field ``object.__setattr__``
    (half the cost; :func:`normalize` runs for every token the NER features see)."""
    nz = object.__new__(Normalized)
    set_text, set_source, set_origin, set_cache = _SETTERS
    set_text(nz, text)
    set_source(nz, source)
    set_origin(nz, origin)
    set_cache(nz, {})
    return nz


@lru_cache(maxsize=65536)
def normalize_word(word: str, *, ta_marbuta: bool = True) -> str:
    """Normalized form of a lexicon entry or token (no offsets needed)."""
    table = _table(ta_marbuta, False)
    if _PRESENTATION.search(word):
        return _normalize_slow(word, table).text
    return word.translate(table)  # = normalize(word).text, without building the offset map


def strip_diacritics(text: str) -> str:
    """Remove harakat and tatweel only (for display)."""
    return _DROP_RE.sub("", text)
