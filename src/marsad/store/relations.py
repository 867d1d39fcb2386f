"""The relations report: the state of relations between two actors, every line cited.

A side is a country (the country, its GOV/MIL organizations and capital metonyms, KB people holding a
role there, and event actor codes starting with its CAMEO code), an organization (itself and the people
holding roles in it), a person, or an unlinked stored name. From the events, quotes and amounts linking
the two sides the report builds: meetings and visits, agreements and what they cover, statements and
quotes, the cooperation/conflict balance per month, key figures, and a short Arabic/English summary
written from those facts only. Near-duplicate documents are excluded. Code tables and wording live in
``store/data/relations.json``.
"""

from __future__ import annotations

import bisect
import io
import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from marsad.normalize import normalize_word
from marsad.store.entity import cite, find_entity_rows, month_of

A, B = "a", "b"
EXCERPT_CHARS = 240
OBJECT_WORDS = 12
QUOTES_PER_SIDE = 5
FIGURES = 10
_CLAUSE_END = re.compile(r"[,;:.!?،؛؟]")


# -- configuration -----------------------------------------------------------------------------

@cache
def load_config() -> dict[str, Any]:
    """Code tables, cue words and templates of the report (read once per process)."""
    return json.loads(resources.files("marsad.store").joinpath("data/relations.json").read_text(encoding="utf-8"))


def validate_config(cfg: dict[str, Any]) -> list[str]:
    """Problems in a relations configuration (empty when valid)."""
    problems = []
    for key in ("meeting_codes", "agreement_codes", "statement_codes"):
        codes = cfg.get(key) or []
        if not codes or any(not (isinstance(c, str) and re.fullmatch(r"\d{3}", c)) for c in codes):
            problems.append(f"{key}: needs 3-digit CAMEO code strings")
    sets = [set(cfg.get(k) or []) for k in ("meeting_codes", "agreement_codes", "statement_codes")]
    if sets[0] & sets[1] or sets[0] & sets[2] or sets[1] & sets[2]:
        problems.append("code lists overlap")
    cues = cfg.get("pair_cues") or []
    if not cues or any(normalize_word(c) != normalize_word(c).strip() or not c.strip() for c in cues):
        problems.append("pair_cues: needs non-empty words")
    stages = cfg.get("stages") or []
    if not stages or stages[-1].get("min_coop_share") != 0.0:
        problems.append("stages: the last stage must accept any share (min_coop_share 0.0)")
    if [s.get("min_coop_share") for s in stages] != sorted((s.get("min_coop_share") for s in stages), reverse=True):
        problems.append("stages: order by min_coop_share, highest first")
    if any(not s.get("en") or not s.get("ar") for s in stages):
        problems.append("stages: every stage needs en and ar wording")
    labels = (cfg.get("trend") or {}).get("labels") or {}
    if set(labels) != {"improving", "stable", "deteriorating", "unknown"} or any(len(v) != 2 for v in labels.values()):
        problems.append("trend.labels: improving/stable/deteriorating/unknown, each [en, ar]")
    templates = cfg.get("templates") or {}
    for lang in ("en", "ar"):
        if set(templates.get(lang) or {}) != {"none", "balance", "stage", "meeting", "agreements", "figure"}:
            problems.append(f"templates.{lang}: needs none/balance/stage/meeting/agreements/figure")
    for key in ("negated_modalities", "actual_modalities"):
        if not isinstance(cfg.get(key), list):
            problems.append(f"{key}: needs a list")
    return problems


# -- sides -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    query: str
    kind: str  # country | org | person | place | name
    kb_id: str | None
    name_en: str
    name_ar: str
    code: str | None  # CAMEO country code: events whose actor code starts with it belong to the side
    entity_ids: frozenset[int] = field(default_factory=frozenset)

    def as_dict(self) -> dict[str, Any]:
        return {"query": self.query, "kind": self.kind, "kb_id": self.kb_id, "name_en": self.name_en,
                "name_ar": self.name_ar, "actor_code": self.code, "entities": len(self.entity_ids)}


