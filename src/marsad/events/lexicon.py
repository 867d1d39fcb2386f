"""The event lexicon as data: CAMEO code table, Arabic trigger patterns, modality cues, actor words.

Files live in ``events/data/`` (formats in their header comments). Each is read once per process;
:func:`validate` checks them and runs in the tests, so a typo in a TSV fails CI rather than coding.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marsad.kb import read_tsv
from marsad.normalize import normalize_word

DATA = Path(__file__).parent / "data"
KINDS = frozenset({"verb", "noun", "passive"})
MODALITIES = ("negated", "hypothetical", "future", "reported")
WHERE = frozenset({"adjacent", "before", "after", "sentence"})
GAP = "*"


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    label: str
    plover: str | None
    quad: int
    goldstein: float


@dataclass(frozen=True, slots=True)
class Pattern:
    """One expanded surface pattern: contiguous word runs separated by gaps."""

    code: str
    kind: str
    recip: bool
    runs: tuple[tuple[str, ...], ...]  # normalized words; a gap lies between consecutive runs
    targets: tuple[str, ...]  # normalized prepositions introducing the target; "obj" = direct object
    agent: str | None  # sector of the actor the trigger word itself names
    line: int

    @property
    def size(self) -> int:
        return sum(len(r) for r in self.runs)


@dataclass(frozen=True, slots=True)
class Cue:
    modality: str
    words: tuple[str, ...]
    where: str


@cache
def load_codes() -> dict[str, Code]:
    """CAMEO code -> Code, from cameo_codes.tsv."""
    out = {}
    for row in read_tsv(DATA / "cameo_codes.tsv"):
        out[row["code"]] = Code(row["code"], row["label"], row["plover"] or None, int(row["quad"]), float(row["goldstein"]))
    return out


def _rows_with_lines(path: Path) -> list[tuple[int, list[str]]]:
    rows, header = [], None
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append((i, cells + [""] * (len(header) - len(cells))))
    return rows


def parse_pattern(text: str) -> list[tuple[tuple[str, ...], ...]]:
    """Expand «a/b c * d» into word-run tuples: runs split at «*», alternatives at «/», words at spaces."""
    runs = [seg.strip() for seg in text.split(GAP)]
    if not all(runs):
        raise ValueError(f"empty segment in pattern {text!r}")
    options = []
    for seg in runs:
        alts = [tuple(normalize_word(w) for w in alt.split()) for alt in seg.split("/")]
        if not all(alts):
            raise ValueError(f"empty alternative in pattern {text!r}")
        options.append(alts)
    return [tuple(combo) for combo in itertools.product(*options)]


def _read_patterns() -> tuple[list[Pattern], list[str]]:
    patterns, problems = [], []
    for line, cells in _rows_with_lines(DATA / "triggers.tsv"):
        code, kind, recip, text, targets, agent = (c.strip() for c in cells[:6])
        try:
            expanded = parse_pattern(text)
        except ValueError as err:
            problems.append(f"triggers.tsv:{line}: {err}")
            continue
        tg = tuple(t if t == "obj" else normalize_word(t) for t in targets.split("|") if t.strip()) or ("obj",)
        for runs in expanded:
            patterns.append(Pattern(code, kind, recip == "1", runs, tg, agent or None, line))
        if kind not in KINDS:
            problems.append(f"triggers.tsv:{line}: unknown kind {kind!r}")
        if recip not in ("0", "1"):
            problems.append(f"triggers.tsv:{line}: recip must be 0 or 1")
    return patterns, problems


@cache
def load_patterns() -> tuple[Pattern, ...]:
    return tuple(_read_patterns()[0])


@cache
def pattern_index() -> dict[str, tuple[Pattern, ...]]:
    """First word -> patterns starting with it, most specific first (more words, then longer code)."""
    index: dict[str, list[Pattern]] = defaultdict(list)
    for p in load_patterns():
        index[p.runs[0][0]].append(p)
    return {k: tuple(sorted(v, key=lambda p: (-p.size, -len(p.code)))) for k, v in index.items()}


@cache
def load_cues() -> tuple[Cue, ...]:
    return tuple(Cue(r["modality"], tuple(normalize_word(w) for w in r["cue"].split()), r["where"])
                 for r in read_tsv(DATA / "modality.tsv"))


@cache
def load_actor_words() -> dict[str, tuple[str, str | None, bool]]:
    """Normalized word -> (role, sector, stands alone) for sector nouns and dual words."""
    return {normalize_word(r["word"]): (r["role"], r["sector"] or None, r.get("alone") == "1")
            for r in read_tsv(DATA / "actor_words.tsv")}


@cache
def load_igo_codes() -> dict[str, str]:
    return {r["org"]: r["cameo"] for r in read_tsv(DATA / "igo_codes.tsv")}


def validate() -> list[str]:
    """Problems in the event data files (empty list = valid)."""
    codes = load_codes()
    problems = []
    for c in codes.values():
        if not (c.code.isdigit() and 2 <= len(c.code) <= 4):
            problems.append(f"cameo_codes.tsv: bad code {c.code!r}")
        expected_quad = _quad_of_root(int(c.code[:2]))
        if c.quad != expected_quad:
            problems.append(f"cameo_codes.tsv: {c.code} quad {c.quad} != {expected_quad}")
        if not -10 <= c.goldstein <= 10:
            problems.append(f"cameo_codes.tsv: {c.code} goldstein out of range")
    roots = {f"{i:02d}" for i in range(1, 21)}
    problems += [f"cameo_codes.tsv: root {r} missing" for r in sorted(roots - set(codes))]
    patterns, parse_problems = _read_patterns()
    problems += parse_problems
    seen: dict[tuple, int] = {}
    for p in patterns:
        if p.code not in codes:
            problems.append(f"triggers.tsv:{p.line}: unknown CAMEO code {p.code}")
        key = (p.kind, p.runs)
        if key in seen:
            problems.append(f"triggers.tsv:{p.line}: duplicate pattern {' * '.join(' '.join(r) for r in p.runs)!r} "
                            f"(also line {seen[key]})")
        else:
            seen[key] = p.line
    for cue in load_cues():
        if cue.modality not in MODALITIES or cue.where not in WHERE:
            problems.append(f"modality.tsv: bad row {cue}")
    for word, (role, sector, _alone) in load_actor_words().items():
        if role not in ("sector", "dual") or (role == "sector" and not sector):
            problems.append(f"actor_words.tsv: bad row {word}")
    return problems


def _quad_of_root(root: int) -> int:
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
