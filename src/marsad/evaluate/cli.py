"""``marsad eval GOLD [PRED]``: score predictions (or the current pipeline) against gold, per layer."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from marsad.document import Document

LAYERS = ("entities", "times", "amounts", "quotes", "events")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="score extraction against gold annotations (P/R/F1 per layer and type)",
                       description="GOLD and PRED are gold files (docs/annotation-guidelines.md) or contract JSON "
                                   "documents, as files or directories. Without PRED the current pipeline runs "
                                   "on GOLD's texts.")
    p.add_argument("gold", metavar="GOLD", help="gold file or directory")
    p.add_argument("pred", metavar="PRED", nargs="?", help="predictions (file or directory); default: run the pipeline")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--layers", nargs="+", choices=LAYERS, default=list(LAYERS), metavar="LAYER",
                   help=f"layers to score (default all: {' '.join(LAYERS)})")
    p.add_argument("--corpus", type=Path, help="SaudiNewsNet zip directory for dev gold (default ../shared/data/...)")
    p.set_defaults(func=cmd_eval)


def predict(gold: list[Document]) -> tuple[list[Document], list[str]]:
    """Run every registered component on fresh copies of the gold texts; a failing component is reported,
    not fatal, so half-landed layers score 0 instead of stopping the evaluation."""
    from marsad.document import Meta
    from marsad.pipeline import COMPONENTS, get_component

    docs, errors = [], []
    for g in gold:
        doc = Document(text=g.text, meta=Meta(url=g.meta.url, published=g.meta.published, title=g.meta.title,
                                              source=g.meta.source, path=g.meta.path))
        for name in COMPONENTS:
            try:
                get_component(name)(doc)
            except Exception as exc:  # noqa: BLE001 - report and score the rest
                errors.append(f"{g.meta.path or g.id}: component {name}: {type(exc).__name__}: {exc}")
        docs.append(doc)
    return docs, errors


def evaluate(gold_paths: list[str | Path], pred_paths: list[str | Path] | None = None,
             layers: list[str] | tuple[str, ...] = LAYERS, corpus: Path | None = None) -> dict[str, Any]:
    """Score result with ``problems`` (gold/prediction files that failed) and ``errors`` (components)."""
    from marsad.evaluate.gold import read_documents
    from marsad.evaluate.score import score

    gold, problems = read_documents(gold_paths, corpus)
    errors: list[str] = []
    if pred_paths:
        pred, more = read_documents(pred_paths, corpus)
        problems += more
    else:
        pred, errors = predict(gold)
    result = score(gold, pred, layers)
    result["problems"] = problems
    result["errors"] = errors
    return result


def cmd_eval(args: argparse.Namespace) -> int:
    result = evaluate([args.gold], [args.pred] if args.pred else None, args.layers, args.corpus)
    for line in result["problems"] + result["errors"]:
        print(f"marsad eval: {line}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result)
    return 0 if result["documents"] else 1


def print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"marsad eval — {result['documents']} gold documents, {result['predicted']} predicted")
    for col, justify in (("layer", "left"), ("metric", "left"), ("type", "left"), ("gold", "right"),
                         ("pred", "right"), ("P", "right"), ("R", "right"), ("F1", "right")):
        table.add_column(col, justify=justify)
    for layer, data in result["layers"].items():
        for name, m in data["metrics"].items():
            gold = m.get("n", "") if "tp" not in m else int(m["tp"] + m["fn"])
            pred = "" if "tp" not in m else int(m["tp"] + m["fp"])
            table.add_row(layer, name, "", str(gold), str(pred), f"{m['p']:.3f}", f"{m['r']:.3f}", f"[bold]{m['f1']:.3f}")
        for kind, m in data["by_type"].items():
            table.add_row("", data["typed_metric"], kind, str(int(m["tp"] + m["fn"])), str(int(m["tp"] + m["fp"])),
                          f"{m['p']:.3f}", f"{m['r']:.3f}", f"{m['f1']:.3f}")
        table.add_section()
    Console().print(table)
