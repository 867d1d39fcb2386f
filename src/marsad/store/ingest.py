"""The ingest loop: inputs -> (dedupe, near-duplicates, extraction) -> one transaction per document.

Order of checks, cheapest first, so a re-run over a corpus already stored costs reading and hashing:
1. identical content (``Document.id`` is the content hash) already stored or seen in this run: skipped;
2. near-duplicate of a stored original (MinHash LSH over word 3-shingles of the normalized text,
   estimated Jaccard >= threshold): stored as a document row linked by ``duplicate_of``/``similarity``,
   WITHOUT extracted layers, so nothing it says is counted twice (policy in docs/store.md);
3. otherwise extracted with ``marsad.pipeline.run`` and stored with every layer present.

Extraction is a pure function of one document, so ``workers > 1`` runs it in a process pool; only
the main process writes, in input order. A bad input or a crashing document is recorded in
``failures`` (origin + one-line problem) and skipped.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from marsad.document import Document
from marsad.pipeline import freeze_loaded
from marsad.store.inputs import Item, one_line
from marsad.store.sqlite import SQLiteStore, index_terms

NUM_PERM = 128
THRESHOLD = 0.8
SHINGLE = 3
SCHEME = "affine32"  # datasketch permutation scheme; stored signatures are only comparable within one
#: every this many documents a long ingest collects garbage once and then freezes what survives
#: (models, lexicons, feature caches, the near-duplicate index): the collector's full passes over those
#: long-lived objects otherwise take ~5% of the run (benchmarks/results/ingest.md)
GC_FREEZE_EVERY = 500


@dataclass
class Summary:
    """What one ingest run did."""

    ingested: int = 0
    skipped: int = 0  # identical content already stored (or repeated within the run)
    near_duplicates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def seen(self) -> int:
        return self.ingested + self.skipped + self.near_duplicates + len(self.failures)

    def as_dict(self) -> dict:
        return {"ingested": self.ingested, "skipped": self.skipped, "near_duplicates": self.near_duplicates,
                "failed": len(self.failures), "seconds": round(self.seconds, 3),
                "failures": [{"origin": o, "problem": p} for o, p in self.failures]}


@dataclass(slots=True)
class Result:
    """An item after the pure, parallelisable part of the work."""

    item: Item
    signature: bytes | None = None
    terms: tuple[str, str] | None = None  # full-text index terms (title, body), computed off the writer
    extracted: bool = False
    error: str | None = None


# -- near-duplicates --------------------------------------------------------------------------------
def shingles(doc: Document) -> set[bytes]:
    """Word 3-grams of the normalized text (the words themselves for very short texts)."""
    words = doc.normalized.text.split()
    if len(words) < SHINGLE:
        return {w.encode() for w in words} or {b""}
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(doc: Document) -> bytes:
    """The document's MinHash as bytes, for the signatures table and the LSH index."""
    import numpy as np
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(list(shingles(doc)))
    return np.asarray(m.hashvalues, dtype="<u8").tobytes()


class NearDuplicates:
    """MinHash LSH over stored originals; rebuilt from the signatures table when an ingest starts."""

    def __init__(self, store: SQLiteStore, threshold: float = THRESHOLD):
        from datasketch import MinHashLSH

        self.store = store
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        rows = store.conn.execute("SELECT s.doc, s.minhash FROM signatures s JOIN documents d ON d.id = s.doc"
                                  " WHERE d.duplicate_of IS NULL")
        with self.lsh.insertion_session() as session:
            for row, blob in rows:
                if len(blob) == NUM_PERM * 8:
                    session.insert(row, _Sketch(blob), check_duplication=False)

    def __len__(self) -> int:
        return len(self.lsh.keys)

    def find(self, sig: bytes) -> tuple[int, float] | None:
        """The most similar stored original at or above the threshold, with its estimated Jaccard."""
        sketch = _Sketch(sig)
        best: tuple[int, float] | None = None
        for row in self.lsh.query(sketch):
            stored = self.store.conn.execute("SELECT minhash FROM signatures WHERE doc = ?", (row,)).fetchone()
            if stored is None:
                continue
            sim = sketch.jaccard(_Sketch(stored[0]))
            if sim >= self.threshold and (best is None or sim > best[1]):
                best = (row, sim)
        return best

    def add(self, row: int, sig: bytes) -> None:
        self.lsh.insert(row, _Sketch(sig), check_duplication=False)


class _Sketch:
    """Stored MinHash values with the two things MinHashLSH reads (``len`` and ``hashvalues``)."""

    __slots__ = ("hashvalues",)

    def __init__(self, blob: bytes):
        import numpy as np

        self.hashvalues = np.frombuffer(blob, dtype="<u8")

    def __len__(self) -> int:
        return len(self.hashvalues)

    def jaccard(self, other: _Sketch) -> float:
        return float((self.hashvalues == other.hashvalues).mean())


# -- the pure part (runs in workers) ----------------------------------------------------------------
def analyse(item: Item, extract: bool = True, components: tuple[str, ...] | None = None) -> Result:
    """Signature (and, when ``extract``, pipeline layers) of one item; never raises."""
    if item.doc is None:
        return Result(item)
    doc = item.doc
    try:
        sig = signature(doc)
        terms = (index_terms(doc.meta.title or ""), index_terms(doc.normalized, doc.tokens))
    except Exception as exc:  # noqa: BLE001 - a bad document is recorded, not fatal
        return Result(item, error=one_line(exc))
    result = Result(item, signature=sig, terms=terms)
    if extract:
        _extract(result, components)
    return result


