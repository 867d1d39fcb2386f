"""Token features for the CRF tagger.

Each distinct token string is analysed once (cached): its normalized form, the stem left when the
proclitics are stripped (و ف ب ل ك and the article), the proclitic chain, 1–4 character prefixes and
suffixes of the stem, the article flag, shape, endings of transliterated foreign names, trigger words,
given names, and what the KB knows of any of its clitic readings (names by type, nationality
adjectives, titles, first and last words of people's names). A ±2 window lends each neighbour's form,
stem and KB/trigger classes (the next neighbours also their stem ending, shape and article); stem
bigrams, sentence position and "inside quotes" complete the local context. Sentence-level features
mark multi-word KB hits (names, titles) with B/I.

*Document* features (:meth:`Featurizer.document`) tell a token what the *other* occurrences of its stem
in the surrounding sentences look like: a news article names an organization or a person once in a
telling context («شركة X», «الوزير X», inside a KB name) and later bare. For every stem of three letters
or more (not words the lexicon marks as outside names): ``dcn=1|2`` (seen once / twice or more
elsewhere) and ``dc=CUE`` for each cue seen at another occurrence (after an ORG/PERS/LOC/MISC trigger
word, after a title, after a given name, inside a multi-word KB name of type T, with the article);
they are also lent to the next neighbours (``-1:dc=...``, ``1:dc=...``). The "document" is ``DOC_WINDOW`` sentences on each side
within one document (ANERcorp has no article boundaries, so training and evaluation use such windows).

The *lexicon* features come from the training data: for a word (and for its stem), the entity type
it carries most often in the training corpora and how often (``lx=PERS-hi``). The lexicon is built
with the model (``train.py``, jackknifed for the training sentences so the CRF learns how far to trust
it) and saved next to the model file. The *cluster* features (``c0=``/``c1=`` for the word, ``c=unk`` when it has none,
lent to the next neighbours; ``cs0=``/``cs1=`` for its stem when a proclitic was stripped) come from word clusters learned
with the model from the training text (:mod:`marsad.ner.clusters`). Features are plain strings, the
fastest input pycrfsuite takes.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from marsad.normalize import normalize, normalize_word
from marsad.tokenize import _readings, segments, tokenize

DATA = Path(__file__).parent / "data"
#: bump when features change: a model trained on other features must be retrained (checked on load)
FEATURE_VERSION = "4"

_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
#: proclitic chains (normalized) stripped for the stem, longest first, keeping at least three letters
_PROCLITIC_RE = re.compile("^(?:وبال|وال|بال|فال|كال|لل|ال|وب|ول|فب|فل|و|ف|ب|ل|ك)(?=...)")
_QUOTES = frozenset({'"', "«", "»", "“", "”"})
_OFFSETS = (-2, -1, 1, 2)
#: lent to the next neighbours only, not two tokens away (no gain on the dev splits, 12% more features)
_NEAR_ONLY = ("sh=", "s2=", "art")
_PADS = tuple(f"{off}:pad" for off in _OFFSETS)
#: document features: sentences on each side of a sentence that make its "document" (same document only)
DOC_WINDOW = 8
#: a token's class → the cue it gives the *next* token's stem (document features)
_NEXT_CUES = {"trg=ORG": "aORG", "trg=PERS": "aPERS", "trg=LOC": "aLOC", "trg=MISC": "aMISC", "title": "aTTL",
              "given": "aGIV", "nfirst": "aGIV"}
#: lexicon: a word seen mostly as an entity type is "hi" at >= this share, else "mid"
LEXICON_HIGH = 0.7
#: lexicon: a word seen mostly outside names is marked "O" at >= this share and count
LEXICON_O_SHARE, LEXICON_O_COUNT = 0.95, 5


def _read_pairs(name: str) -> list[tuple[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        rows = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)  # header
        return [(a.strip(), b.strip()) for a, b, *_ in rows]


def validate_lexicons() -> list[str]:
    """Problems in the feature lexicons (triggers, foreign-name endings, given names)."""
    problems = []
    checks = (("triggers.tsv", {"PERS", "LOC", "ORG", "MISC"}), ("name_suffixes.tsv", None),
              ("given_names.tsv", {"ar", "foreign"}))
    for name, allowed in checks:
        seen: set[str] = set()
        for key, value in _read_pairs(name):
            if not key or not value:
                problems.append(f"{name}: empty cell in {key!r}")
            if allowed and value not in allowed:
                problems.append(f"{name}: {key!r} has type {value!r}, not one of {sorted(allowed)}")
            if key in seen:
                problems.append(f"{name}: duplicate {key!r}")
            if _ARABIC.search(key) and normalize_word(key) != key and name != "given_names.tsv":
                problems.append(f"{name}: {key!r} is not normalized ({normalize_word(key)!r})")
            if name == "given_names.tsv" and not _ARABIC.search(key):
                problems.append(f"{name}: {key!r} is not Arabic")
            seen.add(key)
    return problems


@cache
def triggers() -> dict[str, str]:
    """Normalized trigger word → the type of name it announces."""
    return {normalize_word(w): t for w, t in _read_pairs("triggers.tsv")}


@cache
def name_suffixes() -> dict[int, frozenset[str]]:
    """Foreign-name endings by length."""
    out: dict[int, set[str]] = {}
    for s, _ in _read_pairs("name_suffixes.tsv"):
        out.setdefault(len(s), set()).add(s)
    return {n: frozenset(v) for n, v in sorted(out.items(), reverse=True)}


@cache
def given_names() -> frozenset[str]:
    """Normalized given names (Arabic and foreign ones as written in Arabic news)."""
    return frozenset(normalize_word(w) for w, _ in _read_pairs("given_names.tsv"))


@cache
def _kb():
    from marsad.kb import load_kb

    return load_kb()


@cache
def _person_name_words() -> tuple[frozenset[str], frozenset[str]]:
    """First and last words of the KB's multi-word person names (titles left out), normalized."""
    kb = _kb()
    first, last = set(), set()
    for entry in kb.entries.values():
        if entry.type != "PER":
            continue
        for name in entry.names:
            words = [normalize_word(w) for w in name.split()]
            if len(words) >= 2:
                first.add(words[0])
                last.add(words[-1])
    titles = {normalize_word(n.split()[0]) for t in kb.titles.values() for n in t.names if n.split()}
    return frozenset(first - titles), frozenset(last)


