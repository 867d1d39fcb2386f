"""Event coder over SaudiNewsNet: events per document, top codes, speed, and a random sample to judge by hand.

Run: ``python -m benchmarks.events [--limit 2000] [--pipeline 200] [--judged N --judged-lenient M]``. ``--judged`` records how many
of the 30 sampled events (listed in the .md, fixed seed) a person reading them judged correct.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

from benchmarks.common import iter_saudinewsnet, peak_rss_mb, saudinewsnet_available, write_results
from marsad.document import Document, Meta
from marsad.events import annotate
from marsad.events.lexicon import load_codes


def _doc(article: dict) -> Document:
    published = (article.get("date_extracted") or "")[:10] or None
    return Document(article.get("content") or "", Meta(title=article.get("title"), source=article.get("source"),
                                                      url=article.get("url"), published=published))


def _pipeline_seconds(articles: list[dict], with_events: bool) -> float | None:
    """Seconds for the registered pipeline over ``articles`` with or without the events component."""
    from marsad import pipeline

    names = [n for n in pipeline.COMPONENTS if with_events or n != "events"]
    try:
        for n in names:
            pipeline.get_component(n)
    except Exception:  # a component another engineer is still writing may not import yet
        return None
    t0 = time.perf_counter()
    for a in articles:
        pipeline.run(_doc(a), names)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--pipeline", type=int, default=200, help="documents for the pipeline speed comparison")
    ap.add_argument("--judged", type=int, default=None, help="sampled events fully right (code, actors, modality)")
    ap.add_argument("--judged-lenient", type=int, default=None, help="sampled events with code root and source right")
    args = ap.parse_args()
    if not saudinewsnet_available():
        raise SystemExit("SaudiNewsNet is not available under ../shared/data")
    articles = list(iter_saudinewsnet(args.limit))
    annotate(Document("تمهيد: زار بوتين كازاخستان.", Meta(published="2020-01-01")))  # load data outside the timing
    codes, roots, modality, pairs = Counter(), Counter(), Counter(), Counter()
    events, with_events, chars = [], 0, 0
    t0 = time.perf_counter()
    for i, art in enumerate(articles):
        doc = _doc(art)
        chars += len(doc.text)
        annotate(doc)
        with_events += bool(doc.events)
        for ev in doc.events:
            codes[ev.code] += 1
            roots[ev.code[:2]] += 1
            modality[ev.modality] += 1
            if ev.source.actor and ev.target.actor:
                pairs[f"{ev.source.actor}->{ev.target.actor}"] += 1
            s = ev.sentence
            events.append({"doc": i, "code": ev.code, "label": ev.label, "source": ev.source.actor,
                           "target": ev.target.actor, "modality": ev.modality, "trigger": ev.trigger.text,
                           "sentence": doc.text[s["start"]:s["end"]][:400]})
    seconds = time.perf_counter() - t0
    n = len(articles)
    sample = random.Random(7).sample(events, min(30, len(events)))
    labels = load_codes()
    part = articles[: args.pipeline]
    base, full = _pipeline_seconds(part, False), _pipeline_seconds(part, True)
    data = {
        "documents": n, "characters": chars, "events": len(events), "events_per_doc": round(len(events) / max(n, 1), 2),
        "docs_with_events": with_events, "seconds_events_only": round(seconds, 2),
        "docs_per_second_events_only": round(n / seconds, 1) if seconds else None,
        "top_codes": [[c, labels[c].label, k] for c, k in codes.most_common(20)],
        "by_root": dict(sorted(roots.items())), "modality": dict(modality), "top_pairs": pairs.most_common(15),
        "pipeline_docs": len(part), "pipeline_seconds_without_events": base and round(base, 2),
        "pipeline_seconds_with_events": full and round(full, 2),
        "sample": sample, "sample_judged_correct": args.judged, "sample_judged_code_and_source": args.judged_lenient, "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    md = [f"# Event coder on SaudiNewsNet ({n} articles)", "",
          f"- events: {len(events)} ({data['events_per_doc']} per document; {with_events} documents with ≥1 event)",
          f"- events component alone: {data['seconds_events_only']} s ({data['docs_per_second_events_only']} docs/s)",
          f"- pipeline on {len(part)} docs: {data['pipeline_seconds_without_events']} s without events, "
          f"{data['pipeline_seconds_with_events']} s with events",
          f"- modality: {dict(modality)}", "", "## Top codes", ""]
    md += [f"- {c} {lab}: {k}" for c, lab, k in data["top_codes"]]
    md += ["", "## Spot check: 30 random events (seed 7)", "",
           f"Judged correct by reading (code root and both actors right, modality right): "
           f"{args.judged if args.judged is not None else 'not yet judged'} / {len(sample)}; "
           f"code root and source country right: {args.judged_lenient if args.judged_lenient is not None else '-'}"
           f" / {len(sample)}", ""]
    for j, ev in enumerate(sample, 1):
        md.append(f"{j}. `{ev['code']}` {ev['source']} → {ev['target']} ({ev['modality']}), trigger «{ev['trigger']}»: "
                  f"{ev['sentence']}")
    write_results("events", data, "\n".join(md) + "\n")
    print("\n".join(md[:8]))


if __name__ == "__main__":
    main()
