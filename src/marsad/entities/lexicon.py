"""The entity component's own data tables (``entities/data/*.tsv``), loaded once and validated.

Triggers announce names («مدينة X», «مطار X»), stop-words end name runs, suffixes flag transliterated
foreign names, and the name and letter tables drive romanization. Format notes head each file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marsad.document import ENTITY_TYPES
from marsad.kb import read_tsv
from marsad.normalize import normalize_word

DATA = Path(__file__).parent / "data"
FILES = ("triggers.tsv", "stopwords.tsv", "suffixes.tsv", "names.tsv", "letters.tsv", "honorifics.tsv",
         "counterparts.tsv", "collisions.tsv", "compass.tsv", "org_names.tsv")


@dataclass(frozen=True, slots=True)
class Trigger:
    word: str  # normalized
    type: str
    include: bool  # the trigger word is part of the name
    en: str  # English template with {}
    plural: bool
    definite: bool  # the name may carry the article
    singular: str  # normalized singular trigger («مقاطعات» → «مقاطعة»); the word itself when not plural


@cache
def triggers() -> dict[str, Trigger]:
    out: dict[str, Trigger] = {}
    for row in read_tsv(DATA / "triggers.tsv"):
        key = normalize_word(row["word"])
        out[key] = Trigger(key, row["type"], row["mode"] == "include", row.get("en") or "{}",
                           row.get("plural") == "1", row.get("definite") == "1",
                           normalize_word(row.get("singular") or row["word"]))
    return out


@cache
def org_name_words() -> tuple[dict[str, str], dict[str, str]]:
    """(head nouns, adjectives) of descriptive organization names, normalized → English («الهيئة العامة ...»)."""
    rows = list(read_tsv(DATA / "org_names.tsv"))
    return ({normalize_word(r["word"]): r["en"] for r in rows if r["kind"] == "head"},
            {normalize_word(r["word"]): r["en"] for r in rows if r["kind"] == "adjective"})


@cache
def compass() -> dict[str, str]:
    """Normalized compass word («غرب») → its English ("West"), for region names in lists of provinces."""
    return {normalize_word(r["word"]): r["en"] for r in read_tsv(DATA / "compass.tsv")}


@cache
def stopwords() -> frozenset[str]:
    return frozenset(normalize_word(r["word"]) for r in read_tsv(DATA / "stopwords.tsv"))


@cache
def suffixes() -> tuple[tuple[str, str], ...]:
    """(normalized suffix, English ending), longest first."""
    rows = [(normalize_word(r["suffix"]), r["en"]) for r in read_tsv(DATA / "suffixes.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@cache
def suffix_types() -> dict[str, str]:
    """Normalized suffix → the entity type a word with that ending usually is."""
    return {normalize_word(r["suffix"]): r.get("type") or "PER" for r in read_tsv(DATA / "suffixes.tsv")}


@cache
def honorifics() -> tuple[frozenset[str], frozenset[str]]:
    """(normalized words of address, title keys that are honorifics right before a name)."""
    rows = list(read_tsv(DATA / "honorifics.tsv"))
    return frozenset(normalize_word(r["word"]) for r in rows), frozenset(r["key"] for r in rows if r.get("key"))


@cache
def name_table() -> dict[str, str]:
    """Normalized name word (or two-word compound) → conventional English spelling."""
    return {normalize_word(r["ar"]): r["en"] for r in read_tsv(DATA / "names.tsv")}


@cache
def letters() -> dict[str, tuple[str, str]]:
    return {r["letter"]: (r.get("native", ""), r.get("foreign", "")) for r in read_tsv(DATA / "letters.tsv")}


@cache
def counterparts() -> frozenset[str]:
    return frozenset(normalize_word(r["word"]) for r in read_tsv(DATA / "counterparts.tsv"))


@cache
def collisions() -> dict[str, frozenset[str]]:
    """Normalized key → the exact written forms (diacritics stripped) under which a hit on it counts."""
    return {normalize_word(r["key"]): frozenset(x.strip() for x in (r.get("allowed") or "").split("|") if x.strip())
            for r in read_tsv(DATA / "collisions.tsv")}


def validate() -> list[str]:
    """Problems in the data tables (empty list = all good); run by the tests."""
    problems: list[str] = []
    for row in read_tsv(DATA / "triggers.tsv"):
        where = f"triggers.tsv {row.get('word')!r}"
        if row.get("type") not in ENTITY_TYPES:
            problems.append(f"{where}: unknown type {row.get('type')!r}")
        if row.get("mode") not in ("include", "exclude"):
            problems.append(f"{where}: mode must be include or exclude")
        if "{}" not in (row.get("en") or ""):
            problems.append(f"{where}: en template lacks {{}}")
        for col in ("plural", "definite"):
            if row.get(col) not in ("0", "1"):
                problems.append(f"{where}: {col} must be 0 or 1")
        if row.get("plural") == "1":
            single = triggers().get(normalize_word(row.get("singular") or ""))
            if single is None or single.plural or single.type != row.get("type"):
                problems.append(f"{where}: a plural trigger needs its singular, a trigger of the same type")
        elif row.get("singular"):
            problems.append(f"{where}: singular is for plural triggers only")
    words: set[str] = set()
    for row in read_tsv(DATA / "org_names.tsv"):
        word = row.get("word") or ""
        if row.get("kind") not in ("head", "adjective") or not row.get("en", "").isascii() or not row.get("en"):
            problems.append(f"org_names.tsv {word!r}: kind must be head or adjective, en ASCII")
        if not word.startswith("ال") or not all("\u0600" <= ch <= "\u06ff" for ch in word) or word in words:
            problems.append(f"org_names.tsv {word!r}: one Arabic word with the article, once")
        words.add(word)
    for row in read_tsv(DATA / "suffixes.tsv"):
        if row.get("type") not in ENTITY_TYPES:
            problems.append(f"suffixes.tsv {row.get('suffix')!r}: unknown type {row.get('type')!r}")
    for name in ("stopwords.tsv", "suffixes.tsv", "names.tsv", "letters.tsv", "honorifics.tsv", "counterparts.tsv",
                 "collisions.tsv", "compass.tsv"):
        seen: set[str] = set()
        for row in read_tsv(DATA / name):
            key = next(iter(row.values()), "")
            if not key:
                problems.append(f"{name}: empty key")
            elif not all("\u0600" <= ch <= "\u06ff" or ch == " " for ch in key):
                problems.append(f"{name}: {key!r} is not Arabic")
            if key in seen and name != "stopwords.tsv":
                problems.append(f"{name}: duplicate {key!r}")
            seen.add(key)
    for suffix, en in suffixes():
        if not en.isascii() or not en:
            problems.append(f"suffixes.tsv: {suffix!r} needs an ASCII ending")
    return problems
