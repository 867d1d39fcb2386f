"""Extraction pipeline speed per component on SaudiNewsNet, and output snapshots for before/after diffs.

    python -m benchmarks.pipeline [--limit N] [--components a,b] [--snapshot FILE] [--compare FILE]

Every registered component (``marsad.pipeline.COMPONENTS``) runs over the first N articles (default 500)
in one process; CPU seconds (``time.process_time``) are summed per component, and the shared analyses
(``doc.normalized``, ``doc.tokens``, ``doc.sentences``) are timed apart as ``analysis`` so they are not
charged to whichever component touches them first. Models and lexicons are loaded before timing.
Target (issue 8): full extraction ≥ 50 documents/s per core; the figure is also given without events.

``--snapshot FILE`` writes the output contract (``doc.to_dict()``) of every document as JSONL;
``--compare FILE`` diffs this run's output against such a snapshot, layer by layer, so an optimization
can be shown not to change results. Results: ``benchmarks/results/pipeline.{json,md}`` (not written
with ``--compare``/``--snapshot`` unless ``--write`` is given). Skips cleanly without ``../shared``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import iter_saudinewsnet, peak_rss_mb, saudinewsnet_available, write_results

TARGET_DOCS_PER_S = 50
ANALYSIS = "analysis"


def _doc(article: dict) -> Any:
    from marsad.document import Document, Meta

    published = (article.get("date_extracted") or "")[:10] or None
    return Document(article.get("content") or "", Meta(title=article.get("title"), source=article.get("source"),
                                                      url=article.get("url"), published=published))


def _analyses(doc: Any) -> None:
    doc.normalized  # noqa: B018 - cached properties computed here, timed apart
    doc.tokens  # noqa: B018
    doc.sentences  # noqa: B018


def load_components(names: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Callable per component name, and the ones that failed to import (another engineer's work in progress)."""
    from marsad import pipeline
    from marsad.document import Document, Meta

    loaded: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for name in names:
        try:
            loaded[name] = pipeline.get_component(name)
        except Exception as exc:  # noqa: BLE001 - reported, never fatal
            failed[name] = f"{type(exc).__name__}: {exc}"
    warm = Document(pipeline.WARMUP_TEXT, Meta(published="2024-03-06"))
    for name, fn in list(loaded.items()):  # load models and lexicons outside the timing
        try:
            fn(warm)
        except Exception as exc:  # noqa: BLE001
            failed[name] = f"{type(exc).__name__}: {exc}"
            del loaded[name]
    return loaded, failed


def _time_crf(box: dict[str, float]) -> None:
    """Charge the CRF tagger's share of ``entities`` to ``box["seconds"]`` (benchmark instrumentation only)."""
    try:
        import marsad.entities as ents
    except Exception:  # noqa: BLE001
        return
    inner = getattr(ents, "crf_candidates", None)
    if inner is None or getattr(inner, "_timed", False):
        return

    def timed(ctx: Any) -> Any:
        t0 = time.process_time()
        try:
            return inner(ctx)
        finally:
            box["seconds"] += time.process_time() - t0

    timed._timed = True  # type: ignore[attr-defined]
    ents.crf_candidates = timed


