"""The document model: original text, metadata and typed annotation layers addressed by offsets.

One :class:`Document` flows through the pipeline; components read its cached analyses
(normalized text, tokens, sentences) and append to its layers. ``to_dict``/``from_dict`` follow
the output contract documented in ``docs/output.md``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from typing import Any

from marsad.normalize import Normalized, normalize
from marsad.sentences import Sentence, split_sentences
from marsad.tokenize import Token, tokens_of

ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "FAC", "EVENT")


@dataclass(slots=True)
class Meta:
    title: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    published: str | None = None  # YYYY-MM-DD
    dateline: str | None = None
    language: str = "ar"


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    name: str
    name_en: str | None = None
    kb_id: str | None = None
    country: str | None = None
    roles: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class TimeExpr:
    start: int
    end: int
    text: str
    value: str
    grain: str
    hijri: str | None = None  # the Hijri date as written (1445-09-15) when the text uses the Hijri calendar


@dataclass(slots=True)
class Amount:
    start: int
    end: int
    text: str
    value: float | int
    unit: str | None
    kind: str


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None
    cue: Mention | None
    direct: bool
    venue: str | None = None  # entity id of the outlet in «في مقابلة مع صحيفة X» (never the speaker)


@dataclass(slots=True)
class ActorRef:
    entity: str | None
    actor: str | None


@dataclass(slots=True)
class Event:
    code: str
    label: str
    plover: str | None
    quad: int
    goldstein: float
    source: ActorRef
    target: ActorRef
    date: str | None
    location: str | None
    modality: str
    trigger: Mention
    sentence: dict[str, int]
    date_source: str | None = None  # "text" or "published"


LAYERS: dict[str, type] = {"entities": Entity, "times": TimeExpr, "amounts": Amount, "quotes": Quote, "events": Event}


@dataclass
class Document:
    text: str
    meta: Meta = field(default_factory=Meta)
    id: str = ""
    entities: list[Entity] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: intermediate results shared between components for this document only (never serialized)
    scratch: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    # Cached analyses shared by all components (not serialized).
    @cached_property
    def normalized(self) -> Normalized:
        return normalize(self.text)

    @cached_property
    def tokens(self) -> list[Token]:
        return list(tokens_of(self.normalized))

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.normalized)

    def span(self, start: int, end: int) -> Mention:
        """A mention of the original characters ``start:end``."""
        return Mention(start, end, self.text[start:end])

    def sentence_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "meta": asdict(self.meta), "text": self.text}
        for name in LAYERS:
            out[name] = [asdict(item) for item in getattr(self, name)]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        meta_keys = {f.name for f in fields(Meta)}
        meta = Meta(**{k: v for k, v in (data.get("meta") or {}).items() if k in meta_keys})
        doc = cls(text=data["text"], meta=meta, id=data.get("id") or "")
        for name, kind in LAYERS.items():
            setattr(doc, name, [_build(kind, item) for item in data.get(name) or []])
        return doc


def content_id(text: str) -> str:
    """Stable id from content, so the same article gets the same id on every machine."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _build(kind: type, item: dict[str, Any]) -> Any:
    """Rebuild a layer item, including its nested mentions and actor references."""
    values = dict(item)
    if kind is Entity:
        values["mentions"] = [Mention(**m) for m in values.get("mentions") or []]
    elif kind is Quote and values.get("cue"):
        values["cue"] = Mention(**values["cue"])
    elif kind is Event:
        values["source"] = ActorRef(**values["source"])
        values["target"] = ActorRef(**values["target"])
        values["trigger"] = Mention(**values["trigger"])
    known = {f.name for f in fields(kind)}
    return kind(**{k: v for k, v in values.items() if k in known})


def iter_spans(doc: Document) -> list[tuple[str, int, int, str]]:
    """Every (layer, start, end, text) span in the document, for offset checks."""
    spans: list[tuple[str, int, int, str]] = []
    for e in doc.entities:
        spans += [("entities", m.start, m.end, m.text) for m in e.mentions]
    for layer in ("times", "amounts", "quotes"):
        spans += [(layer, x.start, x.end, x.text) for x in getattr(doc, layer)]
    spans += [("quotes.cue", q.cue.start, q.cue.end, q.cue.text) for q in doc.quotes if q.cue]
    spans += [("events.trigger", ev.trigger.start, ev.trigger.end, ev.trigger.text) for ev in doc.events]
    return spans
