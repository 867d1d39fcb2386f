"""Per-document summary of events by actor pair: counts by quad class, net Goldstein, evidence.

Pairs are unordered (A–B and B–A pool together, sorted codes). Negated and hypothetical events are
listed as evidence but do not count: they did not happen.
"""

from __future__ import annotations

from typing import Any

from marsad.document import Document

NOT_COUNTED = frozenset({"negated", "hypothetical"})


def pair_summary(doc: Document) -> list[dict[str, Any]]:
    """[{"pair": [A, B], "by_quad": {1: n, 2: n, 3: n, 4: n}, "net_goldstein": x, "events": [evidence]}]."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for ev in doc.events:
        a, b = ev.source.actor, ev.target.actor
        if not a or not b:
            continue
        key = tuple(sorted((a, b)))
        row = rows.setdefault(key, {"pair": list(key), "by_quad": {1: 0, 2: 0, 3: 0, 4: 0}, "net_goldstein": 0.0,
                                    "events": []})
        row["events"].append({"code": ev.code, "label": ev.label, "source": a, "target": b, "modality": ev.modality,
                              "date": ev.date, "trigger": ev.trigger.text, "start": ev.trigger.start,
                              "end": ev.trigger.end})
        if ev.modality not in NOT_COUNTED:
            row["by_quad"][ev.quad] += 1
            row["net_goldstein"] = round(row["net_goldstein"] + ev.goldstein, 2)
    return sorted(rows.values(), key=lambda r: (-len(r["events"]), r["pair"]))
