"""A compiled gazetteer: many Arabic names found at once in normalized text, clitics honoured.

Keys are normalized with the same rules as documents (``normalize_word``) and compiled once
into an Aho–Corasick automaton. A hit counts only at a word boundary on the right and, on the
left, at a token start or after a proclitic chain (و ف ب ل ك and their combinations), so
«وبموسكو» yields «موسكو» with the offsets of «موسكو» only. Overlaps resolve longest first.

Two limits keep clitic stripping from inventing names inside common words (measured on SaudiNewsNet):
«ك» is accepted only before names of at least 5 letters («كبيرا» is not ك + Beira, «كريمة» not ك + Rima),
and 2-letter names take no proclitic at all («باب» is not ب + Ibb).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

from marsad.normalize import Normalized, normalize_word

#: proclitic chains allowed before a name inside one token (normalized)
PROCLITICS = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك"})
#: before a name written with the article, «لل» elides the alef: «للاتحاد» = ل + الاتحاد
_LAM_PREFIXES = frozenset({"ل", "ول", "فل"})
#: shortest name that may follow a proclitic chain containing «ك», and any proclitic at all
MIN_LEN_AFTER_KAF = 5
MIN_LEN_AFTER_PROCLITIC = 3


def proclitic_ok(prefix: str, key_len: int) -> bool:
    """Whether ``prefix`` may stand before a name of ``key_len`` letters in the same token."""
    if not prefix:
        return True
    if prefix not in PROCLITICS or key_len < MIN_LEN_AFTER_PROCLITIC:
        return False
    return "ك" not in prefix or key_len >= MIN_LEN_AFTER_KAF


@dataclass(frozen=True, slots=True)
class Hit:
    start: int  # original offsets
    end: int
    text: str
    nstart: int  # normalized offsets
    nend: int
    key: str  # normalized key matched (article restored for «لل» forms)
    payloads: tuple[Any, ...]
    prefix: str  # proclitics before the name in the same token


class Gazetteer:
    """Normalized-name → payloads, compiled for one pass over a document."""

    def __init__(self, entries: Iterable[tuple[str, Any]]):
        table: dict[str, list[Any]] = {}
        for name, payload in entries:
            key = normalize_word(name.strip())
            if len(key) < 2:
                continue
            bucket = table.setdefault(key, [])
            if payload not in bucket:
                bucket.append(payload)
        self.table: dict[str, tuple[Any, ...]] = {k: tuple(v) for k, v in table.items()}
        self._automaton = ahocorasick.Automaton()
        for key in self.table:
            self._automaton.add_word(key, (key, False))
            if key.startswith("ال") and len(key) > 3:
                lam_key = key[1:]  # «للاتحاد»: match from the article's lam
                if lam_key not in self.table:
                    self._automaton.add_word(lam_key, (key, True))
        self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.table)

    def get(self, name: str) -> tuple[Any, ...]:
        return self.table.get(normalize_word(name), ())

    def find(self, nz: Normalized) -> list[Hit]:
        """All non-overlapping hits in a document, longest first, in text order.

        Kept with the document's :class:`Normalized` (``nz.cache``), so the components that scan the same
        document with the same gazetteer (entities, quotes, events) pay for one scan.
        """
        hits = nz.cache.get(self)
        if hits is None:
            hits = nz.cache[self] = tuple(self._find(nz))
        return list(hits)

    def _find(self, nz: Normalized) -> list[Hit]:
        text = nz.text
        n = len(text)
        candidates: list[tuple[int, int, str, str]] = []
        for end_idx, (key, via_lam) in self._automaton.iter(text):
            nend = end_idx + 1
            if nend < n and text[nend].isalpha():
                continue
            nstart = nend - (len(key) - 1 if via_lam else len(key))
            # proclitic chains are at most 2 letters: a 3rd letter before the key means "inside a word"
            tok_start = nstart
            while tok_start > 0 and text[tok_start - 1].isalpha():
                tok_start -= 1
                if nstart - tok_start > 2:
                    break
            prefix = text[tok_start:nstart]
            if via_lam:
                if prefix not in _LAM_PREFIXES:
                    continue
            elif not proclitic_ok(prefix, len(key)):
                continue
            candidates.append((nstart, nend, key, prefix))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken = bytearray(n + 1)  # characters of the hits kept so far
        hits: list[Hit] = []
        for nstart, nend, key, prefix in candidates:
            if taken.find(1, nstart, nend) >= 0:
                continue
            taken[nstart:nend] = b"\x01" * (nend - nstart)
            start, end = nz.to_original(nstart, nend)
            hits.append(Hit(start, end, nz.source[start:end], nstart, nend, key, self.table[key], prefix))
        hits.sort(key=lambda h: h.start)
        return hits
