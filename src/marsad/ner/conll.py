"""CoNLL files (``TOKEN [GOLD ...]`` per line, blank line between sentences), label mapping, span scoring.

Every corpus we learn from has its own label set (ANERcorp PERS, AQMAR PER/MIS, NewsFANE's 50
fine classes, Wojood's nested types); :func:`map_label` folds them all into B-/I-PERS|LOC|ORG|MISC
through ``data/label_map.tsv``. :func:`score` is the conlleval exact-span measure.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO

DATA = Path(__file__).parent / "data"
TYPES = ("PERS", "LOC", "ORG", "MISC")
LABELS = ("O", *(f"{p}-{t}" for t in TYPES for p in "BI"))


@dataclass(slots=True)
class Sentence:
    """One sentence: tokens as written, and the label columns that followed each token (maybe none)."""

    tokens: list[str]
    columns: list[tuple[str, ...]] = field(default_factory=list)
    #: the document: 0, then one more after each ``-DOCSTART-`` line that follows sentences
    doc: int = 0

    @property
    def gold(self) -> list[str] | None:
        """The first label column, or None when the file had tokens only."""
        if not self.columns or any(not c for c in self.columns):
            return None
        return [c[0] for c in self.columns]


def split_line(line: str) -> list[str]:
    """Fields of one CoNLL line: tab-separated when it holds a tab (tokens may then hold spaces)."""
    line = line.rstrip("\r\n")
    if "\t" in line:
        return [f.strip() for f in line.split("\t") if f.strip()]
    return line.split()


def parse_conll(lines: Iterable[str]) -> Iterator[Sentence]:
    """Sentences of a CoNLL stream; ``-DOCSTART-`` lines separate documents (``Sentence.doc``)."""
    doc = 0
    seen = False
    sent = Sentence([])
    for line in lines:
        fields = split_line(line)
        if not fields or fields[0] == "-DOCSTART-":
            if sent.tokens:
                yield sent
                seen = True
            if fields and seen:
                doc += 1
                seen = False
            sent = Sentence([], doc=doc)
            continue
        sent.tokens.append(fields[0])
        sent.columns.append(tuple(fields[1:]))
    if sent.tokens:
        yield sent


def read_conll(path: str | Path) -> list[Sentence]:
    """All sentences of a CoNLL file (UTF-8, BOM tolerated); raises reader.InputError on bad input."""
    from marsad.reader import InputError

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot read") from None
    return list(parse_conll(text.splitlines()))


def write_conll(rows: Iterable[Sequence[Sequence[str]]], out: IO[str]) -> None:
    """Write sentences given as rows of fields; fields holding whitespace force tab separation."""
    for sentence in rows:
        for fields in sentence:
            sep = "\t" if any(ch.isspace() for f in fields for ch in f) else " "
            out.write(sep.join(fields) + "\n")
        out.write("\n")


# --- label mapping -------------------------------------------------------------------------------

def read_label_map(path: Path | None = None) -> dict[str, str]:
    """``source type -> target`` rows of the label map (keys upper-cased)."""
    path = path or DATA / "label_map.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        return {row["source"].strip().upper(): row["target"].strip()
                for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)}


def validate_label_map(path: Path | None = None) -> list[str]:
    """Problems in the label map file: bad targets, duplicate keys, missing core types."""
    path = path or DATA / "label_map.tsv"
    problems, seen = [], set()
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#") or line.startswith("source\t"):
                continue
            cells = line.rstrip("\n").split("\t")
            if len(cells) != 2 or not all(c.strip() for c in cells):
                problems.append(f"{path.name}:{n}: expected 2 tab-separated cells")
                continue
            key, target = cells[0].strip().upper(), cells[1].strip()
            if target not in (*TYPES, "O"):
                problems.append(f"{path.name}:{n}: target {target!r} not one of {TYPES} or O")
            if key in seen:
                problems.append(f"{path.name}:{n}: duplicate source type {key!r}")
            seen.add(key)
    problems += [f"{path.name}: core type {t} missing" for t in TYPES if t not in seen]
    return problems


@cache
def _label_map() -> dict[str, str]:
    return read_label_map()


def map_type(etype: str) -> str:
    """Marsad type (PERS/LOC/ORG/MISC) or "O" for a source entity type; ValueError when unknown."""
    try:
        return _label_map()[etype.upper()]
    except KeyError:
        raise ValueError(f"unknown entity type {etype!r} (add it to ner/data/label_map.tsv)") from None


def map_label(label: str) -> str:
    """A source BIO label in marsad's label set: ``B-GPE`` → ``B-LOC``, ``I-MIS`` → ``I-MISC``.

    BIOES/BILOU prefixes are folded (S-/U- → B-, E-/L- → I-).
    """
    if label in ("O", "", "_"):
        return "O"
    prefix, sep, etype = label.partition("-")
    if not sep or prefix.upper() not in ("B", "I", "S", "E", "U", "L"):
        raise ValueError(f"not a BIO label: {label!r}")
    target = map_type(etype)
    if target == "O":
        return "O"
    return ("B-" if prefix.upper() in ("B", "S", "U") else "I-") + target


def map_labels(labels: Sequence[str]) -> list[str]:
    """Map a sentence's labels, then repair I- continuations broken by a type dropped to O."""
    mapped = [map_label(lab) for lab in labels]
    for i, lab in enumerate(mapped):
        if lab.startswith("I-") and (i == 0 or mapped[i - 1][2:] != lab[2:]):
            mapped[i] = "B-" + lab[2:]
    return mapped


