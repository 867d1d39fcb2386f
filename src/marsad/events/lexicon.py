"""The event lexicon as data: CAMEO code table, Arabic trigger patterns, modality cues, actor words, offices,
negative contexts of homographs, domain guard words, support verbs and the function words of the word-order rules.

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
#: trigger flags (documented in the header of triggers.tsv): guard, market, target, pron-target, gen-target,
#: gen-place, speech, reverse
FLAGS = frozenset({"guard", "market", "target", "pron-target", "gen-target", "gen-place", "speech", "reverse"})
NEGATIVE_WHERE = frozenset({"prev", "next", "before", "after", "sentence", "self"})
DOMAINS = frozenset({"sports", "economy", "culture"})
#: sectors a source may have besides the political ones (see actors.POLITICAL_SECTORS)
SOURCE_SECTORS = frozenset({"BUS", "CVL", "OPP", "MED", "NGO", "EDU", "REL", "LAB", "HLH"})
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
    source_also: frozenset[str] = frozenset()  # non-political sectors allowed as source («شركة» for 057)


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
    flags: frozenset[str] = frozenset()

    @property
    def size(self) -> int:
        return sum(len(r) for r in self.runs)


@dataclass(frozen=True, slots=True)
class Cue:
    modality: str
    words: tuple[str, ...]
    where: str


@dataclass(frozen=True, slots=True)
class Negative:
    """A context in which a trigger word is not an event («ثمن الواحد»: a price, not praise)."""

    triggers: frozenset[str]
    context: tuple[tuple[str, ...], ...]  # normalized word runs, any of which blocks
    where: str
    line: int


@cache
def load_codes() -> dict[str, Code]:
    """CAMEO code -> Code, from cameo_codes.tsv (``source_also`` inherited from the root when empty)."""
    rows = list(read_tsv(DATA / "cameo_codes.tsv"))
    roots = {r["code"]: r.get("source_also", "") for r in rows if len(r["code"]) == 2}
    out = {}
    for row in rows:
        also = row.get("source_also", "") or roots.get(row["code"][:2], "")
        out[row["code"]] = Code(row["code"], row["label"], row["plover"] or None, int(row["quad"]),
                                float(row["goldstein"]), frozenset(x for x in also.split("|") if x))
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
        code, kind, recip, text, targets, agent, flag_text = (c.strip() for c in cells[:7])
        flags = frozenset(f for f in flag_text.split("|") if f)
        if flags - FLAGS:
            problems.append(f"triggers.tsv:{line}: unknown flags {sorted(flags - FLAGS)}")
        try:
            expanded = parse_pattern(text)
        except ValueError as err:
            problems.append(f"triggers.tsv:{line}: {err}")
            continue
        tg = tuple(t if t == "obj" else normalize_word(t) for t in targets.split("|") if t.strip()) or ("obj",)
        for runs in expanded:
            patterns.append(Pattern(code, kind, recip == "1", runs, tg, agent or None, line, flags))
        if kind not in KINDS:
            problems.append(f"triggers.tsv:{line}: unknown kind {kind!r}")
        if recip not in ("0", "1"):
            problems.append(f"triggers.tsv:{line}: recip must be 0 or 1")
    return patterns, problems


@cache
def load_patterns() -> tuple[Pattern, ...]:
    return tuple(_read_patterns()[0])


@dataclass(frozen=True, slots=True)
class Starts:
    """The patterns that start with one word: one-run patterns, and the others keyed by their second run's first word
    (so a gap is searched once per word, not once per pattern)."""

    single: tuple[Pattern, ...]
    by_second: dict[str, tuple[Pattern, ...]]

    def all(self) -> tuple[Pattern, ...]:
        return self.single + tuple(p for group in self.by_second.values() for p in group)


@cache
def pattern_index() -> dict[str, Starts]:
    """First word -> its patterns, each group most specific first (more words, then longer code)."""
    index: dict[str, list[Pattern]] = defaultdict(list)
    for p in load_patterns():
        index[p.runs[0][0]].append(p)
    out = {}
    for word, pats in index.items():
        second: dict[str, list[Pattern]] = defaultdict(list)
        for p in pats:
            if len(p.runs) > 1:
                second[p.runs[1][0]].append(p)
        out[word] = Starts(_specific_first(p for p in pats if len(p.runs) == 1),
                           {k: _specific_first(v) for k, v in second.items()})
    return out


def _specific_first(patterns) -> tuple[Pattern, ...]:
    return tuple(sorted(patterns, key=lambda p: (-p.size, -len(p.code), p.line)))


def key_of(word: str) -> str:
    """The part of a normalized word that every clitic reading of a word containing it holds: no article, no final
    «ه» (readings restore «ال» after «لل» and «ة» before a pronoun)."""
    core = word[2:] if word.startswith("ال") and len(word) > 4 else word
    return core[:-1] if core.endswith("ه") and len(core) > 3 else core


@cache
def trigger_keys() -> dict[str, frozenset[int]]:
    """Substring key -> positions in a pattern's first run. Every word that can start a pattern, whatever its clitics,
    contains the key of its run's longest word (:func:`key_of`) at the given offset: «في استقبال» is found from
    «استقبال»."""
    return _run_keys(p.runs[0] for p in load_patterns())


@cache
def second_keys() -> dict[str, frozenset[int]]:
    """The same for the second word run of gapped patterns («* إلى وقف إطلاق النار» is found from «اطلاق»)."""
    return _run_keys(p.runs[1] for p in load_patterns() if len(p.runs) > 1)


def _run_keys(runs) -> dict[str, frozenset[int]]:
    keys: dict[str, set[int]] = defaultdict(set)
    for run in runs:
        k = max(range(len(run)), key=lambda j: (len(run[j]), -j))
        keys[key_of(run[k])].add(k)
    return {k: frozenset(v) for k, v in keys.items()}


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
def load_offices() -> tuple[tuple[str, str, bool], ...]:
    """(normalized phrase, actor code, held by one person) for offices named without their holder."""
    return tuple((" ".join(normalize_word(w) for w in r["phrase"].split()), r["code"], r.get("person") == "1")
                 for r in read_tsv(DATA / "offices.tsv"))


@cache
def load_igo_codes() -> dict[str, str]:
    return {r["org"]: r["cameo"] for r in read_tsv(DATA / "igo_codes.tsv")}


def _words(cell: str) -> tuple[tuple[str, ...], ...]:
    """«a/b c» → (("a",), ("b", "c")): slash-separated alternatives, each a run of normalized words."""
    return tuple(tuple(normalize_word(w) for w in alt.split()) for alt in cell.split("/") if alt.strip())


@cache
def load_negatives() -> dict[str, tuple[Negative, ...]]:
    """Trigger word (normalized, clitics removed) -> the contexts in which it is not an event."""
    out: dict[str, list[Negative]] = defaultdict(list)
    for line, cells in _rows_with_lines(DATA / "negative_context.tsv"):
        trig, context, where = (c.strip() for c in cells[:3])
        neg = Negative(frozenset(w[0] for w in _words(trig)), _words(context), where, line)
        for word in neg.triggers:
            out[word].append(neg)
    return {k: tuple(v) for k, v in out.items()}


FUNCTION_ROLES = frozenset({"filler", "clause", "relative", "resumptive", "latter", "preposition", "relation"})


@cache
def load_function_words() -> dict[str, frozenset[str]]:
    """Role (filler, clause, relative, resumptive, latter, preposition, relation) -> normalized words."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in read_tsv(DATA / "function_words.tsv"):
        out[r["role"]].add(normalize_word(r["word"]))
    return {role: frozenset(out.get(role, ())) for role in FUNCTION_ROLES}


