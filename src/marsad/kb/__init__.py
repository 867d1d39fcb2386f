"""The bundled knowledge base of world actors: countries, places, organizations, people, titles.

Data lives in ``kb/data/`` as TSV (format: ``docs/kb-format.md``). :func:`load_kb` reads it once
per process and compiles the gazetteers used by entity linking and event actor coding.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from marsad.kb.gazetteer import _LAM_PREFIXES, Gazetteer, Hit, proclitic_ok
from marsad.normalize import Normalized, normalize_word

DATA = Path(__file__).parent / "data"

_YEARS = re.compile(r"(\d{4})?-?(\d{4})?")

#: place types that are political units (GPE); the rest are geography (LOC)
GPE_PLACE_TYPES = frozenset({"capital", "city", "province", "region", "disputed", "town", "district", "state"})


@dataclass(frozen=True, slots=True)
class Role:
    key: str
    where: str  # ISO3 or org id
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    kind: str  # country | place | org | person
    type: str  # PER | ORG | GPE | LOC | FAC | EVENT
    name_en: str
    name_ar: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    sector: str | None = None
    subtype: str | None = None  # place type, org kind
    qid: str | None = None
    roles: tuple[Role, ...] = ()
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name_ar, *self.aliases)


@dataclass(frozen=True, slots=True)
class Title:
    key: str
    role_en: str
    sector: str
    names: tuple[str, ...]
    plurals: tuple[str, ...] = ()  # «وزراء الخارجية»: several holders, listed with their countries


def construct_forms(names: Iterable[str]) -> list[str]:
    """Each two-word title «وزير الخارجية» also in the construct state before its complement, «وزير خارجية
    مصر» (the second word loses its article); the head itself never carries the article."""
    out = []
    for name in names:
        words = name.split()
        if len(words) == 2 and not words[0].startswith("ال") and words[1].startswith("ال") and len(words[1]) > 4:
            out.append(f"{words[0]} {words[1][2:]}")
    return out


@dataclass(frozen=True, slots=True)
class Metonym:
    name: str
    names: tuple[str, ...]
    country: str
    sector: str
    name_en: str


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a data TSV file (KB, rules, lexicons) as dicts, skipping comments and blank lines."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield {k: (v or "").strip() for k, v in row.items() if k}


def split_list(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def parse_roles(cell: str) -> tuple[Role, ...]:
    """``key@WHERE:start-end;...`` → Roles (WHERE may itself hold a colon: ``org:un``)."""
    roles = []
    for part in filter(None, (p.strip() for p in cell.split(";"))):
        key, _, rest = part.partition("@")
        where, sep, years = rest.rpartition(":")
        if not sep or not _YEARS.fullmatch(years):
            where, years = rest, ""
        start, _, end = years.partition("-")
        roles.append(Role(key, where, int(start) if start else None, int(end) if end else None))
    return tuple(roles)


class KB:
    """All entries by id, plus compiled gazetteers for names, nationality adjectives, metonyms and titles."""

    def __init__(self, data_dir: Path = DATA):
        self.entries: dict[str, Entry] = {}
        self.nisba: dict[str, str] = {}  # normalized-free raw form -> country id
        self.titles: dict[str, Title] = {}
        self.metonyms: list[Metonym] = []
        self.duplicates: list[str] = []
        #: normalized alias -> (ids, reason) for names deliberately shared by several entries (ambiguous.tsv)
        self.ambiguous: dict[str, tuple[tuple[str, ...], str]] = {}
        self._load(data_dir)
        self.names = Gazetteer(self._name_pairs())
        self.title_gazetteer = Gazetteer((n, t.key) for t in self.titles.values()
                                         for names in (t.names, t.plurals) for n in (*names, *construct_forms(names)))
        #: normalized forms of the plural titles (their hits' keys)
        self.plural_titles = frozenset(normalize_word(n) for t in self.titles.values()
                                       for n in (*t.plurals, *construct_forms(t.plurals)))
        #: normalized construct-state forms no title declares: they need a complement («وزير خارجية مصر»)
        declared = {normalize_word(n) for t in self.titles.values() for n in (*t.names, *t.plurals)}
        self.construct_titles = frozenset(normalize_word(n) for t in self.titles.values()
                                          for n in (*construct_forms(t.names), *construct_forms(t.plurals))) - declared

    def _add(self, entry: Entry) -> None:
        if entry.id in self.entries:
            self.duplicates.append(entry.id)
        self.entries[entry.id] = entry

    def _load(self, data: Path) -> None:
        for row in _rows(data, "countries.tsv"):
            self._add(Entry(row["id"], "country", "GPE", row["name_en"], row["name_ar"], split_list(row.get("aliases_ar", "")),
                            row["id"], "GOV", "country", row.get("qid") or None,
                            extra={"cameo": row.get("cameo") or row["id"], "iso2": row.get("iso2", ""),
                                   "capital": row.get("capital", ""), "nisba": split_list(row.get("nisba_ar", ""))}))
            for form in split_list(row.get("nisba_ar", "")):
                self.nisba.setdefault(form, row["id"])
        for row in _rows(data, "places"):
            ptype = row.get("type", "")
            self._add(Entry(row["id"], "place", "GPE" if ptype in GPE_PLACE_TYPES else "LOC", row["name_en"],
                            row["name_ar"], split_list(row.get("aliases_ar", "")), row.get("country") or None, None, ptype,
                            row.get("qid") or None, extra={"metonym": row.get("metonym", "")}))
        for row in _rows(data, "organizations"):
            kind = (row.get("kind") or "ORG").upper()
            self._add(Entry(row["id"], "org", kind if kind in ("FAC", "EVENT") else "ORG", row["name_en"], row["name_ar"],
                            split_list(row.get("aliases_ar", "")), row.get("country") or None, row.get("sector") or None,
                            kind.lower(), row.get("qid") or None, extra={"acronym": row.get("acronym", "")}))
        for row in _rows(data, "people"):
            self._add(Entry(row["id"], "person", "PER", row["name_en"], row["name_ar"], split_list(row.get("aliases_ar", "")),
                            row.get("country") or None, None, None, row.get("qid") or None, parse_roles(row.get("roles", ""))))
        for row in _rows(data, "titles.tsv"):
            names = (row["ar"], *split_list(row.get("aliases_ar", "")))
            self.titles[row["key"]] = Title(row["key"], row.get("role_en", ""), row.get("sector", ""), names,
                                            split_list(row.get("plural_ar", "")))
        for row in _rows(data, "ambiguous.tsv"):
            self.ambiguous[normalize_word(row["alias"])] = (split_list(row.get("ids", "")), row.get("reason", ""))
        for row in _rows(data, "metonyms.tsv"):
            self.metonyms.append(Metonym(row["ar"], (row["ar"], *split_list(row.get("aliases_ar", ""))),
                                         row.get("stands_for", ""), row.get("sector", "GOV"), row.get("name_en", "")))

    def _name_pairs(self) -> Iterator[tuple[str, tuple[str, str]]]:
        """(Arabic form, (how, id)) for every name, nationality adjective and metonym."""
        for entry in self.entries.values():
            for name in entry.names:
                yield name, ("name", entry.id)
        for form, country in self.nisba.items():
            yield form, ("nisba", country)
        for i, m in enumerate(self.metonyms):
            for name in m.names:
                yield name, ("metonym", str(i))

    def find(self, nz: Normalized) -> list[Hit]:
        """Name, nationality and metonym hits in a normalized document."""
        return self.names.find(nz)

    def payloads(self, name: str) -> tuple:
        """Gazetteer payloads of an Arabic word or phrase, peeling proclitics («وبموسكو», «للاتحاد») if needed."""
        key = normalize_word(name.strip())
        found = self.names.table.get(key)
        if found:
            return found
        for n in (3, 2, 1):  # longest proclitic chain first
            prefix, rest = key[:n], key[n:]
            if proclitic_ok(prefix, len(rest)) and rest in self.names.table:
                return self.names.table[rest]
            if prefix in _LAM_PREFIXES and rest.startswith("ل") and "ا" + rest in self.names.table:
                return self.names.table["ا" + rest]
        return ()

    def _by_english(self) -> dict[str, list[Entry]]:
        """Lower-cased English name and id → entries; built on first use (a dateline lookup per document
        would otherwise scan every entry)."""
        index = getattr(self, "_english_index", None)
        if index is None:
            index = {}
            for e in self.entries.values():
                for key in dict.fromkeys((e.name_en.lower(), e.id.lower())):
                    index.setdefault(key, []).append(e)
            self._english_index = index
        return index

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose Arabic name/alias (clitics allowed) or English name or id equals ``name``.

        An English query with no exact match falls back to entries whose English name contains all its
        words («Tokayev», «aramco»), so a user need not know the KB's full spelling.
        """
        found = [self.entries[i] for how, i in self.payloads(name) if how == "name"]
        low = name.strip().lower()
        found += [e for e in self._by_english().get(low, ()) if e not in found]
        if not found and low.isascii():
            words = set(re.findall(r"[a-z0-9]+", low))
            found = [e for e in self.entries.values() if words and words <= set(re.findall(r"[a-z0-9]+", e.name_en.lower()))]
        return found

    def country_of_nisba(self, form: str) -> str | None:
        for how, ident in self.names.get(form):
            if how == "nisba":
                return ident
        return None


