"""Sentence splitting for Arabic news.

Splits at . ! ? (and their Arabic forms) and at line breaks; never at the Arabic comma, inside
a number (28.2), inside a quotation, or after a one-letter abbreviation such as «د.».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.normalize import Normalized, normalize

_OPENERS = {"«": "»", "“": "”", "(": ")", "﴿": "﴾"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_TERMINATORS = ".!?…"
_TRAILING = "»”\")'’"
_ABBREV_RE = re.compile(r"(?:^|[\s(])[^\W\d_](?:\.[^\W\d_])*$")
_MAX_QUOTE_CHARS = 1500  # an unclosed quote may not swallow the rest of a paragraph
_SPECIAL = re.compile("[" + re.escape("\n" + "".join(_OPENERS) + "".join(_CLOSERS) + '"' + _TERMINATORS) + "]")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str | Normalized) -> list[Sentence]:
    """Sentences with original offsets; whitespace between them belongs to none."""
    nz = text if isinstance(text, Normalized) else normalize(text)
    spans = _split_normalized(nz.text)
    out = []
    for s, e in spans:
        start, end = nz.to_original(s, e)
        out.append(Sentence(start, end, nz.source[start:end]))
    return out


def _split_normalized(t: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    n = len(t)
    search = _SPECIAL.search
    i = 0
    while (m := search(t, i)) is not None:  # only these characters change the state: jump between them
        i = m.start()
        ch = t[i]
        if ch == "\n":
            _push(spans, t, start, i)
            start, stack, straight_open = i + 1, [], None
        elif ch in _OPENERS:
            stack.append((_OPENERS[ch], i))
        elif ch in _CLOSERS:
            while stack and stack[-1][0] != ch:
                stack.pop()
            if stack:
                stack.pop()
        elif ch == '"':
            straight_open = None if straight_open is not None else i
        elif ch in _TERMINATORS and _ends_sentence(t, start, i):
            quoted = bool(stack) or straight_open is not None
            if quoted and _quote_too_long(stack, straight_open, i):
                quoted, stack, straight_open = False, [], None
            if not quoted:
                j = i + 1
                while j < n and (t[j] in _TERMINATORS or t[j] in _TRAILING):
                    j += 1
                _push(spans, t, start, j)
                start = j
                i = j
                continue
        i += 1
    _push(spans, t, start, n)
    return spans


def _ends_sentence(t: str, start: int, i: int) -> bool:
    """A terminator ends a sentence unless it sits in a number or after a one-letter abbreviation."""
    nxt = t[i + 1] if i + 1 < len(t) else ""
    if t[i] == "." and nxt.isdigit() and i > 0 and t[i - 1].isdigit():
        return False
    if nxt and not (nxt.isspace() or nxt in _TRAILING or nxt in _TERMINATORS):
        return False
    return not (t[i] == "." and _ABBREV_RE.search(t[max(start, i - 8):i]))


def _quote_too_long(stack: list[tuple[str, int]], straight_open: int | None, i: int) -> bool:
    opened = min([pos for _, pos in stack] + ([straight_open] if straight_open is not None else []))
    return i - opened > _MAX_QUOTE_CHARS


def _push(spans: list[tuple[int, int]], t: str, s: int, e: int) -> None:
    while s < e and t[s].isspace():
        s += 1
    while e > s and t[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))
