"""Knowledge base: cold load+compile time and memory, and gazetteer matcher throughput (one core).

    python -m benchmarks.kb [--limit N] [--runs R]

Load is measured in fresh subprocesses (a cold ``load_kb()``: read TSVs, normalize every name, build the
Aho–Corasick automaton); the target is < 0.5 s. Matching is timed on already-normalized text (``KB.find``)
over the bundled samples and, when ../shared is present, SaudiNewsNet. Writes benchmarks/results/kb.json, .md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

from benchmarks.common import ROOT, iter_saudinewsnet, sample_texts, saudinewsnet_available, timer, write_results

TARGET_LOAD_SECONDS = 0.5

_COLD = """
import json, resource, time
t0 = time.perf_counter()
import marsad.kb
t1 = time.perf_counter()
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kb = marsad.kb.load_kb()
t2 = time.perf_counter()
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "rss_mb": rss1 / 1024, "kb_mb": (rss1 - rss0) / 1024,
                  "entries": len(kb.entries), "keys": len(kb.names)}))
"""


def cold_load(runs: int, use_cache: bool) -> dict:
    """Median over ``runs`` fresh interpreters of import and load time, and peak memory.

    With the cache, one unmeasured run first makes sure the pickle for the current data exists.
    """
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_NO_CACHE"}
    if not use_cache:
        env["MARSAD_NO_CACHE"] = "1"
    samples = []
    for i in range(runs + use_cache):
        out = subprocess.run([sys.executable, "-c", _COLD], capture_output=True, text=True, check=True,
                             cwd=ROOT, env=env)
        if use_cache and i == 0:
            continue
        samples.append(json.loads(out.stdout))
    med = {k: statistics.median(s[k] for s in samples) for k in ("import_s", "load_s", "rss_mb", "kb_mb")}
    return {
        "runs": runs,
        "pickle_cache": use_cache,
        "entries": samples[0]["entries"],
        "gazetteer_keys": samples[0]["keys"],
        "import_seconds": round(med["import_s"], 3),
        "load_compile_seconds": round(med["load_s"], 3),
        "load_compile_seconds_max": round(max(s["load_s"] for s in samples), 3),
        "ready_seconds": round(med["import_s"] + med["load_s"], 3),
        "peak_rss_mb": round(med["rss_mb"], 1),
        "kb_rss_mb": round(med["kb_mb"], 1),
        "target_seconds": TARGET_LOAD_SECONDS,
        "meets_target": med["import_s"] + med["load_s"] < TARGET_LOAD_SECONDS,
    }


def throughput(texts: list[str], repeat: int = 1) -> dict:
    """Chars/s and tokens/s of ``KB.find`` on normalized texts (normalization timed apart)."""
    from marsad.kb import load_kb
    from marsad.normalize import normalize
    from marsad.tokenize import tokenize

    kb = load_kb()
    with timer() as norm:
        normalized = [normalize(t) for t in texts]
    tokens = sum(len(tokenize(nz)) for nz in normalized)
    hits = 0
    with timer() as match:
        for _ in range(repeat):
            for nz in normalized:
                hits += len(kb.find(nz))
    chars = sum(map(len, texts)) * repeat
    secs = max(match["seconds"], 1e-9)
    return {
        "documents": len(texts) * repeat,
        "chars": chars,
        "tokens": tokens * repeat,
        "hits": hits,
        "hits_per_1k_tokens": round(1000 * hits / max(tokens * repeat, 1), 1),
        "match_seconds": round(match["seconds"], 3),
        "chars_per_s": round(chars / secs),
        "tokens_per_s": round(tokens * repeat / secs),
        "normalize_seconds": round(norm["seconds"], 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=5000, help="SaudiNewsNet articles (default 5000)")
    ap.add_argument("--runs", type=int, default=5, help="cold-load subprocess runs (default 5)")
    args = ap.parse_args(argv)
    results: dict = {"load": cold_load(args.runs, use_cache=True), "load_without_cache": cold_load(args.runs, False),
                     "samples": throughput(sample_texts(), repeat=20)}
    if saudinewsnet_available():
        results["saudinewsnet"] = throughput([a.get("content") or "" for a in iter_saudinewsnet(args.limit)])
    else:
        results["saudinewsnet"] = "skipped: ../shared/data absent"
    md = ["# Knowledge base benchmark (one core)", ""]
    for key, label in (("load", "with the pickle cache"), ("load_without_cache", "building from the TSVs")):
        load = results[key]
        md += [f"Cold process {label}, median of {load['runs']}: import {load['import_seconds']} s + load "
               f"{load['load_compile_seconds']} s = **ready in {load['ready_seconds']} s** (target < "
               f"{TARGET_LOAD_SECONDS} s: {'met' if load['meets_target'] else 'NOT met'}); peak RSS "
               f"{load['peak_rss_mb']} MB, of which KB {load['kb_rss_mb']} MB; {load['entries']} entries, "
               f"{load['gazetteer_keys']} gazetteer keys.", ""]
    md += [
        "| corpus | docs | chars | tokens | hits | chars/s | tokens/s |", "|---|---|---|---|---|---|---|",
    ]
    for name in ("samples", "saudinewsnet"):
        r = results[name]
        if isinstance(r, dict):
            md.append(f"| {name} | {r['documents']} | {r['chars']} | {r['tokens']} | {r['hits']} | "
                      f"{r['chars_per_s']:,} | {r['tokens_per_s']:,} |")
        else:
            md.append(f"| {name} | {r} | | | | | |")
    path = write_results("kb", results, "\n".join(md) + "\n")
    print("\n".join(md))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
