"""Ingest throughput and peak memory: SaudiNewsNet (31,030 articles) into a fresh SQLite store.

    python -m benchmarks.ingest [--limit N] [--workers N]

Full extraction (every registered pipeline component) + storage, the same code path as
``marsad ingest``. Also times a second pass over the same inputs (resume: everything is skipped
by content hash). Targets: >= 50 documents/s per core, peak RSS <= 1 GB.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.common import SAMPLES, SAUDINEWSNET, peak_rss_mb, saudinewsnet_available, timer, write_results

TARGET_DOCS_PER_S_PER_CORE = 50
TARGET_RSS_MB = 1024


def children_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run(limit: int | None, workers: int, components: tuple[str, ...] | None = None, keep: Path | None = None) -> dict:
    from marsad.pipeline import COMPONENTS
    from marsad.store import open_store
    from marsad.store.ingest import ingest
    from marsad.store.inputs import iter_items

    load_before = os.getloadavg()[0]
    corpus = "saudinewsnet" if saudinewsnet_available() else "bundled samples (../shared absent)"
    paths = sorted(SAUDINEWSNET.glob("*.zip")) if saudinewsnet_available() else [SAMPLES]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = open_store(db)
        with timer() as first:
            summary = ingest(store, itertools.islice(iter_items(paths), limit), workers=workers, components=components)
        stats = store.stats()
        store.close()
        store = open_store(db)
        with timer() as second:
            again = ingest(store, itertools.islice(iter_items(paths), limit), workers=workers)
        store.close()
        size_mb = sum(f.stat().st_size for f in Path(tmp).glob("bench.db*")) / 2**20
        if keep is not None:  # e.g. for `python -m benchmarks.search --db KEEP`
            shutil.copyfile(db, keep)
    processed = summary.seen
    rate = processed / first["seconds"]
    stored_rate = (summary.ingested + summary.near_duplicates) / first["seconds"]
    rss = max(peak_rss_mb(), children_peak_rss_mb())
    return {
        "corpus": corpus, "limit": limit, "workers": workers,
        "components": list(COMPONENTS if components is None else components),
        "inputs": processed, "ingested": summary.ingested, "near_duplicates": summary.near_duplicates,
        "skipped_identical": summary.skipped, "failed": len(summary.failures),
        "failure_kinds": _kinds(summary.failures),
        "seconds": round(first["seconds"], 2), "inputs_per_s": round(rate, 1),
        "stored_docs_per_s": round(stored_rate, 1), "inputs_per_s_per_core": round(rate / workers, 1),
        "resume_seconds": round(second["seconds"], 2), "resume_inputs_per_s": round(again.seen / second["seconds"], 1),
        "resume_ingested": again.ingested, "peak_rss_mb": round(rss, 1), "db_mb": round(size_mb, 1), "stats": stats,
        "restricted": components is not None,
        # other processes on the machine slow a run down: the 1-minute load average before and after
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)], "cpus": os.cpu_count(),
        "targets": {"docs_per_s_per_core": TARGET_DOCS_PER_S_PER_CORE, "peak_rss_mb": TARGET_RSS_MB},
        "meets_targets": rate / workers >= TARGET_DOCS_PER_S_PER_CORE and rss <= TARGET_RSS_MB,
    }


def _kinds(failures: list[tuple[str, str]]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for _, problem in failures:
        kinds[problem] = kinds.get(problem, 0) + 1
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1])[:10])


def markdown(r: dict) -> str:
    rows = [
        ("corpus", f"{r['corpus']}" + (f" (first {r['limit']})" if r["limit"] else "")),
        ("pipeline components", ", ".join(r["components"])),
        ("workers", r["workers"]),
        ("inputs read", f"{r['inputs']:,}"),
        ("stored (originals / near-duplicates)", f"{r['ingested']:,} / {r['near_duplicates']:,}"),
        ("identical content skipped / failed", f"{r['skipped_identical']:,} / {r['failed']:,}"),
        ("time", f"{r['seconds']} s"),
        ("throughput", f"**{r['inputs_per_s']} documents/s** ({r['inputs_per_s_per_core']} per core; "
                       f"target ≥ {r['targets']['docs_per_s_per_core']})"),
        ("resume pass (all skipped by hash)", f"{r['resume_seconds']} s, {r['resume_inputs_per_s']} documents/s"),
        ("peak RSS", f"**{r['peak_rss_mb']} MB** (target ≤ {r['targets']['peak_rss_mb']})"),
        ("database size", f"{r['db_mb']} MB"),
        ("machine load (1-min average before / after; cores)",
         " / ".join(map(str, r.get("load_average", ["?", "?"]))) + f"; {r.get('cpus', '?')}"),
        ("stored layers", ", ".join(f"{k} {v:,}" for k, v in r["stats"].items())),
    ]
    lines = ["# Ingest benchmark", "", "`python -m benchmarks.ingest" + (f" --limit {r['limit']}" if r["limit"] else "")
             + (f" --components '{','.join(r['components'])}'" if r.get("restricted") else "")
             + (f" --workers {r['workers']}" if r["workers"] > 1 else "") + "`", "",
             "| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows), ""]
    if r["failure_kinds"]:
        lines += ["Failures by problem:", "", *(f"- {p}: {n}" for p, n in r["failure_kinds"].items()), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--components", help="comma-separated pipeline components (default: all registered); "
                                             "'' measures reading, dedupe and storage alone")
    parser.add_argument("--keep-db", type=Path, help="copy the finished store here (for benchmarks.search --db)")
    args = parser.parse_args(argv)
    components = None if args.components is None else tuple(filter(None, args.components.split(",")))
    result = run(args.limit, args.workers, components, args.keep_db)
    md = markdown(result)
    # the headline result (ingest.*) is the full pipeline on one core; variants are written beside it
    name = "ingest" + ("" if components is None else "_components") + ("" if args.workers == 1 else f"_workers{args.workers}")
    out = write_results(name, result, md)
    print(md)
    print(f"written {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
