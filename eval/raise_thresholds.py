"""Raise the quality-gate floors in eval/thresholds.json from the latest sample scores.

    python -m benchmarks.quality && python eval/raise_thresholds.py

Each floor becomes max(current floor, measured F1 - MARGIN): floors only ever go up. The measured
scores are recorded beside them so the next change can see what the gate was set from.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARGIN = 0.03


def main() -> None:
    results = json.loads((ROOT / "benchmarks" / "results" / "quality.json").read_text(encoding="utf-8"))
    samples = results["sets"]["samples"]
    path = ROOT / "eval" / "thresholds.json"
    gate = json.loads(path.read_text(encoding="utf-8"))
    for metric, f1 in samples["f1"].items():
        old = gate["samples"].get(metric, 0.0)
        new = max(old, round(f1 - MARGIN, 2))
        if new != old:
            print(f"{metric}: {old} -> {new} (measured {f1})")
        gate["samples"][metric] = new
    gate["measured"] = {"date": time.strftime("%Y-%m-%d"), "documents": samples["documents"], "f1": samples["f1"]}
    path.write_text(json.dumps(gate, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