def run(limit: int, names: list[str], snapshot: Path | None = None) -> tuple[dict, list[dict]]:
    articles = list(iter_saudinewsnet(limit))
    loaded, failed = load_components(names)
    crf = {"seconds": 0.0}
    if "entities" in loaded:
        _time_crf(crf)
    seconds = {ANALYSIS: 0.0, **{n: 0.0 for n in loaded}}
    errors = {n: 0 for n in loaded}
    outputs: list[dict] = []
    chars = 0
    clock = time.process_time
    wall0 = time.perf_counter()
    for art in articles:
        doc = _doc(art)
        chars += len(doc.text)
        t0 = clock()
        _analyses(doc)
        seconds[ANALYSIS] += clock() - t0
        for name, fn in loaded.items():
            t0 = clock()
            try:
                fn(doc)
            except Exception:  # noqa: BLE001 - counted; the other components still run
                errors[name] += 1
            seconds[name] += clock() - t0
        if snapshot is not None:
            outputs.append(doc.to_dict())
    wall = time.perf_counter() - wall0
    n = len(articles)
    total = sum(seconds.values())
    no_events = total - seconds.get("events", 0.0)
    result = {
        "corpus": "saudinewsnet", "documents": n, "characters": chars,
        "components": list(loaded), "failed_to_load": failed, "errors": {k: v for k, v in errors.items() if v},
        "cpu_seconds": {k: round(v, 3) for k, v in seconds.items()},
        "entities_crf_cpu_seconds": round(crf["seconds"], 3) if "entities" in loaded else None,
        "ms_per_doc": {k: round(1000 * v / max(n, 1), 2) for k, v in seconds.items()},
        "docs_per_s": {k: round(n / v, 1) if v else None for k, v in seconds.items()},
        "total_cpu_seconds": round(total, 2), "total_docs_per_s": round(n / total, 1) if total else None,
        "without_events_docs_per_s": round(n / no_events, 1) if no_events else None,
        "wall_seconds": round(wall, 2), "peak_rss_mb": round(peak_rss_mb(), 1),
        "target_docs_per_s_per_core": TARGET_DOCS_PER_S,
        "meets_target": bool(total) and n / total >= TARGET_DOCS_PER_S,
    }
    return result, outputs


def compare(outputs: list[dict], path: Path) -> dict[str, Any]:
    """Per layer: documents whose output differs from the snapshot, with the first few examples."""
    old = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_id = {d["id"]: d for d in old}
    layers = ["meta", "entities", "times", "amounts", "quotes", "events"]
    diff: dict[str, Any] = {"snapshot": str(path), "compared": 0, "missing": 0,
                            "differing_docs": {k: 0 for k in layers}, "examples": {k: [] for k in layers}}
    for i, new in enumerate(outputs):
        new = json.loads(json.dumps(new, ensure_ascii=False, sort_keys=True))  # tuples -> lists, as in the file
        # same position first: the corpus repeats some texts (same id) with other metadata
        before = old[i] if i < len(old) and old[i]["id"] == new["id"] else by_id.get(new["id"])
        if before is None:
            diff["missing"] += 1
            continue
        diff["compared"] += 1
        for layer in layers:
            a, b = before.get(layer), new.get(layer)
            if a == b:
                continue
            diff["differing_docs"][layer] += 1
            if len(diff["examples"][layer]) < 3:
                a_list = a if isinstance(a, list) else [a]
                b_list = b if isinstance(b, list) else [b]
                diff["examples"][layer].append({
                    "id": new["id"],
                    "only_before": [x for x in a_list if x not in b_list][:3],
                    "only_after": [x for x in b_list if x not in a_list][:3]})
    return diff