@cache
def load_support_verbs() -> frozenset[str]:
    """Normalized support verbs («بعث», «جدد», «شارك»): their subject is the source of a verbal noun they govern."""
    return frozenset(normalize_word(r["verb"]) for r in read_tsv(DATA / "support_verbs.tsv"))


@cache
def load_domain_words() -> dict[str, str]:
    """Normalized word -> domain (sports, economy) for the domain guard."""
    return {normalize_word(r["word"]): r["domain"] for r in read_tsv(DATA / "domain_words.tsv")}


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
    for c in codes.values():
        if c.source_also - SOURCE_SECTORS:
            problems.append(f"cameo_codes.tsv: {c.code} unknown source sectors {sorted(c.source_also - SOURCE_SECTORS)}")
    words = {w for p in patterns for w in p.runs[0][:1]}
    for line, cells in _rows_with_lines(DATA / "negative_context.tsv"):
        trig, context, where = (c.strip() for c in cells[:3])
        if where not in NEGATIVE_WHERE or not _words(context) or not _words(trig):
            problems.append(f"negative_context.tsv:{line}: bad row")
        else:
            problems += [f"negative_context.tsv:{line}: no trigger pattern starts with {w[0]!r}"
                         for w in _words(trig) if w[0] not in words or len(w) > 1]
    roles = {r["role"] for r in read_tsv(DATA / "function_words.tsv")}
    problems += [f"function_words.tsv: unknown role {r!r}" for r in sorted(roles - FUNCTION_ROLES)]
    for word, domain in load_domain_words().items():
        if domain not in DOMAINS or " " in word:
            problems.append(f"domain_words.tsv: bad row {word}")
    for cue in load_cues():
        if cue.modality not in MODALITIES or cue.where not in WHERE:
            problems.append(f"modality.tsv: bad row {cue}")
    for word, (role, sector, _alone) in load_actor_words().items():
        if role not in ("sector", "dual") or (role == "sector" and not sector):
            problems.append(f"actor_words.tsv: bad row {word}")
    return problems


def _quad_of_root(root: int) -> int:
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
