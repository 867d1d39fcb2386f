"""The ``marsad`` command line. Each command lives with its capability and registers here.

Command modules expose ``register(subparsers)``; they import heavy dependencies inside their
handlers, so ``marsad --help`` and start-up stay fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import sys
from pathlib import Path

from marsad import __version__

#: command module paths; each defines ``register(subparsers)``.
COMMAND_MODULES: list[str] = [
    "marsad.cli",
    "marsad.ner.cli",
    "marsad.store.cli",
    "marsad.store.query_cli",
    "marsad.kb.cli",
    "marsad.evaluate.cli",
]

SAMPLES_DIR = Path(__file__).parent / "samples" / "articles"


def published_date(value: str) -> str:
    """argparse type: a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from None


def err(message: str) -> None:
    print(f"marsad: {message}", file=sys.stderr)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract entities, times, amounts, quotes and events from articles",
                       description="Run the pipeline over a file, several files, a directory, or - (stdin).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="text file, directory (recursive) or - for stdin")
    p.add_argument("--published", type=published_date, help="publication date YYYY-MM-DD (anchors relative dates)")
    p.add_argument("--source", help="source name for meta.source")
    p.add_argument("--format", choices=["json", "jsonl"], help="json (one document) or jsonl (one per line)")
    p.set_defaults(func=cmd_extract)

    d = sub.add_parser("demo", help="ingest the bundled sample articles and report on Russia–Kazakhstan relations")
    d.add_argument("--db", default="marsad-demo.db", help="database to (re)create (default ./marsad-demo.db)")
    d.set_defaults(func=cmd_demo)


def cmd_extract(args: argparse.Namespace) -> int:
    from marsad.pipeline import run
    from marsad.reader import InputError, expand_paths, load_document

    paths = ["-"] if args.paths == ["-"] else list(expand_paths(args.paths))
    if not paths:
        err("no input files found")
        return 1
    single = len(paths) == 1 and not any(Path(p).is_dir() for p in args.paths)
    fmt = args.format or ("json" if single else "jsonl")
    failed = 0
    for path in paths:
        try:
            doc = run(load_document(path, published=args.published, source=args.source))
        except InputError as exc:
            err(str(exc))
            failed += 1
            continue
        if fmt == "json":
            print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(json.dumps(doc.to_dict(), ensure_ascii=False))
    return 1 if failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Ingest the bundled samples into a fresh database, then report on Russia–Kazakhstan relations."""
    from rich.console import Console

    from marsad.store import open_store
    from marsad.store.cli import STATS_KEYS, progress_bar, stats_table
    from marsad.store.ingest import ingest
    from marsad.store.inputs import iter_items

    console = Console()
    db = Path(args.db)
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    store = open_store(db)
    try:
        with progress_bar() as update:
            summary = ingest(store, iter_items([SAMPLES_DIR]), progress=update)
        console.print(f"ingested {summary.ingested} sample articles into {db} "
                      f"(near-duplicates {summary.near_duplicates}, failed {len(summary.failures)})")
        stats = store.stats()
        console.print(stats_table({k: stats.get(k, 0) for k in STATS_KEYS}, str(db)))
        from marsad.store.relations import UnknownActor, render, report

        try:
            rep = report(store, "روسيا", "كازاخستان")
        except UnknownActor as exc:
            err(str(exc))
            return 1
        print(render(rep, "text"))
    finally:
        store.close()
    print(f"\nExplore further:\n  marsad stats --db {db}\n  marsad search روسيا --db {db}\n"
          f"  marsad relations روسيا كازاخستان --db {db} --format md")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marsad", description="Arabic news to structured, cited, bilingual data.")
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        err("interrupted")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