def _shape(tok: str) -> str:
    if tok.isdigit():
        return "num"
    if _DIGIT.search(tok):
        return "hasnum"
    if _LATIN.search(tok):
        return "Lu" if tok[:1].isupper() else "latin"
    if _ARABIC.search(tok):
        return "ar"
    return "punct" if len(tok) == 1 else "punct+"


def _suffix_of_foreign_name(word: str) -> str | None:
    for n, sufs in name_suffixes().items():
        if len(word) > n + 2 and word[-n:] in sufs:
            return word[-n:]
    return None


def _classes(tok: str, norm: str, stem: str) -> list[str]:
    """What the KB and the lexicons know of the token's clitic readings."""
    kb = _kb()
    if _WORD.fullmatch(norm):

        forms = {r[1] for r in _readings(norm)}
    else:
        nz = normalize(tok)
        forms = {s.form for t in tokenize(nz) if t.kind == "word" for s in segments(t, nz)} or {norm}
    kinds = set()
    trig = triggers()
    for form in forms:
        for how, ident in kb.names.table.get(form, ()):
            entry = kb.entries.get(ident) if how == "name" else None
            kinds.add(f"kb={entry.type}" if entry else f"kb={how}")
        if form in kb.title_gazetteer.table:
            kinds.add("title")
        t = trig.get(form)
        if t:
            kinds.add(f"trg={t}")
    first, last = _person_name_words()
    if stem in first or norm in first:
        kinds.add("nfirst")
    if stem in last or norm in last:
        kinds.add("nlast")
    given = given_names()
    if norm in given or stem in given:
        kinds.add("given")
    return sorted(kinds)


