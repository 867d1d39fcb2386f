"""Token features for the CRF tagger.

Each token gets word-level features (normalized form, clitic-stripped stem from the tokenizer's
readings, affixes, shape, foreign-name endings, trigger-word class) cached per distinct string,
plus sentence-level features from the KB gazetteers (names and titles, multi-word, clitics
honoured). A ±2 window copies a few of each neighbour's features. Features are plain strings
(``name=value``), the fastest input pycrfsuite takes.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

from marsad.normalize import normalize, normalize_word
from marsad.tokenize import segments, tokenize

DATA = Path(__file__).parent / "data"
#: bump when features change: a model trained on other features must be retrained
FEATURE_VERSION = "1"

_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_PROCLITICS = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك")
#: neighbour features copied into the window (prefixes of the word-level feature names)
_WINDOW_KEYS = ("w=", "st=", "sh=", "trg=", "gz=", "s3=")


def _read_pairs(name: str) -> list[tuple[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        rows = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)  # header
        return [(a.strip(), b.strip()) for a, b, *_ in rows]


def validate_lexicons() -> list[str]:
    """Problems in the feature lexicons (triggers, foreign-name endings)."""
    problems = []
    for name, allowed in (("triggers.tsv", {"PERS", "LOC", "ORG", "MISC"}), ("name_suffixes.tsv", None)):
        seen: set[str] = set()
        for key, value in _read_pairs(name):
            if not key or not value:
                problems.append(f"{name}: empty cell in {key!r}")
            if allowed and value not in allowed:
                problems.append(f"{name}: {key!r} has type {value!r}, not one of {sorted(allowed)}")
            if key in seen:
                problems.append(f"{name}: duplicate {key!r}")
            if _ARABIC.search(key) and normalize_word(key) != key:
                problems.append(f"{name}: {key!r} is not normalized ({normalize_word(key)!r})")
            seen.add(key)
    return problems


@cache
def triggers() -> dict[str, str]:
    """Normalized trigger word → the type of name it announces."""
    return {normalize_word(w): t for w, t in _read_pairs("triggers.tsv")}


@cache
def name_suffixes() -> tuple[str, ...]:
    """Foreign-name endings, longest first."""
    return tuple(sorted({s for s, _ in _read_pairs("name_suffixes.tsv")}, key=len, reverse=True))


@cache
def _kb():
    from marsad.kb import load_kb

    return load_kb()


def _shape(tok: str) -> str:
    if tok.isdigit():
        return "num"
    if any(c.isdigit() for c in tok):
        return "hasnum"
    if _LATIN.search(tok):
        return "Lu" if tok[:1].isupper() else "latin"
    if _ARABIC.search(tok):
        return "ar"
    return "punct"


def _strip(norm: str) -> str:
    """Proclitics off (longest chain first), keeping at least three letters: the lookup stem."""
    for p in _PROCLITICS:
        if norm.startswith(p) and len(norm) - len(p) >= 3:
            return norm[len(p):]
    return norm


@lru_cache(maxsize=40_000)
def word_features(tok: str) -> tuple[str, ...]:
    """Features of one token string, independent of its context."""
    norm = normalize_word(tok).strip() or tok
    feats = [f"w={norm}", f"sh={_shape(tok)}", f"len={min(len(norm), 12)}"]
    if _ARABIC.search(norm):
        stem = _strip(norm)
        feats += [f"st={stem}", f"p1={norm[:1]}", f"p2={norm[:2]}", f"p3={norm[:3]}",
                  f"s1={norm[-1:]}", f"s2={norm[-2:]}", f"s3={norm[-3:]}", f"ss2={stem[-2:]}", f"sp2={stem[:2]}"]
        if norm.startswith("ال") or norm[1:3] == "ال" or norm.startswith("لل"):
            feats.append("art")
        kb = _kb()
        forms = {s.form for t in tokenize(tok) if t.kind == "word" for s in segments(t, normalize(tok))} or {norm}
        kinds = set()
        for form in forms:
            for how, ident in kb.names.get(form):
                kinds.add(f"kb={kb.entries[ident].type}" if how == "name" and ident in kb.entries else f"kb={how}")
            if kb.title_gazetteer.get(form):
                kinds.add("title")
            trig = triggers().get(form)
            if trig:
                kinds.add(f"trg={trig}")
        feats += sorted(kinds)
        for suf in name_suffixes():
            if len(stem) > len(suf) + 2 and stem.endswith(suf):
                feats.append(f"fsuf={suf}")
                break
    elif _LATIN.search(tok):
        low = tok.lower()
        feats += [f"s3={low[-3:]}", f"p3={low[:3]}"]
        for suf in name_suffixes():
            if len(low) > len(suf) + 2 and low.endswith(suf):
                feats.append(f"fsuf={suf}")
                break
    return tuple(feats)


def _gazetteer_features(tokens: Sequence[str]) -> list[list[str]]:
    """Multi-word KB hits (names by type, nationality adjectives, titles) as B/I features per token."""
    out: list[list[str]] = [[] for _ in tokens]
    if not tokens:
        return out
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    nz = normalize(" ".join(tokens))
    kb = _kb()
    for gaz, label in ((kb.names, None), (kb.title_gazetteer, "title")):
        for hit in gaz.find(nz):
            first, last = bisect_right(starts, hit.start) - 1, bisect_right(starts, hit.end - 1) - 1
            if label is None:
                kinds = sorted({kb.entries[i].type if how == "name" and i in kb.entries else how
                                for how, i in hit.payloads})
            else:
                kinds = [label]
            for k in kinds:
                out[first].append(f"gz=B-{k}")
                for j in range(first + 1, last + 1):
                    out[j].append(f"gz=I-{k}")
            if label == "title" and last + 1 < len(tokens):
                out[last + 1].append("after_title")
                if last + 2 < len(tokens):
                    out[last + 2].append("after_title2")
    return out


@lru_cache(maxsize=40_000)
def _window_features(tok: str) -> tuple[tuple[str, ...], ...]:
    """The features a token lends its neighbours, prefixed for offsets -2, -1, +1, +2."""
    shared = [f for f in word_features(tok) if f.startswith(_WINDOW_KEYS)]
    return tuple(tuple(f"{off}:{f}" for f in shared) for off in _OFFSETS)


_OFFSETS = (-2, -1, 1, 2)
_PADS = tuple(f"{off}:pad" for off in _OFFSETS)


def sentence_features(tokens: Sequence[str]) -> list[list[str]]:
    """CRF features for one sentence of raw tokens."""
    words = [word_features(t) for t in tokens]
    wins = [_window_features(t) for t in tokens]
    gaz = _gazetteer_features(tokens)
    forms = [w[0][2:] for w in words]
    n = len(tokens)
    out = []
    for i in range(n):
        feats = ["bias", *words[i], *gaz[i]]
        for k, off in enumerate(_OFFSETS):
            j = i + off
            if 0 <= j < n:
                feats += wins[j][k]
                if gaz[j]:
                    feats += [f"{off}:{f}" for f in gaz[j]]
            else:
                feats.append(_PADS[k])
        if i > 0:
            feats.append(f"w-1|w={forms[i - 1]}|{forms[i]}")
        if i + 1 < n:
            feats.append(f"w|w+1={forms[i]}|{forms[i + 1]}")
        out.append(feats)
    return out
