"""Times and amounts: marsad vs puckling (Duckling port) vs dateparser on the same test table.

    python -m benchmarks.times_amounts [--no-puckling] [--no-dateparser]

Table: ``tests/data/times_amounts_table.tsv`` (one expression per row, with its sentence and publication
date). Two scores per system:

* strict (marsad only): the exact text span, value and grain/unit/kind of the contract;
* value: an item of the right family (time/duration vs amount; money, percent, quantity, count, ordinal)
  overlapping the expected text with the expected value (times compared at the expected grain: day, month,
  year, ISO week; ranges as ``a/b``; durations as ``P…``; money also by currency code). Negative rows
  (no_time/no_amount) score when nothing of that family overlaps the text. This is the fair comparison:
  the other systems have their own span conventions.

puckling needs Python >= 3.13: a venv is made under ``~/.cache/marsad-bench/puckling-venv`` with
``/root/.pyenv/versions/3.13.0/bin/python3`` (or ``$PUCKLING_PYTHON``) and puckling runs in a subprocess
over the same sentences; it is skipped cleanly when that is not possible. Speed is measured in the same run,
per sentence, after a warm-up, excluding process start-up. Results: ``benchmarks/results/times_amounts.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.table_eval import Row, check_row, load_table, same_number

RESULTS = Path(__file__).parent / "results"
CACHE = Path(os.environ.get("MARSAD_BENCH_CACHE", Path.home() / ".cache" / "marsad-bench"))
PUCKLING_PYTHON = os.environ.get("PUCKLING_PYTHON", "/root/.pyenv/versions/3.13.0/bin/python3")

# A normalized item: (start, end, family, value, unit) with family in time|money|percent|quantity|count|ordinal
Item = tuple[int, int, str, Any, Any]

_PUCKLING_RUNNER = r'''
import dataclasses, datetime as dt, json, sys, time, enum
from puckling import Context, Lang, Locale, Options, parse

def plain(x):
    if dataclasses.is_dataclass(x):
        return {"_type": type(x).__name__, **{f.name: plain(getattr(x, f.name)) for f in dataclasses.fields(x)}}
    if isinstance(x, enum.Enum):
        return str(x.value)
    if isinstance(x, (dt.datetime, dt.date)):
        return x.isoformat()
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    return x if isinstance(x, (int, float, str, bool, type(None))) else str(x)

rows = json.load(sys.stdin)
def ctx_for(pub):
    ref = dt.datetime.fromisoformat(pub or "2023-11-09").replace(hour=12, tzinfo=dt.UTC)
    return Context(reference_time=ref, locale=Locale(Lang.AR))
parse("وصل أمس 5 دولارات", ctx_for(None), Options())  # warm-up
out, total = [], 0.0
for sentence, pub in rows:
    ctx = ctx_for(pub)
    t0 = time.perf_counter()
    try:
        ents = parse(sentence, ctx, Options())
        err = None
    except Exception as exc:  # a crash counts as finding nothing
        ents, err = [], repr(exc)
    total += time.perf_counter() - t0
    out.append({"error": err, "entities": [{"body": e.body, "start": e.start, "end": e.end, "dim": e.dim,
                                            "value": plain(e.value)} for e in ents]})
json.dump({"seconds": total, "results": out}, sys.stdout, ensure_ascii=False)
'''


# ----------------------------------------------------------------------------- value formatting


def fmt_date(d: dt.date | dt.datetime, grain: str) -> str:
    if grain == "year":
        return f"{d.year:04d}"
    if grain == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if grain == "week":
        iso = d.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def grain_of(value: str) -> str:
    if re.fullmatch(r"\d{4}", value):
        return "year"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return "week"
    return "day"


def time_matches(expected: str, found: Any) -> bool:
    """found: a marsad value string, a datetime, a (start, end) pair of datetimes, or a duration string."""
    if isinstance(found, str):
        return found == expected
    if isinstance(found, tuple):
        if "/" not in expected:
            return False
        a, b = expected.split("/")
        return time_matches(a, found[0]) and time_matches(b, found[1])
    if isinstance(found, (dt.date, dt.datetime)):
        if "/" in expected or expected.startswith("P") or not re.match(r"\d{4}", expected):
            return False
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?|-W\d{2})?", expected):
            return False
        return fmt_date(found, grain_of(expected)) == expected
    return False


def family_of(row: Row) -> str:
    return "time" if row.layer in ("time", "no_time") else (row.extra if row.layer == "amount" else "amount")


def score_value(row: Row, items: list[Item]) -> bool:
    """Lenient value score of normalized items for one row."""
    start = row.sentence.find(row.text)
    end = start + len(row.text)
    overlapping = [it for it in items if it[0] < end and start < it[1]]
    if row.layer == "no_time":
        return not [it for it in overlapping if it[2] == "time"]
    if row.layer == "no_amount":
        return not [it for it in overlapping if it[2] != "time"]
    for _, _, fam, value, unit in overlapping:
        if row.layer == "time" and fam == "time" and time_matches(row.value, value):
            return True
        if row.layer == "amount" and fam == row.extra and same_number(value, row.value):
            if fam == "money" and unit and unit != row.attr:
                continue
            return True
    return False


# ----------------------------------------------------------------------------- systems


def run_marsad(rows: list[Row]) -> dict[str, Any]:
    from marsad.amounts import annotate as amounts
    from marsad.document import Document, Meta
    from marsad.times import annotate as times

    for row in rows[:20]:  # warm-up: lexicons and regexes are compiled once per process
        d = Document(row.sentence, Meta(published=row.published))
        times(d)
        amounts(d)
    strict = value = 0
    failures = []
    total = 0.0
    for row in rows:
        t0 = time.perf_counter()
        doc = Document(row.sentence, Meta(published=row.published))
        times(doc)
        amounts(doc)
        total += time.perf_counter() - t0
        ok, found = check_row(row, doc.times, doc.amounts)
        items: list[Item] = [(t.start, t.end, "time", t.value, t.grain) for t in doc.times]
        items += [(a.start, a.end, a.kind, a.value, a.unit) for a in doc.amounts]
        strict += ok
        value += score_value(row, items)
        if not ok:
            failures.append({"line": row.line, "text": row.text, "expected": row.value, "found": found})
    return {"strict": strict, "value": value, "seconds": total, "failures": failures}


def _puckling_items(entities: list[dict[str, Any]]) -> list[Item]:
    items: list[Item] = []
    for e in entities:
        dim, v = e["dim"], e["value"]
        if dim == "time":
            prim = v.get("primary") or {}
            if prim.get("_type") == "InstantValue":
                items.append((e["start"], e["end"], "time", dt.datetime.fromisoformat(prim["value"]), None))
            elif prim.get("_type") == "IntervalValue" or "start" in prim:
                a, b = prim.get("start"), prim.get("end")
                a = (a or {}).get("value") if isinstance(a, dict) else a
                b = (b or {}).get("value") if isinstance(b, dict) else b
                if a and b:
                    pair = (dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b) - dt.timedelta(seconds=1))
                    items.append((e["start"], e["end"], "time", pair, None))
        elif dim == "duration":
            n, unit = v.get("value"), str(v.get("unit") or v.get("grain") or "")
            code = {"year": "P{}Y", "month": "P{}M", "week": "P{}W", "day": "P{}D", "hour": "PT{}H",
                    "minute": "PT{}M", "second": "PT{}S"}.get(unit)
            if code and n is not None:
                n = int(n) if float(n).is_integer() else n
                items.append((e["start"], e["end"], "time", code.format(n), None))
        elif dim == "amount_of_money":
            cur = v.get("currency")
            cur = {"$": "USD", "€": "EUR", "£": "GBP"}.get(cur, cur)
            items.append((e["start"], e["end"], "money", v.get("value"), cur if cur and len(cur) == 3 else None))
        elif dim in ("distance", "quantity", "volume", "temperature"):
            items.append((e["start"], e["end"], "quantity", v.get("value"), v.get("unit")))
        elif dim == "numeral":
            items.append((e["start"], e["end"], "count", v.get("value"), None))
            items.append((e["start"], e["end"], "percent", v.get("value"), None))  # no Arabic percent dim
        elif dim == "ordinal":
            items.append((e["start"], e["end"], "ordinal", v.get("value"), None))
    return items


def puckling_python() -> Path | None:
    venv = CACHE / "puckling-venv"
    py = venv / "bin" / "python"
    if py.exists() and subprocess.run([py, "-c", "import puckling"], capture_output=True).returncode == 0:
        return py
    if not Path(PUCKLING_PYTHON).exists():
        return None
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([PUCKLING_PYTHON, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        subprocess.run([py, "-m", "pip", "install", "-q", "puckling"], check=True, capture_output=True, timeout=600)
    except (subprocess.SubprocessError, OSError):
        return None
    return py if py.exists() else None


def run_puckling(rows: list[Row]) -> dict[str, Any] | None:
    py = puckling_python()
    if py is None:
        return None
    payload = json.dumps([[r.sentence, r.published] for r in rows], ensure_ascii=False)
    proc = subprocess.run([py, "-c", _PUCKLING_RUNNER], input=payload, capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        print(f"puckling failed: {proc.stderr[-500:]}", file=sys.stderr)
        return None
    data = json.loads(proc.stdout)
    value = 0
    for row, res in zip(rows, data["results"]):
        value += score_value(row, _puckling_items(res["entities"]))
    version = subprocess.run([py, "-c", "import importlib.metadata as m; print(m.version('puckling'))"],
                             capture_output=True, text=True).stdout.strip()
    return {"value": value, "seconds": data["seconds"], "version": version,
            "errors": sum(1 for r in data["results"] if r["error"])}


def run_dateparser(rows: list[Row]) -> dict[str, Any] | None:
    try:
        import dateparser
        from dateparser.search import search_dates
    except ImportError:
        return None
    search_dates("وصل أمس", languages=["ar"])  # warm-up
    value = 0
    total = 0.0
    for row in rows:
        base = dt.datetime.fromisoformat(row.published or "2023-11-09").replace(hour=12)
        t0 = time.perf_counter()
        try:
            found = search_dates(row.sentence, languages=["ar"], settings={"RELATIVE_BASE": base}) or []
        except Exception:  # noqa: BLE001 - a crash counts as finding nothing
            found = []
        total += time.perf_counter() - t0
        items: list[Item] = []
        pos = 0
        for text, when in found:
            s = row.sentence.find(text, pos)
            if s < 0:
                s = row.sentence.find(text)
            if s < 0:
                continue
            items.append((s, s + len(text), "time", when, None))
        value += score_value(row, items)
    return {"value": value, "seconds": total, "version": dateparser.__version__}


# ----------------------------------------------------------------------------- report


def by_family(rows: list[Row]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rows:
        out[family_of(r)] = out.get(family_of(r), 0) + 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-puckling", action="store_true")
    ap.add_argument("--no-dateparser", action="store_true")
    args = ap.parse_args(argv)
    rows = load_table()
    n = len(rows)
    time_rows = [r for r in rows if r.layer in ("time", "no_time")]
    report: dict[str, Any] = {"table": "tests/data/times_amounts_table.tsv", "rows": n, "families": by_family(rows),
                              "python": platform.python_version(), "date": dt.date.today().isoformat(),
                              "systems": {}}
    m = run_marsad(rows)
    mt = run_marsad(time_rows)
    report["systems"]["marsad"] = {"strict": m["strict"] / n, "value": m["value"] / n, "value_times": mt["value"] / len(
        time_rows), "ms_per_sentence": 1000 * m["seconds"] / n, "failures": m["failures"]}
    if not args.no_puckling:
        p = run_puckling(rows)
        if p:
            report["systems"]["puckling"] = {"value": p["value"] / n, "ms_per_sentence": 1000 * p["seconds"] / n,
                                             "version": p["version"], "errors": p["errors"]}
            pt_res = run_puckling(time_rows)
            if pt_res:
                report["systems"]["puckling"]["value_times"] = pt_res["value"] / len(time_rows)
        else:
            report["systems"]["puckling"] = {"skipped": "puckling unavailable (needs Python >= 3.13 and PyPI)"}
    if not args.no_dateparser:
        d = run_dateparser(rows)
        if d:
            dtm = run_dateparser(time_rows)
            report["systems"]["dateparser"] = {"value": d["value"] / n, "value_times": dtm["value"] / len(time_rows)
                                               if dtm else None, "ms_per_sentence": 1000 * d["seconds"] / n,
                                               "version": d["version"]}
        else:
            report["systems"]["dateparser"] = {"skipped": "dateparser not installed"}
    sysm = report["systems"]
    if "ms_per_sentence" in sysm.get("puckling", {}):
        report["speedup_vs_puckling"] = sysm["puckling"]["ms_per_sentence"] / sysm["marsad"]["ms_per_sentence"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "times_amounts.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                                                encoding="utf-8")
    (RESULTS / "times_amounts.md").write_text(render_md(report), encoding="utf-8")
    print(render_md(report))
    return 0


def render_md(rep: dict[str, Any]) -> str:
    lines = [
        "# Times and amounts: marsad vs puckling vs dateparser",
        "",
        f"Table `{rep['table']}`: {rep['rows']} rows ({', '.join(f'{k} {v}' for k, v in rep['families'].items())}); "
        f"Python {rep['python']}, {rep['date']}. Command: `python -m benchmarks.times_amounts`.",
        "",
        "| system | strict (span+value+grain/unit+kind) | value, all rows | value, time rows | ms / sentence |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, s in rep["systems"].items():
        if "skipped" in s:
            lines.append(f"| {name} | skipped: {s['skipped']} | | | |")
            continue
        strict = f"{100 * s['strict']:.1f}%" if "strict" in s else "n/a"
        vt = f"{100 * s['value_times']:.1f}%" if s.get("value_times") is not None else ""
        label = f"{name} {s.get('version', '')}".strip()
        lines.append(f"| {label} | {strict} | {100 * s['value']:.1f}% | {vt} | {s['ms_per_sentence']:.2f} |")
    if "speedup_vs_puckling" in rep:
        lines += ["", f"marsad is {rep['speedup_vs_puckling']:.0f}× faster than puckling per sentence (same run)."]
    lines += ["", "Value scoring: an item of the right family overlapping the expected text with the expected value",
              "(times at the expected grain; money also by currency). dateparser has no amounts, so its all-rows",
              "score counts amount rows as misses (negative amount rows as hits); see the time-rows column.",
              "puckling has no Arabic percent dimension: its numerals are accepted for percent rows.", ""]
    fails = rep["systems"]["marsad"]["failures"]
    lines.append(f"marsad strict failures: {len(fails)}")
    lines += [f"- line {f['line']}: `{f['text']}` expected `{f['expected']}` found `{f['found']}`" for f in fails]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
