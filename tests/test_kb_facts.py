"""Facts about world actors (tests/data/kb_expectations.tsv, written independently of the KB) checked against it.

Each row is looked up by its Arabic name through the KB, as entity linking would; the row passes when one
candidate agrees with every expected field. A failure lists the row and what the KB holds instead.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from marsad.kb import KB, Entry, load_kb

EXPECTATIONS = Path(__file__).parent / "data" / "kb_expectations.tsv"
KINDS = {"country", "place", "org", "person", "nisba", "metonym", "title"}


def read_expectations() -> list[tuple[int, dict[str, str]]]:
    with EXPECTATIONS.open(encoding="utf-8", newline="") as fh:
        numbered = [(i, line) for i, line in enumerate(fh, 1) if line.strip() and not line.startswith("#")]
    header = numbered[0][1].rstrip("\n").split("\t")
    rows = []
    for lineno, line in numbered[1:]:
        cells = line.rstrip("\n").split("\t")
        rows.append((lineno, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}))
    return rows


def words(text: str) -> set[str]:
    """Lowercase ASCII words of an English name (accents and punctuation folded)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return set(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def entry_mismatch(entry: Entry, exp: dict[str, str], kb: KB) -> str | None:
    """Why ``entry`` does not satisfy the expectation, or None when it does."""
    if not words(exp["name_en"]) <= words(entry.name_en) | words(entry.extra.get("acronym", "")):
        return f"name_en {entry.name_en!r}"
    if exp["country"] == "-" and entry.country:
        return f"country {entry.country!r}, expected none"
    if exp["country"] not in ("", "-") and entry.country != exp["country"]:
        return f"country {entry.country!r}"
    if exp["sector"] and entry.sector != exp["sector"]:
        return f"sector {entry.sector!r}"
    if exp["subtype"] and entry.subtype != exp["subtype"]:
        return f"subtype {entry.subtype!r}"
    if exp["subtype"] == "capital" and kb.entries[entry.country].extra.get("capital") != entry.id:
        return f"{entry.country} capital is {kb.entries[entry.country].extra.get('capital')!r}"
    if exp["role"]:
        key, _, where = exp["role"].partition("@")
        year = int(exp["year"])
        held = [r for r in entry.roles if r.key == key and r.where == where]
        if not any((r.start or 0) <= year <= (r.end or 9999) for r in held):
            return f"roles {[f'{r.key}@{r.where}:{r.start}-{r.end}' for r in entry.roles]}"
    return None


def check(exp: dict[str, str], kb: KB) -> str | None:
    """None when the KB agrees with the expectation, else a short account of the disagreement."""
    kind, ar = exp["kind"], exp["ar"]
    if kind == "nisba":
        got = kb.country_of_nisba(ar)
        return None if got == exp["country"] else f"nisba country {got!r}"
    if kind == "metonym":
        stands = {(kb.metonyms[int(i)].country, kb.metonyms[int(i)].sector) for how, i in kb.payloads(ar) if how == "metonym"}
        stands |= {(e.country, "GOV") for e in kb.lookup(ar) if e.kind == "place" and e.extra.get("metonym") == "GOV"}
        ok = any(c == exp["country"] and (not exp["sector"] or s == exp["sector"]) for c, s in stands)
        return None if ok else f"metonym stands for {sorted(stands)}"
    if kind == "title":
        keys = sorted({k for k in kb.title_gazetteer.get(ar)})
        return None if exp["role"] in keys else f"title keys {keys}"
    candidates = [e for e in kb.lookup(ar) if e.kind == kind]
    if not candidates:
        return f"no {kind} named {ar!r} (found {[e.id for e in kb.lookup(ar)]})"
    reasons = [entry_mismatch(e, exp, kb) for e in candidates]
    if any(r is None for r in reasons):
        return None
    return "; ".join(f"{e.id}: {r}" for e, r in zip(candidates, reasons))


def test_expectations_are_well_formed():
    rows = read_expectations()
    assert len(rows) >= 120
    for lineno, exp in rows:
        assert exp["kind"] in KINDS, lineno
        assert exp["ar"], lineno
        if exp["role"] and exp["kind"] == "person":
            assert "@" in exp["role"] and exp["year"].isdigit(), lineno


@pytest.mark.parametrize("lineno,exp", read_expectations(), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_fact(lineno: int, exp: dict[str, str]):
    problem = check(exp, load_kb())
    assert problem is None, f"kb_expectations.tsv:{lineno} {exp['ar']} ({exp['kind']}): {problem}"
