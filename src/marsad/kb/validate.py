"""Validator for the KB data files: one line per problem, ``file:line: message``.

Run ``python -m marsad.kb.validate`` (or ``marsad kb validate``); the test suite runs it too, so a
data edit that breaks a reference, a code or a column count fails CI with the line to fix.
ISO 3166 alpha-3/alpha-2 come from CLDR (babel); sectors, place types, org kinds and the few
non-ISO country codes come from ``kb/data/codes.tsv``. Arabic aliases shared by two entries must
be declared in ``kb/data/ambiguous.tsv`` (format: ``docs/kb.md``).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from marsad.kb import DATA, split_list
from marsad.normalize import DIACRITICS, normalize_word

#: expected header of each file kind (the loader reads by these names)
COLUMNS: dict[str, tuple[str, ...]] = {
    "countries": ("id", "cameo", "iso2", "name_en", "name_ar", "aliases_ar", "nisba_ar", "capital", "qid"),
    "places": ("id", "type", "name_en", "name_ar", "aliases_ar", "country", "metonym", "qid"),
    "organizations": ("id", "name_en", "name_ar", "aliases_ar", "acronym", "sector", "country", "kind", "qid"),
    "people": ("id", "name_en", "name_ar", "aliases_ar", "country", "roles", "qid"),
    "titles": ("key", "role_en", "sector", "ar", "aliases_ar", "plural_ar"),
    "metonyms": ("ar", "aliases_ar", "stands_for", "sector", "name_en"),
    "ambiguous": ("alias", "ids", "reason"),
    "codes": ("table", "code", "meaning"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "countries": ("id", "cameo", "iso2", "name_en", "name_ar", "nisba_ar", "capital"),
    "places": ("id", "type", "name_en", "name_ar", "country"),
    "organizations": ("id", "name_en", "name_ar", "sector"),
    "people": ("id", "name_en", "name_ar", "country"),
    "titles": ("key", "role_en", "sector", "ar"),
    "metonyms": ("ar", "stands_for", "sector", "name_en"),
    "ambiguous": ("alias", "ids", "reason"),
    "codes": ("table", "code", "meaning"),
}
ID_PATTERNS = {
    "places": re.compile(r"loc:([A-Z]{3}):[a-z0-9]+(?:-[a-z0-9]+)*"),
    "organizations": re.compile(r"org:[a-z0-9]+(?:-[a-z0-9]+)*"),
    "people": re.compile(r"per:[a-z0-9]+(?:-[a-z0-9]+)*"),
}
_ROLE = re.compile(r"([a-z][a-z0-9-]*)@([A-Za-z0-9:-]+?):(\d{4})?-(\d{4})?")
_QID = re.compile(r"Q[1-9]\d*")
#: an Arabic cell: Arabic letters plus digits and the punctuation names use («أوبك+», «كوب 28», «10 داونينغ ستريت»)
_ARABIC = re.compile(r"[\u0600-\u06ff0-9 ()\-.'’+]*[\u0600-\u06ff][\u0600-\u06ff0-9 ()\-.'’+]*")
FIRST_YEAR = 1800
#: pseudo-ids allowed in ambiguous.tsv: «~word» = the name is also a common Arabic word («الخبر» Khobar / "the news")
PSEUDO_IDS = frozenset({"~word"})


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Row:
    kind: str
    path: str
    line: int
    cells: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.cells.get(key, "")


@dataclass
class _State:
    data: Path
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def add(self, row: Row | tuple[str, int], message: str) -> None:
        path, line = (row.path, row.line) if isinstance(row, Row) else row
        self.problems.append(Problem(path, line, message))


@cache
def iso_alpha3() -> dict[str, str]:
    """ISO 3166-1 alpha-3 → alpha-2 from CLDR's territory aliases (codes that map to one current territory)."""
    from babel.core import get_global

    def private(iso2: str) -> bool:  # ISO user-assigned ranges, which CLDR also aliases (QQQ → QQ, XXX → XX)
        return iso2 in ("AA", "ZZ", "EU", "EZ", "UN") or (iso2[0] == "Q" and iso2[1] >= "M") or iso2[0] == "X"

    return {k: v[0] for k, v in get_global("territory_aliases").items()
            if len(k) == 3 and k.isalpha() and len(v) == 1 and len(v[0]) == 2 and not private(v[0])}


def kind_of(path: Path, data: Path) -> str | None:
    rel = path.relative_to(data)
    name = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    return name if name in COLUMNS else None


