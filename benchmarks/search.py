"""Search latency (p50/p95) over 100 varied queries on a SaudiNewsNet store.

    python -m benchmarks.search [--db PATH] [--limit 5000] [--mode auto|full|text] [--repeat 3]

With ``--db`` an existing store is searched (built there first if it is empty). Otherwise a store is
built in a temporary file from the first ``--limit`` articles: with the full pipeline when the measured
rate allows it (``auto``, projected ≤ ``--budget`` seconds), else text only (documents and search
index, no layers). The results say which. Target: p95 ≤ 50 ms per query (10 results with snippets).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import iter_saudinewsnet, saudinewsnet_available, timer, write_results

TARGET_P95_MS = 50.0

#: single names, clitic forms, two-word phrases (quoted and not), common and rare terms
QUERIES: tuple[str, ...] = (
    # single names and places
    "السعودية", "الرياض", "جدة", "مكة", "المدينة", "اليمن", "الحوثيين", "إيران", "سوريا", "العراق",
    "مصر", "الكويت", "قطر", "الإمارات", "البحرين", "عمان", "الأردن", "لبنان", "تركيا", "روسيا",
    "أمريكا", "الصين", "فرنسا", "داعش", "الأمم المتحدة", "سلمان", "أوباما", "بوتين", "الدمام", "أبها",
    # clitic forms
    "والرياض", "بالرياض", "للسعودية", "وللمملكة", "بالمملكة", "والحوثيين", "لليمن", "وإيران", "بجدة", "وزارته",
    "فالهلال", "والنصر", "كالعادة", "بالإضافة", "وللمواطنين", "لطلابها", "ومسؤوليها", "بمكة", "والأمن", "للتعليم",
    # quoted phrases
    '"ولي العهد"', '"وزارة الصحة"', '"مجلس الوزراء"', '"خادم الحرمين الشريفين"', '"الأمن العام"',
    '"وزارة التعليم"', '"الهلال الأحمر"', '"أسعار النفط"', '"سوق الأسهم"', '"كأس العالم"',
    # two words, unquoted
    "وزير الخارجية", "عاصفة الحزم", "فيروس كورونا", "الدفاع المدني", "هيئة الأمر", "أمير منطقة",
    "الموسم الرياضي", "المسجد الحرام", "رمضان المبارك", "الطلاب والطالبات",
    # common terms
    "المملكة", "الأمير", "وزارة", "الدولة", "العام", "التعليم", "الصحة", "المواطنين", "الشركة", "النفط",
    "مشروع", "الهلال", "الاتحاد", "الحج", "العمرة", "المرور", "الشرطة", "البلدية", "الجامعة", "المستشفى",
    # rare terms, diacritics and alef variants
    "كازاخستان", "بايكونور", "أستانا", "طشقند", "إتفاقية", "مُحادثات", "اكتتاب", "الزلزال", "فنزويلا", "الحوسبة",
)


def build(db: str, limit: int, mode: str, budget: float) -> dict:
    """Store the first ``limit`` articles in ``db``; returns how (mode, seconds, documents)."""
    from marsad.document import Document, Meta
    from marsad.pipeline import run
    from marsad.store import open_store

    store = open_store(db)
    articles = [a for a in iter_saudinewsnet(limit) if (a.get("content") or "").strip()]
    docs = [Document(text=a["content"], meta=Meta(title=a.get("title"), source=a.get("source"), url=a.get("url"),
                                                  published=(a.get("date_extracted") or "")[:10] or None))
            for a in articles]
    if mode == "auto":
        probe = docs[:50]
        t0 = time.perf_counter()
        for d in probe:
            run(d)
        per_doc = (time.perf_counter() - t0) / max(1, len(probe))
        mode = "full" if per_doc * len(docs) <= budget else "text"
    with timer() as t:
        for d in docs:
            if mode == "full":
                run(d)
            store.add_document(d)
    stats = store.stats()
    store.close()
    return {"mode": mode, "build_seconds": round(t["seconds"], 1), "stats": stats}


def measure(db: str, repeat: int, results: int) -> dict:
    from marsad.store import open_store
    from marsad.store.search import search

    store = open_store(db)
    for q in QUERIES:  # warm the page cache and the segmenter caches
        search(store, q, limit=results)
    times, hits, empty = [], {}, []
    for _ in range(repeat):
        for q in QUERIES:
            t0 = time.perf_counter()
            res = search(store, q, limit=results)
            times.append((time.perf_counter() - t0) * 1000)
            hits[q] = res["total"]
    empty = [q for q, n in hits.items() if n == 0]
    store.close()
    times.sort()
    return {"queries": len(QUERIES), "runs": len(times), "results_per_query": results,
            "p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
            "max_ms": round(times[-1], 2), "mean_ms": round(statistics.fmean(times), 2),
            "queries_without_results": empty, "median_matches": statistics.median(hits.values())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="existing store to search (built from SaudiNewsNet if empty)")
    ap.add_argument("--limit", type=int, default=5000, help="articles to store when building (default 5000)")
    ap.add_argument("--mode", choices=["auto", "full", "text"], default="auto")
    ap.add_argument("--budget", type=float, default=600.0, help="seconds the full pipeline may take in auto mode")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--results", type=int, default=10, help="results per query (snippets included)")
    args = ap.parse_args(argv)
    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = str(Path(tmp.name) / "search.db")
    from marsad.store import open_store

    store = open_store(db)
    existing = store.stats()
    stored = existing["documents"] + existing["duplicates"]
    store.close()
    built = None
    if not stored:
        if not saudinewsnet_available():
            print("SaudiNewsNet not found under ../shared/data; pass --db with a store", file=sys.stderr)
            return 1
        built = build(db, args.limit, args.mode, args.budget)
    data = {"db": args.db or "(temporary)", "built": built, "store": existing if not built else built["stats"], **measure(db, args.repeat, args.results),
            "target_p95_ms": TARGET_P95_MS}
    data["meets_target"] = data["p95_ms"] <= TARGET_P95_MS
    how = (f"built from the first {args.limit} SaudiNewsNet articles, {built['mode']} mode "
           f"({'full pipeline: layers stored' if built['mode'] == 'full' else 'text only: no layers'}), "
           f"in {built['build_seconds']} s" if built else
           f"existing store {args.db} ({stored} documents, "
           f"{'layers stored' if existing['entities'] else 'text only: no layers'})")
    md = (f"# Search latency\n\n{how}.\n\n{data['queries']} queries × {args.repeat} runs, {args.results} results "
          f"with snippets each.\n\n| p50 ms | p95 ms | max ms | target p95 |\n|---|---|---|---|\n"
          f"| {data['p50_ms']} | {data['p95_ms']} | {data['max_ms']} | ≤ {TARGET_P95_MS} |\n\n"
          f"Queries without results: {', '.join(data['queries_without_results']) or 'none'}.\n")
    write_results("search", data, md)
    print(md)
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