_KIND_ORDER = {"country": 0, "org": 1, "person": 2, "place": 3}


@cache
def actor_kb_ids(kb_id: str) -> frozenset[str]:
    """KB ids that act for ``kb_id``: a country's GOV/MIL bodies, capital metonyms and office holders;
    an organization's office holders; a person alone."""
    from marsad.kb import load_kb

    kb = load_kb()
    entry = kb.entries[kb_id]
    ids = {kb_id}
    for e in kb.entries.values():
        if any(r.where == kb_id for r in e.roles):
            ids.add(e.id)
        elif entry.kind == "country" and e.country == kb_id and (
                (e.kind == "org" and e.subtype == "org" and e.sector in ("GOV", "MIL"))
                or (e.kind == "place" and e.extra.get("metonym") == "GOV")):
            ids.add(e.id)
    return frozenset(ids)


class UnknownActor(ValueError):
    """Neither the KB nor the store knows a name."""


def resolve_side(conn: sqlite3.Connection, name: str) -> Side:
    """The actor set for a user-typed name (Arabic, English, KB id or alias)."""
    from marsad.kb import load_kb

    kb = load_kb()
    entries = sorted(kb.lookup(name.strip()), key=lambda e: _KIND_ORDER.get(e.kind, 9))
    if entries:
        entry = entries[0]
        ids = actor_kb_ids(entry.id)
        rows = conn.execute("SELECT id, kb_id FROM entities WHERE kb_id IS NOT NULL").fetchall()
        entity_ids = {r[0] for r in rows if r[1] in ids}
        code = entry.extra.get("cameo") or entry.id if entry.kind == "country" else None
        if code:
            entity_ids |= _unlinked_officials(conn, entry.id)
        return Side(name, entry.kind, entry.id, entry.name_en, entry.name_ar, code, frozenset(entity_ids))
    rows = find_entity_rows(conn, name)
    if not rows:
        raise UnknownActor(f"unknown actor {name!r}: not in the knowledge base nor in the store")
    head = rows[0]
    return Side(name, "name", None, head["name_en"] or head["name"], head["name"], None,
                frozenset(r["id"] for r in rows))


def _unlinked_officials(conn: sqlite3.Connection, country: str) -> set[int]:
    """Unlinked stored entities of ``country`` that documents give a GOV/MIL role."""
    from marsad.kb import load_kb

    titles = load_kb().titles
    out = set()
    for eid, roles in conn.execute(
            "SELECT e.id, de.roles FROM entities e JOIN doc_entities de ON de.entity = e.id"
            " WHERE e.kb_id IS NULL AND e.country = ?", (country,)):
        for role in json.loads(roles or "[]"):
            if not isinstance(role, dict):
                continue
            key = role.get("role") or role.get("key")
            sector = role.get("sector") or (titles[key].sector if key in titles else None)
            if sector in ("GOV", "MIL"):
                out.add(eid)
    return out


# -- documents and sentences ---------------------------------------------------------------------