def display_path(path: Path) -> str:
    """Path relative to the working directory where possible (clickable in editors and CI logs)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def data_files(data: Path) -> Iterator[Path]:
    yield from sorted(p for p in data.rglob("*.tsv"))


def read_rows(path: Path, kind: str, state: _State) -> None:
    """Rows with their line numbers; header and column-count problems are recorded."""
    rel = display_path(path)
    header: list[str] | None = None
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                if tuple(cells) != COLUMNS[kind]:
                    state.add((rel, lineno), f"header {cells} != expected {list(COLUMNS[kind])}")
                continue
            if len(cells) != len(header):
                state.add((rel, lineno), f"{len(cells)} columns, header has {len(header)}")
            row = Row(kind, rel, lineno, {h: c.strip() for h, c in zip(header, cells)})
            for col in REQUIRED[kind]:
                if not row[col]:
                    state.add(row, f"empty required column {col!r}")
            state.rows[kind].append(row)


def validate(data: Path = DATA) -> list[Problem]:
    """Every problem found in the KB data directory, in file order."""
    state = _State(data)
    for path in data_files(data):
        kind = kind_of(path, data)
        if kind is None:
            state.add((display_path(path), 0), "unknown KB file (not in countries/places/organizations/people/titles/metonyms/"
                                      "ambiguous/codes)")
            continue
        read_rows(path, kind, state)
    codes = _codes(state)
    ids = _check_ids(state)
    countries = {r["id"] for r in state.rows["countries"]}
    _check_countries(state, codes, ids)
    _check_places(state, codes, countries)
    _check_orgs(state, codes, countries)
    titles = _check_titles(state, codes)
    _check_people(state, countries, ids, titles)
    _check_metonyms(state, codes, countries)
    _check_arabic(state)
    _check_shared_aliases(state, ids)
    return state.problems


def _codes(state: _State) -> dict[str, set[str]]:
    codes: dict[str, set[str]] = defaultdict(set)
    for row in state.rows["codes"]:
        codes[row["table"]].add(row["code"])
    return codes


def _check_ids(state: _State) -> dict[str, Row]:
    seen: dict[str, Row] = {}
    for kind in ("countries", "places", "organizations", "people"):
        for row in state.rows[kind]:
            ident = row["id"]
            if ident in seen:
                first = seen[ident]
                state.add(row, f"duplicate id {ident} (first at {first.path}:{first.line})")
                continue
            seen[ident] = row
            pattern = ID_PATTERNS.get(kind)
            if pattern and not pattern.fullmatch(ident):
                state.add(row, f"id {ident!r} does not follow the {kind} id format")
            if row["qid"] and not _QID.fullmatch(row["qid"]):
                state.add(row, f"bad Wikidata QID {row['qid']!r}")
    return seen


def _check_countries(state: _State, codes: dict[str, set[str]], ids: dict[str, Row]) -> None:
    iso = iso_alpha3()
    extra = codes["country-code"] - {"XXX"}
    valid = (set(iso) - codes["retired-iso3"]) | extra
    for row in state.rows["countries"]:
        ident = row["id"]
        if ident not in valid:
            state.add(row, f"{ident!r} is not an ISO 3166-1 alpha-3 code (nor listed in codes.tsv country-code)")
        elif ident in iso and row["iso2"] != iso[ident]:
            state.add(row, f"iso2 {row['iso2']!r} but CLDR maps {ident} to {iso[ident]}")
        if row["cameo"] and row["cameo"] not in valid | codes["cameo"]:
            state.add(row, f"CAMEO code {row['cameo']!r} is neither ISO alpha-3 nor listed in codes.tsv cameo")
        capital = row["capital"]
        if capital:
            target = ids.get(capital)
            if target is None or target.kind != "places":
                state.add(row, f"capital {capital} is not a place id")
            elif target["country"] != ident:
                state.add(row, f"capital {capital} belongs to {target['country']!r}, not {ident}")
            elif target["type"] != "capital":
                state.add(row, f"capital {capital} has place type {target['type']!r}, expected 'capital'")


def _check_places(state: _State, codes: dict[str, set[str]], countries: set[str]) -> None:
    for row in state.rows["places"]:
        if row["type"] and row["type"] not in codes["place-type"]:
            state.add(row, f"unknown place type {row['type']!r}")
        country = row["country"]
        if country and country != "XXX" and country not in countries:
            state.add(row, f"country {country!r} is not in countries.tsv")
        m = ID_PATTERNS["places"].fullmatch(row["id"])
        if m and country and m.group(1) != country:
            state.add(row, f"id country {m.group(1)} != country column {country}")
        if row["metonym"] not in ("", "GOV"):
            state.add(row, f"metonym must be GOV or empty, not {row['metonym']!r}")


def _check_orgs(state: _State, codes: dict[str, set[str]], countries: set[str]) -> None:
    for row in state.rows["organizations"]:
        if row["sector"] and row["sector"] not in codes["sector"]:
            state.add(row, f"unknown sector {row['sector']!r}")
        if row["kind"] and row["kind"].upper() not in codes["org-kind"]:
            state.add(row, f"unknown org kind {row['kind']!r}")
        if row["country"] and row["country"] not in countries:
            state.add(row, f"country {row['country']!r} is not in countries.tsv")


def _check_titles(state: _State, codes: dict[str, set[str]]) -> set[str]:
    keys: dict[str, Row] = {}
    for row in state.rows["titles"]:
        if row["key"] in keys:
            state.add(row, f"duplicate title key {row['key']} (first at line {keys[row['key']].line})")
        keys.setdefault(row["key"], row)
        if row["sector"] and row["sector"] not in codes["sector"]:
            state.add(row, f"unknown sector {row['sector']!r}")
    return set(keys)


def _check_people(state: _State, countries: set[str], ids: dict[str, Row], titles: set[str]) -> None:
    this_year = dt.date.today().year
    for row in state.rows["people"]:
        if row["country"] and row["country"] not in countries:
            state.add(row, f"country {row['country']!r} is not in countries.tsv")
        for part in filter(None, (p.strip() for p in row["roles"].split(";"))):
            m = _ROLE.fullmatch(part)
            if not m:
                state.add(row, f"role {part!r} is not key@WHERE:start-end")
                continue
            key, where, start, end = m.groups()
            if key not in titles:
                state.add(row, f"role key {key!r} is not in titles.tsv")
            target = ids.get(where)
            if where not in countries and (target is None or target.kind != "organizations"):
                state.add(row, f"role {part!r}: {where!r} is neither a country nor an organization id")
            years = [int(y) for y in (start, end) if y]
            if any(not FIRST_YEAR <= y <= this_year + 1 for y in years):
                state.add(row, f"role {part!r}: year out of range {FIRST_YEAR}-{this_year + 1}")
            elif start and end and int(start) > int(end):
                state.add(row, f"role {part!r}: starts after it ends")


def _check_metonyms(state: _State, codes: dict[str, set[str]], countries: set[str]) -> None:
    for row in state.rows["metonyms"]:
        if row["stands_for"] not in countries:
            state.add(row, f"stands_for {row['stands_for']!r} is not in countries.tsv")
        if row["sector"] and row["sector"] not in codes["sector"]:
            state.add(row, f"unknown sector {row['sector']!r}")


_AR_COLUMNS = ("name_ar", "aliases_ar", "nisba_ar", "ar", "plural_ar")
_LIST_COLUMNS = ("aliases_ar", "nisba_ar", "plural_ar")


def _check_arabic(state: _State) -> None:
    """Arabic cells hold Arabic script without diacritics (names are matched after normalization)."""
    for rows in state.rows.values():
        for row in rows:
            for col in _AR_COLUMNS:
                for name in split_list(row[col]) if col in _LIST_COLUMNS else [row[col]] if row[col] else []:
                    if any(ch in DIACRITICS for ch in name):
                        state.add(row, f"{col}: {name!r} has diacritics")
                    elif not _ARABIC.fullmatch(name):
                        state.add(row, f"{col}: {name!r} is not Arabic script")


def entry_names(state: _State) -> dict[str, dict[str, Row]]:
    """Normalized Arabic form → {id: row} over names, aliases and nationality adjectives."""
    owners: dict[str, dict[str, Row]] = defaultdict(dict)
    for kind in ("countries", "places", "organizations", "people"):
        for row in state.rows[kind]:
            forms = [row["name_ar"], *split_list(row["aliases_ar"]), *split_list(row["nisba_ar"])]
            for form in forms:
                key = normalize_word(form)
                if len(key) >= 2:
                    owners[key].setdefault(row["id"], row)
    return owners


def _check_shared_aliases(state: _State, ids: dict[str, Row]) -> None:
    declared: dict[str, tuple[Row, set[str], set[str]]] = {}  # alias -> (row, entry ids, pseudo-ids)
    for row in state.rows["ambiguous"]:
        key = normalize_word(row["alias"])
        listed = set(split_list(row["ids"]))
        if key in declared:
            state.add(row, f"alias {row['alias']!r} declared twice (first at line {declared[key][0].line})")
        declared[key] = (row, listed - PSEUDO_IDS, listed & PSEUDO_IDS)
        for ident in listed - set(ids) - PSEUDO_IDS:
            state.add(row, f"unknown id {ident!r}")
    for key, owners in entry_names(state).items():
        if len(owners) < 2:
            continue
        found = set(owners)
        if key in declared:
            row, listed, _ = declared[key]
            if found - listed:
                state.add(row, f"alias {row['alias']!r} is also used by {sorted(found - listed)}; add them to ids")
            continue
        first, *others = sorted(owners.values(), key=lambda r: (r.path, r.line))
        where = ", ".join(f"{r['id']} ({r.path}:{r.line})" for r in others)
        state.add(first, f"Arabic alias {key!r} of {first['id']} is shared with {where}: "
                         "fix it or declare it in ambiguous.tsv")
    names = entry_names(state)
    for key, (row, listed, pseudo) in declared.items():
        owners = set(names.get(key, {}))
        if len(owners) + len(pseudo) < 2:
            state.add(row, f"alias {row['alias']!r} is declared ambiguous but used by {sorted(owners) or 'no entry'} "
                           "(add ~word if it is a common word)")
        elif listed - owners:
            state.add(row, f"{sorted(listed - owners)} do not have the alias {row['alias']!r}")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m marsad.kb.validate", description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DATA, help="KB data directory (default: bundled)")
    args = parser.parse_args(argv)
    problems = validate(args.data)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