class _Word(NamedTuple):
    own: tuple[str, ...]  # the token's own features
    lent: tuple[tuple[str, ...], ...]  # features lent to the neighbours at offsets -2, -1, +1, +2
    norm: str
    stem: str


@lru_cache(maxsize=20_000)  # the Featurizer keeps what tagging needs; this serves training's repeated passes
def _word(tok: str) -> _Word:
    norm = normalize_word(tok).strip() or tok
    sh = _shape(tok)
    own = [f"w={norm}", f"sh={sh}", f"len={min(len(norm), 12)}"]
    lend = [f"w={norm}", f"sh={sh}"]
    stem = norm
    if _ARABIC.search(norm):
        m = _PROCLITIC_RE.match(norm)
        pre = m.group() if m else ""
        stem = norm[len(pre):]
        own += [f"st={stem}", f"pre={pre}", f"p1={stem[:1]}", f"p2={stem[:2]}", f"p3={stem[:3]}", f"p4={stem[:4]}",
                f"s1={stem[-1:]}", f"s2={stem[-2:]}", f"s3={stem[-3:]}", f"s4={stem[-4:]}"]
        lend += [f"st={stem}", f"s2={stem[-2:]}"]
        if norm.startswith("ال") or norm[1:3] == "ال" or norm[2:4] == "ال" or norm.startswith("لل"):
            own.append("art")
            lend.append("art")
        kinds = _classes(tok, norm, stem)
        own += kinds
        lend += kinds
        suf = _suffix_of_foreign_name(stem)
        if suf:
            own.append(f"fsuf={suf}")
            lend.append("fsuf")
    elif _LATIN.search(tok):
        low = tok.lower()
        own += [f"s3={low[-3:]}", f"p3={low[:3]}"]
        suf = _suffix_of_foreign_name(low)
        if suf:
            own.append(f"fsuf={suf}")
    far = [f for f in lend if not f.startswith(_NEAR_ONLY)]
    lent = tuple(tuple(f"{off}:{f}" for f in (lend if off in (-1, 1) else far)) for off in _OFFSETS)
    return _Word(tuple(own), lent, norm, stem)


def word_norm(tok: str) -> str:
    """The normalized form under which a token's features (and clusters) are looked up."""
    return _word(tok).norm


def word_features(tok: str) -> tuple[str, ...]:
    """Features of one token string, independent of its context."""
    return _word(tok).own


def clear_caches() -> None:
    """Forget the per-token analyses (for cold-cache measurements)."""
    _word.cache_clear()
    _hit_features.cache_clear()


