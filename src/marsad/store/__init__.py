"""Storage behind one interface: SQLite by default (embedded), PostgreSQL later.

``open_store()`` picks the backend from a location: a file path or ``sqlite:///path`` opens
SQLite. The location defaults to ``$MARSAD_DB`` or ``./marsad.db``.
"""

from __future__ import annotations

import os
from pathlib import Path

from marsad.store.sqlite import SCHEMA_VERSION, SQLiteStore, entity_key, index_terms

DEFAULT_DB = "marsad.db"

__all__ = ["SCHEMA_VERSION", "SQLiteStore", "default_location", "entity_key", "index_terms", "open_store"]


def default_location(explicit: str | None = None) -> str:
    return explicit or os.environ.get("MARSAD_DB") or DEFAULT_DB


def open_store(location: str | Path | None = None) -> SQLiteStore:
    """Open (creating and migrating) the store at ``location``."""
    loc = str(default_location(str(location) if location else None))
    if loc.startswith(("postgres://", "postgresql://")):
        raise NotImplementedError("PostgreSQL storage is not available yet; use a SQLite file path")
    if loc.startswith("sqlite:///"):
        loc = loc.removeprefix("sqlite:///")
    return SQLiteStore(loc)
