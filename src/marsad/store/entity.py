"""Entity profiles from the store: who an actor is, who they appear with, what they said and did, when.

A user-typed name (Arabic or English, KB id, alias) is resolved through the KB first, then against
stored names after normalization, so unlinked entities («name:PER:…» keys) are found too. Near-duplicate
documents never count. Every quote and event cites its document (id, title, date) and offsets.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any

from marsad.document import ENTITY_TYPES
from marsad.normalize import normalize_word

#: rows of documents that count (near-duplicates excluded)
LIVE = "duplicate_of IS NULL"


def _norm_sql(value: str | None) -> str:
    return normalize_word(value.strip()) if value else ""


def prepare(conn: sqlite3.Connection) -> None:
    """Register the SQL function ``mnorm(text)`` (the marsad normalizer) on a connection."""
    conn.create_function("mnorm", 1, _norm_sql, deterministic=True)


def cite(doc: sqlite3.Row | dict, start: int | None = None, end: int | None = None,
         text: str | None = None) -> dict[str, Any]:
    """A citation: document id, title, date, and the cited characters' offsets in its stored text.

    ``doc`` has ``doc_id``, ``doc_row`` (documents.id), ``title`` and ``published``.
    """
    out: dict[str, Any] = {"doc": doc["doc_id"], "row": doc["doc_row"], "title": doc["title"], "published": doc["published"]}
    if start is not None:
        out.update(start=start, end=end, text=text)
    return out


def month_of(date: str | None) -> str | None:
    return date[:7] if date and len(date) >= 7 else None


def find_entity_rows(conn: sqlite3.Connection, name: str) -> list[sqlite3.Row]:
    """Stored entities a user-typed name refers to: KB lookup, then normalized stored names and keys."""
    from marsad.kb import load_kb

    prepare(conn)
    kb_ids = [e.id for e in load_kb().lookup(name.strip())]
    norm = normalize_word(name.strip())
    keys = [f"name:{t}:{norm}" for t in ENTITY_TYPES]
    marks = ",".join("?" * len(kb_ids)) or "NULL"
    rows = conn.execute(
        f"SELECT * FROM entities WHERE kb_id IN ({marks}) OR key IN ({','.join('?' * len(keys))})"
        " OR lower(name_en) = lower(?) OR mnorm(name) = ?", (*kb_ids, *keys, name.strip(), norm)).fetchall()
    return list(rows)


def _mention_counts(conn: sqlite3.Connection, ids: list[int]) -> Counter:
    marks = ",".join("?" * len(ids))
    return Counter({r[0]: r[1] for r in conn.execute(
        f"SELECT m.entity, COUNT(*) FROM mentions m JOIN documents d ON d.id = m.doc WHERE m.entity IN ({marks})"
        f" AND d.{LIVE} GROUP BY m.entity", ids)})


def resolve(conn: sqlite3.Connection, name: str) -> tuple[list[sqlite3.Row], list[dict[str, Any]], Any]:
    """(rows of the chosen entity, other candidates, its KB entry or None).

    Rows sharing a KB id form one entity; among several candidates the most mentioned wins.
    """
    from marsad.kb import load_kb

    kb = load_kb()
    rows = find_entity_rows(conn, name)
    groups: dict[str, list[sqlite3.Row]] = {}
    for r in rows:
        groups.setdefault(r["kb_id"] or r["key"], []).append(r)
    if not groups:
        entries = kb.lookup(name.strip())
        return [], [], (entries[0] if entries else None)
    counts = _mention_counts(conn, [r["id"] for r in rows])
    ranked = sorted(groups.items(), key=lambda kv: -sum(counts[r["id"]] for r in kv[1]))
    best_key, best = ranked[0]
    others = [{"key": k, "name": g[0]["name"], "name_en": g[0]["name_en"], "type": g[0]["type"],
               "mentions": sum(counts[r["id"]] for r in g)} for k, g in ranked[1:]]
    return best, others, kb.entries.get(best[0]["kb_id"] or "")


def profile(store: Any, name: str, limit: int = 20) -> dict[str, Any] | None:
    """Everything the store knows about one entity; None when neither the KB nor the store knows it."""
    conn = store.conn
    rows, others, entry = resolve(conn, name)
    if not rows and entry is None:
        return None
    ids = [r["id"] for r in rows]
    head = rows[0] if rows else None
    out: dict[str, Any] = {
        "query": name,
        "entity": {"ids": ids, "key": head["key"] if head else entry.id, "kb_id": entry.id if entry else None,
                   "type": head["type"] if head else entry.type, "name": head["name"] if head else entry.name_ar,
                   "name_en": (head["name_en"] if head else None) or (entry.name_en if entry else None),
                   "country": (head["country"] if head else None) or (entry.country if entry else None)},
        "candidates": others,
        "kb_aliases": list(entry.names) if entry else [],
        "roles": _kb_roles(entry),
        "documents": 0, "mentions": 0,
        "aliases": [], "stored_roles": [], "cooccurring": [], "quotes": [], "events": [], "timeline": [],
    }
    if not ids:
        return out
    marks = ",".join("?" * len(ids))
    q = conn.execute
    out["documents"] = q(f"SELECT COUNT(DISTINCT de.doc) FROM doc_entities de JOIN documents d ON d.id = de.doc"
                         f" WHERE de.entity IN ({marks}) AND d.{LIVE}", ids).fetchone()[0]
    out["mentions"] = sum(_mention_counts(conn, ids).values())
    out["aliases"] = [{"text": t, "count": n} for t, n in q(
        f"SELECT m.text, COUNT(*) n FROM mentions m JOIN documents d ON d.id = m.doc WHERE m.entity IN ({marks})"
        f" AND d.{LIVE} GROUP BY m.text ORDER BY n DESC, m.text LIMIT ?", (*ids, limit))]
    out["stored_roles"] = _stored_roles(conn, ids, marks)
    out["cooccurring"] = [
        {"name": r["name"], "name_en": r["name_en"], "type": r["type"], "kb_id": r["kb_id"], "documents": r["n"]}
        for r in q(f"SELECT e.name, e.name_en, e.type, e.kb_id, COUNT(DISTINCT o.doc) n FROM doc_entities o"
                   f" JOIN entities e ON e.id = o.entity JOIN documents d ON d.id = o.doc"
                   f" WHERE d.{LIVE} AND o.entity NOT IN ({marks}) AND o.doc IN"
                   f" (SELECT doc FROM doc_entities WHERE entity IN ({marks}))"
                   f" GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?", (*ids, *ids, limit))]
    out["quotes"] = [
        {**cite(r, r["start"], r["end"], r["text"]), "direct": bool(r["direct"]),
         "cue": None if r["cue_start"] is None else {"start": r["cue_start"], "end": r["cue_end"], "text": r["cue_text"]}}
        for r in q(f"SELECT q.*, d.doc_id, d.id AS doc_row, d.title, d.published FROM quotes q JOIN documents d ON d.id = q.doc"
                   f" WHERE q.speaker IN ({marks}) AND d.{LIVE} ORDER BY d.published, q.start LIMIT ?", (*ids, limit))]
    out["events"] = _events(conn, ids, marks, limit)
    out["timeline"] = _timeline(conn, ids, marks)
    return out


def _kb_roles(entry: Any) -> list[dict[str, Any]]:
    if entry is None:
        return []
    from marsad.kb import load_kb

    titles = load_kb().titles
    return [{"key": r.key, "role_en": titles[r.key].role_en if r.key in titles else r.key, "where": r.where,
             "start": r.start, "end": r.end} for r in entry.roles]


def _stored_roles(conn: sqlite3.Connection, ids: list[int], marks: str) -> list[dict[str, Any]]:
    """Distinct roles the documents attach to the entity (as the entity layer wrote them), with a count."""
    seen: Counter = Counter()
    for (roles,) in conn.execute(f"SELECT de.roles FROM doc_entities de JOIN documents d ON d.id = de.doc"
                                 f" WHERE de.entity IN ({marks}) AND d.{LIVE}", ids):
        for role in json.loads(roles or "[]"):
            if isinstance(role, dict):
                role = {k: v for k, v in role.items() if k not in ("start", "end", "text")}
            seen[json.dumps(role, ensure_ascii=False, sort_keys=True)] += 1
    return [{"role": json.loads(k), "documents": n} for k, n in seen.most_common()]


def _events(conn: sqlite3.Connection, ids: list[int], marks: str, limit: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT ev.*, d.doc_id, d.id AS doc_row, d.title, d.published, s.name AS source_name, t.name AS target_name"
        f" FROM events ev JOIN documents d ON d.id = ev.doc"
        f" LEFT JOIN entities s ON s.id = ev.source_entity LEFT JOIN entities t ON t.id = ev.target_entity"
        f" WHERE (ev.source_entity IN ({marks}) OR ev.target_entity IN ({marks})) AND d.{LIVE}"
        f" ORDER BY COALESCE(ev.date, d.published), ev.trigger_start LIMIT ?", (*ids, *ids, limit)).fetchall()
    idset = set(ids)
    return [{**cite(r, r["trigger_start"], r["trigger_end"], r["trigger_text"]),
             "code": r["code"], "label": r["label"], "quad": r["quad"], "goldstein": r["goldstein"],
             "date": r["date"] or r["published"], "modality": r["modality"],
             "as": "source" if r["source_entity"] in idset else "target",
             "other": r["target_name"] if r["source_entity"] in idset else r["source_name"]} for r in rows]


def _timeline(conn: sqlite3.Connection, ids: list[int], marks: str) -> list[dict[str, Any]]:
    """Per month: documents and mentions (by publication date), events (by event date)."""
    months: dict[str, dict[str, int]] = {}

    def bucket(m: str | None) -> dict[str, int]:
        return months.setdefault(m or "unknown", {"documents": 0, "mentions": 0, "events": 0, "quotes": 0})

    for published, docs, mentions in conn.execute(
            f"SELECT d.published, COUNT(DISTINCT m.doc), COUNT(*) FROM mentions m JOIN documents d ON d.id = m.doc"
            f" WHERE m.entity IN ({marks}) AND d.{LIVE} GROUP BY substr(d.published, 1, 7)", ids):
        b = bucket(month_of(published))
        b["documents"] += docs
        b["mentions"] += mentions
    for date, n in conn.execute(
            f"SELECT COALESCE(ev.date, d.published), COUNT(*) FROM events ev JOIN documents d ON d.id = ev.doc"
            f" WHERE (ev.source_entity IN ({marks}) OR ev.target_entity IN ({marks})) AND d.{LIVE}"
            f" GROUP BY substr(COALESCE(ev.date, d.published), 1, 7)", (*ids, *ids)):
        bucket(month_of(date))["events"] += n
    for published, n in conn.execute(
            f"SELECT d.published, COUNT(*) FROM quotes q JOIN documents d ON d.id = q.doc"
            f" WHERE q.speaker IN ({marks}) AND d.{LIVE} GROUP BY substr(d.published, 1, 7)", ids):
        bucket(month_of(published))["quotes"] += n
    return [{"month": m, **v} for m, v in sorted(months.items())]
