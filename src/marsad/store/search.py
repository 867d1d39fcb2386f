"""Full-text search over the store: FTS5 bm25 ranking, snippets cut from the ORIGINAL text.

The FTS body holds :func:`marsad.store.sqlite.index_terms` (normalized words plus their clitic-free
readings). A query goes through the same normalizer and clitic segmenter, so «روسيا» finds
«وروسيا»/«لروسيا» and alef variants or diacritics never break a match. Each query word becomes an OR of
its readings (the whole form first); quoted phrases are narrowed by FTS5 and then verified on the
document's own tokens, because one token contributes several index terms and FTS5 positions drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marsad.normalize import Normalized, normalize, strip_diacritics
from marsad.tokenize import Token, segments, tokenize

#: characters of context kept before the first highlighted word and after it in a snippet
SNIPPET_BEFORE = 80
SNIPPET_AFTER = 160
#: bm25 column weights (title, body): a title hit is worth more than a body hit
WEIGHTS = (3.0, 1.0)
#: characters of context tokenized around each occurrence of a query form (phrases need neighbours)
WINDOW_CONTEXT = 40
#: occurrences of each query form examined per document (bounds the cost on long documents)
MAX_POSITIONS = 100
#: how many FTS candidates a phrase query examines per requested result before giving up
PHRASE_FANOUT = 5

_QUOTED = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”|(\S+)')


@dataclass(frozen=True, slots=True)
class Term:
    """One query word and the normalized forms that match it (whole form first)."""

    text: str
    forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Clause:
    """A bare word (one term) or a quoted phrase (terms that must be adjacent)."""

    terms: tuple[Term, ...]
    phrase: bool


def query_terms(text: str) -> list[Term]:
    """Terms of a piece of query text, read with the document normalizer and clitic segmenter."""
    nz = normalize(text)
    out = []
    for tok in tokenize(nz):
        if tok.kind == "punct":
            continue
        ta_marbuta = strip_diacritics(tok.text).endswith("ة")  # final ة is never the pronoun ه
        forms = tuple(dict.fromkeys(seg.form for seg in segments(tok, nz) if not (ta_marbuta and seg.suffix == "ه")))
        out.append(Term(tok.text, forms))
    return out


def parse_query(query: str) -> list[Clause]:
    """Words and "quoted phrases" (also «…» and “…”); every clause must match (AND)."""
    clauses: list[Clause] = []
    for m in _QUOTED.finditer(query):
        quoted = next((g for g in m.groups()[:3] if g is not None), None)
        terms = query_terms(quoted if quoted is not None else m.group(4))
        if quoted is not None and len(terms) > 1:
            clauses.append(Clause(tuple(terms), True))
        else:
            clauses.extend(Clause((t,), False) for t in terms)
    return clauses


def _fts_string(form: str) -> str:
    return '"' + form.replace('"', '""') + '"'


def fts_expression(clauses: list[Clause]) -> str:
    """The FTS5 MATCH expression: AND over terms, each an OR over its readings."""
    groups = []
    for clause in clauses:
        for term in clause.terms:
            groups.append("(" + " OR ".join(_fts_string(f) for f in term.forms) + ")")
    return " AND ".join(groups)


# -- matching in the original text ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Hit:
    clause: int
    start: int
    end: int


def _term_spans(tokens: list[Token], nz: Normalized, term: Term) -> dict[int, tuple[int, int]]:
    """token index -> span (in ``nz.source``) of the reading of that token that matches ``term``."""
    out: dict[int, tuple[int, int]] = {}
    forms = set(term.forms)
    for i, tok in enumerate(tokens):
        if tok.kind == "punct" or not any(f in tok.norm for f in forms):
            continue
        for seg in segments(tok, nz):
            if seg.form in forms:
                out[i] = (seg.start, seg.end)
                break
    return out


def _window_hits(text: str, clauses: list[Clause]) -> list[Hit]:
    """Hits in one piece of text, by tokenizing and segmenting all of it."""
    nz = normalize(text)
    tokens = tokenize(nz)
    hits: list[Hit] = []
    for ci, clause in enumerate(clauses):
        spans = [_term_spans(tokens, nz, t) for t in clause.terms]
        if not clause.phrase:
            hits += [Hit(ci, s, e) for s, e in spans[0].values()]
            continue
        for i, (s, _) in spans[0].items():
            if all(i + k in spans[k] for k in range(1, len(spans))):
                hits.append(Hit(ci, s, spans[-1][i + len(spans) - 1][1]))
    return hits


def _windows(text: str, nz: Normalized, forms: set[str], cap: int) -> Iterator[tuple[int, int]]:
    """Original-text windows (cut at whitespace), in text order, around the first ``cap`` places
    each form occurs; mapped lazily, since the caller usually stops at the first good one."""
    found = []
    for form in forms:
        i, n = nz.text.find(form), 0
        while i != -1 and n < cap:
            found.append((i, i + len(form)))
            i, n = nz.text.find(form, i + 1), n + 1
    found.sort()
    merged: list[list[int]] = []
    for s, e in found:
        if merged and s - WINDOW_CONTEXT <= merged[-1][1] + WINDOW_CONTEXT:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    for ns, ne in merged:
        s, e = nz.to_original(ns, ne)
        lo, hi = max(0, s - WINDOW_CONTEXT), min(len(text), e + WINDOW_CONTEXT)
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        yield lo, hi


def find_hits(text: str, clauses: list[Clause], nz: Normalized | None = None, complete: bool = False) -> list[Hit]:
    """Places where the clauses match in ``text``: words anywhere, phrases only as adjacent tokens.

    Only windows around substring occurrences of the query forms are tokenized, in text order, and
    (unless ``complete``) the scan stops at the first window holding every clause — enough for a
    snippet, so long documents and frequent words cost little.
    """
    nz = nz or normalize(text)
    forms = {f for c in clauses for t in c.terms for f in t.forms}
    hits: list[Hit] = []
    for lo, hi in _windows(text, nz, forms, MAX_POSITIONS):
        found = [Hit(h.clause, h.start + lo, h.end + lo) for h in _window_hits(text[lo:hi], clauses)]
        hits += found
        if not complete and len({h.clause for h in found}) == len(clauses):
            break
    hits.sort(key=lambda h: (h.start, h.end))
    return hits


def make_snippet(text: str, hits: list[Hit]) -> dict[str, Any]:
    """The window around the hits that covers the most distinct clauses, cut at whitespace."""
    if not hits:
        end = _cut_end(text, min(len(text), SNIPPET_BEFORE + SNIPPET_AFTER))
        return {"start": 0, "end": end, "text": text[:end], "highlights": []}
    best, best_n = hits[0], -1
    for h in hits[:200]:
        n = len({x.clause for x in hits if h.start <= x.start < h.start + SNIPPET_AFTER})
        if n > best_n:
            best, best_n = h, n
    start = _cut_start(text, max(0, best.start - SNIPPET_BEFORE), best.start)
    end = max(_cut_end(text, min(len(text), best.start + SNIPPET_AFTER)), best.end)
    inside = [h for h in hits if h.start >= start and h.end <= end]
    return {"start": start, "end": end, "text": text[start:end],
            "highlights": [{"start": h.start, "end": h.end, "text": text[h.start:h.end]} for h in inside]}


def _cut_start(text: str, pos: int, limit: int) -> int:
    """The first word start at or after ``pos`` (never after ``limit``)."""
    while pos < limit and (text[pos].isspace() or (pos > 0 and not text[pos - 1].isspace())):
        pos += 1
    return pos


def _cut_end(text: str, pos: int) -> int:
    """Back from ``pos`` to the end of a word, trailing spaces dropped."""
    if pos < len(text) and not text[pos].isspace():
        while pos > 0 and not text[pos - 1].isspace():
            pos -= 1
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


# -- the search ----------------------------------------------------------------------------------------

def search(store: Any, query: str, limit: int = 10, include_duplicates: bool = False) -> dict[str, Any]:
    """Ranked documents for ``query`` with cited, highlighted snippets.

    Returns ``{"query", "terms", "total", "results": [...]}``; each result cites the document
    (``id``, ``row``, ``title``, ``published``, ``source``, ``url``) and its snippet/highlight offsets.
    ``total`` counts FTS candidates (phrase queries may verify fewer).
    """
    clauses = parse_query(query)
    out: dict[str, Any] = {"query": query, "terms": [[list(t.forms) for t in c.terms] for c in clauses],
                           "total": 0, "results": []}
    if not clauses or limit <= 0:
        return out
    expr = fts_expression(clauses)
    # rank inside the FTS table alone, then fetch only the few winning documents' texts
    dup = "" if include_duplicates else " AND rowid NOT IN (SELECT id FROM documents WHERE duplicate_of IS NOT NULL)"
    conn = store.conn
    out["total"] = conn.execute(f"SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH ?{dup}",
                                (expr,)).fetchone()[0]
    has_phrase = any(c.phrase for c in clauses)
    fetch = limit * PHRASE_FANOUT if has_phrase else limit
    rows = conn.execute(
        "SELECT d.id, d.doc_id, d.title, d.source, d.published, d.url, d.duplicate_of, d.text, f.score"
        f" FROM (SELECT rowid, bm25(documents_fts, {WEIGHTS[0]}, {WEIGHTS[1]}) AS score FROM documents_fts"
        f" WHERE documents_fts MATCH ?{dup} ORDER BY score LIMIT ?) f JOIN documents d ON d.id = f.rowid"
        " ORDER BY f.score, d.published DESC, d.id", (expr, fetch)).fetchall()
    for r in rows:
        result = _result(r, clauses)
        if result is None:
            continue
        result["rank"] = len(out["results"]) + 1
        out["results"].append(result)
        if len(out["results"]) >= limit:
            break
    return out


def _result(r: Any, clauses: list[Clause]) -> dict[str, Any] | None:
    """One cited result, or None when a phrase is not really adjacent in the title or body."""
    text = r["text"]
    hits = find_hits(text, clauses)
    title = r["title"] or ""
    title_hits = find_hits(title, clauses) if title else []
    found = {h.clause for h in hits} | {h.clause for h in title_hits}
    if any(c.phrase and i not in found for i, c in enumerate(clauses)):
        return None
    return {"rank": 0, "id": r["doc_id"], "row": r["id"], "title": r["title"], "published": r["published"],
            "source": r["source"], "url": r["url"], "duplicate_of": r["duplicate_of"],
            "score": round(-r["score"], 4),
            "title_highlights": [{"start": h.start, "end": h.end, "text": title[h.start:h.end]} for h in title_hits],
            "snippet": make_snippet(text, hits)}
