"""Gold annotations: load the annotation format, resolve its spans to offsets, find the article text.

Annotators write spans as ``{"text", "occurrence"}`` (docs/annotation-guidelines.md) because offsets
are error-prone by hand. :func:`to_document` resolves them against the article text and returns a
contract :class:`~marsad.document.Document`, so gold and predictions are scored the same way.
The article text comes from the bundled samples (by URL) or from the SaudiNewsNet corpus (by URL,
verified by the sha1 of its content, so a gold file never silently scores against another text).

    python -m marsad.evaluate.gold resolve FILE...   # print every problem; exit 1 if any
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from marsad.document import ActorRef, Amount, Document, Entity, Event, Mention, Meta, Quote, TimeExpr

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples" / "articles"
#: ../shared/data/corpus/saudinewsnet beside the repository (a developer checkout); MARSAD_CORPUS overrides.
DEFAULT_CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "corpus" / "saudinewsnet"


class GoldError(Exception):
    """A gold file that cannot be resolved: ``path: problem`` lines."""


@dataclass(slots=True)
class GoldDoc:
    """One gold file: its path, its raw JSON and the article text it annotates."""

    path: Path
    data: dict[str, Any]
    text: str | None = None
    origin: str | None = None  # "sample:<stem>" | "corpus:<zip>" | "inline"


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def corpus_dir() -> Path:
    return Path(os.environ.get("MARSAD_CORPUS") or DEFAULT_CORPUS)


# ---------------------------------------------------------------- spans

def find_occurrence(text: str, needle: str, occurrence: int) -> int:
    """Start of the ``occurrence``-th (0-based) occurrence of ``needle`` in ``text``.

    Every occurrence counts, also inside longer words («بوتين» in «وبوتين») and overlapping ones,
    so annotators count what a plain text search highlights.
    """
    if not needle:
        raise ValueError("empty span text")
    if occurrence < 0:
        raise ValueError(f"negative occurrence {occurrence}")
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            count = count_occurrences(text, needle)
            raise ValueError(f"{needle!r} occurrence {occurrence} not found (the text has {count})")
    return pos


def count_occurrences(text: str, needle: str) -> int:
    n, pos = 0, text.find(needle)
    while pos >= 0:
        n += 1
        pos = text.find(needle, pos + 1)
    return n


def resolve_span(text: str, span: dict[str, Any]) -> Mention:
    """A ``{"text", "occurrence"}`` span (or one with ``start``/``end``) as a Mention with offsets."""
    if not isinstance(span, dict) or not isinstance(span.get("text"), str):
        raise ValueError(f"not a span: {span!r}")
    if "start" in span and "end" in span:
        start, end = int(span["start"]), int(span["end"])
        if text[start:end] != span["text"]:
            raise ValueError(f"{span['text']!r} is not at {start}:{end} (found {text[start:end]!r})")
        return Mention(start, end, span["text"])
    start = find_occurrence(text, span["text"], int(span.get("occurrence", 0)))
    return Mention(start, start + len(span["text"]), span["text"])


# ---------------------------------------------------------------- gold -> Document

def to_document(gold: dict[str, Any], text: str, where: str = "<gold>") -> Document:
    """Resolve every span of a gold file against ``text``; raise GoldError listing all problems."""
    problems: list[str] = []

    def span(item: dict[str, Any], label: str) -> Mention | None:
        try:
            return resolve_span(text, item)
        except (ValueError, TypeError) as exc:
            problems.append(f"{where}: {label}: {exc}")
            return None

    meta = Meta(url=gold.get("url"), published=gold.get("published"), title=gold.get("title"),
                source=gold.get("source"))
    doc = Document(text=text, meta=meta)
    ids: set[str] = set()
    for i, e in enumerate(gold.get("entities") or []):
        eid = e.get("id") or f"e{i + 1}"
        if eid in ids:
            problems.append(f"{where}: entities[{i}]: duplicate id {eid!r}")
        ids.add(eid)
        mentions = [m for j, raw in enumerate(e.get("mentions") or [])
                    if (m := span(raw, f"entities[{i}] {eid} mentions[{j}]"))]
        doc.entities.append(Entity(id=eid, type=e.get("type", ""), name=e.get("name") or "",
                                   name_en=e.get("name_en"), kb_id=e.get("kb_id"), country=e.get("country"),
                                   mentions=mentions))
    for i, t in enumerate(gold.get("times") or []):
        if m := span(t, f"times[{i}]"):
            doc.times.append(TimeExpr(m.start, m.end, m.text, str(t.get("value")), t.get("grain") or ""))
    for i, a in enumerate(gold.get("amounts") or []):
        if m := span(a, f"amounts[{i}]"):
            doc.amounts.append(Amount(m.start, m.end, m.text, a.get("value"), a.get("unit"), a.get("kind") or ""))
    for i, q in enumerate(gold.get("quotes") or []):
        m = span(q, f"quotes[{i}]")
        cue = span(q["cue"], f"quotes[{i}].cue") if q.get("cue") else None
        if q.get("speaker") and q["speaker"] not in ids:
            problems.append(f"{where}: quotes[{i}]: speaker {q['speaker']!r} is not an entity id")
        if m:
            doc.quotes.append(Quote(m.start, m.end, m.text, q.get("speaker"), cue, bool(q.get("direct", True))))
    for i, ev in enumerate(gold.get("events") or []):
        trig = span(ev.get("trigger") or {}, f"events[{i}].trigger")
        refs = []
        for side in ("source", "target"):
            ref = ev.get(side) or {}
            if ref.get("entity") and ref["entity"] not in ids:
                problems.append(f"{where}: events[{i}].{side}: entity {ref['entity']!r} is not an entity id")
            refs.append(ActorRef(ref.get("entity"), ref.get("actor")))
        if trig:
            code = str(ev.get("code") or "")
            doc.events.append(Event(code=code, label=ev.get("label") or "", plover=None, quad=0, goldstein=0.0,
                                    source=refs[0], target=refs[1], date=ev.get("date"), location=ev.get("location"),
                                    modality=ev.get("modality") or "asserted", trigger=trig, sentence={}))
    if problems:
        raise GoldError("\n".join(problems))
    return doc


# ---------------------------------------------------------------- finding the article text

@cache
def sample_index() -> dict[str, Path]:
    """URL -> bundled sample article (from the ``.meta.json`` sidecars)."""
    index: dict[str, Path] = {}
    for meta in sorted(SAMPLES_DIR.glob("*.meta.json")):
        url = json.loads(meta.read_text(encoding="utf-8")).get("url")
        if url:
            index[url] = meta.with_name(meta.name.removesuffix(".meta.json") + ".txt")
    return index


def iter_corpus(directory: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(zip name, article) for every SaudiNewsNet article: one JSON array per daily zip."""
    for zpath in sorted(directory.glob("*.zip")):
        with zipfile.ZipFile(zpath) as zf:
            for name in zf.namelist():
                for article in json.loads(zf.read(name)):
                    yield zpath.name, article