@lru_cache(maxsize=50_000)
def _hit_features(key: str, title: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(features of the first token, of the following tokens) of a gazetteer hit on ``key``."""
    if title:
        kinds: list[str] = ["title"]
    else:
        kb = _kb()
        kinds = sorted({kb.entries[i].type if how == "name" and i in kb.entries else how
                        for how, i in kb.names.table[key]})
    return tuple(f"gz=B-{k}" for k in kinds), tuple(f"gz=I-{k}" for k in kinds)


def _gazetteer_features(tokens: Sequence[str]) -> list[tuple[str, ...]]:
    """Multi-word KB hits (names by type, nationality adjectives, titles) as B/I features per token.

    (Tuples, the empty one shared: a document's are kept while it is tagged, few objects for the GC.)"""
    out: list[tuple[str, ...]] = [()] * len(tokens)
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    nz = normalize(" ".join(tokens))
    kb = _kb()
    n = len(tokens)
    for gaz, title in ((kb.names, False), (kb.title_gazetteer, True)):
        for hit in gaz.find(nz):
            first, last = bisect_right(starts, hit.start) - 1, bisect_right(starts, hit.end - 1) - 1
            b, i = _hit_features(hit.key, title)
            out[first] += b
            for j in range(first + 1, last + 1):
                out[j] += i
            if title and last + 1 < n:
                out[last + 1] += ("after_title",)
                if last + 2 < n:
                    out[last + 2] += ("after_title2",)
    return out


class _Token(NamedTuple):
    own: tuple[str, ...]  # "bias", word and lexicon features
    lent: tuple[tuple[str, ...], ...]  # what it lends to the tokens at offsets -2, -1, +1, +2 from it
    stem: str
    key: str  # the stem when document features follow it (Arabic, 3 letters or more), else ""
    nxt: tuple[str, ...]  # document cues it gives the next token (after a trigger, title, given name)
    art: bool  # has the article
    mute: bool  # the lexicon marks the word as outside names: no document features of its own


_PAD_LENT = tuple((pad,) for pad in _PADS)
_EMPTY: tuple[str, ...] = ()


_ART = ("art",)
_DCN1, _DCN2 = ("dcn=1",), ("dcn=2",)


class _DCNames(dict):
    """cue → its feature string ``dc=cue``, made once."""

    def __missing__(self, cue: str) -> str:
        self[cue] = name = f"dc={cue}"
        return name


_DC = _DCNames()


def _followed(toks: Sequence[_Token], gaz: Sequence[Sequence[str]]) -> list[tuple[int, str, tuple[str, ...], bool]]:
    """(position, stem, cues, mute) of each token of a sentence whose stem document features follow:
    what this occurrence looks like (after a trigger word, a title, a given name; inside a KB name...)."""
    out = []
    n = len(toks)
    prev: tuple[str, ...] = _EMPTY
    any_gaz = any(gaz)
    for i, t in enumerate(toks):
        if t.key:
            if not prev and not (any_gaz and (gaz[i] or (i + 1 < n and gaz[i + 1]))):
                out.append((i, t.key, _ART if t.art else _EMPTY, t.mute))
            else:
                c = set(prev)
                if t.art:
                    c.add("art")
                for f in gaz[i]:
                    if f.startswith("gz=I-"):
                        c.add("in" + f[5:])
                    elif f == "after_title":
                        c.add("aTTL")
                if i + 1 < n:
                    c.update("in" + f[5:] for f in gaz[i + 1] if f.startswith("gz=I-"))
                out.append((i, t.key, tuple(c), t.mute))
        prev = t.nxt
    return out


def _count(followed: list[tuple[int, str, tuple[str, ...], bool]], sign: int, occ: dict[str, int],
           seen: dict[str, dict[str, int]]) -> None:
    """Add (sign 1) or remove (-1) a sentence's followed stems and their cues to the window's counts."""
    for _, key, cs, _ in followed:
        occ[key] = occ.get(key, 0) + sign
        if cs:
            d = seen.get(key)
            if d is None:
                d = seen[key] = {}
            for c in cs:
                d[c] = d.get(c, 0) + sign


class Featurizer:
    """Sentence features with one lexicon; each token string is featurized once and kept.

    The cache keeps two generations of up to ``cache_size`` token strings each (~1–2 KB per string):
    when the current one is full it becomes the old one (the older is dropped), and a token found in the
    old one moves back: about least-recently-used at the cost of a dict. With ``known`` (the
    attributes a trained model weighs), features outside it are left out: tagging gives the same labels
    with fewer strings to pass to the CRF.
    """

    def __init__(self, lexicon: Mapping[str, tuple[str, ...]] | None = None, cache_size: int = 60_000,
                 known: frozenset[str] | None = None, clusters: Mapping[str, tuple[str, ...]] | None = None):
        self.lexicon = lexicon or {}
        self.clusters = clusters
        self.cache_size = cache_size
        self.known = known
        self._cache: dict[str, _Token] = {}
        self._old: dict[str, _Token] = {}  # the previous generation of the cache
        self._dc_cache: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}

    def clear(self) -> None:
        self._cache.clear()
        self._old.clear()
        self._dc_cache.clear()

    def _dc(self, feats: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Document features as the token's own, as lent to the token after it (-1:), before it (1:); kept."""
        got = self._dc_cache.get(feats)
        if got is None:
            parts = (feats, tuple("-1:" + f for f in feats), tuple("1:" + f for f in feats))
            if self.known is not None:
                parts = tuple(tuple(f for f in part if f in self.known) for part in parts)
            got = self._dc_cache[feats] = parts
        return got

    def token(self, tok: str) -> _Token:
        got = self._cache.get(tok)
        if got is not None:
            return got
        got = self._old.pop(tok, None)  # seen before the last turnover: keep it
        if got is None:
            got = self._analyse(tok)
        if len(self._cache) >= self.cache_size:  # two generations: a cheap approximation of LRU
            self._old = self._cache
            self._cache = {}
        self._cache[tok] = got
        return got

    def _analyse(self, tok: str) -> _Token:
        w = _word(tok)
        get = self.lexicon.get
        lex = get(w.norm, _EMPTY) + get("st:" + w.stem, _EMPTY)
        own_cl = _EMPTY
        if self.clusters is not None and _ARABIC.search(w.norm):
            lent_cl, own_cl = self._cluster_features(w.norm, w.stem)
            lex += lent_cl
        lent = w.lent
        if lex:  # lexicon (and the word's cluster) features are lent to the next neighbours only
            lent = (lent[0], lent[1] + tuple("-1:" + f for f in lex), lent[2] + tuple("1:" + f for f in lex), lent[3])
        own = ("bias", *w.own, *lex, *own_cl)
        mute = "lx=O" in lex  # common words: no document features; no given-name cue (إن is not Anne)
        nxt = tuple(sorted({c for f in w.own if (c := _NEXT_CUES.get(f)) and not (mute and c == "aGIV")}))
        key = w.stem if len(w.stem) >= 3 and _ARABIC.search(w.stem) else ""
        art = "art" in w.own
        if self.known is not None:
            keep = self.known.__contains__
            own = tuple(filter(keep, own))
            lent = tuple(tuple(filter(keep, part)) for part in lent)
        return _Token(own, lent, w.stem, key, nxt, art, mute)

    def _cluster_features(self, norm: str, stem: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the word's cluster ids at each granularity, ``c=unk`` without one: also lent to the neighbours;
        its stem's, ``cs…``, only when a proclitic makes the stem another word: the token's own)."""
        ids = self.clusters.get(norm)
        word = tuple(f"c{g}={c}" for g, c in enumerate(ids)) if ids else ("c=unk",)
        if stem == norm:
            return word, _EMPTY
        ids = self.clusters.get(stem)
        return word, tuple(f"cs{g}={c}" for g, c in enumerate(ids)) if ids else ("cs=unk",)

    def context(self, sentences: Sequence[Sequence[str]], window: int | None = None,
                docs: Sequence[object] | None = None) -> list[list[tuple[str, ...]]]:
        """Document features of each token of consecutive sentences (see the module doc).

        A sentence's document is the ``window`` sentences on each side of it (default ``DOC_WINDOW``)
        that belong to the same document (``docs[i]``: the document of sentence ``i``; default: one).
        """
        return [row for row, _, _ in self._context(sentences, window, docs)]

    def _context(self, sentences: Sequence[Sequence[str]], window: int | None, docs: Sequence[object] | None):
        """(document features, tokens, gazetteer features) of each sentence in turn, one document at a time
        (only one document's analyses are held: tagging a long stream keeps little in memory)."""
        window = DOC_WINDOW if window is None else window
        n = len(sentences)
        start = 0
        while start < n:  # one run of sentences of the same document at a time
            end = n if docs is None else start + 1
            while end < n and docs[end] == docs[start]:
                end += 1
            run = sentences[start:end]
            toks = [[self.token(t) for t in s] for s in run]
            gazs = [_gazetteer_features(s) for s in run]
            followed = [_followed(t, g) for t, g in zip(toks, gazs)]
            occ: dict[str, int] = {}  # stem → occurrences in the window
            seen: dict[str, dict[str, int]] = {}  # stem → cue → occurrences with it
            m = end - start
            for k in range(min(window, m)):
                _count(followed[k], 1, occ, seen)
            for i in range(m):
                if i + window < m:
                    _count(followed[i + window], 1, occ, seen)
                if i - window - 1 >= 0:
                    _count(followed[i - window - 1], -1, occ, seen)
                row: list[tuple[str, ...]] = [_EMPTY] * len(toks[i])
                for pos, key, own, mute in followed[i]:
                    k = occ[key]
                    if mute or k <= 1:  # (the document features of mute words are not used)
                        continue
                    d = seen.get(key)
                    if d:
                        row[pos] = ("dcn=1" if k == 2 else "dcn=2", *[_DC[c] for c, v in d.items() if v > (c in own)])
                    else:
                        row[pos] = _DCN1 if k == 2 else _DCN2
                yield row, toks[i], gazs[i]
            start = end

    def iter_document(self, sentences: Sequence[Sequence[str]], window: int | None = None,
                      docs: Sequence[object] | None = None) -> Iterator[list[list[str]]]:
        """CRF features of consecutive sentences of documents in turn, with document features (:meth:`context`)."""
        for s, (row, toks, gaz) in zip(sentences, self._context(sentences, window, docs)):
            yield self._sentence(s, row, toks, gaz)

    def document(self, sentences: Sequence[Sequence[str]], window: int | None = None,
                 docs: Sequence[object] | None = None) -> list[list[list[str]]]:
        """CRF features for consecutive sentences of documents, with document features (:meth:`context`)."""
        return list(self.iter_document(sentences, window, docs))

    def sentence(self, tokens: Sequence[str], context: Sequence[tuple[str, ...]] | None = None) -> list[list[str]]:
        """CRF features for one sentence of raw tokens; ``context``: its document features (:meth:`context`).

        Without ``context`` the sentence is its own document.
        """
        if context is None:
            for row, toks, gaz in self._context([tokens], 0, None):
                return self._sentence(tokens, row, toks, gaz)
            return []
        return self._sentence(tokens, context, [self.token(t) for t in tokens], _gazetteer_features(tokens))

    def _sentence(self, tokens: Sequence[str], context: Sequence[tuple[str, ...]], toks: list[_Token],
                  gaz: Sequence[Sequence[str]]) -> list[list[str]]:
        n = len(tokens)
        # token j lends lent[k] to the token i = j - _OFFSETS[k]; padded[i + 2] is token i
        padded = [_PAD_LENT] * 2 + [t.lent for t in toks] + [_PAD_LENT] * 2
        known = self.known
        # document features of each token, and as lent to its next neighbours (a first name learns of its surname)
        dc: list[tuple[str, ...]] | None = None
        for i, c in enumerate(context):
            if c and not toks[i].mute:
                if dc is None:
                    dc = [_EMPTY] * n
                own, after, before = self._dc(c)
                dc[i] += own
                if i + 1 < n:
                    dc[i + 1] += after
                if i:
                    dc[i - 1] += before
        out = []
        in_quotes = False
        for i in range(n):
            t = toks[i]
            extra = list(gaz[i])
            for off in _OFFSETS:
                j = i + off
                if 0 <= j < n and gaz[j]:
                    extra += [f"{off}:{f}" for f in gaz[j]]
            extra.append(f"st-1|st={toks[i - 1].stem}|{t.stem}" if i else "first")
            extra.append(f"st|st+1={t.stem}|{toks[i + 1].stem}" if i + 1 < n else "last")
            if tokens[i] in _QUOTES:
                in_quotes = not in_quotes
            elif in_quotes:
                extra.append("inq")
            if known is not None:  # token features were filtered once, in token()
                extra = [f for f in extra if f in known]
            if dc is not None:
                extra += dc[i]
            out.append([*t.own, *padded[i][0], *padded[i + 1][1], *padded[i + 3][2], *padded[i + 4][3], *extra])
        return out


def sentence_features(tokens: Sequence[str], lexicon: Mapping[str, tuple[str, ...]] | None = None) -> list[list[str]]:
    """CRF features for one sentence of raw tokens; ``lexicon`` is the model's (see :func:`build_lexicon`).

    For many sentences use one :class:`Featurizer`, which keeps each token's features.
    """
    return Featurizer(lexicon).sentence(tokens)


# --- lexicon from training data -------------------------------------------------------------------------

def lexicon_counts(sentences: Iterable[tuple[Sequence[str], Sequence[str]]]) -> dict[str, Counter]:
    """For every word (``norm``) and stem (``st:stem``) of labelled sentences, how often it carried each type."""
    out: dict[str, Counter] = {}
    for tokens, labels in sentences:
        for tok, lab in zip(tokens, labels):
            w = _word(tok)
            etype = lab[2:] if lab != "O" else "O"
            for key in (w.norm, "st:" + w.stem):
                c = out.get(key)
                if c is None:
                    c = out[key] = Counter()
                c[etype] += 1
    return out


def lexicon_from_counts(counts: Mapping[str, Counter]) -> dict[str, tuple[str, ...]]:
    """Lexicon features: the dominant type of each word and its share (hi ≥ 0.7, mid; lo when O dominates)."""
    lex: dict[str, tuple[str, ...]] = {}
    for key, c in counts.items():
        n = sum(c.values())
        if not n:
            continue
        prefix = "lxs=" if key.startswith("st:") else "lx="
        etype, k = max(c.items(), key=lambda kv: (kv[1], kv[0] != "O"))
        share = k / n
        if etype != "O":
            lex[key] = (f"{prefix}{etype}-{'hi' if share >= LEXICON_HIGH else 'mid'}",)
        elif share >= LEXICON_O_SHARE and n >= LEXICON_O_COUNT:
            lex[key] = (f"{prefix}O",)
        elif share < LEXICON_HIGH:
            named = max(((t, v) for t, v in c.items() if t != "O"), key=lambda kv: kv[1])[0]
            lex[key] = (f"{prefix}{named}-lo",)
    return lex


def build_lexicon(sentences: Iterable[tuple[Sequence[str], Sequence[str]]]) -> dict[str, tuple[str, ...]]:
    """The lexicon of labelled sentences (the one saved with the model)."""
    return lexicon_from_counts(lexicon_counts(sentences))


def jackknife_lexicons(sentences: Sequence[tuple[Sequence[str], Sequence[str]]], folds: int = 5) -> list[dict]:
    """One lexicon per fold, built from the other folds: sentence ``i`` is featurized with lexicon ``i % folds``.

    Training a sentence with a lexicon that already contains it would teach the CRF to trust the
    lexicon blindly; on new text the lexicon is right less often. (Interleaved folds did better on the
    dev splits than contiguous blocks of articles.)
    """
    parts = [lexicon_counts(sentences[f::folds]) for f in range(folds)]
    total: dict[str, Counter] = {}
    for part in parts:
        for key, c in part.items():
            total.setdefault(key, Counter()).update(c)
    out = []
    for part in parts:
        rest = {}
        for key, c in total.items():
            left = c - part[key] if key in part else c
            if left:
                rest[key] = left
        out.append(lexicon_from_counts(rest))
    return out


def write_lexicon(lexicon: Mapping[str, tuple[str, ...]], path: Path, note: str = "") -> None:
    """Save a lexicon as TSV (``key<TAB>feature[ feature]``) headed by the feature version."""
    with Path(path).open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# marsad NER lexicon, features version {FEATURE_VERSION}. {note}\n".rstrip() + "\n")
        for key in sorted(lexicon):
            fh.write(f"{key}\t{' '.join(lexicon[key])}\n")


def read_lexicon(path: Path) -> dict[str, tuple[str, ...]]:
    """Load a lexicon written by :func:`write_lexicon`; ValueError if it was built for other features."""
    with Path(path).open(encoding="utf-8") as fh:
        head = fh.readline()
        m = re.search(r"features version (\S+?)\.", head)
        if not m or m.group(1) != FEATURE_VERSION:
            raise ValueError(f"{path}: lexicon for features version {m.group(1) if m else '?'}, "
                             f"this code has version {FEATURE_VERSION}: retrain with `marsad train-ner`")
        lex = {}
        for line in fh:
            key, _, feats = line.rstrip("\n").partition("\t")
            if key and feats:
                lex[key] = tuple(feats.split(" "))
        return lex
