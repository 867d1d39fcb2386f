"""The extraction pipeline: components registered in one place and run in order.

A component is a plain callable ``(Document) -> None`` that appends to the document's layers.
Components load their models and lexicons once per process (cached at first use) and keep no
other state, so extraction is a pure function of one document and can run on any worker.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterable
from functools import cache

from marsad.document import Document

Component = Callable[[Document], None]

#: name -> "module:function", in run order. Later components may read earlier layers.
COMPONENTS: dict[str, str] = {
    "lead": "marsad.lead:annotate",
    "entities": "marsad.entities:annotate",
    "times": "marsad.times:annotate", "amounts": "marsad.amounts:annotate",
    "quotes": "marsad.quotes:annotate",
    "events": "marsad.events:annotate",
}


#: a short document that touches every component, run once to load models and lexicons before real work
WARMUP_TEXT = "تمهيد: قال الرئيس الروسي فلاديمير بوتين في موسكو يوم الثلاثاء 5 مارس 2024 إن 12 مليون دولار «تكفي»."


@cache
def get_component(name: str) -> Component:
    """Import a registered component lazily, so start-up stays cheap."""
    try:
        target = COMPONENTS[name]
    except KeyError:
        raise KeyError(f"unknown component {name!r}; known: {', '.join(COMPONENTS)}") from None
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)


def run(doc: Document, components: Iterable[str] | None = None) -> Document:
    """Run components (default: all registered, in order) over one document."""
    for name in components if components is not None else COMPONENTS:
        get_component(name)(doc)
    return doc


def extract(text: str, **meta: str | None) -> Document:
    """Convenience: a Document from raw text, run through the whole pipeline."""
    from marsad.document import Meta

    return run(Document(text=text, meta=Meta(**{k: v for k, v in meta.items() if v is not None})))


def freeze_loaded() -> None:
    """Collect garbage once, then move every object alive (models, lexicons, the KB, caches) out of the
    collector's full passes (``gc.freeze``).

    They live as long as the process, and rescanning them on every full collection costs a long run 5–10%
    (more as the KB grows). For processes marsad runs itself (CLI commands, ingest and its workers), after
    loading; ``gc.unfreeze()`` undoes it.
    """
    gc.collect()
    gc.freeze()