# --- conlleval span scoring -------------------------------------------------------------------------

def spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)`` as conlleval reads them (an I- after O or another type starts one)."""
    out: list[tuple[int, int, str]] = []
    start, etype = -1, ""
    for i, lab in enumerate(labels):
        prefix, _, t = lab.partition("-")
        begins = prefix in ("B", "S") or (prefix in ("I", "E") and (start < 0 or t != etype))
        if start >= 0 and (lab == "O" or begins):
            out.append((start, i, etype))
            start, etype = -1, ""
        if begins:
            start, etype = i, t
    if start >= 0:
        out.append((start, len(labels), etype))
    return out


@dataclass(slots=True)
class Counts:
    gold: int = 0
    pred: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Score:
    by_type: dict[str, Counts]
    micro: Counts
    tokens: int
    token_correct: int

    def to_dict(self) -> dict:
        def row(c: Counts) -> dict:
            return {"precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4),
                    "gold": c.gold, "pred": c.pred, "correct": c.correct}
        return {"micro": row(self.micro), "by_type": {t: row(c) for t, c in sorted(self.by_type.items())},
                "tokens": self.tokens, "token_accuracy": round(self.token_correct / self.tokens, 4) if self.tokens else 0.0}

    def table(self) -> str:
        """A plain-text report like conlleval's."""
        lines = [f"{'type':<6} {'prec':>7} {'rec':>7} {'F1':>7} {'gold':>6} {'pred':>6} {'ok':>6}"]
        for t, c in [*sorted(self.by_type.items()), ("micro", self.micro)]:
            lines.append(f"{t:<6} {c.precision:7.2%} {c.recall:7.2%} {c.f1:7.2%} {c.gold:6d} {c.pred:6d} {c.correct:6d}")
        acc = self.token_correct / self.tokens if self.tokens else 0.0
        lines.append(f"tokens {self.tokens}, token accuracy {acc:.2%}")
        return "\n".join(lines)


def score(pairs: Iterable[tuple[Sequence[str], Sequence[str]]]) -> Score:
    """Exact-span precision/recall/F1 per type and micro-averaged over (gold, predicted) label sentences."""
    by_type: dict[str, Counts] = {}
    micro = Counts()
    tokens = token_correct = 0
    for gold, pred in pairs:
        if len(gold) != len(pred):
            raise ValueError(f"gold has {len(gold)} labels, prediction {len(pred)}")
        tokens += len(gold)
        token_correct += sum(g == p for g, p in zip(gold, pred))
        g_spans, p_spans = set(spans(gold)), set(spans(pred))
        for s in g_spans:
            by_type.setdefault(s[2], Counts()).gold += 1
        for s in p_spans:
            by_type.setdefault(s[2], Counts()).pred += 1
        for s in g_spans & p_spans:
            by_type[s[2]].correct += 1
        micro.gold += len(g_spans)
        micro.pred += len(p_spans)
        micro.correct += len(g_spans & p_spans)
    return Score(by_type, micro, tokens, token_correct)
