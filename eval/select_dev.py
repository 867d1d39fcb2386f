"""Select the development-set articles from SaudiNewsNet (writes eval/dev_articles.tsv).

    python eval/select_dev.py

Only URLs, checksums and counts are written; the corpus text stays in ../shared.
Criteria: 120-330 words, at least 4 political/economic keywords, a seeded shuffle, then
round-robin over sources so every outlet is represented. Articles 0-21 go to annotator A,
22-43 to annotator B; 0-4 and 22-26 are annotated a second time, independently, by C.
"""

from __future__ import annotations

import collections
import hashlib
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import iter_saudinewsnet  # noqa: E402

KEYWORDS = re.compile(r"وزير|الرئيس|رئيس الوزراء|الملك|ولي العهد|مجلس الأمن|الأمم المتحدة|اتفاق|مباحثات|زيارة|قمة|"
                      r"العقوبات|النفط|الاقتصاد|الاستثمار|مليار|إيران|روسيا|الولايات المتحدة|اليمن|سوريا|العراق|مصر|تركيا")
SOURCES = ["aawsat", "alriyadh", "okaz", "aleqtisadiya", "aljazirah", "alyaum", "alwatan", "almadina", "alweeam",
           "3alyoum", "sabq", "was"]
N = 44


def main() -> None:
    pool = [a for a in iter_saudinewsnet()
            if 120 <= len((a.get("content") or "").split()) <= 330 and len(KEYWORDS.findall(a.get("content") or "")) >= 4]
    random.Random(20261129).shuffle(pool)
    by_source = collections.defaultdict(list)
    for a in pool:
        by_source[a["source"]].append(a)
    picked, seen, i = [], set(), 0
    while len(picked) < N:
        bucket = by_source[SOURCES[i % len(SOURCES)]]
        i += 1
        while bucket:
            a = bucket.pop()
            if a["url"] not in seen:
                seen.add(a["url"])
                picked.append(a)
                break
    out = ROOT / "eval" / "dev_articles.tsv"
    with out.open("w", encoding="utf-8") as f:
        f.write("# Development-set selection: SaudiNewsNet articles (text not committed; join by URL from ../shared).\n")
        f.write("# Made by eval/select_dev.py (criteria in its docstring).\n")
        f.write("n\tannotator\tsecond\tsource\tdate_extracted\twords\tsha1\turl\n")
        for n, a in enumerate(picked):
            second = "C" if (n < 5 or 22 <= n < 27) else ""
            sha = hashlib.sha1(a["content"].encode()).hexdigest()
            f.write(f"{n}\t{'A' if n < 22 else 'B'}\t{second}\t{a['source']}\t{a['date_extracted'][:10]}\t"
                    f"{len(a['content'].split())}\t{sha}\t{a['url']}\n")


if __name__ == "__main__":
    main()
