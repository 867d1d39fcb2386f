"""Inter-annotator agreement: score one annotation pass against another of the same articles.

Articles are matched by URL (then text). F1 with one-to-one matching is symmetric, so it does not
matter which pass is called gold; B³ grouping and linking are reported from A's side.

    python -m marsad.evaluate.agreement eval/dev eval/dev_second [--format json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from marsad.document import Document


def pair_by_url(a: list[Document], b: list[Document]) -> tuple[list[Document], list[Document]]:
    """The documents annotated in both passes (same URL, or same text when there is no URL)."""
    key_b = {(d.meta.url or d.id): d for d in b}
    both_a, both_b = [], []
    for d in a:
        other = key_b.get(d.meta.url or d.id)
        if other is not None and other.text == d.text:
            both_a.append(d)
            both_b.append(other)
    return both_a, both_b


def agreement(dir_a: str | Path, dir_b: str | Path, corpus: Path | None = None) -> dict[str, Any]:
    from marsad.evaluate.gold import read_documents
    from marsad.evaluate.score import headline, score

    a, problems = read_documents([dir_a], corpus)
    b, more = read_documents([dir_b], corpus)
    pa, pb = pair_by_url(a, b)
    result = score(pa, pb)
    result.update({"a": str(dir_a), "b": str(dir_b), "a_documents": len(a), "b_documents": len(b),
                   "f1": headline(result), "problems": problems + more})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marsad.evaluate.agreement",
                                     description="F1 per layer between two annotation passes (matched by URL).")
    parser.add_argument("a", help="first gold directory (e.g. eval/dev)")
    parser.add_argument("b", help="second gold directory (e.g. eval/dev_second)")
    parser.add_argument("--corpus", type=Path, help="SaudiNewsNet zip directory")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    result = agreement(args.a, args.b, args.corpus)
    for line in result["problems"]:
        print(line, file=sys.stderr)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        from marsad.evaluate.cli import print_table

        print(f"{result['documents']} articles in both passes ({result['a_documents']} in A, {result['b_documents']} in B)")
        print_table(result)
    return 0 if result["documents"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
