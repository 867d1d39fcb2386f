"""KB loader, validator, coverage and CLI: the bundled data is valid, complete enough, and checks can fail."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from babel import Locale

from marsad.cli import main
from marsad.kb import DATA, KB, load_kb
from marsad.kb.validate import validate
from marsad.normalize import normalize_word

CLDR_EXCEPTIONS = Path(__file__).parent / "data" / "cldr_country_exceptions.tsv"
EXTRA_COUNTRIES = {"PSE", "VAT", "XKX", "TWN", "ESH"}


def by_kind(kind: str) -> list:
    return [e for e in load_kb().entries.values() if e.kind == kind]


# ---- validator ---------------------------------------------------------------------------------------------

def test_bundled_data_validates():
    problems = validate()
    assert not problems, "\n".join(map(str, problems[:50]))


def test_loader_sees_no_duplicate_ids():
    assert load_kb().duplicates == []


def _write(path: Path, header: str, *rows: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


@pytest.fixture
def tiny_kb(tmp_path: Path) -> Path:
    """A valid miniature KB; tests break one thing at a time."""
    data = tmp_path / "data"
    shutil.copy(DATA / "codes.tsv", tmp_path / "codes.tsv")
    data.mkdir()
    shutil.copy(tmp_path / "codes.tsv", data / "codes.tsv")
    _write(data / "countries.tsv", "id\tcameo\tiso2\tname_en\tname_ar\taliases_ar\tnisba_ar\tcapital\tqid",
           "RUS\tRUS\tRU\tRussia\tروسيا\tروسيا الاتحادية\tروسي|الروسي\tloc:RUS:moscow\tQ159",
           "JOR\tJOR\tJO\tJordan\tالأردن\t\tأردني|الأردني\tloc:JOR:amman\tQ810",
           "OMN\tOMN\tOM\tOman\tسلطنة عمان\tعمان\tعماني|العماني\tloc:OMN:muscat\tQ842")
    _write(data / "places" / "capitals.tsv", "id\ttype\tname_en\tname_ar\taliases_ar\tcountry\tmetonym\tqid",
           "loc:RUS:moscow\tcapital\tMoscow\tموسكو\t\tRUS\tGOV\tQ649",
           "loc:JOR:amman\tcapital\tAmman\tعمان\t\tJOR\tGOV\t",
           "loc:OMN:muscat\tcapital\tMuscat\tمسقط\t\tOMN\tGOV\t")
    _write(data / "organizations" / "igo.tsv", "id\tname_en\tname_ar\taliases_ar\tacronym\tsector\tcountry\tkind\tqid",
           "org:un\tUnited Nations\tالأمم المتحدة\t\tUN\tIGO\t\tORG\tQ1065")
    _write(data / "people" / "p.tsv", "id\tname_en\tname_ar\taliases_ar\tcountry\troles\tqid",
           "per:vladimir-putin\tVladimir Putin\tفلاديمير بوتين\tبوتين\tRUS\tpresident@RUS:2000-2008;president@RUS:2012-\t")
    _write(data / "titles.tsv", "key\trole_en\tsector\tar\taliases_ar\tplural_ar", "president\tPresident\tGOV\tالرئيس\t\t")
    _write(data / "metonyms.tsv", "ar\taliases_ar\tstands_for\tsector\tname_en", "الكرملين\t\tRUS\tGOV\tKremlin")
    _write(data / "ambiguous.tsv", "alias\tids\treason", "عمان\tOMN|loc:JOR:amman\tOman / Amman")
    return data


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_tiny_kb_is_valid_and_loads(tiny_kb: Path):
    assert validate(tiny_kb) == []
    kb = KB(tiny_kb)
    assert [e.id for e in kb.lookup("وبعمان")] == ["OMN", "loc:JOR:amman"]
    assert kb.ambiguous["عمان"][0] == ("OMN", "loc:JOR:amman")


BREAKAGES = [
    # (file, old, new, expected message fragment, line)
    ("countries.tsv", "RUS\tRUS\tRU", "RUX\tRUS\tRU", "not an ISO 3166-1 alpha-3", 2),
    ("countries.tsv", "JOR\tJOR\tJO", "JOR\tJOR\tJX", "CLDR maps JOR to JO", 3),
    ("countries.tsv", "RUS\tRUS\tRU", "RUS\tQQQ\tRU", "CAMEO code 'QQQ'", 2),
    ("countries.tsv", "loc:OMN:muscat\tQ842", "loc:OMN:salalah\tQ842", "capital loc:OMN:salalah is not a place", 4),
    ("countries.tsv", "loc:JOR:amman\tQ810", "loc:OMN:muscat\tQ810", "belongs to 'OMN'", 3),
    ("countries.tsv", "\tروسي|الروسي", "\tروسي|الروسي\textra", "10 columns, header has 9", 2),
    ("places/capitals.tsv", "loc:OMN:muscat\tcapital\tMuscat\tمسقط\t\tOMN", "loc:OMN:muscat\tcapital\tMuscat\tمسقط\t\tOMX",
     "country 'OMX' is not in countries.tsv", 4),
    ("places/capitals.tsv", "\tcapital\tMoscow", "\tmetropolis\tMoscow", "unknown place type", 2),
    ("places/capitals.tsv", "loc:OMN:muscat", "loc:RUS:moscow", "duplicate id loc:RUS:moscow", 4),
    ("organizations/igo.tsv", "\tIGO\t", "\tXYZ\t", "unknown sector 'XYZ'", 2),
    ("people/p.tsv", "president@RUS:2012-", "tsar@RUS:2012-", "role key 'tsar' is not in titles.tsv", 2),
    ("people/p.tsv", "president@RUS:2012-", "president@org:nowhere:2012-", "neither a country nor an organization", 2),
    ("people/p.tsv", "president@RUS:2000-2008", "president@RUS:2008-2000", "starts after it ends", 2),
    ("people/p.tsv", "president@RUS:2000-2008", "president@RUS:1200-2008", "year out of range", 2),
    ("people/p.tsv", "president@RUS:2000-2008", "president RUS 2000", "is not key@WHERE:start-end", 2),
    ("people/p.tsv", "\tRUS\tpresident", "\tSUN\tpresident", "country 'SUN' is not in countries.tsv", 2),
    ("people/p.tsv", "\tبوتين\t", "\tموسكو\t", "shared with loc:RUS:moscow", 2),
    ("people/p.tsv", "فلاديمير بوتين", "فلاديمير بُوتين", "has diacritics", 2),
    ("ambiguous.tsv", "OMN|loc:JOR:amman", "OMN", "also used by ['loc:JOR:amman']", 2),
    ("metonyms.tsv", "\tRUS\tGOV", "\tURS\tGOV", "stands_for 'URS'", 2),
]


@pytest.mark.parametrize("file,old,new,message,line", BREAKAGES, ids=[b[3][:30] for b in BREAKAGES])
def test_validator_reports_each_breakage_with_file_and_line(tiny_kb: Path, file, old, new, message, line):
    _edit(tiny_kb / file, old, new)
    problems = validate(tiny_kb)
    assert any(message in p.message and p.path.endswith(file) and p.line == line for p in problems), problems


def test_stale_ambiguity_declaration_is_reported(tiny_kb: Path):
    _edit(tiny_kb / "countries.tsv", "\tعمان\tعماني", "\t\tعماني")
    assert any("declared ambiguous but used by" in p.message for p in validate(tiny_kb))


def test_common_word_marker(tiny_kb: Path):
    with (tiny_kb / "ambiguous.tsv").open("a", encoding="utf-8") as fh:
        fh.write("مسقط\tloc:OMN:muscat|~word\tcommon word (test)\n")
    assert validate(tiny_kb) == []
    _edit(tiny_kb / "ambiguous.tsv", "loc:OMN:muscat|~word", "loc:OMN:muscat")
    assert any("add ~word" in p.message for p in validate(tiny_kb))


def test_validate_cli_prints_file_line(tiny_kb: Path, capsys):
    from marsad.kb.validate import main as validate_main

    _edit(tiny_kb / "organizations/igo.tsv", "\tIGO\t", "\tXYZ\t")
    assert validate_main([str(tiny_kb)]) == 1
    out = capsys.readouterr().out
    assert "igo.tsv:2: unknown sector 'XYZ'" in out


# ---- coverage ----------------------------------------------------------------------------------------------

def test_countries_are_the_198_with_nisba_and_capital():
    kb = load_kb()
    countries = by_kind("country")
    assert len(countries) == 198
    ids = {e.id for e in countries}
    assert EXTRA_COUNTRIES <= ids
    for e in countries:
        assert e.extra["nisba"], f"{e.id} has no nationality adjective"
        capital = kb.entries.get(e.extra["capital"])
        assert capital is not None and capital.kind == "place" and capital.country == e.id, e.id


def test_coverage_minimums():
    kb = load_kb()
    assert len(by_kind("place")) >= 1500
    assert len(by_kind("org")) >= 400
    assert len(by_kind("person")) >= 600
    assert len(kb.titles) >= 50 and {"president", "prime-minister", "foreign-minister"} <= set(kb.titles)
    assert len(kb.metonyms) >= 30


def read_cldr_exceptions() -> dict[str, str]:
    with CLDR_EXCEPTIONS.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {r["iso3"]: r["reason"] for r in rows}


def _fold(name: str) -> str:
    return " ".join(normalize_word(name).replace("-", " ").split())


def test_arabic_country_names_agree_with_cldr():
    territories = Locale("ar").territories
    exceptions = read_cldr_exceptions()
    missing = []
    for e in by_kind("country"):
        cldr = territories.get(e.extra["iso2"])
        agrees = cldr is not None and _fold(cldr) in {_fold(n) for n in e.names}
        if agrees:
            assert e.id not in exceptions, f"{e.id} is listed in {CLDR_EXCEPTIONS.name} but agrees with CLDR"
        elif e.id not in exceptions:
            missing.append(f"{e.id}: CLDR {cldr!r} not in {e.names}")
    assert not missing, "\n".join(missing)
    assert all(reason for reason in exceptions.values())


# ---- lookup and CLI ----------------------------------------------------------------------------------------

def test_lookup_by_arabic_variants_english_and_id():
    kb = load_kb()
    assert [e.id for e in kb.lookup("وبموسكو")] == ["loc:RUS:moscow"]
    assert "org:eu" in [e.id for e in kb.lookup("للاتحاد الأوروبي")]
    assert [e.id for e in kb.lookup("Moscow")] == ["loc:RUS:moscow"]
    assert [e.id for e in kb.lookup("loc:rus:moscow")] == ["loc:RUS:moscow"]
    assert "per:kassym-jomart-tokayev" in [e.id for e in kb.lookup("Tokayev")]
    assert kb.lookup("كلمةغيرموجودة") == []


def _cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_cli_lookup_json(capsys):
    code, out = _cli(capsys, "kb", "lookup", "وبموسكو", "--format", "json")
    info = json.loads(out)
    assert code == 0
    (entry,) = info["entries"]
    assert entry["id"] == "loc:RUS:moscow" and entry["country"] == "RUS" and entry["name_en"] == "Moscow"


def test_cli_lookup_text_shows_roles_nisba_and_ambiguity(capsys):
    code, out = _cli(capsys, "kb", "lookup", "فلاديمير", "بوتين")
    assert code == 0 and "per:vladimir-putin" in out and "role: president @ RUS" in out
    code, out = _cli(capsys, "kb", "lookup", "الروسية")
    assert code == 0 and "nationality adjective of RUS" in out
    code, out = _cli(capsys, "kb", "lookup", "عمان")
    assert "ambiguous between" in out
    code, out = _cli(capsys, "kb", "lookup", "كلمةغيرموجودة")
    assert code == 1 and "not in the knowledge base" in out


def test_cli_stats(capsys):
    code, out = _cli(capsys, "kb", "stats", "--format", "json")
    stats = json.loads(out)
    assert code == 0
    assert stats["by_kind"]["country"] == 198
    assert sum(stats["by_kind"].values()) == stats["entries"] == len(load_kb().entries)
    assert stats["places_by_type"]["capital"] >= 198


def test_cli_validate(capsys):
    code, _ = _cli(capsys, "kb", "validate")
    assert code == 0


# ---- pickle cache ------------------------------------------------------------------------------------------

def test_cache_is_used_and_invalidated_by_data_edits(tiny_kb: Path, tmp_path: Path, monkeypatch):
    from marsad.kb import fingerprint, load_cached

    monkeypatch.delenv("MARSAD_NO_CACHE", raising=False)
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path / "cache"))
    first = load_cached(tiny_kb)
    (cached,) = (tmp_path / "cache").glob("kb-*.pickle")
    assert [e.id for e in load_cached(tiny_kb).lookup("موسكو")] == ["loc:RUS:moscow"]
    before = fingerprint(tiny_kb)
    _edit(tiny_kb / "places/capitals.tsv", "\tموسكو\t\t", "\tموسكو\tموسكوفا\t")
    assert fingerprint(tiny_kb) != before
    edited = load_cached(tiny_kb)
    assert [e.id for e in edited.lookup("موسكوفا")] == ["loc:RUS:moscow"] and first.lookup("موسكوفا") == []
    assert not cached.exists() and len(list((tmp_path / "cache").glob("kb-*.pickle"))) == 1


def test_cache_survives_corrupt_file_and_unwritable_dir(tiny_kb: Path, tmp_path: Path, monkeypatch):
    from marsad.kb import fingerprint, load_cached

    monkeypatch.delenv("MARSAD_NO_CACHE", raising=False)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / f"kb-{fingerprint(tiny_kb)}.pickle").write_bytes(b"not a pickle")
    monkeypatch.setenv("MARSAD_CACHE", str(cache))
    assert "RUS" in load_cached(tiny_kb).entries
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("MARSAD_CACHE", str(blocker / "sub"))  # cannot be created: parent is a file
    assert "RUS" in load_cached(tiny_kb).entries