def _analyse_and_extract(item: Item, components: tuple[str, ...] | None = None) -> Result:
    result = analyse(item, extract=True, components=components)
    if result.item.doc is not None:
        _drop_caches(result.item.doc)  # don't ship normalized text and tokens back to the writer
    return result


def _extract(result: Result, components: tuple[str, ...] | None = None) -> None:
    from marsad.pipeline import run

    try:
        run(result.item.doc, components)
        result.extracted = True
    except Exception as exc:  # noqa: BLE001 - a document that crashes a component is recorded and skipped
        result.error = one_line(exc)


def _worker_start(components: tuple[str, ...] | None) -> None:
    """Load every component's models in a new worker, then freeze them out of the garbage collector's passes
    (as the single-process loop does every GC_FREEZE_EVERY documents)."""
    from marsad.document import Meta
    from marsad.pipeline import WARMUP_TEXT, run

    try:
        run(Document(text=WARMUP_TEXT, meta=Meta(published="2024-03-06")), components)
    except Exception:  # noqa: BLE001 - a component that fails here fails again on a document, where it is recorded
        pass
    freeze_loaded()


def _drop_caches(doc: Document) -> None:
    for name in ("normalized", "tokens", "sentences"):
        doc.__dict__.pop(name, None)


# -- the writer (main process) ----------------------------------------------------------------------
Progress = Callable[[Summary], None]


def ingest(store: SQLiteStore, items: Iterable[Item], workers: int = 1, threshold: float = THRESHOLD,
           progress: Progress | None = None, components: tuple[str, ...] | None = None) -> Summary:
    """Store every item; returns what happened. Safe to interrupt: each document is its own transaction.

    ``components`` restricts extraction (default: every registered pipeline component).
    """
    t0 = time.perf_counter()
    summary = Summary()
    index = NearDuplicates(store, threshold)
    known = {r[0] for r in store.conn.execute("SELECT doc_id FROM documents")}
    recorded = {(r[0], r[1]) for r in store.conn.execute("SELECT origin, problem FROM failures")}
    froze = False
    frozen_before = gc.get_freeze_count() > 0  # e.g. a CLI command froze its models: leave that as it is
    try:
        for n, result in enumerate(_results(_unseen(items, known), workers, components), 1):
            _write(store, index, result, summary, recorded, components)
            if progress:
                progress(summary)
            if n % GC_FREEZE_EVERY == 0:
                freeze_loaded()
                froze = True
    finally:
        if froze and not frozen_before:
            gc.unfreeze()  # back to normal collection for whatever the caller does next
        summary.seconds = time.perf_counter() - t0
    return summary


def _unseen(items: Iterable[Item], known: set[str]) -> Iterator[Item]:
    """Replace items whose content is stored (or already queued) by bare markers: skipped before any work."""
    for item in items:
        if item.doc is not None:
            if item.doc.id in known:
                yield Item(origin=item.origin)
                continue
            known.add(item.doc.id)
        yield item


def _results(items: Iterator[Item], workers: int, components: tuple[str, ...] | None) -> Iterator[Result]:
    if workers <= 1:
        yield from (analyse(item, extract=False) for item in items)
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = 4
    window = threading.BoundedSemaphore(workers * chunk * 4)  # bounds texts in flight, not the whole corpus

    def throttled() -> Iterator[Item]:
        for item in items:
            window.acquire()
            yield item

    with ctx.Pool(workers, initializer=_worker_start, initargs=(components,)) as pool:
        try:
            work = functools.partial(_analyse_and_extract, components=components)
            for result in pool.imap(work, throttled(), chunksize=chunk):
                window.release()
                yield result
        finally:
            pool.terminate()


def _write(store: SQLiteStore, index: NearDuplicates, result: Result, summary: Summary,
           recorded: set[tuple[str, str]], components: tuple[str, ...] | None = None) -> None:
    item = result.item
    if item.error or result.error:
        _fail(store, summary, recorded, item.origin, item.error or result.error or "")
        return
    if item.doc is None:
        summary.skipped += 1
        return
    doc, sig = item.doc, result.signature
    match = index.find(sig) if sig else None
    try:
        if match:
            bare = Document(text=doc.text, meta=doc.meta, id=doc.id)  # no layers: counted once, via the original
            row = store.add_document(bare, duplicate_of=match[0], similarity=round(match[1], 3), author=item.author,
                                     signature=sig, terms=result.terms)
            summary.near_duplicates += row is not None
        else:
            if not result.extracted:
                _extract(result, components)
                if result.error:
                    _fail(store, summary, recorded, item.origin, result.error)
                    return
            row = store.add_document(doc, author=item.author, signature=sig, terms=result.terms)
            if row is not None:
                index.add(row, sig)
                summary.ingested += 1
        if row is None:
            summary.skipped += 1
    except (sqlite3.IntegrityError, ValueError, TypeError, AttributeError) as exc:
        _fail(store, summary, recorded, item.origin, f"cannot store: {one_line(exc)}")


def _fail(store: SQLiteStore, summary: Summary, recorded: set[tuple[str, str]], origin: str, problem: str) -> None:
    """Record a failure once (a re-run over the same bad input does not pile up rows)."""
    summary.failures.append((origin, problem))
    if (origin, problem) not in recorded:
        store.record_failure(origin, problem)
        recorded.add((origin, problem))
