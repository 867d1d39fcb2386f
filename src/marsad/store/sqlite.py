"""The embedded SQLite store: versioned schema, one transaction per document, FTS5 search index.

Every stored item keeps its document and offsets (provenance). Entities are cross-document:
one row per KB id, or per resolved name key for unlinked entities.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.document import Document
from marsad.normalize import Normalized, normalize_word
from marsad.tokenize import Token

#: schema migrations, applied in order; the index + 1 is the schema version
MIGRATIONS: list[str] = [
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL UNIQUE,          -- content hash of the text
        url TEXT, path TEXT, title TEXT, source TEXT, published TEXT, dateline TEXT, language TEXT,
        text TEXT NOT NULL,
        duplicate_of INTEGER REFERENCES documents(id),   -- near-duplicate of an earlier document
        similarity REAL,
        ingested_at REAL NOT NULL
    );
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_url ON documents(url);
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY, origin TEXT NOT NULL, problem TEXT NOT NULL, at REAL NOT NULL
    );
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,             -- kb id, or "name:<type>:<normalized name>"
        type TEXT NOT NULL, name TEXT NOT NULL, name_en TEXT, kb_id TEXT, country TEXT
    );
    CREATE TABLE doc_entities (
        doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        entity INTEGER NOT NULL REFERENCES entities(id),
        local_id TEXT NOT NULL, name TEXT, roles TEXT,
        PRIMARY KEY (doc, local_id)
    );
    CREATE INDEX doc_entities_entity ON doc_entities(entity);
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        entity INTEGER NOT NULL REFERENCES entities(id), start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL
    );
    CREATE INDEX mentions_entity ON mentions(entity);
    CREATE INDEX mentions_doc ON mentions(doc);
    CREATE TABLE times (
        id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL, value TEXT, grain TEXT
    );
    CREATE INDEX times_doc ON times(doc);
    CREATE TABLE amounts (
        id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL, value REAL, unit TEXT, kind TEXT
    );
    CREATE INDEX amounts_doc ON amounts(doc);
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        speaker INTEGER REFERENCES entities(id), speaker_local TEXT,
        cue_start INTEGER, cue_end INTEGER, cue_text TEXT, direct INTEGER NOT NULL
    );
    CREATE INDEX quotes_doc ON quotes(doc);
    CREATE INDEX quotes_speaker ON quotes(speaker);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        code TEXT NOT NULL, label TEXT, plover TEXT, quad INTEGER, goldstein REAL,
        source_entity INTEGER REFERENCES entities(id), source_actor TEXT,
        target_entity INTEGER REFERENCES entities(id), target_actor TEXT,
        date TEXT, date_source TEXT, location TEXT, modality TEXT,
        trigger_start INTEGER, trigger_end INTEGER, trigger_text TEXT, sentence_start INTEGER, sentence_end INTEGER
    );
    CREATE INDEX events_doc ON events(doc);
    CREATE INDEX events_source ON events(source_entity);
    CREATE INDEX events_target ON events(target_entity);
    CREATE VIRTUAL TABLE documents_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
    """,
    # 2: author from the input; MinHash signature per document, so the near-duplicate index survives restarts
    """
    ALTER TABLE documents ADD COLUMN author TEXT;
    CREATE TABLE signatures (
        doc INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        minhash BLOB NOT NULL                 -- little-endian uint64 hash values (marsad.store.ingest)
    );
    CREATE INDEX documents_duplicate_of ON documents(duplicate_of);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def index_terms(text: str | Normalized, tokens: list[Token] | None = None) -> str:
    """Normalized words plus their clitic-free readings, so «روسيا» finds «وروسيا» and «لروسيا».

    A document's cached ``normalized``/``tokens`` may be passed to avoid analysing the text twice.
    """
    from marsad.normalize import normalize
    from marsad.tokenize import tokenize

    nz = text if isinstance(text, Normalized) else normalize(text)
    out: list[str] = []
    for tok in tokens if tokens is not None else tokenize(nz):
        if tok.kind == "punct":
            continue
        out.extend(_forms(tok.norm) if tok.kind == "word" else (tok.norm,))
    return " ".join(out)


@lru_cache(maxsize=200_000)
def _forms(norm: str) -> tuple[str, ...]:
    """The distinct forms of ``segments`` for a word (they depend on its normalized text only, and
    skipping the per-token offset mapping makes indexing several times faster)."""
    from marsad.tokenize import _readings  # TODO(lead): a public readings(norm) in tokenize would be cleaner

    return tuple(dict.fromkeys(r[1] for r in _readings(norm)))


def entity_key(entity: Any) -> str:
    """Cross-document identity: the KB id, else the type and normalized canonical name."""
    return entity.kb_id or f"name:{entity.type}:{normalize_word(entity.name)}"


class SQLiteStore:
    """The default store. One connection; each document is written in its own transaction."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.conn = sqlite3.connect(self.path, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        self.migrate()

    # -- schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply pending migrations; refuse a database written by a newer marsad."""
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path}: schema version {version} is newer than this marsad ({SCHEMA_VERSION})")
        for i in range(version, SCHEMA_VERSION):
            try:
                self.conn.executescript(f"BEGIN; {MIGRATIONS[i]}; PRAGMA user_version = {i + 1}; COMMIT;")
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.conn
            if self.conn.in_transaction:
                self.conn.commit()
        except BaseException:
            if self.conn.in_transaction:
                self.conn.rollback()
            raise

    def close(self) -> None:
        self.conn.close()

    # -- writing ------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def record_failure(self, origin: str, problem: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO failures(origin, problem, at) VALUES (?, ?, ?)", (origin, problem, time.time()))

    def add_document(self, doc: Document, duplicate_of: int | None = None, similarity: float | None = None, *,
                     author: str | None = None, signature: bytes | None = None,
                     terms: tuple[str, str] | None = None) -> int | None:
        """Store a document and all its layers atomically; None if identical content is stored already.

        ``signature`` (the near-duplicate MinHash) is written in the same transaction, so a killed
        ingest never leaves a stored document missing from the rebuilt near-duplicate index.
        ``terms`` are precomputed ``(title, body)`` index terms (ingest computes them in workers).
        """
        if self.has_document(doc.id):
            return None
        with self.transaction() as c:
            m = doc.meta
            cur = c.execute(
                "INSERT INTO documents(doc_id, url, path, title, source, published, dateline, language, text,"
                " duplicate_of, similarity, ingested_at, author) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, m.url, m.path, m.title, m.source, m.published, m.dateline, m.language, doc.text,
                 duplicate_of, similarity, time.time(), author))
            row = cur.lastrowid
            title_terms, body_terms = terms or (index_terms(m.title or ""), index_terms(doc.text))
            c.execute("INSERT INTO documents_fts(rowid, title, body) VALUES (?, ?, ?)", (row, title_terms, body_terms))
            if signature is not None:
                c.execute("INSERT INTO signatures(doc, minhash) VALUES (?, ?)", (row, signature))
            local = self._write_entities(c, row, doc)
            self._write_layers(c, row, doc, local)
        return row

    def _write_entities(self, c: sqlite3.Connection, row: int, doc: Document) -> dict[str, int]:
        local: dict[str, int] = {}
        for e in doc.entities:
            key = entity_key(e)
            c.execute("INSERT INTO entities(key, type, name, name_en, kb_id, country) VALUES (?,?,?,?,?,?)"
                      " ON CONFLICT(key) DO UPDATE SET name_en = COALESCE(entities.name_en, excluded.name_en),"
                      " country = COALESCE(entities.country, excluded.country)",
                      (key, e.type, e.name, e.name_en, e.kb_id, e.country))
            eid = c.execute("SELECT id FROM entities WHERE key = ?", (key,)).fetchone()[0]
            local[e.id] = eid
            c.execute("INSERT OR REPLACE INTO doc_entities(doc, entity, local_id, name, roles) VALUES (?,?,?,?,?)",
                      (row, eid, e.id, e.name, json.dumps(e.roles, ensure_ascii=False)))
            c.executemany("INSERT INTO mentions(doc, entity, start, end, text) VALUES (?,?,?,?,?)",
                          [(row, eid, mn.start, mn.end, mn.text) for mn in e.mentions])
        return local

    def _write_layers(self, c: sqlite3.Connection, row: int, doc: Document, local: dict[str, int]) -> None:
        c.executemany("INSERT INTO times(doc, start, end, text, value, grain) VALUES (?,?,?,?,?,?)",
                      [(row, t.start, t.end, t.text, t.value, t.grain) for t in doc.times])
        c.executemany("INSERT INTO amounts(doc, start, end, text, value, unit, kind) VALUES (?,?,?,?,?,?,?)",
                      [(row, a.start, a.end, a.text, a.value, a.unit, a.kind) for a in doc.amounts])
        c.executemany(
            "INSERT INTO quotes(doc, start, end, text, speaker, speaker_local, cue_start, cue_end, cue_text, direct)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(row, q.start, q.end, q.text, local.get(q.speaker or ""), q.speaker,
              q.cue.start if q.cue else None, q.cue.end if q.cue else None, q.cue.text if q.cue else None, int(q.direct))
             for q in doc.quotes])
        c.executemany(
            "INSERT INTO events(doc, code, label, plover, quad, goldstein, source_entity, source_actor, target_entity,"
            " target_actor, date, date_source, location, modality, trigger_start, trigger_end, trigger_text,"
            " sentence_start, sentence_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(row, ev.code, ev.label, ev.plover, ev.quad, ev.goldstein, local.get(ev.source.entity or ""),
              ev.source.actor, local.get(ev.target.entity or ""), ev.target.actor, ev.date, ev.date_source,
              ev.location, ev.modality, ev.trigger.start, ev.trigger.end, ev.trigger.text,
              ev.sentence.get("start"), ev.sentence.get("end")) for ev in doc.events])

    # -- reading ------------------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        """Counts of everything stored (duplicates counted apart from documents)."""
        q = self.conn.execute
        out = {
            "documents": q("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0],
            "duplicates": q("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0],
            "failed": q("SELECT COUNT(*) FROM failures").fetchone()[0],
        }
        for table in ("entities", "mentions", "times", "amounts", "quotes", "events"):
            out[table] = q(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        return out

    def load_document(self, row: int) -> Document | None:
        """Rebuild the stored Document (text and metadata) for a document row id."""
        r = self.conn.execute("SELECT * FROM documents WHERE id = ?", (row,)).fetchone()
        if r is None:
            return None
        from marsad.document import Meta

        meta = Meta(title=r["title"], source=r["source"], url=r["url"], path=r["path"], published=r["published"],
                    dateline=r["dateline"], language=r["language"] or "ar")
        return Document(text=r["text"], meta=meta, id=r["doc_id"])
