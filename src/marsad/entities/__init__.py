"""Entities: find, resolve and link the people, organizations and places of a document.

``annotate(doc)`` fills ``doc.entities``: candidates from the KB gazetteer, title phrases, trigger
words, ministry patterns, transliterated-name endings and (when its model exists) the CRF tagger
(:mod:`.candidates`, :mod:`.roles`), then one entity per real-world referent (:mod:`.resolve`) with
exact clitic-free mention offsets, KB link, country, roles stated in the text and an English name
(KB, or :mod:`.romanize` for unknown names). Rules and choices: ``docs/entities.md``.
"""

from __future__ import annotations

from marsad.document import Document
from marsad.entities.candidates import (
    Context,
    army_candidates,
    crf_candidates,
    descriptive_org_candidates,
    foreign_candidates,
    kb_candidates,
    ministry_candidates,
    ordinal_event_candidates,
    trigger_candidates,
)
from marsad.entities.resolve import resolve
from marsad.entities.roles import honorific_candidates, role_candidates

__all__ = ["annotate"]


def annotate(doc: Document) -> None:
    """Append the document's entities (ids continue after any already present)."""
    ctx = Context(doc)
    kb_cands, nisbas = kb_candidates(ctx)
    cands = [*kb_cands, *role_candidates(ctx, nisbas), *honorific_candidates(ctx), *trigger_candidates(ctx),
             *ministry_candidates(ctx, nisbas), *ordinal_event_candidates(ctx), *army_candidates(ctx, nisbas),
             *descriptive_org_candidates(ctx), *foreign_candidates(ctx), *crf_candidates(ctx)]
    entities = resolve(ctx, cands, nisbas)
    if doc.entities:
        offset = len(doc.entities)
        for k, ent in enumerate(entities, 1):
            ent.id = f"e{offset + k}"
    doc.entities.extend(entities)
