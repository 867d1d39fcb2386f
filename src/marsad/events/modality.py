"""Modality of an event from cue words around its trigger (cues are data: ``data/modality.tsv``).

Precedence: negated > hypothetical > future > reported > asserted. A future prefix on the trigger
(«سيوقع») or on its auxiliary («سيقوم بزيارة»), or a date in the text after the publication date,
also makes an event future.
"""

from __future__ import annotations

from marsad.events.lexicon import MODALITIES, Cue
from marsad.events.triggers import Match, TokenForms
from marsad.tokenize import Token

ADJACENT = 2
AFTER = 8
_FUTURE_AUX = ("سي", "ست", "سن", "وسي", "وست", "وسن", "فسي", "فست")


def modality_of(tokens: list[Token], forms: TokenForms, cues: tuple[Cue, ...], match: Match,
                bounds: tuple[int, int], date: str | None, published: str | None) -> str:
    """One of asserted, negated, hypothetical, future, reported."""
    lo, hi = bounds
    h0, h1 = match.head
    found: set[str] = set()
    present = {t.norm for t in tokens[lo:hi]}
    present |= {w[1:] for w in present if w[:1] in "وف"}
    for cue in cues:
        if cue.modality in found or cue.words[0] not in present:
            continue
        if cue.where == "adjacent":
            span = (max(lo, h0 - ADJACENT - len(cue.words) + 1), h0)
        elif cue.where == "before":
            span = (lo, h0)
        elif cue.where == "after":
            span = (h1, min(hi, h1 + AFTER))
        elif cue.modality == "reported":  # «بحسب» reports its own clause: not past a comma after the trigger
            span = (lo, _clause_end(tokens, h1, hi))
        else:
            span = (lo, hi)
        at = _occurs(cue.words, tokens, forms, span)
        if at is not None and not (cue.words == ("قد",) and _past_perfect(tokens, at, lo)):
            found.add(cue.modality)
    if match.future_prefix or (h0 > lo and tokens[h0 - 1].norm.startswith(_FUTURE_AUX) and len(tokens[h0 - 1].norm) > 4):
        found.add("future")
    if date and published and len(date) == 10 and date > published:
        found.add("future")
    for modality in MODALITIES:
        if modality in found:
            return modality
    return "asserted"


def _clause_end(tokens: list[Token], start: int, hi: int) -> int:
    """Index of the first comma (or semicolon) at or after ``start`` in the sentence, else ``hi``."""
    for k in range(start, hi):
        if tokens[k].kind == "punct" and tokens[k].norm in ",;":
            return k
    return hi


def _past_perfect(tokens: list[Token], at: int, lo: int) -> bool:
    """«قد» before a past verb or after «كان» asserts («وكان الوزيران قد أجريا»); only «قد يفعل» hedges."""
    nxt = tokens[at + 1].norm if at + 1 < len(tokens) else ""
    if not nxt.startswith(("ي", "ت", "ن")):
        return True
    return any(tokens[k].norm.lstrip("و") in _KANA for k in range(max(lo, at - 3), at))


_KANA = frozenset({"كان", "كانت", "كانوا", "كانا", "كانتا"})


def _occurs(words: tuple[str, ...], tokens: list[Token], forms: TokenForms, span: tuple[int, int]) -> int | None:
    """Index where the cue's words occur in a row inside ``span`` (the first word may carry «و/ف»), else None."""
    lo, hi = span
    n = len(words)
    for i in range(lo, hi - n + 1):
        first = tokens[i].norm
        if first != words[0] and not (first[:1] in "وف" and first[1:] == words[0]):
            continue
        if all(tokens[i + k].norm == words[k] for k in range(1, n)):
            return i
    return None
