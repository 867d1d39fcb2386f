"""Loading and validation of the rule tables under ``rules/<dimension>/ar/`` (times and amounts).

Tables are TSV files with ``#`` comment lines and a header row. Forms are written as in text and
normalized at load with :func:`marsad.normalize.normalize_word`, so they match ``doc.normalized``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from marsad.normalize import normalize_word

RULES_DIR = Path(__file__).parent / "rules"

_GRAINS = {"D", "W", "M", "Y", "H", "MIN", "S", "DE", "CE"}
_NUMBER_TYPES = {"unit", "ten", "hundred", "hundred_scale", "scale", "scale_plural", "scale_dual", "fraction",
                 "compound_only"}

#: (dimension, table) -> expected columns and a check per column (None: any non-empty text).
SCHEMAS: dict[tuple[str, str], dict[str, object]] = {
    ("time", "months"): {"form": None, "system": {"gregorian", "levantine", "maghrebi", "hijri"},
                         "month": range(1, 13), "ambiguous": {"0", "1"}},
    ("time", "weekdays"): {"form": None, "weekday": range(1, 8)},
    ("time", "relative"): {"form": None, "unit": {"day", "week", "month", "year", "decade", "century"},
                           "offset": range(-3, 4)},
    ("time", "units"): {"form": None, "unit": _GRAINS, "count": range(1, 3)},
    ("time", "decades"): {"form": None, "decade": range(1, 10)},
    ("time", "words"): {"class": None, "form": None},
    ("amount", "numbers"): {"form": None, "value": "number", "type": _NUMBER_TYPES},
    ("amount", "ordinals"): {"form": None, "value": "number", "type": {"unit", "ten", "compound_only"}},
    ("amount", "currencies"): {"form": None, "base": None},
    ("amount", "currency_codes"): {"base": None, "adjective": "optional", "code": re.compile(r"[A-Z]{3}")},
    ("amount", "countries"): {"form": None, "code": re.compile(r"[A-Z]{3}")},
    ("amount", "units"): {"form": None, "unit": None},
    ("amount", "count_heads"): {"form": None},
    ("amount", "words"): {"class": {"percent", "pp", "per_day", "ref", "of_total", "stop", "vague"}, "form": None},
}


def path_of(dimension: str, name: str) -> Path:
    return RULES_DIR / dimension / "ar" / f"{name}.tsv"


@cache
def raw_table(dimension: str, name: str) -> tuple[dict[str, str], ...]:
    """Rows of a rule table as dicts (columns from the header), comments and blank lines skipped."""
    from marsad.kb import read_tsv

    return tuple(read_tsv(path_of(dimension, name)))


@cache
def table(dimension: str, name: str) -> tuple[dict[str, str], ...]:
    """Rows with every ``form``/``adjective`` column normalized for matching."""
    out = []
    for row in raw_table(dimension, name):
        row = dict(row)
        for key in ("form", "adjective"):
            if row.get(key):
                row[key] = normalize_word(row[key].strip())
        out.append(row)
    return tuple(out)


@cache
def word_class(dimension: str, cls: str) -> frozenset[str]:
    """Normalized forms of one class of ``words.tsv``."""
    return frozenset(r["form"] for r in table(dimension, "words") if r["class"] == cls)


def alternation(forms: object) -> str:
    """A regex alternation of normalized forms, longest first, spaces matching any whitespace."""
    items = sorted({f for f in forms if f}, key=len, reverse=True)  # type: ignore[union-attr]
    return "(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in items) + ")"


def validate() -> list[str]:
    """Problems in the rule tables ("path:line: problem"), empty when all are well formed."""
    problems: list[str] = []
    for (dimension, name), schema in SCHEMAS.items():
        path = path_of(dimension, name)
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        header: list[str] | None = None
        seen: dict[tuple[str, ...], str] = {}
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            where = f"{path.relative_to(RULES_DIR.parent)}:{lineno}"
            if header is None:
                header = cells
                if header != list(schema):
                    problems.append(f"{where}: header {header} != {list(schema)}")
                    break
                continue
            if len(cells) != len(header):
                problems.append(f"{where}: {len(cells)} cells, expected {len(header)}")
                continue
            for col, cell in zip(header, cells):
                check = schema[col]
                if cell != cell.strip():
                    problems.append(f"{where}: {col} has surrounding spaces")
                if not cell and check != "optional":
                    problems.append(f"{where}: empty {col}")
                elif col in ("form", "adjective") and cell and not normalize_word(cell):
                    problems.append(f"{where}: {col} normalizes to nothing")
                elif isinstance(check, set) and cell not in check:
                    problems.append(f"{where}: {col}={cell!r} not in {sorted(check)}")
                elif isinstance(check, range) and not (cell.lstrip("-").isdigit() and int(cell) in check):
                    problems.append(f"{where}: {col}={cell!r} out of range")
                elif check == "number" and not re.fullmatch(r"\d+(?:\.\d+)?", cell):
                    problems.append(f"{where}: {col}={cell!r} not a number")
                elif isinstance(check, re.Pattern) and not check.fullmatch(cell):
                    problems.append(f"{where}: {col}={cell!r} malformed")
            key_cols = [c for c in header if c in ("form", "class", "base", "adjective")]
            key = tuple(normalize_word(cells[header.index(c)]) for c in key_cols)
            value = "\t".join(c for h, c in zip(header, cells) if h not in key_cols)
            if key in seen and seen[key] != value:
                problems.append(f"{where}: {key} conflicts with an earlier row ({seen[key]!r} vs {value!r})")
            seen.setdefault(key, value)
    codes = {r["base"] for r in raw_table("amount", "currency_codes")}
    for row in raw_table("amount", "currencies"):
        if row["base"] not in codes:
            problems.append(f"amount/currencies: base {row['base']!r} has no code in currency_codes")
    for base in codes:
        if not any(r["base"] == base and not r["adjective"] for r in raw_table("amount", "currency_codes")):
            problems.append(f"amount/currency_codes: base {base!r} has no default (empty adjective) row")
    return problems
