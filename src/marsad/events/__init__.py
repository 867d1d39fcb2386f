"""Coded political events (CAMEO codes with PLOVER types) with actors, dates, places and modality.

Component ``events``: reads the entities and times layers when present (it runs after them) and
falls back to knowledge-base matching, so it also codes documents without entities.
"""

from __future__ import annotations

from marsad.document import Document


def annotate(doc: Document) -> None:
    """Append the document's events to ``doc.events``."""
    from marsad.events.coder import code_document

    doc.events.extend(code_document(doc))
