"""Per-layer scoring of predicted documents against gold documents (both contract Documents).

Every layer is scored as precision/recall/F1 over one-to-one aligned items:

- entities: mention spans + type, ``strict`` (exact offsets) and ``overlap`` (any shared character);
  ``span`` ignores the type; ``grouping`` is B³ over overlap-matched mentions (are mentions of one
  real entity one entity?); ``linking`` is accuracy of kb_id on matched mentions whose gold has one.
- times: ``span`` exact, ``value`` exact span and equal TIMEX value.
- amounts: ``span`` exact, ``value`` exact span, equal value and unit.
- quotes: ``span`` overlap, ``speaker`` overlap and the same speaker. Speaker ids differ between gold
  and prediction, so speakers are compared by their mentions (overlapping) or normalized names.
- events: aligned by trigger overlap; ``trigger`` counts aligned events, ``root``/``code``/``source``/
  ``target``/``modality`` count aligned events that also agree on that attribute.

Scores are micro-averaged over documents (counts summed before dividing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.document import ActorRef, Document, Entity
from marsad.normalize import normalize_word

LAYER_NAMES = ("entities", "times", "amounts", "quotes", "events")
METRICS: dict[str, tuple[str, ...]] = {
    "entities": ("strict", "overlap", "span", "grouping", "linking"),
    "times": ("span", "value"),
    "amounts": ("span", "value"),
    "quotes": ("span", "speaker"),
    "events": ("trigger", "root", "code", "source", "target", "modality"),
}
#: the metric broken down by type in ``by_type`` (type = entity type, grain, kind, direct/indirect, root code)
TYPED_METRIC = {"entities": "strict", "times": "value", "amounts": "value", "quotes": "speaker", "events": "root"}


@dataclass(slots=True)
class Counts:
    """True positives, false positives, false negatives -> P/R/F1 (0 when undefined)."""

    tp: float = 0
    fp: float = 0
    fn: float = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def to_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4)}


@dataclass(slots=True)
class B3:
    """B³ sums over mentions: per-mention precision and recall, averaged at the end."""

    p_sum: float = 0.0
    r_sum: float = 0.0
    n: int = 0

    def to_dict(self) -> dict[str, float]:
        p = self.p_sum / self.n if self.n else 0.0
        r = self.r_sum / self.n if self.n else 0.0
        return {"n": self.n, "p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


@dataclass
class LayerScore:
    metrics: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    b3: B3 | None = None

    def to_dict(self, layer: str) -> dict[str, Any]:
        out: dict[str, Any] = {name: self.metrics[name].to_dict() for name in METRICS[layer] if name != "grouping"}
        if layer == "entities":
            out["grouping"] = (self.b3 or B3()).to_dict()
        return {"metrics": {m: out[m] for m in METRICS[layer]}, "typed_metric": TYPED_METRIC[layer],
                "by_type": {t: c.to_dict() for t, c in sorted(self.by_type.items())}}


# ---------------------------------------------------------------- alignment

Span = tuple[int, int]


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def align(gold: Sequence[Span], pred: Sequence[Span], *, strict: bool,
          ok: Callable[[int, int], bool] | None = None,
          bonus: Callable[[int, int], float] | None = None) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs: exact or overlapping spans, greedy by overlap.

    ``ok`` restricts which pairs may match (e.g. same type); ``bonus`` breaks ties between equally
    overlapping candidates (e.g. events on one trigger that agree on the code).
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if (g == p) if strict else overlap(g, p) > 0:
                if ok is None or ok(gi, pi):
                    candidates.append((-(overlap(g, p) + (bonus(gi, pi) if bonus else 0.0)), gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def prf(n_gold: int, n_pred: int, correct: int) -> Counts:
    return Counts(tp=correct, fp=n_pred - correct, fn=n_gold - correct)


def typed(by_type: dict[str, Counts], gold_types: Sequence[str], pred_types: Sequence[str],
          correct_pairs: Iterable[tuple[int, int]]) -> None:
    """Per-type counts: a correct pair is a TP of its gold type; the rest are FN (gold) / FP (pred)."""
    pairs = list(correct_pairs)
    hit_g = {gi for gi, _ in pairs}
    hit_p = {pi for _, pi in pairs}
    for gi, t in enumerate(gold_types):
        by_type[t].add(Counts(tp=1) if gi in hit_g else Counts(fn=1))
    for pi, t in enumerate(pred_types):
        if pi not in hit_p:
            by_type[t].add(Counts(fp=1))


# ---------------------------------------------------------------- layers

def score_entities(gold: Document, pred: Document, out: LayerScore) -> None:
    gm = [(m.start, m.end, e) for e in gold.entities for m in e.mentions]
    pm = [(m.start, m.end, e) for e in pred.entities for m in e.mentions]
    gs, ps = [(a, b) for a, b, _ in gm], [(a, b) for a, b, _ in pm]

    def same_type(gi: int, pi: int) -> bool:
        return gm[gi][2].type == pm[pi][2].type

    strict = align(gs, ps, strict=True, ok=same_type)
    out.metrics["strict"].add(prf(len(gs), len(ps), len(strict)))
    out.metrics["overlap"].add(prf(len(gs), len(ps), len(align(gs, ps, strict=False, ok=same_type))))
    out.metrics["span"].add(prf(len(gs), len(ps), len(align(gs, ps, strict=True))))
    typed(out.by_type, [e.type for *_, e in gm], [e.type for *_, e in pm], strict)

    matched = align(gs, ps, strict=False)
    out.b3 = out.b3 or B3()
    gold_of = {gi: id(gm[gi][2]) for gi, _ in matched}
    pred_of = {gi: id(pm[pi][2]) for gi, pi in matched}
    for gi, _ in matched:
        same_g = {x for x in gold_of if gold_of[x] == gold_of[gi]}
        same_p = {x for x in pred_of if pred_of[x] == pred_of[gi]}
        both = len(same_g & same_p)
        out.b3.p_sum += both / len(same_p)
        out.b3.r_sum += both / len(same_g)
        out.b3.n += 1
    linked = [(gm[gi][2].kb_id, pm[pi][2].kb_id) for gi, pi in matched if gm[gi][2].kb_id]
    right = sum(1 for g, p in linked if g == p)
    out.metrics["linking"].add(Counts(tp=right, fp=len(linked) - right, fn=len(linked) - right))


def score_times(gold: Document, pred: Document, out: LayerScore) -> None:
    gs = [(t.start, t.end) for t in gold.times]
    ps = [(t.start, t.end) for t in pred.times]
    spans = align(gs, ps, strict=True)
    right = [(gi, pi) for gi, pi in spans if str(gold.times[gi].value) == str(pred.times[pi].value)]
    out.metrics["span"].add(prf(len(gs), len(ps), len(spans)))
    out.metrics["value"].add(prf(len(gs), len(ps), len(right)))
    typed(out.by_type, [t.grain for t in gold.times], [t.grain for t in pred.times], right)


def same_number(a: Any, b: Any) -> bool:
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return a == b
    return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))


def score_amounts(gold: Document, pred: Document, out: LayerScore) -> None:
    gs = [(a.start, a.end) for a in gold.amounts]
    ps = [(a.start, a.end) for a in pred.amounts]
    spans = align(gs, ps, strict=True)
    right = [(gi, pi) for gi, pi in spans
             if same_number(gold.amounts[gi].value, pred.amounts[pi].value)
             and (gold.amounts[gi].unit or None) == (pred.amounts[pi].unit or None)]
    out.metrics["span"].add(prf(len(gs), len(ps), len(spans)))
    out.metrics["value"].add(prf(len(gs), len(ps), len(right)))
    typed(out.by_type, [a.kind for a in gold.amounts], [a.kind for a in pred.amounts], right)


def same_entity(gold: Document, gid: str | None, pred: Document, pid: str | None) -> bool:
    """Entities of two documents on the same text are the same when a mention overlaps or names match."""
    if not gid or not pid:
        return not gid and not pid
    g, p = _entity(gold, gid), _entity(pred, pid)
    if g is None or p is None:
        return False
    if any(overlap((a.start, a.end), (b.start, b.end)) for a in g.mentions for b in p.mentions):
        return True
    if g.kb_id and g.kb_id == p.kb_id:
        return True
    return bool(g.name) and normalize_word(g.name) == normalize_word(p.name or "")


def _entity(doc: Document, eid: str) -> Entity | None:
    return next((e for e in doc.entities if e.id == eid), None)


def score_quotes(gold: Document, pred: Document, out: LayerScore) -> None:
    gs = [(q.start, q.end) for q in gold.quotes]
    ps = [(q.start, q.end) for q in pred.quotes]

    def speaker_ok(gi: int, pi: int) -> bool:
        return same_entity(gold, gold.quotes[gi].speaker, pred, pred.quotes[pi].speaker)

    spans = align(gs, ps, strict=False, bonus=lambda gi, pi: 0.5 * speaker_ok(gi, pi))
    right = [(gi, pi) for gi, pi in spans if speaker_ok(gi, pi)]
    out.metrics["span"].add(prf(len(gs), len(ps), len(spans)))
    out.metrics["speaker"].add(prf(len(gs), len(ps), len(right)))
    typed(out.by_type, ["direct" if q.direct else "indirect" for q in gold.quotes],
          ["direct" if q.direct else "indirect" for q in pred.quotes], right)


def same_actor(gold: Document, g: ActorRef, pred: Document, p: ActorRef) -> bool:
    """Actors agree on the CAMEO actor code, or (without codes) on the entity."""
    if g.actor and p.actor:
        return g.actor == p.actor
    if g.entity or p.entity:
        return same_entity(gold, g.entity, pred, p.entity)
    return not g.actor and not p.actor


def score_events(gold: Document, pred: Document, out: LayerScore) -> None:
    ge, pe = gold.events, pred.events
    gs = [(e.trigger.start, e.trigger.end) for e in ge]
    ps = [(e.trigger.start, e.trigger.end) for e in pe]
    checks: dict[str, Callable[[int, int], bool]] = {
        "root": lambda gi, pi: ge[gi].code[:2] == pe[pi].code[:2],
        "code": lambda gi, pi: ge[gi].code == pe[pi].code,
        "source": lambda gi, pi: same_actor(gold, ge[gi].source, pred, pe[pi].source),
        "target": lambda gi, pi: same_actor(gold, ge[gi].target, pred, pe[pi].target),
        "modality": lambda gi, pi: ge[gi].modality == pe[pi].modality,
    }
    pairs = align(gs, ps, strict=False, bonus=lambda gi, pi: 0.1 * sum(f(gi, pi) for f in checks.values()))
    out.metrics["trigger"].add(prf(len(gs), len(ps), len(pairs)))
    for name, f in checks.items():
        right = [(gi, pi) for gi, pi in pairs if f(gi, pi)]
        out.metrics[name].add(prf(len(gs), len(ps), len(right)))
        if name == "root":
            typed(out.by_type, [e.code[:2] for e in ge], [e.code[:2] for e in pe], right)


SCORERS: dict[str, Callable[[Document, Document, LayerScore], None]] = {
    "entities": score_entities, "times": score_times, "amounts": score_amounts,
    "quotes": score_quotes, "events": score_events,
}


def pair_documents(gold: Sequence[Document], pred: Sequence[Document]) -> list[tuple[Document, Document | None]]:
    """Gold/prediction pairs by text identity (then URL); None where no prediction has the same text."""
    by_id = {d.id: d for d in pred}
    by_url = {d.meta.url: d for d in pred if d.meta.url}
    pairs = []
    for g in gold:
        p = by_id.get(g.id) or (by_url.get(g.meta.url) if g.meta.url else None)
        if p is not None and p.text != g.text:
            p = None  # same URL, other text: offsets would not be comparable
        pairs.append((g, p))
    return pairs


def score(gold: Sequence[Document], pred: Sequence[Document], layers: Iterable[str] = LAYER_NAMES) -> dict[str, Any]:
    """Scores of ``pred`` against ``gold`` per layer: {"documents", "matched", "layers": {layer: ...}}."""
    layers = list(layers)
    unknown = set(layers) - set(LAYER_NAMES)
    if unknown:
        raise ValueError(f"unknown layers: {', '.join(sorted(unknown))}; known: {', '.join(LAYER_NAMES)}")
    results = {layer: LayerScore() for layer in layers}
    pairs = pair_documents(gold, pred)
    for g, p in pairs:
        for layer in layers:
            SCORERS[layer](g, p if p is not None else Document(text=g.text, meta=g.meta), results[layer])
    return {"documents": len(gold), "predicted": sum(p is not None for _, p in pairs),
            "layers": {layer: results[layer].to_dict(layer) for layer in layers}}


def headline(result: dict[str, Any]) -> dict[str, float]:
    """Flat ``layer.metric -> F1`` (the figures thresholds and benchmarks track)."""
    return {f"{layer}.{name}": m["f1"] for layer, data in result["layers"].items()
            for name, m in data["metrics"].items()}