def corpus_articles(urls: Iterable[str], directory: Path | None = None) -> dict[str, tuple[str, dict[str, Any]]]:
    """The corpus articles for the given URLs (one pass over the zips; first occurrence wins)."""
    wanted = set(urls)
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    directory = directory or corpus_dir()
    if not wanted or not directory.is_dir():
        return found
    for zname, article in iter_corpus(directory):
        url = article.get("url")
        if url in wanted and url not in found:
            found[url] = (zname, article)
            if len(found) == len(wanted):
                break
    return found


def gold_files(paths: Iterable[str | Path]) -> list[Path]:
    """JSON files named, or found (sorted, non-recursive) in directories."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        out += sorted(p.glob("*.json")) if p.is_dir() else [p]
    return out


def load_gold(paths: Iterable[str | Path], corpus: Path | None = None) -> list[GoldDoc]:
    """Gold files with their article text attached (samples by URL, corpus by URL + sha1).

    The text is left ``None`` where it cannot be found; :func:`check` reports why.
    """
    docs: list[GoldDoc] = []
    for path in gold_files(paths):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise GoldError(f"{path}: cannot read gold JSON ({exc})") from None
        if not isinstance(data, dict):
            raise GoldError(f"{path}: gold JSON must be an object")
        docs.append(GoldDoc(path, data))
    missing = []
    for g in docs:
        if isinstance(g.data.get("text"), str):
            g.text, g.origin = g.data["text"], "inline"
        elif (sample := sample_index().get(g.data.get("url") or "")) is not None:
            g.text, g.origin = sample.read_text(encoding="utf-8"), f"sample:{sample.stem}"
            side = json.loads(sample.with_name(sample.stem + ".meta.json").read_text(encoding="utf-8"))
            for key in ("published", "title", "source"):
                g.data.setdefault(key, side.get(key))
        else:
            missing.append(g)
    if missing:
        found = corpus_articles([g.data.get("url") or "" for g in missing], corpus)
        for g in missing:
            if (hit := found.get(g.data.get("url") or "")) is not None:
                g.text, g.origin = hit[1].get("content") or "", f"corpus:{hit[0]}"
                g.data.setdefault("title", hit[1].get("title"))
                g.data.setdefault("source", hit[1].get("source"))
                g.data.setdefault("published", (hit[1].get("date_extracted") or "")[:10] or None)
    return docs


def check(g: GoldDoc) -> Document:
    """The resolved Document of one gold file, or GoldError with every problem found."""
    if g.text is None:
        raise GoldError(f"{g.path}: article not found for url {g.data.get('url')!r} "
                        f"(samples, or the corpus at {corpus_dir()})")
    expected = g.data.get("sha1")
    if expected and sha1(g.text) != expected:
        raise GoldError(f"{g.path}: sha1 mismatch: gold {expected}, {g.origin} text {sha1(g.text)}")
    return to_document(g.data, g.text, str(g.path))


def resolve_all(paths: Iterable[str | Path], corpus: Path | None = None) -> tuple[list[Document], list[str]]:
    """Resolved gold documents and the problems of the files that failed."""
    docs, problems = [], []
    for g in load_gold(paths, corpus):
        try:
            doc = check(g)
        except GoldError as exc:
            problems.append(str(exc))
            continue
        doc.meta.path = str(g.path)
        docs.append(doc)
    return docs, problems


def is_contract(data: Any) -> bool:
    """A contract document (``marsad extract`` output) rather than a gold file."""
    return isinstance(data, dict) and isinstance(data.get("text"), str) and "meta" in data and "id" in data


def read_documents(paths: Iterable[str | Path], corpus: Path | None = None) -> tuple[list[Document], list[str]]:
    """Documents from gold files and/or contract JSON (``.json`` or ``.jsonl``), and the problems found."""
    docs: list[Document] = []
    problems: list[str] = []
    gold: list[Path] = []
    files = [f for raw in paths for f in ([raw] if not Path(raw).is_dir() else
                                          sorted([*Path(raw).glob("*.json"), *Path(raw).glob("*.jsonl")]))]
    for path in map(Path, files):
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
            continue
        try:
            items = [json.loads(line) for line in raw.splitlines() if line.strip()] if path.suffix == ".jsonl" \
                else [json.loads(raw)]
        except ValueError as exc:
            problems.append(f"{path}: invalid JSON ({exc})")
            continue
        for data in items:
            if is_contract(data):
                docs.append(Document.from_dict(data))
            elif path.suffix == ".json" and isinstance(data, dict):
                gold.append(path)
            else:
                problems.append(f"{path}: neither a gold file nor a contract document")
    if gold:
        resolved, more = resolve_all(gold, corpus)
        docs += resolved
        problems += more
    return docs, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marsad.evaluate.gold",
                                     description="Check gold annotation files against their article text.")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("resolve", help="resolve spans to offsets; print problems, exit 1 if any")
    r.add_argument("paths", nargs="+", metavar="FILE", help="gold JSON file or directory")
    r.add_argument("--corpus", type=Path, help="SaudiNewsNet zip directory (default: ../shared/data/corpus/...)")
    r.add_argument("--json", action="store_true", help="print the resolved documents as contract JSON Lines")
    args = parser.parse_args(argv)
    try:
        docs, problems = resolve_all(args.paths, args.corpus)
    except GoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    for doc in docs:
        if args.json:
            print(json.dumps(doc.to_dict(), ensure_ascii=False))
        else:
            n = {layer: len(getattr(doc, layer)) for layer in ("entities", "times", "amounts", "quotes", "events")}
            mentions = sum(len(e.mentions) for e in doc.entities)
            print(f"ok {doc.meta.path}: {n['entities']} entities ({mentions} mentions), {n['times']} times, "
                  f"{n['amounts']} amounts, {n['quotes']} quotes, {n['events']} events")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