def _rows(data: Path, sub: str) -> Iterator[dict[str, str]]:
    path = data / sub
    files = sorted(path.glob("*.tsv")) if path.is_dir() else ([path] if path.is_file() else [])
    for f in files:
        yield from read_tsv(f)


#: bump when the pickled layout changes in a way the source hash would not catch
CACHE_FORMAT = 1


def cache_dir() -> Path:
    """``$MARSAD_CACHE``, else ``$XDG_CACHE_HOME/marsad``, else ``~/.cache/marsad``."""
    if os.environ.get("MARSAD_CACHE"):
        return Path(os.environ["MARSAD_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "marsad"


def fingerprint(data: Path = DATA) -> str:
    """Hash of every KB data file and of the code that compiles them: any edit invalidates the cache."""
    h = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version_info[:2]}:{ahocorasick_version()}".encode())
    code = [Path(__file__), Path(__file__).with_name("gazetteer.py"), Path(__file__).parent.parent / "normalize.py"]
    for path in [*code, *sorted(data.rglob("*.tsv"))]:
        h.update(str(path.relative_to(path.parents[1])).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def ahocorasick_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pyahocorasick")
    except PackageNotFoundError:
        return "?"


def load_cached(data: Path = DATA) -> KB:
    """A compiled KB from the pickle cache when its fingerprint matches, else built (and cached if writable).

    Any cache problem (unwritable directory, corrupt or foreign file) falls back to building from the TSVs,
    so the cache can only make loading faster, never wrong. ``MARSAD_NO_CACHE=1`` disables it.
    """
    if os.environ.get("MARSAD_NO_CACHE"):
        return KB(data)
    try:
        path = cache_dir() / f"kb-{fingerprint(data)}.pickle"
        with path.open("rb") as fh:
            kb = pickle.load(fh)
        if isinstance(kb, KB):
            return kb
    except Exception:  # noqa: BLE001 - a bad cache must never break loading
        pass
    kb = KB(data)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".kb-", delete=False) as tmp:
            pickle.dump(kb, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
        for old in path.parent.glob("kb-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - read-only home, full disk, ...: just don't cache
        with contextlib.suppress(Exception):
            os.unlink(tmp.name)
    return kb


@cache
def load_kb() -> KB:
    """The bundled KB, loaded and compiled once per process (from the pickle cache when it is current)."""
    return load_cached(DATA)