class Docs:
    """Lazily loaded stored texts, their sentences, and where each side is mentioned."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._rows: dict[int, sqlite3.Row] = {}
        self._starts: dict[int, list[int]] = {}
        self._sentences: dict[int, list[tuple[int, int]]] = {}
        self.marks: dict[int, list[tuple[int, int, str]]] = defaultdict(list)

    def row(self, doc: int) -> sqlite3.Row:
        if doc not in self._rows:
            self._rows[doc] = self.conn.execute(
                "SELECT id AS doc_row, doc_id, title, published, text FROM documents WHERE id = ?", (doc,)).fetchone()
        return self._rows[doc]

    def text(self, doc: int) -> str:
        return self.row(doc)["text"]

    def sentence(self, doc: int, offset: int) -> tuple[int, int]:
        """The sentence span around ``offset`` (the whole text when the splitter finds none)."""
        if doc not in self._sentences:
            from marsad.sentences import split_sentences

            spans = [(s.start, s.end) for s in split_sentences(self.text(doc))]
            self._sentences[doc] = spans or [(0, len(self.text(doc)))]
            self._starts[doc] = [s for s, _ in self._sentences[doc]]
        spans = self._sentences[doc]
        i = max(0, bisect.bisect_right(self._starts[doc], offset) - 1)
        return spans[i]

    def sides_in(self, doc: int, start: int, end: int) -> set[str]:
        return {side for s, e, side in self.marks.get(doc, ()) if s >= start and e <= end}

    def sides_of_doc(self, doc: int) -> set[str]:
        return {side for _, _, side in self.marks.get(doc, ())}


def excerpt(text: str, start: int, end: int, focus_start: int, focus_end: int,
            limit: int = EXCERPT_CHARS) -> tuple[int, int]:
    """A span of at most ~``limit`` characters of ``start:end`` around the focus, cut at spaces, trimmed."""
    if end - start > limit:
        half = max(0, (limit - (focus_end - focus_start)) // 2)
        lo, hi = max(start, focus_start - half), min(end, focus_end + half)
        if lo > start:
            sp = text.find(" ", lo, focus_start)
            lo = sp + 1 if sp != -1 else lo
        if hi < end:
            sp = text.rfind(" ", focus_end, hi)
            hi = sp if sp != -1 else hi
        start, end = lo, hi
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def object_phrase(text: str, after: int, sentence_end: int) -> tuple[int, int]:
    """The words after a trigger up to the first clause boundary (at most OBJECT_WORDS words)."""
    m = _CLAUSE_END.search(text, after, sentence_end)
    stop = m.start() if m else sentence_end
    words = list(re.finditer(r"\S+", text[after:stop]))[:OBJECT_WORDS]
    if not words:
        return after, after
    return after + words[0].start(), after + words[-1].end()


def _span(doc_row: sqlite3.Row, text: str, start: int, end: int) -> dict[str, Any]:
    return cite(doc_row, start, end, text[start:end])


# -- the report ----------------------------------------------------------------------------------

def _in_period(date: str | None, since: str | None, until: str | None) -> bool:
    if not date:
        return since is None and until is None
    return (since is None or date[:len(since)] >= since[:len(date)]) and (
        until is None or date[:len(until)] <= until[:len(date)])


def report(store: Any, a: str, b: str, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """The relations report between actors ``a`` and ``b`` (dates as YYYY-MM-DD, inclusive).

    Raises :class:`UnknownActor` when a name is known neither to the KB nor to the store.
    """
    conn = store.conn
    cfg = load_config()
    side_a, side_b = resolve_side(conn, a), resolve_side(conn, b)
    sides = {A: side_a, B: side_b}
    docs = Docs(conn)
    _load_marks(conn, docs, sides)
    events = _pair_events(conn, docs, sides, cfg, since, until)
    for ev in events:  # event actors count as mentions of their side in the event's sentence
        for side in ev["_sides"]:
            docs.marks[ev["_doc"]].append((ev["start"], ev["end"], side))
    out: dict[str, Any] = {"a": side_a.as_dict(), "b": side_b.as_dict(), "since": since, "until": until}
    codes = {k: set(cfg[k]) for k in ("meeting_codes", "agreement_codes", "statement_codes")}
    out["meetings"] = [_public(e) for e in events if e["code"][:3] in codes["meeting_codes"]]
    out["agreements"] = [_agreement(docs, e) for e in events if e["code"][:3] in codes["agreement_codes"]
                         and not e["negated"]]
    out["statements"] = {
        A: _quotes(conn, docs, sides, A, since, until), B: _quotes(conn, docs, sides, B, since, until),
        "events": [_public(e) for e in events if e["code"][:3] in codes["statement_codes"]]}
    out["balance"] = _balance([e for e in events if not e["negated"]], cfg)
    out["figures"] = _figures(conn, docs, cfg, since, until)
    out["events"] = [_public(e) for e in events]
    cited = {e["doc"] for e in out["events"]} | {f["doc"] for f in out["figures"]} | {
        q["doc"] for side in (A, B) for q in out["statements"][side]}
    out["documents"] = len(cited)
    out["summary"] = summarize(out, cfg)
    return out


def _load_marks(conn: sqlite3.Connection, docs: Docs, sides: dict[str, Side]) -> None:
    for key, side in sides.items():
        for doc, start, end in conn.execute(
                "SELECT m.doc, m.start, m.end FROM mentions m JOIN documents d ON d.id = m.doc"
                " WHERE d.duplicate_of IS NULL AND m.entity IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(side.entity_ids)),)):
            docs.marks[doc].append((start, end, key))


def _endpoint_sides(sides: dict[str, Side], entity: int | None, actor: str | None) -> set[str]:
    return {k for k, s in sides.items()
            if (entity is not None and entity in s.entity_ids) or (s.code and actor and actor[:3] == s.code)}


def _pair_events(conn: sqlite3.Connection, docs: Docs, sides: dict[str, Side], cfg: dict[str, Any],
                 since: str | None, until: str | None) -> list[dict[str, Any]]:
    """Events between the sides: dyadic (source in one side, target in the other), or one side acting in
    a sentence that mentions the other ("sentence" link)."""
    ids = json.dumps(sorted(sides[A].entity_ids | sides[B].entity_ids))
    codes = json.dumps([s.code for s in sides.values() if s.code])
    rows = conn.execute(
        "SELECT ev.*, d.doc_id, d.id AS doc_row, d.title, d.published, s.name AS source_name,"
        " t.name AS target_name FROM events ev JOIN documents d ON d.id = ev.doc"
        " LEFT JOIN entities s ON s.id = ev.source_entity LEFT JOIN entities t ON t.id = ev.target_entity"
        " WHERE d.duplicate_of IS NULL AND (ev.source_entity IN (SELECT value FROM json_each(?1))"
        " OR ev.target_entity IN (SELECT value FROM json_each(?1))"
        " OR substr(ev.source_actor, 1, 3) IN (SELECT value FROM json_each(?2))"
        " OR substr(ev.target_actor, 1, 3) IN (SELECT value FROM json_each(?2)))"
        " ORDER BY COALESCE(ev.date, d.published), d.id, ev.trigger_start", (ids, codes)).fetchall()
    negated = {m.lower() for m in cfg["negated_modalities"]}
    actual = {m.lower() for m in cfg["actual_modalities"]}
    out: list[dict[str, Any]] = []
    seen: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        date = r["date"] or r["published"]
        if not _in_period(date, since, until):
            continue
        src = _endpoint_sides(sides, r["source_entity"], r["source_actor"])
        tgt = _endpoint_sides(sides, r["target_entity"], r["target_actor"])
        if r["sentence_start"] is not None and r["sentence_end"] is not None:
            s_start, s_end = r["sentence_start"], r["sentence_end"]
        else:
            s_start, s_end = docs.sentence(r["doc"], r["trigger_start"] or 0)
        if A in src and B in tgt or B in src and A in tgt:
            link, direction = "dyad", ("a->b" if A in src and B in tgt else "b->a")
        else:
            present = (src | tgt)
            if len(present) != 1:
                continue
            (own,) = present
            other = B if own == A else A
            if other not in docs.sides_in(r["doc"], s_start, s_end):
                continue
            link = "sentence"
            direction = f"{own}->{other}" if own in src else f"{other}->{own}"
        key = (r["doc"], r["trigger_start"], r["trigger_end"], r["code"])
        if key in seen:  # the coder's reciprocal reading of the same trigger (A meets B, B meets A)
            if seen[key]["direction"] != direction:
                seen[key]["direction"] = "both"
            continue
        modality = (r["modality"] or "").lower()
        text = docs.text(r["doc"])
        ex = excerpt(text, s_start, s_end, r["trigger_start"], r["trigger_end"])
        out.append({
            **cite(r, r["trigger_start"], r["trigger_end"], r["trigger_text"]),
            "code": r["code"], "label": r["label"], "quad": r["quad"], "goldstein": r["goldstein"],
            "date": date, "date_source": r["date_source"], "modality": r["modality"],
            "actual": modality in actual, "negated": modality in negated,
            "direction": direction, "link": link,
            "source": r["source_name"] or r["source_actor"], "target": r["target_name"] or r["target_actor"],
            "sentence": {"start": ex[0], "end": ex[1], "text": text[ex[0]:ex[1]]},
            "_doc": r["doc"], "_sides": src | tgt, "_sentence": (s_start, s_end)})
        seen[key] = out[-1]
    return out


def _public(ev: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ev.items() if not k.startswith("_")}


def _agreement(docs: Docs, ev: dict[str, Any]) -> dict[str, Any]:
    """An agreement event with what it covers: the object phrase after the trigger."""
    text = docs.text(ev["_doc"])
    start, end = object_phrase(text, ev["end"], ev["_sentence"][1])
    return {**_public(ev), "object": {"start": start, "end": end, "text": text[start:end]}}


def _quotes(conn: sqlite3.Connection, docs: Docs, sides: dict[str, Side], key: str,
            since: str | None, until: str | None) -> list[dict[str, Any]]:
    """Quotes by side ``key`` whose sentences mention the other side; direct and recent first."""
    other = B if key == A else A
    found = []
    for r in conn.execute(
            "SELECT q.*, d.doc_id, d.id AS doc_row, d.title, d.published, e.name AS speaker_name"
            " FROM quotes q JOIN documents d ON d.id = q.doc LEFT JOIN entities e ON e.id = q.speaker"
            " WHERE d.duplicate_of IS NULL AND q.speaker IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(sides[key].entity_ids)),)):
        if not _in_period(r["published"], since, until):
            continue
        lo = min(docs.sentence(r["doc"], r["start"])[0], r["cue_start"] if r["cue_start"] is not None else r["start"])
        hi = max(docs.sentence(r["doc"], max(r["start"], r["end"] - 1))[1],
                 r["cue_end"] if r["cue_end"] is not None else r["end"])
        if other not in docs.sides_in(r["doc"], lo, hi):
            continue
        found.append({**cite(r, r["start"], r["end"], r["text"]), "speaker": r["speaker_name"],
                      "direct": bool(r["direct"]),
                      "cue": None if r["cue_start"] is None else
                      {"start": r["cue_start"], "end": r["cue_end"], "text": r["cue_text"]}})
    found.sort(key=lambda q: q["published"] or "", reverse=True)
    found.sort(key=lambda q: not q["direct"])
    return found[:QUOTES_PER_SIDE]


def _balance(events: list[dict[str, Any]], cfg: dict[str, Any]) -> dict[str, Any]:
    """Events per quad class and net Goldstein, in total and per month, with the trend and stage."""
    def empty() -> dict[str, Any]:
        return {"events": 0, "verbal_coop": 0, "material_coop": 0, "verbal_conflict": 0, "material_conflict": 0,
                "cooperation": 0, "conflict": 0, "net_goldstein": 0.0}

    names = {1: "verbal_coop", 2: "material_coop", 3: "verbal_conflict", 4: "material_conflict"}
    total, months = empty(), defaultdict(empty)
    for ev in events:
        for bucket in (total, months[month_of(ev["date"]) or "unknown"]):
            bucket["events"] += 1
            if ev["quad"] in names:
                bucket[names[ev["quad"]]] += 1
                bucket["cooperation" if ev["quad"] in (1, 2) else "conflict"] += 1
            bucket["net_goldstein"] = round(bucket["net_goldstein"] + (ev["goldstein"] or 0.0), 2)
    rows = [{"month": m, **v} for m, v in sorted(months.items())]
    trend = _trend([r for r in rows if r["month"] != "unknown"], cfg)
    labelled = total["cooperation"] + total["conflict"]
    share = total["cooperation"] / labelled if labelled else None
    mean = total["net_goldstein"] / total["events"] if total["events"] else None
    stage = None
    if share is not None and mean is not None:
        stage = next(s for s in cfg["stages"] if share >= s["min_coop_share"] and mean >= s["min_mean_goldstein"])
        stage = {"en": stage["en"], "ar": stage["ar"]}
    return {"totals": {**total, "cooperation_share": None if share is None else round(share, 3),
                       "mean_goldstein": None if mean is None else round(mean, 2)},
            "months": rows, "trend": trend, "stage": stage}


def _trend(rows: list[dict[str, Any]], cfg: dict[str, Any]) -> dict[str, Any]:
    """Mean Goldstein per event in the later half of the months against the earlier half."""
    labels = cfg["trend"]["labels"]
    if len(rows) < 2:
        key, diff = "unknown", None
    else:
        half = len(rows) // 2
        early, late = rows[:half], rows[half:]
        mean = [sum(r["net_goldstein"] for r in part) / max(1, sum(r["events"] for r in part)) for part in (early, late)]
        diff = round(mean[1] - mean[0], 2)
        window = cfg["trend"]["window"]
        key = "improving" if diff > window else "deteriorating" if diff < -window else "stable"
    return {"label": key, "en": labels[key][0], "ar": labels[key][1], "change": diff}


def _figures(conn: sqlite3.Connection, docs: Docs, cfg: dict[str, Any], since: str | None,
             until: str | None) -> list[dict[str, Any]]:
    """Amounts in sentences that mention both sides, or a pair cue («البلدين») in a document about both."""
    cues = {normalize_word(c) for c in cfg["pair_cues"]}
    kinds = {k: i for i, k in enumerate(cfg["figure_kinds"])}
    both = [d for d in list(docs.marks) if docs.sides_of_doc(d) >= {A, B}]
    if not both:
        return []
    found = []
    for r in conn.execute(
            "SELECT am.*, d.doc_id, d.id AS doc_row, d.title, d.published FROM amounts am JOIN documents d"
            " ON d.id = am.doc WHERE am.doc IN (SELECT value FROM json_each(?)) ORDER BY d.published, am.start",
            (json.dumps(both),)):
        if r["kind"] not in kinds or not _in_period(r["published"], since, until):
            continue
        s_start, s_end = docs.sentence(r["doc"], r["start"])
        text = docs.text(r["doc"])
        if docs.sides_in(r["doc"], s_start, s_end) >= {A, B}:
            scope = "sentence"
        elif cues & set(normalize_word(text[s_start:s_end]).split()):
            scope = "pair-cue"
        else:
            continue
        ex = excerpt(text, s_start, s_end, r["start"], r["end"])
        found.append({**cite(r, r["start"], r["end"], r["text"]), "value": r["value"], "unit": r["unit"],
                      "kind": r["kind"], "scope": scope,
                      "sentence": {"start": ex[0], "end": ex[1], "text": text[ex[0]:ex[1]]}})
    found.sort(key=lambda f: (kinds[f["kind"]], f["scope"] != "sentence"))
    return found[:FIGURES]


# -- the plain-language summary ---------------------------------------------------------------------

def summarize(rep: dict[str, Any], cfg: dict[str, Any] | None = None) -> dict[str, Any]:
    """A short Arabic and English paragraph built only from the report's counted, cited facts."""
    cfg = cfg or load_config()
    t = cfg["templates"]
    bal = rep["balance"]
    tot = bal["totals"]
    names = {"en": (rep["a"]["name_en"], rep["b"]["name_en"]), "ar": (rep["a"]["name_ar"], rep["b"]["name_ar"])}
    period = ""
    if rep["since"] or rep["until"]:
        period = f" ({rep['since'] or '…'} – {rep['until'] or '…'})"
    out: dict[str, Any] = {"citations": []}
    dated = [m["month"] for m in bal["months"] if m["month"] != "unknown"]
    # the latest meeting that had happened when it was reported (not a plan, not a lease "until 2050")
    meetings = [m for m in rep["meetings"] if m["actual"] and not m["negated"] and m["date"]
                and m["date"][:10] <= (m["published"] or "9999")[:len(m["date"][:10])]]
    latest = max(meetings, key=lambda m: m["date"] or "") if meetings else None
    for lang in ("en", "ar"):
        a, b = names[lang]
        if not tot["events"]:
            parts = [t[lang]["none"].format(a=a, b=b, period=period)]
        else:
            parts = [t[lang]["balance"].format(
                first=dated[0] if dated else "?", last=dated[-1] if dated else "?",
                docs=len({e["doc"] for e in rep["events"]}), events=tot["events"], a=a, b=b,
                coop=tot["cooperation"], conflict=tot["conflict"], net=tot["net_goldstein"],
                trend=bal["trend"][lang])]
            if bal["stage"]:
                parts.append(t[lang]["stage"].format(stage=bal["stage"][lang]))
        if latest:
            parts.append(t[lang]["meeting"].format(label=latest["label"] or latest["code"],
                                                   date=latest["date"], title=latest["title"] or latest["doc"]))
        if rep["agreements"]:
            sep = "; " if lang == "en" else "؛ "
            items = sep.join(ag["object"]["text"] or ag["text"] for ag in rep["agreements"][:3])
            parts.append(t[lang]["agreements"].format(n=len(rep["agreements"]), items=items))
        if rep["figures"]:
            fig = _key_figure(rep)
            parts.append(t[lang]["figure"].format(figure=fig["text"], title=fig["title"] or fig["doc"]))
        out[lang] = " ".join(parts)
    if latest:
        out["citations"].append({k: latest[k] for k in ("doc", "title", "published", "start", "end", "text")})
    out["citations"] += [{k: ag[k] for k in ("doc", "title", "published", "start", "end", "text")}
                         for ag in rep["agreements"][:3]]
    if rep["figures"]:
        out["citations"].append({k: _key_figure(rep)[k] for k in ("doc", "title", "published", "start", "end", "text")})
    return out


