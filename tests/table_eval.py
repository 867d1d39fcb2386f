"""Evaluation of marsad on the times/amounts test table (shared by the tests and the benchmark)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "times_amounts_table.tsv"


@dataclass(frozen=True)
class Row:
    line: int
    layer: str
    published: str | None
    sentence: str
    text: str
    value: str
    attr: str
    extra: str


def load_table(path: Path = TABLE) -> list[Row]:
    rows = []
    lines = [(i, ln) for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if ln.strip() and not ln.startswith("#")]
    header = lines[0][1].split("\t")
    for i, ln in lines[1:]:
        rec = dict(zip(header, next(csv.reader([ln], delimiter="\t", quoting=csv.QUOTE_NONE))))
        rows.append(Row(i, rec["layer"], rec["published"] or None, rec["sentence"], rec["text"], rec["value"],
                        rec["attr"], rec.get("extra", "")))
    return rows


def same_number(a: object, b: str) -> bool:
    try:
        x, y = float(a), float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return abs(x - y) <= 1e-9 * max(1.0, abs(y))


def check_row(row: Row, times: list, amounts: list) -> tuple[bool, str]:
    """(ok, what marsad found) for one row, given the document's time and amount items."""
    if row.layer in ("no_time", "no_amount"):
        items = times if row.layer == "no_time" else amounts
        start = row.sentence.find(row.text)
        end = start + len(row.text)
        bad = [it for it in items if it.start < end and start < it.end]
        return not bad, "; ".join(f"{it.text}={it.value}" for it in bad)
    items = times if row.layer == "time" else amounts
    found = "; ".join(f"{it.text}={it.value}|{getattr(it, 'grain', None) or getattr(it, 'unit', None)}"
                      f"|{getattr(it, 'hijri', None) or getattr(it, 'kind', '')}" for it in items)
    for it in items:
        if it.text != row.text:
            continue
        if row.layer == "time":
            ok = it.value == row.value and it.grain == row.attr and (not row.extra or it.hijri == row.extra)
        else:
            ok = same_number(it.value, row.value) and (it.unit or "") == row.attr and it.kind == row.extra
        if ok:
            return True, found
    return False, found


def run_marsad(rows: list[Row]) -> list[tuple[Row, bool, str]]:
    from marsad.amounts import annotate as amounts
    from marsad.document import Document, Meta
    from marsad.times import annotate as times

    out = []
    for row in rows:
        doc = Document(row.sentence, Meta(published=row.published))
        times(doc)
        amounts(doc)
        ok, found = check_row(row, doc.times, doc.amounts)
        out.append((row, ok, found))
    return out


if __name__ == "__main__":
    results = run_marsad(load_table())
    fails = [(r, f) for r, ok, f in results if not ok]
    for r, f in fails:
        print(f"{r.line}\t{r.layer}\t{r.text}\texpected={r.value}|{r.attr}|{r.extra}\tfound={f}")
    print(f"{len(results) - len(fails)}/{len(results)} exact ({100 * (len(results) - len(fails)) / len(results):.1f}%)")
