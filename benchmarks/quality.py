"""Extraction quality of the current pipeline: eval/samples (bundled) and eval/dev (SaudiNewsNet gold).

    python -m benchmarks.quality     # writes benchmarks/results/quality.json and .md

eval/dev is skipped when it is empty or ../shared/data is absent (its texts live in the corpus).
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import ROOT, saudinewsnet_available, timer, write_results
from marsad.evaluate.cli import evaluate
from marsad.evaluate.score import headline

SETS = {"samples": ROOT / "eval" / "samples", "dev": ROOT / "eval" / "dev"}


def run_set(name: str, path: Path) -> dict | None:
    if not path.is_dir() or not any(path.glob("*.json")):
        print(f"{name}: no gold in {path.relative_to(ROOT)}, skipped")
        return None
    if name == "dev" and not saudinewsnet_available():
        print(f"{name}: ../shared/data corpus absent, skipped")
        return None
    with timer() as t:
        result = evaluate([path])
    for line in result["problems"] + result["errors"]:
        print(f"  {name}: {line}")
    return {"documents": result["documents"], "seconds": round(t["seconds"], 2), "f1": headline(result),
            "layers": result["layers"], "problems": len(result["problems"]), "errors": len(result["errors"])}


def markdown(results: dict[str, dict]) -> str:
    keys = sorted({k for r in results.values() for k in r["f1"]})
    lines = ["# Extraction quality (F1, `python -m benchmarks.quality`)", "",
             "| metric | " + " | ".join(f"{n} ({r['documents']} docs)" for n, r in results.items()) + " |",
             "|---|" + "---:|" * len(results)]
    lines += [f"| {k} | " + " | ".join(f"{r['f1'].get(k, 0):.3f}" for r in results.values()) + " |" for k in keys]
    return "\n".join(lines) + "\n"


def main() -> None:
    results = {name: r for name, path in SETS.items() if (r := run_set(name, path)) is not None}
    out = write_results("quality", {"sets": results}, markdown(results) if results else None)
    print(markdown(results) if results else "nothing to score")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
