"""The SQLite store: migrations from older schemas, atomic writes with signatures, index terms, stats."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from marsad.document import Document, Meta, TimeExpr
from marsad.store import SCHEMA_VERSION, default_location, index_terms, open_store
from marsad.store.sqlite import MIGRATIONS

TEXT = "قال وزير الخارجية الروسي ولافروف إن موسكو وأستانا وقعتا اتفاقا للتعاون في مجال الطاقة يوم الخميس."


def test_v1_database_migrates_and_keeps_rows(tmp_path: Path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
    conn.execute("INSERT INTO documents(doc_id, text, ingested_at) VALUES ('abc', ?, 0)", (TEXT,))
    conn.commit()
    conn.close()

    store = open_store(path)
    assert store.schema_version() == SCHEMA_VERSION >= 2
    columns = {r[1] for r in store.conn.execute("PRAGMA table_info(documents)")}
    assert "author" in columns
    assert store.conn.execute("SELECT text FROM documents WHERE doc_id = 'abc'").fetchone()[0] == TEXT
    assert store.conn.execute("SELECT COUNT(*) FROM signatures").fetchone()[0] == 0
    store.close()
    assert open_store(path).schema_version() == SCHEMA_VERSION  # reopening is a no-op


def test_newer_schema_is_refused(tmp_path: Path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        open_store(path)


def test_add_document_writes_author_signature_and_layers_together(tmp_path: Path):
    store = open_store(tmp_path / "s.db")
    doc = Document(TEXT, Meta(title="اتفاق", published="2023-11-09"))
    doc.times.append(TimeExpr(start=TEXT.index("يوم"), end=len(TEXT) - 1, text=TEXT[TEXT.index("يوم"):-1],
                              value="2023-11-09", grain="day"))
    row = store.add_document(doc, author="مراسل", signature=b"\x01" * 16)
    assert store.add_document(doc) is None  # identical content
    c = store.conn
    assert c.execute("SELECT author FROM documents WHERE id = ?", (row,)).fetchone()[0] == "مراسل"
    assert c.execute("SELECT minhash FROM signatures WHERE doc = ?", (row,)).fetchone()[0] == b"\x01" * 16
    assert c.execute("SELECT COUNT(*) FROM times WHERE doc = ?", (row,)).fetchone()[0] == 1
    # the clitic-expanded index finds «لافروف» inside «ولافروف»
    hits = c.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", ("لافروف",)).fetchall()
    assert [h[0] for h in hits] == [row]


def test_index_terms_from_cached_analyses_match_plain_text():
    doc = Document(TEXT)
    assert index_terms(doc.normalized, doc.tokens) == index_terms(TEXT)


def test_failed_write_leaves_nothing(tmp_path: Path):
    store = open_store(tmp_path / "s.db")
    doc = Document(TEXT)
    doc.times.append(TimeExpr(start=0, end=3, text=None, value="x", grain="day"))  # NOT NULL text: fails
    with pytest.raises(sqlite3.IntegrityError):
        store.add_document(doc, signature=b"\x00" * 8)
    for table in ("documents", "documents_fts", "signatures", "times"):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_default_location(monkeypatch):
    monkeypatch.delenv("MARSAD_DB", raising=False)
    assert default_location() == "marsad.db"
    monkeypatch.setenv("MARSAD_DB", "/tmp/x.db")
    assert default_location() == "/tmp/x.db"
    assert default_location("y.db") == "y.db"


def test_index_terms_are_the_forms_of_segments():
    from marsad.tokenize import segments

    doc = Document(TEXT + " وبالاتفاقيات وحكومته للاتحاد 2023")
    expected = " ".join(form for tok in doc.tokens if tok.kind != "punct"
                        for form in dict.fromkeys(seg.form for seg in segments(tok, doc.normalized)))
    assert index_terms(doc.text) == expected
    assert "الاتفاقيات" in expected.split() and "حكومه" in expected.split()  # ة is normalized to ه
