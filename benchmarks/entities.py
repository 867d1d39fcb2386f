"""Entity component speed on SaudiNewsNet: docs/s for the entity component and for the whole pipeline.

Run: ``python -m benchmarks.entities [N]`` (default 500 articles). Writes benchmarks/results/entities.json/.md.
Target: whole pipeline ≥ 50 docs/s per core on news articles.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from benchmarks.common import iter_saudinewsnet, peak_rss_mb, saudinewsnet_available, write_results
from marsad.document import Document
from marsad.pipeline import COMPONENTS, get_component


def main(limit: int = 500) -> int:
    if not saudinewsnet_available():
        print("SaudiNewsNet not found under ../shared/data; nothing to measure")
        return 0
    texts = [a.get("content") or "" for a in iter_saudinewsnet(limit)]
    texts = [t for t in texts if t.strip()]
    get_component("entities")(Document("تمهيد: زار بوتين أستانا."))  # load KB and lexicons once
    for name in COMPONENTS:
        get_component(name)(Document("تمهيد"))
    spent: Counter[str] = Counter()
    types: Counter[str] = Counter()
    chars = 0
    for text in texts:
        doc = Document(text)
        chars += len(text)
        for name in COMPONENTS:
            t0 = time.perf_counter()
            get_component(name)(doc)
            spent[name] += time.perf_counter() - t0
        types.update(e.type for e in doc.entities)
    n = len(texts)
    total = sum(spent.values())
    data = {"docs": n, "chars": chars, "entities_docs_per_s": round(n / spent["entities"], 1),
            "pipeline_docs_per_s": round(n / total, 1), "seconds_by_component": {k: round(v, 2) for k, v in spent.items()},
            "entities_per_doc": round(sum(types.values()) / n, 1), "entity_types": dict(types),
            "peak_rss_mb": round(peak_rss_mb(), 1)}
    md = (f"# entities benchmark\n\n{n} SaudiNewsNet articles ({chars} chars), one core.\n\n"
          f"- entity component: {data['entities_docs_per_s']} docs/s\n"
          f"- whole pipeline ({', '.join(COMPONENTS)}): {data['pipeline_docs_per_s']} docs/s (target ≥ 50)\n"
          f"- entities per doc: {data['entities_per_doc']}; types: {dict(types)}\n"
          f"- peak RSS: {data['peak_rss_mb']} MB\n")
    write_results("entities", data, md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