def markdown(r: dict, command: str, base: dict | None = None) -> str:
    """Per-component table; with ``base`` (an earlier run's JSON on the same documents) a "before" column too."""
    n = max(r["documents"], 1)
    ms = lambda sec: f"{1000 * sec / n:.2f}"  # noqa: E731
    before = base is not None and base.get("documents") == r["documents"]
    head = "| component | CPU s | ms/doc | docs/s |" + (" ms/doc before |" if before else "")
    lines = [
        "# Pipeline benchmark", "", f"`{command}`", "",
        f"{r['documents']} SaudiNewsNet articles ({r['characters']:,} characters), one process, CPU seconds "
        "(`time.process_time`); models and lexicons loaded before timing. `analysis` = the shared cached "
        "analyses (normalized text, tokens, sentences).", "",
        head, "|---|---:|---:|---:|" + ("---:|" if before else ""),
    ]

    def old(key: str) -> str:
        if not before:
            return ""
        sec = base["cpu_seconds"].get(key) if key != "crf" else base.get("entities_crf_cpu_seconds")  # type: ignore[union-attr]
        return f" {ms(sec)} |" if sec is not None else " – |"

    for k, v in r["cpu_seconds"].items():
        lines.append(f"| {k} | {v:.2f} | {ms(v)} | {r['docs_per_s'][k] or '–'} |" + old(k))
        if k == "entities" and r.get("entities_crf_cpu_seconds") is not None:
            crf = r["entities_crf_cpu_seconds"]
            lines.append(f"| ↳ of which CRF tagger (`marsad.ner`) | {crf:.2f} | {ms(crf)} | |" + old("crf"))
    total_before = f" **{ms(base['total_cpu_seconds'])}** |" if before else ""  # type: ignore[index]
    lines += [
        f"| **total** | **{r['total_cpu_seconds']:.2f}** | **{ms(r['total_cpu_seconds'])}**"
        f" | **{r['total_docs_per_s']}** |" + total_before, "",
        f"- without events: **{r['without_events_docs_per_s']} docs/s**"
        + (f" (before: {base['without_events_docs_per_s']})" if before else ""),  # type: ignore[index]
        f"- these {r['documents']:,} articles average {r['characters'] // max(r['documents'], 1):,} characters; "
        f"the target (≥ {r['target_docs_per_s_per_core']} docs/s per core, full extraction and storage) is judged "
        "on the whole corpus (1,713 characters per article on average) by `python -m benchmarks.ingest` "
        f"(results/ingest.md); at this length: {'met' if r['meets_target'] else 'not met'}",
        f"- wall {r['wall_seconds']} s, peak RSS {r['peak_rss_mb']} MB",
    ]
    if before:
        lines.append(f"- before: an earlier run on the same documents (`{base.get('command', '?')}`, "  # type: ignore[union-attr]
                     f"{base.get('date', '?')}); CPU times on a shared machine vary by ±15% between runs")  # type: ignore[union-attr]
    if r["failed_to_load"]:
        lines.append(f"- components that failed to load: {', '.join(r['failed_to_load'])}")
    if r["errors"]:
        lines.append(f"- documents on which a component raised: {r['errors']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=500)
    ap.add_argument("--components", default=None, help="comma-separated subset, in pipeline order (default: all)")
    ap.add_argument("--snapshot", type=Path, default=None, help="write doc.to_dict() per document as JSONL")
    ap.add_argument("--compare", type=Path, default=None, help="diff this run's output against a snapshot")
    ap.add_argument("--write", action="store_true", help="write results even with --snapshot/--compare")
    ap.add_argument("--baseline", type=Path, default=None,
                    help="an earlier pipeline.json on the same documents: adds a 'before' column")
    args = ap.parse_args(argv)
    if not saudinewsnet_available():
        print("SaudiNewsNet is not available under ../shared/data: skipped")
        return
    from marsad.pipeline import COMPONENTS

    names = list(COMPONENTS)
    if args.components is not None:
        wanted = {n.strip() for n in args.components.split(",") if n.strip()}
        names = [n for n in names if n in wanted]
    result, outputs = run(args.limit, names, snapshot=args.snapshot or args.compare)
    command = "python -m benchmarks.pipeline " + " ".join(a for a in (argv if argv is not None else sys.argv[1:]))
    base = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline else None
    md = markdown(result, command.strip(), base)
    print(md)
    if args.snapshot is not None:
        with args.snapshot.open("w", encoding="utf-8") as fh:
            for d in outputs:
                fh.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"snapshot: {len(outputs)} documents -> {args.snapshot}")
    if args.compare is not None:
        diff = compare(outputs, args.compare)
        print(json.dumps(diff, ensure_ascii=False, indent=1))
    if (args.snapshot is None and args.compare is None) or args.write:
        extra = {"baseline": {k: base.get(k) for k in ("command", "date", "cpu_seconds", "entities_crf_cpu_seconds",
                                                         "total_cpu_seconds", "total_docs_per_s",
                                                         "without_events_docs_per_s")}} if base else {}
        out = write_results("pipeline", {**result, "command": command.strip(), **extra}, md)
        print(f"results -> {out}")


if __name__ == "__main__":
    main()