def _key_figure(rep: dict[str, Any]) -> dict[str, Any]:
    """The first figure from a sentence naming both sides, else the first figure."""
    return next((f for f in rep["figures"] if f["scope"] == "sentence"), rep["figures"][0])


# -- rendering ---------------------------------------------------------------------------------------

def _ref(item: dict[str, Any]) -> str:
    return f"[{item['doc']} «{item.get('title') or ''}» {item.get('published') or ''} @{item['start']}:{item['end']}]"


def render(rep: dict[str, Any], fmt: str = "md") -> str:
    """The report as ``md`` (Markdown), ``json`` (stable keys) or ``text`` (rich tables, plain output)."""
    if fmt == "json":
        return json.dumps(rep, ensure_ascii=False, indent=2)
    if fmt == "md":
        return render_markdown(rep)
    if fmt == "text":
        return render_text(rep)
    raise ValueError(f"unknown format {fmt!r}: md, json or text")


def render_markdown(rep: dict[str, Any]) -> str:
    a, b = rep["a"], rep["b"]
    lines = [f"# Relations: {a['name_en']} – {b['name_en']} ({a['name_ar']} – {b['name_ar']})", ""]
    if rep["since"] or rep["until"]:
        lines += [f"Period: {rep['since'] or '…'} – {rep['until'] or '…'}", ""]
    lines += ["## Summary", "", rep["summary"]["en"], "", rep["summary"]["ar"], ""]
    lines += ["## Meetings and visits", ""]
    lines += [f"- {m['date']} — {m['label'] or m['code']} ({m['code']}, {m['direction']}"
              f"{', ' + m['modality'] if m['modality'] else ''}): «{m['sentence']['text']}» {_ref(m)}"
              for m in rep["meetings"]] or ["_none found_"]
    lines += ["", "## Agreements", ""]
    lines += [f"- {g['date']} — {g['label'] or g['code']} ({g['code']}): covers «{g['object']['text']}» — "
              f"«{g['sentence']['text']}» {_ref(g)}" for g in rep["agreements"]] or ["_none found_"]
    lines += ["", "## Statements and quotes", ""]
    for key in (A, B):
        side = rep[key]
        lines += [f"### {side['name_en']} ({side['name_ar']})", ""]
        lines += [f"- {q['speaker'] or '?'}: «{q['text']}» {_ref(q)}" for q in rep["statements"][key]] or ["_none_"]
        lines.append("")
    lines += ["## Cooperation and conflict", "",
              "| month | events | verbal coop | material coop | verbal conflict | material conflict | net Goldstein |",
              "|---|---|---|---|---|---|---|"]
    for m in [*rep["balance"]["months"], {"month": "**total**", **rep["balance"]["totals"]}]:
        lines.append(f"| {m['month']} | {m['events']} | {m['verbal_coop']} | {m['material_coop']} | "
                     f"{m['verbal_conflict']} | {m['material_conflict']} | {m['net_goldstein']:+.1f} |")
    trend = rep["balance"]["trend"]
    lines += ["", f"Trend: {trend['en']} ({trend['ar']})", "", "## Key figures", ""]
    lines += [f"- **{f['text']}** ({f['kind']}, {f['scope']}): «{f['sentence']['text']}» {_ref(f)}"
              for f in rep["figures"]] or ["_none found_"]
    lines += ["", f"_{rep['documents']} documents cited; near-duplicates excluded._", ""]
    return "\n".join(lines)


