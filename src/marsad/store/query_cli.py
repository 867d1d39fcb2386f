"""``marsad search``, ``marsad entity`` and ``marsad relations``: reading the store, every answer cited."""

from __future__ import annotations

import argparse
import json
from typing import Any

from marsad.cli import err, published_date

DB_HELP = "database file (default: $MARSAD_DB or ./marsad.db)"


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("search", help="ranked full-text search with highlighted, cited snippets",
                       description='Words must all match; use "double quotes" for a phrase. Clitic forms, alef '
                                   "variants and diacritics match (روسيا finds وروسيا, لروسيا).")
    s.add_argument("query", nargs="+", help="words and \"quoted phrases\"")
    s.add_argument("--limit", type=int, default=10, help="number of results (default 10)")
    s.add_argument("--include-duplicates", action="store_true", help="also show near-duplicate documents")
    s.add_argument("--db", help=DB_HELP)
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_search)

    e = sub.add_parser("entity", help="profile of an entity: aliases, roles, co-occurrences, quotes, events, timeline",
                       description="NAME may be Arabic or English, a KB id or an alias; unlinked names are matched "
                                   "after normalization.")
    e.add_argument("name", nargs="+")
    e.add_argument("--limit", type=int, default=20, help="rows per section (default 20)")
    e.add_argument("--db", help=DB_HELP)
    e.add_argument("--format", choices=["text", "json"], default="text")
    e.set_defaults(func=cmd_entity)

    r = sub.add_parser("relations", help="the state of relations between two actors (cited report)",
                       description="A and B are countries, organizations or people (Arabic or English names, "
                                   "ISO3 or KB ids). A country includes its government, military and office holders.")
    r.add_argument("a")
    r.add_argument("b")
    r.add_argument("--since", type=published_date, help="first date YYYY-MM-DD")
    r.add_argument("--until", type=published_date, help="last date YYYY-MM-DD")
    r.add_argument("--db", help=DB_HELP)
    r.add_argument("--format", choices=["md", "json", "text"], default="md")
    r.set_defaults(func=cmd_relations)


def _open(args: argparse.Namespace) -> Any:
    from pathlib import Path

    from marsad.store import default_location, open_store

    location = default_location(args.db)
    if not location.startswith(("sqlite:", "postgres")) and not Path(location).exists():
        err(f"{location}: no such database (create one with `marsad ingest`)")
        return None
    return open_store(location)


def cmd_search(args: argparse.Namespace) -> int:
    from marsad.store.search import search

    store = _open(args)
    if store is None:
        return 1
    try:
        result = search(store, " ".join(args.query), limit=args.limit, include_duplicates=args.include_duplicates)
    finally:
        store.close()
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{result['query']} — {len(result['results'])} of {result['total']} documents")
    for col in ("#", "document", "snippet"):
        table.add_column(col)
    for r in result["results"]:
        sn = r["snippet"]
        text = Text(sn["text"])
        for h in sn["highlights"]:
            text.stylize("bold yellow", h["start"] - sn["start"], h["end"] - sn["start"])
        head = f"{r['title'] or ''}\n{r['published'] or ''} {r['source'] or ''}\n{r['id']} @{sn['start']}:{sn['end']}"
        table.add_row(str(r["rank"]), head, text)
    Console().print(table)
    return 0


def cmd_entity(args: argparse.Namespace) -> int:
    from marsad.store.entity import profile

    store = _open(args)
    if store is None:
        return 1
    try:
        prof = profile(store, " ".join(args.name), limit=args.limit)
    finally:
        store.close()
    if prof is None:
        err(f"{' '.join(args.name)!r}: not in the knowledge base nor in the store")
        return 1
    if args.format == "json":
        print(json.dumps(prof, ensure_ascii=False, indent=2))
        return 0
    _print_profile(prof)
    return 0


def _print_profile(p: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    c = Console()
    e = p["entity"]
    c.print(f"[bold]{e['name']}[/bold] ({e['name_en'] or '-'}) — {e['type']}, {e['kb_id'] or e['key']}, "
            f"country {e['country'] or '-'}: {p['mentions']} mentions in {p['documents']} documents")
    if p["kb_aliases"]:
        c.print("KB names: " + "، ".join(p["kb_aliases"]))
    if p["aliases"]:
        c.print("Written as: " + "، ".join(f"{a['text']} ({a['count']})" for a in p["aliases"]))
    if p["candidates"]:
        c.print("Also matched: " + ", ".join(f"{x['name']} ({x['mentions']})" for x in p["candidates"]))
    sections = [
        ("Roles (KB)", ("role", "where", "years"),
         [(r["role_en"], r["where"], f"{r['start'] or ''}-{r['end'] or ''}") for r in p["roles"]]),
        ("Roles in documents", ("role", "documents"),
         [(json.dumps(r["role"], ensure_ascii=False), str(r["documents"])) for r in p["stored_roles"]]),
        ("Appears with", ("name", "type", "documents"),
         [(f"{x['name']} ({x['name_en'] or '-'})", x["type"], str(x["documents"])) for x in p["cooccurring"]]),
        ("Quotes", ("date", "quote", "cite"),
         [(q["published"] or "", q["text"], f"{q['doc']} @{q['start']}:{q['end']}") for q in p["quotes"]]),
        ("Events", ("date", "code", "label", "as", "other", "cite"),
         [(v["date"] or "", v["code"], v["label"] or "", v["as"], v["other"] or "", f"{v['doc']} @{v['start']}:{v['end']}")
          for v in p["events"]]),
        ("Timeline", ("month", "documents", "mentions", "events", "quotes"),
         [(t["month"], str(t["documents"]), str(t["mentions"]), str(t["events"]), str(t["quotes"]))
          for t in p["timeline"]]),
    ]
    for title, cols, rows in sections:
        if not rows:
            continue
        table = Table(title=title)
        for col in cols:
            table.add_column(col)
        for row in rows:
            table.add_row(*row)
        c.print(table)


def cmd_relations(args: argparse.Namespace) -> int:
    from marsad.store.relations import UnknownActor, render, report

    store = _open(args)
    if store is None:
        return 1
    try:
        rep = report(store, args.a, args.b, since=args.since, until=args.until)
    except UnknownActor as exc:
        err(str(exc))
        return 1
    finally:
        store.close()
    print(render(rep, args.format))
    return 0
