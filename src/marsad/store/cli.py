"""``marsad ingest`` (inputs -> SQLite store) and ``marsad stats`` (what the store holds)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from marsad.cli import err, published_date

#: stable keys of ``marsad stats --format json``
STATS_KEYS = ("documents", "duplicates", "failed", "entities", "mentions", "times", "amounts", "quotes", "events")


def mapping(value: str) -> tuple[tuple[str, str], ...]:
    """argparse type for --map."""
    from marsad.store.inputs import parse_mapping

    try:
        return parse_mapping(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest", help="read articles (text, HTML, RSS/Atom, JSON/JSONL/CSV, zip) into the SQLite store",
        description="Extract and store articles. Identical content is skipped, near-duplicates are linked to "
                    "their original, bad inputs are recorded and skipped; an interrupted run resumes when re-run.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, directory (recursive) or glob")
    p.add_argument("--db", help="database file (default: $MARSAD_DB or ./marsad.db)")
    p.add_argument("--published", type=published_date, help="publication date YYYY-MM-DD for every article")
    p.add_argument("--source", help="source name for every article")
    p.add_argument("--map", type=mapping, default=(), metavar="FIELD=COLUMN,...",
                   help="record fields for JSON/JSONL/CSV, e.g. text=content,title=title,url=url,"
                        "published=date_extracted,source=source (defaults read SaudiNewsNet-style records)")
    p.add_argument("--workers", type=int, default=1, help="extraction processes (default 1)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--format", choices=["text", "json"], default="text", help="summary format")
    p.set_defaults(func=cmd_ingest)

    s = sub.add_parser("stats", help="counts of what the store holds")
    s.add_argument("--db", help="database file (default: $MARSAD_DB or ./marsad.db)")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_stats)


def cmd_ingest(args: argparse.Namespace) -> int:
    from marsad.store import default_location, open_store
    from marsad.store.ingest import ingest
    from marsad.store.inputs import Options, iter_items

    if args.workers < 1:
        err("--workers must be at least 1")
        return 2
    location = default_location(args.db)
    store = open_store(location)
    items = iter_items(args.paths, Options(mapping=args.map, published=args.published, source=args.source))
    try:
        with progress_bar(quiet=args.quiet) as update:
            summary = ingest(store, items, workers=args.workers, progress=update)
    finally:
        store.close()
    for origin, problem in summary.failures[:20]:
        err(f"{origin}: {problem}")
    if len(summary.failures) > 20:
        err(f"... and {len(summary.failures) - 20} more failures (see the failures table)")
    if args.format == "json":
        print(json.dumps({"db": location, **summary.as_dict()}, ensure_ascii=False))
    else:
        rate = summary.seen / summary.seconds if summary.seconds else 0.0
        print(f"{location}: ingested {summary.ingested}, already stored {summary.skipped}, "
              f"near-duplicates {summary.near_duplicates}, failed {len(summary.failures)} "
              f"({summary.seen} inputs in {summary.seconds:.1f}s, {rate:.1f}/s)")
    return 1 if summary.failures else 0


@contextmanager
def progress_bar(quiet: bool = False) -> Iterator:
    """A documents/s progress display on stderr; a no-op when quiet or stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.fields[rate]} docs/s"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("ingesting", rate="0.0")

        def update(summary) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            bar.update(task, description=f"ingested {summary.ingested}  skipped {summary.skipped}  "
                                         f"near-dup {summary.near_duplicates}  failed {len(summary.failures)}",
                       rate=f"{summary.seen / elapsed:.1f}" if elapsed else "0.0")

        yield update


def cmd_stats(args: argparse.Namespace) -> int:
    from pathlib import Path

    from marsad.store import default_location, open_store

    location = default_location(args.db)
    if "://" not in location and not Path(location).exists():
        err(f"{location}: no such database (run marsad ingest first)")
        return 1
    store = open_store(location)
    try:
        stats = store.stats()
    finally:
        store.close()
    data = {key: stats.get(key, 0) for key in STATS_KEYS}
    if args.format == "json":
        print(json.dumps(data))
        return 0
    from rich.console import Console

    Console().print(stats_table(data, location))
    return 0


def stats_table(data: dict[str, int], location: str):
    """The store counts as a rich table (``marsad stats`` and ``marsad demo``)."""
    from rich.table import Table

    table = Table(title=f"marsad store — {location}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in STATS_KEYS:
        table.add_row(key, f"{data.get(key, 0):,}")
    return table