def render_text(rep: dict[str, Any]) -> str:
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=160)
    a, b = rep["a"], rep["b"]
    console.print(f"[bold]Relations {a['name_en']} – {b['name_en']}[/bold]  ({a['name_ar']} – {b['name_ar']})")
    console.print(rep["summary"]["en"])
    console.print(rep["summary"]["ar"])
    for title, items, cols in (
            ("Meetings and visits", rep["meetings"], lambda m: (m["date"], m["code"], m["label"] or "",
                                                                m["sentence"]["text"], _ref(m))),
            ("Agreements", rep["agreements"], lambda g: (g["date"], g["code"], g["label"] or "",
                                                         g["object"]["text"], _ref(g))),
            ("Key figures", rep["figures"], lambda f: (f["published"], f["kind"], f["text"],
                                                       f["sentence"]["text"], _ref(f)))):
        table = Table(title=title)
        for c in ("date", "code/kind", "what", "text", "cite"):
            table.add_column(c)
        for item in items:
            table.add_row(*(str(x) for x in cols(item)))
        console.print(table)
    table = Table(title="Cooperation and conflict per month")
    for c in ("month", "events", "coop", "conflict", "net Goldstein"):
        table.add_column(c)
    for m in rep["balance"]["months"]:
        table.add_row(m["month"], str(m["events"]), str(m["cooperation"]), str(m["conflict"]), f"{m['net_goldstein']:+.1f}")
    console.print(table)
    for key in (A, B):
        table = Table(title=f"Quotes: {rep[key]['name_en']}")
        table.add_column("speaker")
        table.add_column("quote")
        table.add_column("cite")
        for q in rep["statements"][key]:
            table.add_row(q["speaker"] or "?", q["text"], _ref(q))
        console.print(table)
    return buf.getvalue()
