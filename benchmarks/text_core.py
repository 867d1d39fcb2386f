"""Text-core throughput (normalize + tokenize + sentences), one core, beside a bare regex pass.

    python -m benchmarks.text_core [--limit N]

Runs on the bundled samples and, when ../shared is present, on SaudiNewsNet; writes
benchmarks/results/text_core.json and .md. The ratio to `re.findall(r"\\w+")` is measured in the
same run, so it is comparable across machines where absolute numbers are not.
"""

from __future__ import annotations

import argparse
import re

from benchmarks.common import iter_saudinewsnet, sample_texts, saudinewsnet_available, timer, write_results
from marsad.normalize import normalize
from marsad.sentences import split_sentences
from marsad.tokenize import tokenize

_WORD = re.compile(r"\w+")


def measure(texts: list[str], repeat: int = 1) -> dict:
    """Time the text core and the regex baseline over the same texts."""
    n_tokens = 0
    with timer() as core:
        for _ in range(repeat):
            for text in texts:
                nz = normalize(text)
                n_tokens += len(tokenize(nz))
                split_sentences(nz)
    with timer() as base:
        for _ in range(repeat):
            for text in texts:
                _WORD.findall(text)
    docs = len(texts) * repeat
    return {
        "documents": docs,
        "tokens": n_tokens,
        "chars": sum(map(len, texts)) * repeat,
        "core_seconds": round(core["seconds"], 3),
        "core_tokens_per_s": round(n_tokens / max(core["seconds"], 1e-9)),
        "core_docs_per_s": round(docs / max(core["seconds"], 1e-9), 1),
        "regex_seconds": round(base["seconds"], 3),
        "regex_tokens_per_s": round(n_tokens / max(base["seconds"], 1e-9)),
        "slowdown_vs_regex": round(core["seconds"] / max(base["seconds"], 1e-9), 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=None, help="SaudiNewsNet articles to use (default: all)")
    args = ap.parse_args(argv)
    results = {"samples": measure(sample_texts(), repeat=20)}
    if saudinewsnet_available():
        texts = [a.get("content") or "" for a in iter_saudinewsnet(args.limit)]
        results["saudinewsnet"] = measure(texts)
    else:
        results["saudinewsnet"] = "skipped: ../shared/data absent"
    lines = ["# Text core throughput (one core)", "", "| corpus | docs | tokens | tokens/s | docs/s | regex tokens/s | slowdown |",
             "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        if isinstance(r, dict):
            lines.append(f"| {name} | {r['documents']} | {r['tokens']} | {r['core_tokens_per_s']} | {r['core_docs_per_s']} "
                         f"| {r['regex_tokens_per_s']} | {r['slowdown_vs_regex']}x |")
    path = write_results("text_core", results, "\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
