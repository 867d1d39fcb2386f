"""Every input kind the ingester reads, turned into a stream of :class:`Item` (a Document or a problem).

Plain text (any encoding ``marsad.reader`` decodes, sidecar ``.meta.json``), HTML pages (trafilatura,
offline), RSS/Atom feeds (feedparser), JSON Lines / JSON arrays / CSV with a field mapping, and zip
archives of any of these. A bad file or record never stops the stream: it becomes an Item with an
``error`` and an ``origin`` (``path``, ``path#entry``, ``path:line``, ``archive.zip!member#entry``)
so the ingester can record it and go on.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import glob
import html
import io
import json
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from marsad.document import Document, Meta
from marsad.reader import InputError, decode

TEXT = {".txt", ".text", ".md", ""}
HTML = {".html", ".htm", ".xhtml"}
FEED = {".rss", ".atom", ".xml"}
JSONL = {".jsonl", ".ndjson"}
SUFFIXES = TEXT | HTML | FEED | JSONL | {".json", ".csv", ".tsv", ".zip"}
SIDECAR = ".meta.json"

#: record fields an input can map: target -> source field names tried in order when --map does not say
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published": ("published", "date", "date_extracted", "pubDate", "date_published"),
    "source": ("source", "site", "sitename"),
    "author": ("author", "byline"),
    "dateline": ("dateline",),
}


@dataclass(slots=True)
class Item:
    """One article read from an input, or the problem that kept it from being read."""

    origin: str
    doc: Document | None = None
    author: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Options:
    """How to read inputs: record field mapping and metadata that overrides what files say."""

    mapping: tuple[tuple[str, str], ...] = ()
    published: str | None = None
    source: str | None = None

    def fields(self, target: str) -> tuple[str, ...]:
        """Record keys for a field: the mapped ones first, then the usual names (mixed batches still read)."""
        explicit = [src for tgt, src in self.mapping if tgt == target]
        return tuple(dict.fromkeys([*explicit, *DEFAULT_FIELDS[target]]))


def parse_mapping(spec: str) -> tuple[tuple[str, str], ...]:
    """``text=content,title=headline`` -> ((text, content), (title, headline)); ValueError when malformed."""
    pairs = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        target, sep, source = (s.strip() for s in part.partition("="))
        if not sep or not target or not source:
            raise ValueError(f"bad mapping {part!r}: expected FIELD=COLUMN")
        if target not in DEFAULT_FIELDS:
            raise ValueError(f"unknown field {target!r} in mapping; known: {', '.join(DEFAULT_FIELDS)}")
        pairs.append((target, source))
    return tuple(pairs)


def iso_date(value: Any) -> str | None:
    """A YYYY-MM-DD date from the shapes dates come in (ISO, RFC 822, struct_time), else None."""
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC).date().isoformat()
    s = str(value).strip()
    try:
        return dt.date.fromisoformat(s[:10]).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


# -- paths ------------------------------------------------------------------------------------------
def expand(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Files named, globbed, or found recursively in directories (readable kinds only), stable order."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from (f for f in sorted(p.rglob("*")) if f.is_file() and _wanted(f))
        elif p.exists():
            yield p
        elif any(ch in str(raw) for ch in "*?["):
            found = sorted(Path(f) for f in glob.glob(str(raw), recursive=True))
            files = [f for f in found if f.is_file() and _wanted(f)]
            files += [g for f in found if f.is_dir() for g in sorted(f.rglob("*")) if g.is_file() and _wanted(g)]
            yield from files or [InputError(raw, "no files match")]
        else:
            yield InputError(p, "no such file")


def _wanted(path: Path) -> bool:
    name = path.name.lower()
    return (not name.startswith(".") and not name.endswith(SIDECAR) and name != "readme.md"
            and path.suffix.lower() in SUFFIXES)


def iter_items(paths: Iterable[str | Path], options: Options = Options()) -> Iterator[Item]:
    """Every article in the inputs, in a stable order; problems come through as Items with ``error``."""
    for path in expand(paths):
        if isinstance(path, InputError):
            yield Item(origin=path.path, error=path.problem)
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Item(origin=str(path), error=exc.strerror or "cannot read")
            continue
        yield from _guard(str(path), lambda d=data, p=path: _parse(p.name, d, str(p), _file_sidecar(p), options))


def _guard(origin: str, produce: Callable[[], Iterator[Item]]) -> Iterator[Item]:
    """Run a parser; an error that escapes it becomes one failed Item for the whole file."""
    try:
        yield from produce()
    except InputError as exc:
        yield Item(origin=origin, error=exc.problem)
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop a corpus
        yield Item(origin=origin, error=one_line(exc))


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _file_sidecar(path: Path) -> Callable[[], bytes | None]:
    side = path.with_name(path.name.removesuffix(path.suffix) + SIDECAR)
    return lambda: side.read_bytes() if side.is_file() else None


# -- kinds ------------------------------------------------------------------------------------------
def _parse(name: str, data: bytes, origin: str, sidecar: Callable[[], bytes | None], options: Options) -> Iterator[Item]:
    suffix = Path(name).suffix.lower()
    if suffix == ".zip":
        yield from _zip(data, origin, options)
    elif suffix in HTML or (suffix in TEXT and _looks_like_html(data)):
        yield _html(data, origin, options)
    elif suffix in FEED:
        yield from _feed(data, origin, options)
    elif suffix in JSONL:
        yield from _jsonl(data, origin, options)
    elif suffix == ".json":
        yield from _json(data, origin, options)
    elif suffix in {".csv", ".tsv"}:
        yield from _csv(data, origin, options, delimiter="\t" if suffix == ".tsv" else ",")
    elif suffix in TEXT:
        yield _text(data, origin, sidecar, options)
    else:
        raise InputError(origin, f"unsupported file type {suffix!r}")


def _looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _text(data: bytes, origin: str, sidecar: Callable[[], bytes | None], options: Options) -> Item:
    text = decode(data, origin)[0]
    meta: dict[str, Any] = {}
    raw = sidecar()
    if raw is not None:
        try:
            loaded = json.loads(raw.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(origin, f"invalid sidecar metadata JSON ({exc})") from None
        meta = loaded if isinstance(loaded, dict) else {}
    return _item(origin, text, {**meta, "path": origin}, options, author=meta.get("author"))


def _html(data: bytes, origin: str, options: Options) -> Item:
    import warnings

    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = trafilatura.bare_extraction(data, with_metadata=True, include_tables=False, as_dict=True)
    if not page or not (page.get("text") or "").strip():
        raise InputError(origin, "no article text found in HTML page")
    meta = {"title": page.get("title"), "url": page.get("url"), "published": page.get("date"),
            "source": page.get("sitename"), "path": origin}
    return _item(origin, page["text"], meta, options, author=page.get("author"))


def _feed(data: bytes, origin: str, options: Options) -> Iterator[Item]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.get("version") and not feed.entries:
        problem = feed.get("bozo_exception")
        raise InputError(origin, f"not an RSS/Atom feed ({problem})" if problem else "not an RSS/Atom feed")
    site = (feed.get("feed") or {}).get("title")
    for i, entry in enumerate(feed.entries, 1):
        where = f"{origin}#entry {i}"
        content = entry.get("content") or []
        body = content[0].get("value") if content else entry.get("summary") or entry.get("description")
        text = strip_html(body or "")
        if not text.strip():
            yield Item(origin=where, error="feed entry has no content or summary")
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("published")
        meta = {"title": strip_html(entry.get("title") or "") or None, "url": entry.get("link"),
                "published": published, "source": site, "path": origin}
        yield _guarded_item(where, text, meta, options, author=entry.get("author"))


def _jsonl(data: bytes, origin: str, options: Options) -> Iterator[Item]:
    text = decode(data, origin)[0]
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield Item(origin=where, error=f"invalid JSON ({exc})")
            continue
        yield _record(record, where, origin, options)


def _json(data: bytes, origin: str, options: Options) -> Iterator[Item]:
    text = decode(data, origin)[0]
    try:
        value = json.loads(text)
    except ValueError as exc:
        if text.lstrip().startswith("{") and "\n{" in text:  # JSON Lines saved as .json
            yield from _jsonl(data, origin, options)
            return
        raise InputError(origin, f"invalid JSON ({exc})") from None
    if isinstance(value, dict):
        nested = next((v for v in value.values() if isinstance(v, list) and v and isinstance(v[0], dict)), None)
        records = nested if nested is not None and not any(k in value for k in options.fields("text")) else [value]
    elif isinstance(value, list):
        records = value
    else:
        raise InputError(origin, "JSON is neither an object nor an array of objects")
    for i, record in enumerate(records):
        yield _record(record, f"{origin}#{i}", origin, options)


def _csv(data: bytes, origin: str, options: Options, delimiter: str) -> Iterator[Item]:
    text = decode(data, origin)[0]
    csv.field_size_limit(1 << 30)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            yield _record(record, f"{origin}:{reader.line_num}", origin, options)
    except csv.Error as exc:
        yield Item(origin=f"{origin}:{reader.line_num}", error=f"malformed CSV ({exc})")


def _zip(data: bytes, origin: str, options: Options) -> Iterator[Item]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(origin, f"not a readable zip archive ({exc})") from None
    with archive:
        names = set(archive.namelist())
        for name in sorted(names):
            member = Path(name)
            if name.endswith("/") or not _wanted(member):
                continue
            where = f"{origin}!{name}"
            side = name.removesuffix(member.suffix) + SIDECAR

            def sidecar(side: str = side) -> bytes | None:
                return archive.read(side) if side in names else None

            yield from _guard(where, lambda n=name, w=where, s=sidecar: _parse(n, archive.read(n), w, s, options))


# -- records to documents ---------------------------------------------------------------------------
def _record(record: Any, where: str, origin: str, options: Options) -> Item:
    if not isinstance(record, dict):
        return Item(origin=where, error="record is not an object")
    values = {target: _first(record, options.fields(target)) for target in DEFAULT_FIELDS}
    text = values.pop("text")
    if text is None:
        return Item(origin=where, error=f"no text field (looked for {', '.join(options.fields('text'))})")
    author = values.pop("author")
    return _guarded_item(where, str(text), {**values, "path": origin}, options, author=author)


def _first(record: dict, names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def _guarded_item(where: str, text: str, meta: dict, options: Options, author: Any = None) -> Item:
    try:
        return _item(where, text, meta, options, author)
    except InputError as exc:
        return Item(origin=where, error=exc.problem)


def _item(origin: str, text: str, meta: dict[str, Any], options: Options, author: Any = None) -> Item:
    """A Document from text and loose metadata; explicit --published/--source win over what files say."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    if not text.strip():
        raise InputError(origin, "empty text")
    fields = {k: (str(v) if v is not None and k != "published" else v) for k, v in meta.items()
              if k in Meta.__slots__ and v not in (None, "")}
    if "&" in fields.get("title", ""):  # scraped titles often keep entities («&quot;تعليم الخرج&quot;»)
        fields["title"] = html.unescape(fields["title"])
    fields["published"] = options.published or iso_date(fields.get("published"))
    if options.source:
        fields["source"] = options.source
    return Item(origin=origin, doc=Document(text=text, meta=Meta(**fields)), author=str(author) if author else None)


class _Stripper(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries): tags dropped, blocks kept as lines."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    parser = _Stripper()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
